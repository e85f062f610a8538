package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/export/polis"
	"concord/internal/shareddata"
	"concord/password"
	"concord/sqlstore"
)

var statementInput = regexp.MustCompile(`name="statement" value="(\d+)"`)

// consultationSite serves forum igf with an open consultation of n seed statements.
func consultationSite(t *testing.T, n int) (*site, *concord.Forum, *concord.Consultation) {
	t.Helper()
	return consultationSiteOn(t, sqlstore.OpenTest(t, sqlstore.SQLite), n)
}

func consultationSiteOn(t *testing.T, db *sqlstore.DB, n int) (*site, *concord.Forum, *concord.Consultation) {
	t.Helper()
	ctx := context.Background()
	f := &concord.Forum{Slug: "igf", Name: "IGF"}
	if err := db.CreateForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	now := db.Now()
	c := &concord.Consultation{ForumID: f.ID, Question: "What should the forum do about AI?", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	var seeds []string
	for i := range n {
		seeds = append(seeds, fmt.Sprintf("Statement number %d.", i))
	}
	if err := db.CreateConsultation(ctx, c, seeds); err != nil {
		t.Fatal(err)
	}
	return newSite(t, db), f, c
}

// secretariat signs a new browser in as the forum's secretariat.
func secretariat(t *testing.T, s *site, f *concord.Forum) *http.Client {
	t.Helper()
	ctx := context.Background()
	a, err := s.db.CreateAccount(ctx, "Sec", "sec@example.org", password.Hash("secretariat-pass"))
	if err != nil {
		t.Fatal(err)
	}
	s.db.ConfirmAccount(ctx, a.ID)
	s.db.SetRole(ctx, a.ID, f.ID, concord.RoleSecretariat)
	c := browser()
	if res, _ := s.post(t, c, "/signin", url.Values{"email": {"sec@example.org"}, "password": {"secretariat-pass"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	return c
}

func shownStatement(t *testing.T, body string) string {
	t.Helper()
	m := statementInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no statement to vote on in the page:\n%s", body)
	}
	return m[1]
}

func TestConsultationVoteWithoutJavaScript(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) { testVoteWithoutJavaScript(t, db) })
}

func testVoteWithoutJavaScript(t *testing.T, db *sqlstore.DB) {
	s, _, c := consultationSiteOn(t, db, 4)
	page := fmt.Sprintf("/forums/igf/consultations/%d", c.ID)
	seen := map[string]bool{}
	for i := range 4 {
		code, body := s.get(t, s.web, page)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", page, code)
		}
		n := shownStatement(t, body)
		if seen[n] {
			t.Fatalf("vote %d: statement %s shown again after a vote on it", i, n)
		}
		seen[n] = true
		res, _ := s.post(t, s.web, page+"/votes", url.Values{"statement": {n}, "vote": {"agree"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), page) {
			t.Fatalf("POST vote: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
	}
	if _, body := s.get(t, s.web, page); !strings.Contains(body, "You have voted on every statement") {
		t.Errorf("after voting on all four the page still offers a statement")
	}
	votes, _ := s.db.ConsultationVotes(context.Background(), c.ID, true)
	if len(votes) != 4 {
		t.Errorf("%d votes stored, want 4", len(votes))
	}

	// Refusals: a value that is not a vote, an unknown statement.
	for _, form := range []url.Values{{"statement": {"0"}, "vote": {"maybe"}}, {"statement": {"77"}, "vote": {"agree"}}} {
		res, body := s.post(t, s.web, page+"/votes", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !(strings.Contains(body, "is not a vote") || strings.Contains(body, "is not in this consultation")) {
			t.Errorf("vote %v: %d", form, res.StatusCode)
		}
	}

	// A statement and a declared group.
	if res, _ := s.post(t, s.web, page+"/statements", url.Values{"body": {"  A new idea.  "}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("add statement: %d", res.StatusCode)
	}
	if res, body := s.post(t, s.web, page+"/statements", url.Values{"body": {strings.Repeat("x", 281)}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "keep it to 280") {
		t.Errorf("long statement: %d", res.StatusCode)
	}
	if res, _ := s.post(t, s.web, page+"/group", url.Values{"stakeholder_group": {"technical"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("declare group: %d", res.StatusCode)
	}
	if _, body := s.get(t, s.web, page); shownStatement(t, body) != "4" || !strings.Contains(body, `value="technical" selected`) {
		t.Errorf("the new statement is not offered next, or the group is not shown")
	}

	// Closed: refused, nothing changes.
	c.ClosesAt = s.db.Now().Add(-time.Minute)
	c.OpensAt = c.ClosesAt.Add(-time.Hour)
	if err := s.db.UpdateConsultation(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	res, body := s.post(t, s.web, page+"/votes", url.Values{"statement": {"0"}, "vote": {"disagree"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "closed") {
		t.Errorf("vote on a closed consultation: %d", res.StatusCode)
	}
	if votes, _ := s.db.ConsultationVotes(context.Background(), c.ID, true); len(votes) != 4 || votes[0].Value != concord.Agree {
		t.Errorf("a refused vote changed the votes: %+v", votes)
	}
	if _, body := s.get(t, s.web, page); !strings.Contains(body, "This consultation is closed") {
		t.Errorf("closed consultation page offers voting")
	}
}

// syntheticConsultation stores a consultation in which two opinion camps
// cut across two stakeholder groups, with one statement all agree on.
func syntheticConsultation(t *testing.T, db *sqlstore.DB, f *concord.Forum) *concord.Consultation {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	now := db.Now()
	in := &sqlstore.ImportedConsultation{Consultation: &concord.Consultation{ForumID: f.ID, Question: "Synthetic",
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}}
	const people, statements = 80, 16
	for s := range statements {
		in.Statements = append(in.Statements, &concord.Statement{Number: s, Body: fmt.Sprintf("Claim %d.", s), Author: -1, Seed: true, Moderation: concord.Accepted})
	}
	for p := range people {
		group := []string{"government", "civil-society"}[p%2]
		in.Participants = append(in.Participants, &concord.Participant{Number: p, External: fmt.Sprint("x", p), StakeholderGroup: group})
		camp := p % 4 / 2 // independent of the stakeholder group
		for s := range statements {
			agree := 0.9
			switch {
			case s == 0: // consensus
			case s%2 == camp:
				agree = 0.1
			}
			v := concord.Disagree
			if rng.Float64() < agree {
				v = concord.Agree
			}
			in.Votes = append(in.Votes, concord.Vote{Participant: p, Statement: s, Value: v})
		}
	}
	if err := db.ImportConsultation(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return in.Consultation
}

func TestConsultationReportAndCSV(t *testing.T) {
	s, f, _ := consultationSite(t, 1)
	c := syntheticConsultation(t, s.db, f)
	base := fmt.Sprintf("/forums/igf/consultations/%d", c.ID)
	code, body := s.get(t, s.web, base+"/report")
	if code != http.StatusOK {
		t.Fatalf("report: %d\n%s", code, body)
	}
	for _, want := range []string{`role="img"`, "Group A (", "Group B (", "<polyline", "Consensus across opinion groups", "Claim 0.",
		"Agreement by stakeholder group", "Government", "Civil Society", "Opinion groups by stakeholder group"} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The stored state feeds the next run.
	if st, v, err := s.db.AnalysisState(context.Background(), c.ID); err != nil || st == nil || v != c.Version {
		t.Errorf("analysis state = %d bytes at version %d (want %d), %v", len(st), v, c.Version, err)
	}
	code, csvBody := s.get(t, s.web, base+"/statements.csv")
	if code != http.StatusOK {
		t.Fatalf("CSV: %d", code)
	}
	lines := strings.Split(strings.TrimSpace(csvBody), "\n")
	if len(lines) != 17 || !strings.Contains(lines[0], "group-a-agree") || !strings.Contains(lines[0], "government-agree-share") ||
		!strings.HasPrefix(lines[1], "0,Claim 0.,accepted,true,false,") {
		t.Errorf("CSV:\n%s", strings.Join(lines[:min(3, len(lines))], "\n"))
	}
	// The vote page draws from the analysis.
	if _, body := s.get(t, s.web, base); !statementInput.MatchString(body) {
		t.Errorf("vote page offers no statement")
	}
}

// upload posts files as one multipart form.
func upload(t *testing.T, s *site, c *http.Client, path string, files map[string][]byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, _ := mw.CreateFormFile("files", n)
		w.Write(files[n])
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", s.ts.URL)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestPolisImportExportRoundTrip(t *testing.T) {
	dir := shareddata.Path(t, "polis", "opendata", "15-per-hour-seattle")
	s, f, _ := consultationSite(t, 1)
	sec := secretariat(t, s, f)
	files := map[string][]byte{}
	for _, n := range []string{polis.CommentsFile, polis.VotesFile, polis.ParticipantsVotesFile, polis.SummaryFile} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	ctx := context.Background()

	// A malformed line: reported with file and line, nothing imported.
	bad := map[string][]byte{}
	for n, b := range files {
		bad[n] = b
	}
	lines := strings.Split(string(files[polis.VotesFile]), "\n")
	lines[5] = "1403057082753,Wed,0,1,maybe"
	bad[polis.VotesFile] = []byte(strings.Join(lines, "\n"))
	res, body := upload(t, s, sec, "/forums/igf/consultations/import", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "votes.csv:6") {
		t.Fatalf("malformed votes.csv: %d\n%s", res.StatusCode, body)
	}
	if cs, _ := s.db.Consultations(ctx, f.ID); len(cs) != 1 {
		t.Fatalf("a refused import left %d consultations", len(cs))
	}

	res, body = upload(t, s, sec, "/forums/igf/consultations/import", files)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", res.StatusCode, body)
	}
	cs, _ := s.db.Consultations(ctx, f.ID)
	i := slices.IndexFunc(cs, func(c *concord.Consultation) bool { return c.Question == "$15/hour" })
	if len(cs) != 2 || i < 0 {
		t.Fatalf("consultations after import: %d", len(cs))
	}
	imported := cs[i]
	if code, body := s.get(t, s.web, res.Header.Get("Location")); code != http.StatusOK || !strings.Contains(body, "Group A") {
		t.Errorf("report of the import: %d", code)
	}

	// Export, and compare with the original: the latest vote of each pair, the comments.
	code, zipBody := s.get(t, s.web, fmt.Sprintf("/forums/igf/consultations/%d/polis.zip", imported.ID))
	if code != http.StatusOK {
		t.Fatalf("export: %d", code)
	}
	zr, err := zip.NewReader(strings.NewReader(zipBody), int64(len(zipBody)))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		os.WriteFile(filepath.Join(out, filepath.Base(zf.Name)), b, 0o644)
	}
	got, err := polis.ReadDir(out)
	if err != nil {
		t.Fatalf("the export does not read back: %v", err)
	}
	want, err := polis.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	latest := func(e *polis.Export) map[[2]int]int8 {
		m := map[[2]int]int8{}
		for _, v := range e.OpinionInput().Votes {
			m[[2]int{v.Participant, v.Statement}] = v.Value
		}
		return m
	}
	if g, w := latest(got), latest(want); len(g) != len(w) {
		t.Errorf("%d votes exported, want %d", len(g), len(w))
	} else {
		for k, v := range w {
			if g[k] != v {
				t.Errorf("participant %d, statement %d: exported %d, want %d", k[0], k[1], g[k], v)
				break
			}
		}
	}
	if len(got.Comments) != len(want.Comments) {
		t.Errorf("%d comments exported, want %d", len(got.Comments), len(want.Comments))
	}
	body0 := map[int]string{}
	for _, c := range want.Comments {
		body0[c.CommentID] = strings.TrimSpace(c.Body)
	}
	for _, c := range got.Comments {
		if body0[c.CommentID] != c.Body {
			t.Errorf("comment %d: %q, want %q", c.CommentID, c.Body, body0[c.CommentID])
			break
		}
	}
	groups := 0
	for _, r := range got.ParticipantsVotes.Rows {
		groups = max(groups, r.GroupID+1)
	}
	if groups < 2 || got.Summary.Topic != "$15/hour" {
		t.Errorf("participants-votes.csv has %d groups; summary topic %q", groups, got.Summary.Topic)
	}
}

// TestDemoConsultation checks the demo's structure: opinion groups that cut
// across stakeholder groups, consensus, and claims that split stakeholder groups.
func TestDemoConsultation(t *testing.T) {
	s, _ := demoSite(t)
	ctx := context.Background()
	f, _ := s.db.Forum(ctx, "igf")
	cs, err := s.db.Consultations(ctx, f.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("demo consultations: %d, %v", len(cs), err)
	}
	c := cs[0]
	if c.Participants < 1500 || c.Statements < 150 || c.Status(s.db.Now()) != concord.ConsultationOpen {
		t.Errorf("demo consultation: %d participants, %d statements, %s", c.Participants, c.Statements, c.Status(s.db.Now()))
	}
	start := time.Now()
	code, body := s.get(t, s.web, fmt.Sprintf("/forums/igf/consultations/%d/report", c.ID))
	t.Logf("report with a fresh analysis: %v, %d bytes", time.Since(start), len(body))
	if code != http.StatusOK {
		t.Fatalf("report: %d", code)
	}
	for _, want := range []string{"Group C (", "governments should take the lead", "Consensus across stakeholder groups"} {
		if !strings.Contains(body, want) {
			t.Errorf("demo report lacks %q", want)
		}
	}
	if i := strings.Index(body, "Statements that divide stakeholder groups"); i < 0 || !strings.Contains(body[i:i+3000], "governments should take the lead") {
		t.Errorf("the claim that splits stakeholder groups is not listed as dividing them")
	}
}

func TestConsultationEditAndCloseEarly(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Date(2026, 6, 1, 12, 0, 30, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s, f, c := consultationSiteOn(t, db, 3)
		sec := secretariat(t, s, f)
		page := fmt.Sprintf("/forums/igf/consultations/%d", c.ID)
		form := func(question, closes string) url.Values {
			return url.Values{"question": {question}, "description": {"Background <i>text</i>."}, "closes_at": {closes}}
		}
		stored := func() *concord.Consultation {
			t.Helper()
			got, err := db.ConsultationBasics(ctx, f.ID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}

		// Only the secretariat edits or closes.
		if code, _ := s.get(t, s.web, page+"/edit"); code == http.StatusOK {
			t.Errorf("the public sees the edit form")
		}
		s.post(t, s.web, page+"/close", url.Values{})
		s.post(t, s.web, page+"/edit", form("Hijacked", "2026-06-01T13:00"))
		if got := stored(); got.Question != c.Question || !got.ClosesAt.Equal(c.ClosesAt) {
			t.Fatalf("a visitor changed the consultation: %+v", got)
		}
		if _, body := s.get(t, sec, page); !strings.Contains(body, `href="`+page+`/edit"`) {
			t.Errorf("the secretariat's consultation page has no edit link")
		}
		code, body := s.get(t, sec, page+"/edit")
		if code != http.StatusOK || !strings.Contains(body, `value="What should the forum do about AI?"`) ||
			!strings.Contains(body, `value="2026-06-01T13:00"`) || !strings.Contains(body, "Close the consultation now") {
			t.Fatalf("edit form: %d\n%s", code, body)
		}

		// Bad values are refused with the form kept; nothing is saved.
		res, body := s.post(t, sec, page+"/edit", form(" ", "tomorrow"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is required") ||
			!strings.Contains(body, "is not a date and time") {
			t.Errorf("bad edit: %d\n%s", res.StatusCode, body)
		}
		res, body = s.post(t, sec, page+"/edit", form("Revised", "2026-06-01T11:00"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is in the past") || !strings.Contains(body, `value="Revised"`) {
			t.Errorf("closing time in the past: %d", res.StatusCode)
		}
		if got := stored(); got.Question != c.Question {
			t.Errorf("a refused edit was saved: %+v", got)
		}

		// A good edit: title, description and a later close.
		if res, _ := s.post(t, sec, page+"/edit", form("Revised: AI and the forum", "2026-06-03T09:30")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.StatusCode)
		}
		got := stored()
		if got.Question != "Revised: AI and the forum" || got.Description != "Background <i>text</i>." ||
			!got.ClosesAt.Equal(time.Date(2026, 6, 3, 9, 30, 0, 0, time.UTC)) || !got.OpensAt.Equal(c.OpensAt) {
			t.Errorf("after the edit: %+v", got)
		}
		if _, body := s.get(t, s.web, page); !strings.Contains(body, "Revised: AI and the forum") || !strings.Contains(body, "Background &lt;i&gt;text&lt;/i&gt;.") {
			t.Errorf("the public page does not show the edit")
		}
		if res, _ := s.post(t, s.web, page+"/votes", url.Values{"statement": {"0"}, "vote": {"agree"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("vote while open: %d", res.StatusCode)
		}

		// Closing early: votes and statements are refused with a clear
		// message, the vote cast before is kept.
		res, _ = s.post(t, sec, page+"/close", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("close now: %d", res.StatusCode)
		}
		if got := stored(); !got.ClosesAt.Equal(now) {
			t.Errorf("closed at %v, want now, %v", got.ClosesAt, now)
		}
		if _, body := s.get(t, sec, page); !strings.Contains(body, "Consultation closed: it takes no more votes or statements.") ||
			!strings.Contains(body, "This consultation is closed") {
			t.Errorf("after closing, the page says neither")
		}
		res, body = s.post(t, s.web, page+"/votes", url.Values{"statement": {"1"}, "vote": {"agree"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "This consultation closed at 2026-06-01 12:00 UTC; it takes no more votes or statements.") {
			t.Errorf("vote after closing early: %d\n%s", res.StatusCode, body)
		}
		if res, _ := s.post(t, s.web, page+"/statements", url.Values{"body": {"Too late."}}); res.StatusCode != http.StatusConflict {
			t.Errorf("statement after closing early: %d", res.StatusCode)
		}
		if votes, _ := db.ConsultationVotes(ctx, c.ID, false); len(votes) != 1 {
			t.Errorf("%d votes stored, want the one cast while open", len(votes))
		}
		res, body = s.post(t, sec, page+"/close", url.Values{})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "already closed") {
			t.Errorf("closing twice: %d", res.StatusCode)
		}
		if _, body := s.get(t, sec, page+"/edit"); strings.Contains(body, "Close the consultation now") {
			t.Errorf("a closed consultation offers to close it")
		}

		// A later closing time reopens it.
		if res, _ := s.post(t, sec, page+"/edit", form("Revised: AI and the forum", "2026-06-02T12:00")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reopen: %d", res.StatusCode)
		}
		if res, _ := s.post(t, s.web, page+"/votes", url.Values{"statement": {"1"}, "vote": {"agree"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("vote after reopening: %d", res.StatusCode)
		}
	})
}
