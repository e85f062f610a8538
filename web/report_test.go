package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/password"
)

func TestSessionReports(t *testing.T) {
	s, sec := demoSite(t)
	ctx := context.Background()
	md := demoMeeting(t, s)
	var pl concord.Placement
	var session *concord.Session
	for _, p := range md.Placements {
		if x := md.SessionByID(p.SessionID); len(x.People) > 0 {
			pl, session = p, x
			break
		}
	}
	if session == nil {
		t.Fatal("the demo meeting has no placed session with people")
	}
	now := pl.End.Add(-time.Hour)
	s.db.Now = func() time.Time { return now }
	path := fmt.Sprintf("/forums/igf/schedule/sessions/%d/report", session.ID)

	author, err := s.db.Person(ctx, md.Meeting.ForumID, session.People[0])
	if err != nil {
		t.Fatal(err)
	}
	signIn := func(email string) *http.Client {
		acc, err := s.db.CreateAccount(ctx, email, email, password.Hash("a long passphrase"))
		if err != nil {
			t.Fatal(err)
		}
		s.db.ConfirmAccount(ctx, acc.ID)
		c := browser()
		if res, _ := s.post(t, c, "/signin", url.Values{"email": {email}, "password": {"a long passphrase"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in %s: %d", email, res.StatusCode)
		}
		return c
	}
	me := signIn(author.Email)
	stranger := signIn("stranger@example.org")

	// Before the session ends there is nothing to file.
	if code, body := s.get(t, me, path); code != http.StatusOK || strings.Contains(body, "File the short report") {
		t.Errorf("report page before the end: %d, form shown: %v", code, strings.Contains(body, "File the short report"))
	}
	short := url.Values{"kind": {"short"}, "takeaway1": {"Spectrum <b>for</b> communities."}, "action1": {"Open the 6 GHz band."}}
	if res, _ := s.post(t, me, path, short); res.StatusCode != http.StatusConflict {
		t.Errorf("filing before the end: %d", res.StatusCode)
	}

	now = pl.End.Add(2 * time.Hour)
	if _, body := s.get(t, me, path); !strings.Contains(body, "File the short report") {
		t.Errorf("the session's own person sees no form")
	}
	if res, _ := s.post(t, stranger, path, short); res.StatusCode != http.StatusForbidden {
		t.Errorf("a stranger files a report: %d", res.StatusCode)
	}
	res, body := s.post(t, me, path, url.Values{"kind": {"short"}, "action1": {"Only an action."}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "give at least one key takeaway") ||
		!strings.Contains(body, "Only an action.") {
		t.Errorf("short report without takeaways: %d", res.StatusCode)
	}
	if res, _ := s.post(t, me, path, short); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("file the short report: %d", res.StatusCode)
	}
	code, body := s.get(t, s.web, path)
	if code != http.StatusOK || !strings.Contains(body, "Spectrum &lt;b&gt;for&lt;/b&gt; communities.") || !strings.Contains(body, "Open the 6 GHz band.") ||
		strings.Contains(body, "File the short report") {
		t.Errorf("public report page: %d\n%s", code, body)
	}

	long := url.Values{"kind": {"long"}, "discussion": {"Speakers agreed on spectrum."}, "participants_onsite": {"40"},
		"participants_online": {"x"}, "women": {"25"}}
	if res, body := s.post(t, me, path, long); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is not a whole number") {
		t.Errorf("long report with a bad count: %d", res.StatusCode)
	}
	long.Set("participants_online", "10")
	if res, _ := s.post(t, sec, path, long); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the secretariat files the long report: %d", res.StatusCode)
	}
	reps, err := s.db.SessionReports(ctx, session.ID)
	if err != nil || len(reps) != 2 || reps[1].Women != 25 || reps[1].ParticipantsOff != 10 || reps[0].SubmittedBy != author.ID {
		t.Fatalf("stored reports: %+v, %v", reps, err)
	}

	// The reports as a Markdown document and, for the whole meeting, as CSV.
	code, md2 := s.get(t, s.web, path+".md")
	if code != http.StatusOK || !strings.Contains(md2, "## Short report") || !strings.Contains(md2, "1. Spectrum <b>for</b> communities.") ||
		!strings.Contains(md2, "- Women among participants: 25") || !strings.Contains(md2, "## Long report\n\nFiled ") {
		t.Errorf("report.md: %d\n%s", code, md2)
	}
	code, body = s.get(t, s.web, "/forums/igf/schedule/reports.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	all, _ := s.db.MeetingSessionReports(ctx, md.Meeting.ID)
	if code != http.StatusOK || err != nil || len(rows) != len(all)+1 || rows[0][0] != "session_id" {
		t.Fatalf("reports.csv: %d, %d rows for %d reports, %v", code, len(rows), len(all), err)
	}
	found := 0
	for _, row := range rows[1:] {
		if row[0] == fmt.Sprint(session.ID) {
			found++
			if row[2] == "short" && (row[6] != "Spectrum <b>for</b> communities." || row[9] != "") {
				t.Errorf("short report row: %q", row)
			}
			if row[2] == "long" && (row[9] != "40" || row[11] != "25") {
				t.Errorf("long report row: %q", row)
			}
		}
	}
	if found != 2 {
		t.Errorf("%d rows for the session, want 2", found)
	}

	// The secretariat's overview counts every placed session's reports.
	code, body = s.get(t, sec, "/forums/igf/meeting/reports")
	if code != http.StatusOK || strings.Count(body, "filed on time") < 3 || !strings.Contains(body, "not yet due") {
		t.Errorf("reports overview: %d", code)
	}
	if code, _ := s.get(t, s.web, "/forums/igf/meeting/reports"); code == http.StatusOK {
		t.Errorf("the public sees the reports overview")
	}
	res, body = s.post(t, sec, "/forums/igf/meeting/reports/rules", url.Values{"short_hours": {"0"}, "long_days": {"14"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "must be between 1 and 720 hours") {
		t.Errorf("zero hours accepted: %d", res.StatusCode)
	}
	if res, _ := s.post(t, sec, "/forums/igf/meeting/reports/rules", url.Values{"short_hours": {"24"}, "long_days": {"21"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("save deadlines: %d", res.StatusCode)
	}
	if fr, _ := s.db.ForumRules(ctx, md.Meeting.ForumID); fr.Reports.ShortHours != 24 || fr.Reports.LongDays != 21 {
		t.Errorf("deadlines saved: %+v", fr.Reports)
	}
}
