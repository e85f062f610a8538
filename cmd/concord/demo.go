package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"concord/demo"
	"concord/sqlstore"
)

func init() {
	commands["demo"] = command{"create a realistic demo forum on SQLite and serve it", runDemo}
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("demo", stderr)
	dsn := fs.String("db", "concord-demo.db", "database to create: a SQLite file path (or postgres:// URL)")
	seed := fs.Uint64("seed", 1, "seed for the generated data; the same seed gives the same forum")
	fresh := fs.Bool("fresh", false, "delete an existing demo SQLite file first")
	only := fs.Bool("no-serve", false, "create the data and exit without serving")
	cfg := serveFlags(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *fresh && !sqlstore.IsPostgres(*dsn) {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(*dsn + suffix)
		}
	}
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(stderr, "concord demo:", err)
		return exitFailure
	}
	defer db.Close()
	start := time.Now()
	created, err := demo.Load(ctx, db, *seed)
	if err != nil {
		fmt.Fprintln(stderr, "concord demo:", err)
		return exitFailure
	}
	if created {
		fmt.Fprintf(stdout, "Created the demo forums in %s (seed %d) in %.1fs.\n", *dsn, *seed, time.Since(start).Seconds())
	} else {
		fmt.Fprintf(stdout, "Using the demo data already in %s (run with --fresh to rebuild it).\n", *dsn)
	}
	if *only {
		return exitOK
	}
	return serveDB(ctx, db, cfg, stdout, stderr, func(url string) {
		fmt.Fprintf(stdout, "\nConcord demo is serving on %s\n", url)
		fmt.Fprintf(stdout, "Sign in as the secretariat: %s / %s\n", demo.SecretariatEmail, demo.Password)
		fmt.Fprintf(stdout, "Other accounts: advisor@example.org, delegate@example.org (same password). Emails land in %s/outbox.\n", url)
	})
}
