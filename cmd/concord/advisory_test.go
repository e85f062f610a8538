package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/sqlstore"
)

// shellWords splits a command line on spaces, keeping "double-quoted" words whole.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, in := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, in = !quoted, true
		case r == ' ' && !quoted:
			if in {
				out = append(out, cur.String())
				cur.Reset()
			}
			in = false
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// TestAdvisoryDrawReplaysFromPublicFiles publishes an advisory-group
// selection, downloads its people.csv and categories.csv as anyone can, and
// runs the command line the public page shows: it must print the same panel.
func TestAdvisoryDrawReplaysFromPublicFiles(t *testing.T) {
	for _, method := range []string{sqlstore.MethodLeximin, sqlstore.MethodOptimal} {
		t.Run(method, func(t *testing.T) {
			db := sqlstore.OpenTest(t, sqlstore.SQLite)
			a := newTestApp(t, db)
			ctx := context.Background()
			now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
			db.Now = func() time.Time { return now }
			rules := concord.DefaultCompositionRules()
			rules.Size, rules.Reserved = 10, []concord.ReservedSeat{{Country: "KE", Seats: 1}}
			if err := db.SetAdvisoryRules(ctx, a.forum, rules); err != nil {
				t.Fatal(err)
			}
			call := &concord.NominationCall{ForumID: a.forum.ID, Year: 2026, Opens: now.Add(-time.Hour), Closes: now.Add(time.Hour)}
			if err := db.CreateNominationCall(ctx, call); err != nil {
				t.Fatal(err)
			}
			countries := []string{"KE", "IN", "PL", "BR", "NO", "KE"}
			var sitting int64
			for i := 0; i < 36; i++ {
				g := concord.Woman
				if i%2 == 1 {
					g = concord.Man
				}
				p := &concord.Person{Name: fmt.Sprintf("N%02d", i), Country: countries[(i/6)%6], Gender: g, StakeholderGroup: concord.DefaultGroups[i%5].Slug}
				if err := db.CreatePerson(ctx, a.forum, p); err != nil {
					t.Fatal(err)
				}
				if i == 7 { // a sitting member who continues
					sitting = p.ID
					db.AddTerm(ctx, &concord.Term{ForumID: a.forum.ID, PersonID: p.ID, FirstYear: 2025, LastYear: 2026, Role: concord.AdvisoryMember})
					continue
				}
				if err := db.Nominate(ctx, &concord.Nomination{CallID: call.ID, PersonID: p.ID, Statement: "Ready to serve."}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.CheckEligibility(ctx, a.forum, call.ID); err != nil {
				t.Fatal(err)
			}
			ns, _ := db.Nominations(ctx, call.ID)
			for i, n := range ns {
				n.Score = float64(i * 7 % 11)
				if err := db.ReviewNomination(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			sel, err := db.RunAdvisorySelection(ctx, a.forum, call.ID, method, 987654321, "test")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(sel.Result.Panel, fmt.Sprint(sitting)) {
				t.Errorf("the continuing member is not seated")
			}
			if _, err := db.PublishAdvisorySelection(ctx, a.forum, sel.ID, "test"); err != nil {
				t.Fatal(err)
			}

			dir := t.TempDir()
			for _, name := range []string{"people.csv", "categories.csv"} {
				res, err := http.Get(fmt.Sprintf("%s/forums/igf/advisory-group/selections/%d/%s", a.ts.URL, sel.ID, name))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d", name, res.StatusCode)
				}
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := http.Get(a.ts.URL + "/forums/igf/advisory-group")
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			cmd := sel.Inputs.Command(sel.Seed)
			if !strings.Contains(string(page), strings.ReplaceAll(cmd, `"`, "&#34;")) {
				t.Fatalf("the public page does not show the command %s", cmd)
			}
			args := shellWords(cmd)
			if args[0] != "concord" || args[1] != "panel" || args[2] != "select" {
				t.Fatalf("command %q", cmd)
			}
			for i, a := range args {
				if a == "people.csv" || a == "categories.csv" {
					args[i] = filepath.Join(dir, a)
				}
			}
			var stdout, stderr bytes.Buffer
			if code := runPanelSelect(ctx, args[3:], &stdout, &stderr); code != exitOK {
				t.Fatalf("panel select exited %d: %s", code, stderr.String())
			}
			var out struct {
				Panel          []string           `json:"panel"`
				Probabilities  map[string]float64 `json:"probabilities"`
				MinProbability float64            `json:"min_probability"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out.Panel, sel.Result.Panel) {
				t.Errorf("re-run panel %v, published %v", out.Panel, sel.Result.Panel)
			}
			for id, p := range sel.Result.Probabilities {
				if d := out.Probabilities[id] - p; d > 1e-6 || d < -1e-6 {
					t.Errorf("probability of %s: re-run %g, published %g", id, out.Probabilities[id], p)
				}
			}
		})
	}
}
