// Package pgtest gives each test its own empty PostgreSQL database, so that
// store tests run on PostgreSQL as well as on SQLite. The server comes from
// CONCORD_TEST_POSTGRES, which scripts/test.sh sets after it starts a
// throwaway server. Without it a test skips, except in CI (CI=true) or with
// CONCORD_REQUIRE_POSTGRES=1, where it fails: CI must not pass by skipping an
// engine.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvServer names the environment variable that holds the URL of the test
// server, such as postgres://postgres@127.0.0.1:5432/concord?sslmode=disable.
// Its database is only used to create and drop the databases of the tests.
const EnvServer = "CONCORD_TEST_POSTGRES"

// timeout bounds each administrative statement, so that a server that hangs
// fails the test instead of the whole run.
const timeout = 30 * time.Second

// Required reports whether a missing server must fail the test rather than
// skip it: in CI, or when CONCORD_REQUIRE_POSTGRES=1.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("CONCORD_REQUIRE_POSTGRES") == "1"
}

// DSN creates a new, empty database with a unique name and returns its URL,
// which both pgx and database/sql with the "pgx" driver accept. The database
// is dropped, with any connections left open to it, when the test ends.
func DSN(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(EnvServer)
	if server == "" {
		if Required() {
			tb.Fatalf("pgtest: %s is not set; run the tests through scripts/test.sh, which starts PostgreSQL", EnvServer)
		}
		tb.Skipf("pgtest: %s is not set; scripts/test.sh starts a PostgreSQL server and sets it", EnvServer)
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("pgtest: %s must be a postgres:// URL, got %q", EnvServer, server)
	}

	name := databaseName(tb.Name())
	if err := exec(server, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		// FORCE ends the connections that a test forgot to close.
		if err := exec(server, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})

	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// exec runs one statement on its own short connection, so that no idle
// connection of the helper counts against the server's max_connections.
func exec(server, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// databaseName makes a unique, valid name that still shows which test made
// the database, for anyone who looks at a server a crashed run left behind.
func databaseName(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() == 40 {
			break
		}
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	// 5 + 40 + 1 + 12 characters stay under PostgreSQL's limit of 63.
	return fmt.Sprintf("test_%s_%s", b.String(), hex.EncodeToString(suffix))
}
