package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"concord"
	"concord/export/polis"
	"concord/web"
)

func init() {
	commands["consultation"] = command{"import a Pol.is export as a forum's consultation", runConsultation}
}

// runConsultation imports a Pol.is export through the same parsing and the
// same store call as the web upload: all of it, or nothing.
func runConsultation(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, args, ok := subcommand(args, stderr, "consultation", "import")
	if !ok {
		return exitUsage
	}
	const name = "consultation import"
	fs := newFlagSet(name, stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: concord consultation import --forum SLUG (--dir DIR | FILE...) [--title TITLE] [--db DSN]\n\n"+
			"DIR is a Pol.is export folder; or name its files: comments.csv, votes.csv or participants-votes.csv, and summary.csv.")
		fs.PrintDefaults()
	}
	dsn := dbFlag(fs)
	forum := fs.String("forum", "", "forum slug")
	dir := fs.String("dir", "", "Pol.is export folder")
	title := fs.String("title", "", "the consultation's title (default: the export's topic)")
	// Flags may come before or after the files.
	var files []string
	for rest := args; ; {
		if code, ok := parseFlags(fs, rest); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	switch {
	case *forum == "":
		fmt.Fprintf(stderr, "concord %s: --forum is required\n", name)
		return exitUsage
	case (*dir == "") == (len(files) == 0):
		fmt.Fprintf(stderr, "concord %s: give the export folder with --dir, or its files, one or the other\n", name)
		return exitUsage
	}
	var exp *polis.Export
	var err error
	if *dir != "" {
		exp, err = polis.ReadDir(*dir)
	} else {
		var pf []web.PolisFile
		for _, f := range files {
			pf = append(pf, web.PolisFile{Name: filepath.Base(f), Open: func() (io.ReadCloser, error) { return os.Open(f) }})
		}
		exp, err = web.ReadPolisFiles(pf)
	}
	if err != nil {
		return importProblems(stderr, name, err, true)
	}
	db, ok := openDB(ctx, *dsn, stderr, name)
	if !ok {
		return exitFailure
	}
	defer db.Close()
	f, err := db.Forum(ctx, *forum)
	if err != nil {
		return fail(stderr, name, concord.FieldError("forum", "%s", concord.ErrorMessage(err)))
	}
	in, err := web.ImportedFromPolis(exp, f.ID, db.Now())
	if err != nil {
		return importProblems(stderr, name, err, false)
	}
	if t := strings.TrimSpace(*title); t != "" {
		in.Consultation.Question = t
	}
	var finish func()
	in.Progress, finish = importProgress(stderr, len(in.Votes))
	err = db.ImportConsultation(ctx, in)
	finish()
	if err != nil {
		return importProblems(stderr, name, err, false)
	}
	// Votes as stored: an export may hold several votes of one participant
	// on one statement, of which the latest counts.
	c, err := db.Consultation(ctx, f.ID, in.Consultation.ID)
	if err != nil {
		return fail(stderr, name, err)
	}
	fmt.Fprintf(stdout, "imported consultation %d into %s: %q\n", c.ID, f.Slug, c.Question)
	fmt.Fprintf(stdout, "  participants %d\n  statements   %d\n  votes        %d\n", c.Participants, len(in.Statements), c.Votes)
	return exitOK
}

// importProblems prints each problem of a refused import on its own line,
// naming its file and line or its field. Everything found wrong with the
// export is bad input (exit 2); the store failing is not (exit 1).
func importProblems(stderr io.Writer, name string, err error, parsing bool) int {
	var problems []string
	switch {
	case parsing:
		for _, e := range flatten(err) {
			problems = append(problems, e.Error())
		}
	case concord.ErrorCode(err) == concord.EINVALID:
		for _, p := range concord.Problems(err) {
			problems = append(problems, p.Error())
		}
	default:
		fmt.Fprintf(stderr, "concord %s: nothing imported: %v\n", name, err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "concord %s: nothing imported:\n", name)
	for _, p := range problems {
		fmt.Fprintf(stderr, "  %s\n", p)
	}
	return exitUsage
}

// flatten lists the errors joined in err.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// importProgress draws the votes stored on a bar when stderr is a terminal
// and the import is large enough to wait for; finish clears it.
func importProgress(stderr io.Writer, votes int) (progress func(done, total int), finish func()) {
	f, ok := stderr.(*os.File)
	if !ok || votes < 10000 {
		return nil, func() {}
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(votes, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("storing votes"),
		progressbar.OptionClearOnFinish())
	progress = func(done, total int) {
		if bar.GetMax() != total {
			bar.ChangeMax(total)
		}
		bar.Set(done)
	}
	return progress, func() { bar.Finish() }
}
