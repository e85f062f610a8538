package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"concord/internal/pgtest"
	"concord/internal/shareddata"
	"concord/sqlstore"
)

// polisCounts reads an export folder with encoding/csv alone: the comments,
// the distinct participants (voters and authors) and the distinct
// participant-statement pairs voted on, which is what an import stores.
func polisCounts(t *testing.T, dir string) (comments, participants, votes int) {
	t.Helper()
	read := func(name string) []map[string]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]string
		for _, rec := range recs[1:] {
			row := map[string]string{}
			for i, h := range recs[0] {
				row[h] = rec[i]
			}
			out = append(out, row)
		}
		return out
	}
	people, pairs := map[string]bool{}, map[[2]string]bool{}
	for _, c := range read("comments.csv") {
		people[c["author-id"]] = true
		comments++
	}
	for _, v := range read("votes.csv") {
		people[v["voter-id"]] = true
		pairs[[2]string{v["voter-id"], v["comment-id"]}] = true
	}
	return comments, len(people), len(pairs)
}

// engines runs fn on a fresh SQLite file and a fresh PostgreSQL database,
// by the DSN the command takes.
func engines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "c.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.DSN(t)) })
}

func TestConsultationImport(t *testing.T) {
	src := shareddata.Path(t, "polis", "opendata", "15-per-hour-seattle")
	comments, participants, votes := polisCounts(t, src)
	engines(t, func(t *testing.T, dsn string) {
		if code, _, errs := runCmd(t, "forum", "create", "--db", dsn, "--slug", "igf", "--name", "IGF"); code != exitOK {
			t.Fatalf("forum create: %s", errs)
		}
		code, out, errs := runCmd(t, "consultation", "import", "--db", dsn, "--forum", "igf", "--dir", src, "--title", "A minimum wage of $15")
		if code != exitOK {
			t.Fatalf("import: %d %s", code, errs)
		}
		for _, want := range []string{`"A minimum wage of $15"`, fmt.Sprintf("participants %d\n", participants),
			fmt.Sprintf("statements   %d\n", comments), fmt.Sprintf("votes        %d\n", votes)} {
			if !strings.Contains(out, want) {
				t.Errorf("summary lacks %q:\n%s", want, out)
			}
		}

		// Named files, flags after them: participants-votes.csv instead of
		// votes.csv, and the export's topic as the title.
		code, out, errs = runCmd(t, "consultation", "import", filepath.Join(src, "comments.csv"),
			filepath.Join(src, "participants-votes.csv"), filepath.Join(src, "summary.csv"), "--db", dsn, "--forum", "igf")
		if code != exitOK || !strings.Contains(out, `"$15/hour"`) || !strings.Contains(out, fmt.Sprintf("participants %d\n", participants)) {
			t.Fatalf("import by files: %d %s %s", code, out, errs)
		}

		// A malformed vote, and a vote on a comment the export lacks: exit
		// 2, each named by file and line, and nothing stored.
		bad := t.TempDir()
		for _, name := range []string{"comments.csv", "votes.csv", "summary.csv"} {
			data, err := os.ReadFile(filepath.Join(src, name))
			if err != nil {
				t.Fatal(err)
			}
			if name == "votes.csv" {
				lines := strings.Split(string(data), "\n")
				lines[4] = strings.TrimSuffix(lines[4], ",1") + ",yes"
				data = []byte(strings.Join(lines, "\n"))
			}
			os.WriteFile(filepath.Join(bad, name), data, 0o644)
		}
		code, _, errs = runCmd(t, "consultation", "import", "--db", dsn, "--forum", "igf", "--dir", bad)
		if code != exitUsage || !strings.Contains(errs, `votes.csv:5: vote "yes": want -1, 0 or 1`) || !strings.Contains(errs, "nothing imported") {
			t.Errorf("malformed vote: %d %s", code, errs)
		}
		orphan := filepath.Join(bad, "votes.csv")
		os.WriteFile(orphan, []byte("timestamp,datetime,comment-id,voter-id,vote\n1403054214196,x,0,0,1\n1403054214197,x,999,0,-1\n"), 0o644)
		code, _, errs = runCmd(t, "consultation", "import", "--db", dsn, "--forum", "igf", "--dir", bad)
		if code != exitUsage || !strings.Contains(errs, "votes.csv:3: comment-id 999 is not in comments.csv") {
			t.Errorf("vote on a missing comment: %d %s", code, errs)
		}
		stray := filepath.Join(bad, "notes.txt")
		os.WriteFile(stray, []byte("x"), 0o644)
		code, _, errs = runCmd(t, "consultation", "import", "--db", dsn, "--forum", "igf", filepath.Join(src, "comments.csv"), stray)
		if code != exitUsage || !strings.Contains(errs, "notes.txt: not a file of a Pol.is export") {
			t.Errorf("a stray file: %d %s", code, errs)
		}
		code, _, errs = runCmd(t, "consultation", "import", "--db", dsn, "--forum", "nope", "--dir", src)
		if code != exitUsage || !strings.Contains(errs, "forum:") {
			t.Errorf("unknown forum: %d %s", code, errs)
		}
		if code, _, _ := runCmd(t, "consultation", "import", "--db", dsn, "--dir", src); code != exitUsage {
			t.Errorf("no --forum: exit %d", code)
		}
		if code, _, _ := runCmd(t, "consultation", "import", "--db", dsn, "--forum", "igf", "--dir", src, filepath.Join(src, "votes.csv")); code != exitUsage {
			t.Errorf("both a folder and files: exit %d", code)
		}

		db, err := sqlstore.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		f, err := db.Forum(context.Background(), "igf")
		if err != nil {
			t.Fatal(err)
		}
		cs, err := db.Consultations(context.Background(), f.ID)
		if err != nil || len(cs) != 2 {
			t.Fatalf("%d consultations stored, want the 2 good imports: %v", len(cs), err)
		}
		// votes.csv and the participants-votes.csv matrix hold the same latest votes.
		for _, c := range cs {
			if c.Participants != participants || c.Votes != votes || c.Statements == 0 || c.Statements > comments {
				t.Errorf("stored %q: %d participants, %d votes, %d statements", c.Question, c.Participants, c.Votes, c.Statements)
			}
		}
	})
}
