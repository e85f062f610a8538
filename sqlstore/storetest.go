package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"concord/internal/pgtest"
)

// ForEachStore runs fn as a subtest on a fresh SQLite file and on a fresh
// PostgreSQL database (skipped, or failed under CI, when none is configured).
func ForEachStore(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, engine := range []Dialect{SQLite, Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			fn(t, OpenTest(t, engine))
		})
	}
}

// OpenTest opens a fresh, migrated database of the given engine for a test.
func OpenTest(tb testing.TB, engine Dialect) *DB {
	tb.Helper()
	dsn := filepath.Join(tb.TempDir(), "concord.db")
	if engine == Postgres {
		dsn = pgtest.DSN(tb)
	}
	db, err := Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
