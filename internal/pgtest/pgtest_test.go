package pgtest

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestDSNGivesAnEmptyWritableDatabase(t *testing.T) {
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())

	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("new database has %d tables in public, want 0", tables)
	}

	if _, err := conn.Exec(ctx, `CREATE TABLE forum (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, slug text NOT NULL UNIQUE, name text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := conn.QueryRow(ctx, `INSERT INTO forum (slug, name) VALUES ($1, $2) RETURNING id`, "igf", "منتدى حوكمة الإنترنت").Scan(&id); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := conn.QueryRow(ctx, `SELECT name FROM forum WHERE id = $1`, id).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if got, want := name, "منتدى حوكمة الإنترنت"; got != want {
		t.Errorf("name = %q, want %q", got, want)
	}
}

func TestDSNDropsTheDatabaseAfterTheTest(t *testing.T) {
	var dbName string
	t.Run("sub", func(t *testing.T) {
		dsn := DSN(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		dbName = strings.TrimPrefix(u.Path, "/")
		// A connection left open must not stop the drop.
		conn, err := pgx.Connect(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn
	})
	if dbName == "" {
		t.Fatal("subtest made no database")
	}

	ctx := t.Context()
	conn, err := pgx.Connect(ctx, os.Getenv(EnvServer))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, dbName).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after its test ended", dbName)
	}
}

func TestDSNNamesAreUniqueAndValid(t *testing.T) {
	long := strings.Repeat("TestSomething/with spaces and ÜNICODE/", 5)
	seen := map[string]bool{}
	for range 100 {
		name := databaseName(long)
		if len(name) > 63 {
			t.Fatalf("name %q has %d bytes, over PostgreSQL's 63", name, len(name))
		}
		for _, r := range name {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
				t.Fatalf("name %q has %q", name, r)
			}
		}
		if seen[name] {
			t.Fatalf("name %q made twice", name)
		}
		seen[name] = true
	}
}
