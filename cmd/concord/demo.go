package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"concord"
	"concord/demo"
	"concord/password"
	"concord/sqlstore"
)

func init() {
	commands["demo"] = command{"create a realistic demo forum on SQLite and serve it", runDemo}
}

// Demo accounts; the password is public by design: it is a demo.
const (
	demoPassword    = "concord-demo"
	demoSecretariat = "secretariat@example.org"
)

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
	created, err := seedDemo(ctx, db, *seed)
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
		fmt.Fprintf(stdout, "Sign in as the secretariat: %s / %s\n", demoSecretariat, demoPassword)
		fmt.Fprintf(stdout, "Other accounts: advisor@example.org, delegate@example.org (same password). Emails land in %s/outbox.\n", url)
	})
}

// seedDemo fills an empty database; it does nothing when the demo forum exists.
func seedDemo(ctx context.Context, db *sqlstore.DB, seed uint64) (bool, error) {
	if _, err := db.Forum(ctx, "igf"); err == nil {
		return false, nil
	} else if concord.ErrorCode(err) != concord.ENOTFOUND {
		return false, err
	}
	forums := []*concord.Forum{}
	for _, c := range []demo.Community{demo.Global(seed), demo.National(seed)} {
		f := c.Forum
		if err := db.CreateForum(ctx, &f); err != nil {
			return false, err
		}
		forums = append(forums, &f)
		for _, cy := range c.Cycles {
			cy.ForumID = f.ID
			if err := db.CreateCycle(ctx, &cy); err != nil {
				return false, err
			}
		}
		if err := db.ImportOrganisations(ctx, f.ID, c.Organisations); err != nil {
			return false, err
		}
		rows := make([]concord.PersonRow, len(c.People))
		for i := range c.People {
			rows[i] = concord.PersonRow{Line: i + 1, Person: &c.People[i]}
		}
		problems, err := db.ImportPeople(ctx, &f, rows)
		if err != nil {
			return false, err
		}
		if len(problems) > 0 {
			return false, fmt.Errorf("demo data rejected: %s", problems[0])
		}
	}
	hash := password.Hash(demoPassword)
	for _, a := range []struct {
		email, name string
		role        concord.Role
	}{
		{demoSecretariat, "Forum Secretariat", concord.RoleSecretariat},
		{"advisor@example.org", "Advisory Group Member", concord.RoleAdvisor},
		{"delegate@example.org", "Delegate", concord.RoleDelegate},
	} {
		acc, err := db.CreateAccount(ctx, a.name, a.email, hash)
		if err != nil {
			return false, err
		}
		if err := db.ConfirmAccount(ctx, acc.ID); err != nil {
			return false, err
		}
		if err := db.SetRole(ctx, acc.ID, forums[0].ID, a.role); err != nil {
			return false, err
		}
		if a.role == concord.RoleSecretariat {
			if err := db.SetAdmin(ctx, acc.ID, true); err != nil {
				return false, err
			}
			if err := db.SetRole(ctx, acc.ID, forums[1].ID, a.role); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}
