package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"concord"
	"concord/password"
	"concord/sqlstore"
)

func init() {
	commands["forum"] = command{"list or create forums", runForum}
	commands["people"] = command{"import or export a forum's people as CSV", runPeople}
	commands["account"] = command{"create accounts and give roles", runAccount}
}

// openDB opens the store named by --db for a shell command.
func openDB(ctx context.Context, dsn string, stderr io.Writer, name string) (*sqlstore.DB, bool) {
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(stderr, "concord %s: %v\n", name, err)
		return nil, false
	}
	return db, true
}

// fail prints err and returns the exit code for it: 2 for bad input, 1 otherwise.
func fail(stderr io.Writer, name string, err error) int {
	fmt.Fprintf(stderr, "concord %s: %s\n", name, concord.ErrorMessage(err))
	if concord.ErrorCode(err) == concord.EINTERNAL {
		fmt.Fprintf(stderr, "  (%v)\n", err)
		return exitFailure
	}
	return exitUsage
}

func subcommand(args []string, stderr io.Writer, name string, subs ...string) (string, []string, bool) {
	if len(args) == 0 || !contains(subs, args[0]) {
		fmt.Fprintf(stderr, "usage: concord %s %s [flags]\n", name, strings.Join(subs, "|"))
		return "", nil, false
	}
	return args[0], args[1:], true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func runForum(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub, args, ok := subcommand(args, stderr, "forum", "list", "create")
	if !ok {
		return exitUsage
	}
	fs := newFlagSet("forum "+sub, stderr)
	dsn := dbFlag(fs)
	slug := fs.String("slug", "", "forum slug (create)")
	name := fs.String("name", "", "forum name (create)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	db, ok := openDB(ctx, *dsn, stderr, "forum")
	if !ok {
		return exitFailure
	}
	defer db.Close()
	if sub == "create" {
		f := &concord.Forum{Slug: *slug, Name: *name}
		if err := db.CreateForum(ctx, f); err != nil {
			return fail(stderr, "forum create", err)
		}
		fmt.Fprintf(stdout, "created forum %s (%s) with groups %s\n", f.Slug, f.Name, groupSlugs(f))
		return exitOK
	}
	forums, err := db.Forums(ctx)
	if err != nil {
		return fail(stderr, "forum list", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tNAME\tGROUPS")
	for _, f := range forums {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Slug, f.Name, groupSlugs(f))
	}
	tw.Flush()
	return exitOK
}

func groupSlugs(f *concord.Forum) string {
	var s []string
	for _, g := range f.Groups {
		s = append(s, g.Slug)
	}
	return strings.Join(s, ",")
}

func runPeople(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub, args, ok := subcommand(args, stderr, "people", "import", "export")
	if !ok {
		return exitUsage
	}
	fs := newFlagSet("people "+sub, stderr)
	dsn := dbFlag(fs)
	forum := fs.String("forum", "", "forum slug")
	file := fs.String("file", "-", "CSV file to read (import) or write (export); - is standard input/output")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *forum == "" {
		fmt.Fprintln(stderr, "concord people: --forum is required")
		return exitUsage
	}
	db, ok := openDB(ctx, *dsn, stderr, "people")
	if !ok {
		return exitFailure
	}
	defer db.Close()
	f, err := db.Forum(ctx, *forum)
	if err != nil {
		return fail(stderr, "people", concord.FieldError("forum", "%s", concord.ErrorMessage(err)))
	}
	if sub == "export" {
		people, _, err := db.People(ctx, f.ID, sqlstore.PersonFilter{})
		if err != nil {
			return fail(stderr, "people export", err)
		}
		w := stdout
		if *file != "-" {
			out, err := os.Create(*file)
			if err != nil {
				return fail(stderr, "people export", concord.FieldError("file", "%v", err))
			}
			defer out.Close()
			w = out
		}
		if err := concord.WritePeopleCSV(w, people); err != nil {
			return fail(stderr, "people export", err)
		}
		return exitOK
	}
	var r io.Reader = os.Stdin
	if *file != "-" {
		in, err := os.Open(*file)
		if err != nil {
			return fail(stderr, "people import", concord.FieldError("file", "%v", err))
		}
		defer in.Close()
		r = in
	}
	rows, problems, err := concord.ParsePeopleCSV(r)
	if err != nil {
		return fail(stderr, "people import", err)
	}
	if len(problems) == 0 {
		if problems, err = db.ImportPeople(ctx, f, rows); err != nil {
			return fail(stderr, "people import", err)
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "concord people import: nothing imported; %d problems:\n", len(problems))
		for _, p := range problems {
			fmt.Fprintf(stderr, "  %s\n", p)
		}
		return exitUsage
	}
	fmt.Fprintf(stdout, "imported %d people into %s\n", len(rows), f.Slug)
	return exitOK
}

func runAccount(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub, args, ok := subcommand(args, stderr, "account", "create", "role")
	if !ok {
		return exitUsage
	}
	fs := newFlagSet("account "+sub, stderr)
	dsn := dbFlag(fs)
	email := fs.String("email", "", "account email")
	name := fs.String("name", "", "display name (create)")
	admin := fs.Bool("admin", false, "make the account an instance administrator (create)")
	forum := fs.String("forum", "", "forum slug (role)")
	role := fs.String("role", "", "public, delegate, advisor or secretariat (role)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	db, ok := openDB(ctx, *dsn, stderr, "account")
	if !ok {
		return exitFailure
	}
	defer db.Close()
	if sub == "create" {
		// The password comes from the environment, never from a flag that ps shows.
		pw := os.Getenv("CONCORD_PASSWORD")
		if err := concord.ValidateSignup(*name, *email, pw); err != nil {
			if strings.Contains(err.Error(), "password") {
				fmt.Fprintln(stderr, "concord account create: set the password in CONCORD_PASSWORD")
			}
			return fail(stderr, "account create", err)
		}
		a, err := db.CreateAccount(ctx, *name, *email, password.Hash(pw))
		if err == nil {
			err = db.ConfirmAccount(ctx, a.ID)
		}
		if err == nil && *admin {
			err = db.SetAdmin(ctx, a.ID, true)
		}
		if err != nil {
			return fail(stderr, "account create", err)
		}
		fmt.Fprintf(stdout, "created account %s (admin: %v)\n", a.Email, *admin)
		return exitOK
	}
	a, _, err := db.AccountByEmail(ctx, *email)
	if err != nil {
		return fail(stderr, "account role", concord.FieldError("email", "%s", concord.ErrorMessage(err)))
	}
	f, err := db.Forum(ctx, *forum)
	if err != nil {
		return fail(stderr, "account role", concord.FieldError("forum", "%s", concord.ErrorMessage(err)))
	}
	if err := db.SetRole(ctx, a.ID, f.ID, concord.Role(*role)); err != nil {
		return fail(stderr, "account role", err)
	}
	fmt.Fprintf(stdout, "%s is now %s in %s\n", a.Email, *role, f.Slug)
	return exitOK
}
