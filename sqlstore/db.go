// Package sqlstore keeps Concord's data in SQLite (embedded, the default) or
// PostgreSQL (several stateless servers sharing one database). Every query is
// one SQL text for both engines; only the DDL in migrations/ differs.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"

	"concord"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open Concord database.
type DB struct {
	db      *sql.DB
	Dialect Dialect
	DSN     string
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn (a SQLite file path or a postgres:// URL)
// and runs any pending migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := OpenNoMigrate(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenNoMigrate opens the database without touching its schema.
func OpenNoMigrate(dsn string) (*DB, error) {
	if dsn == "" {
		return nil, concord.FieldError("db", "is empty: give a SQLite file path or a postgres:// URL")
	}
	d := &DB{DSN: dsn, Now: func() time.Time { return time.Now().UTC() }}
	var err error
	if IsPostgres(dsn) {
		d.Dialect = Postgres
		d.db, err = sql.Open("pgx", dsn)
		if err == nil {
			d.db.SetMaxOpenConns(20)
			d.db.SetConnMaxIdleTime(5 * time.Minute)
		}
	} else {
		d.Dialect = SQLite
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "file:")
		// WAL lets readers run beside the single writer; immediate
		// transactions take the write lock up front so two writers queue
		// instead of failing on lock upgrade.
		d.db, err = sql.Open("sqlite", "file:"+path+
			"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate")
		if err == nil {
			d.db.SetMaxOpenConns(8)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", d.Dialect, err)
	}
	if err := d.db.PingContext(context.Background()); err != nil {
		d.db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.Dialect, err)
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// SQL exposes the handle for tests that must reach below the store (tampering tests).
func (d *DB) SQL() *sql.DB { return d.db }

func (d *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(d.Dialect))
	if err != nil {
		return nil, err
	}
	if d.Dialect == SQLite {
		return goose.NewProvider(database.DialectSQLite3, d.db, sub)
	}
	// Servers starting together on one PostgreSQL database take turns.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(database.DialectPostgres, d.db, sub, goose.WithSessionLocker(locker))
}

// Migrate applies every pending migration. Concurrent servers on one
// PostgreSQL database serialise here through an advisory session lock.
func (d *DB) Migrate(ctx context.Context) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// MigrationVersion returns the schema version applied.
func (d *DB) MigrationVersion(ctx context.Context) (int64, error) {
	p, err := d.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// tx runs fn in a transaction, committing on success.
func (d *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (d *DB) nowMS() int64 { return d.Now().UnixMilli() }

func fromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func fromNullMS(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMS(ms.Int64)
}

// isUniqueViolation recognises a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") ||
		strings.Contains(s, "duplicate key value")
}

func notFound(what string, key any) error {
	return concord.Errorf(concord.ENOTFOUND, "%s %v not found", what, key)
}

func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// idSet runs a query of one id column and returns the ids as a set.
func idSet(ctx context.Context, q queryer, query string, args ...any) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
