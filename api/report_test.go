package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"concord"
	"concord/sqlstore"
)

// meetingOf adds to the programme fixture a cycle of year whose call
// accepted the given titles (proposed by the "del" account's person, with
// the fixture's confirmed speakers and Dina as rapporteur) and whose
// published meeting placed them on 23 June, from 10:00 UTC. It returns the
// sessions in the order of titles.
func (fx *programmeFixture) meetingOf(t *testing.T, db *sqlstore.DB, year int, titles ...string) []*concord.Session {
	t.Helper()
	ctx := context.Background()
	day := time.Date(year, 6, 23, 0, 0, 0, 0, time.UTC)
	cy := &concord.Cycle{ForumID: fx.igf.ID, Year: year, Timezone: "UTC", Subthemes: []string{"Access"}, PolicyQuestions: []string{"Q1", "Q2"},
		StartDate: day, EndDate: day}
	if err := db.CreateCycle(ctx, cy); err != nil {
		t.Fatal(err)
	}
	back := fx.at
	defer func() { fx.at = back }()
	fx.at = time.Date(year, 3, 1, 0, 0, 0, 0, time.UTC)
	call := &concord.ProposalCall{ForumID: fx.igf.ID, Year: year, Opens: fx.at.Add(-time.Hour), Closes: fx.at.Add(time.Hour),
		Rules: concord.DefaultScreeningRules()}
	if err := db.CreateProposalCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	acc := accountID(t, db, "del@accounts.example")
	var ps []*concord.Proposal
	for _, title := range titles {
		p := fx.imported(title)
		p.CallID, p.AccountID, p.ProposerID = call.ID, acc, fx.proposer.ID
		ps = append(ps, p)
	}
	if err := db.ImportProposals(ctx, call, ps); err != nil {
		t.Fatal(err)
	}
	fx.at = time.Date(year, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range ps {
		if err := db.DecideProposal(ctx, fx.igf, p.ID, concord.DecisionAccept, 0, "", "sec"); err != nil {
			t.Fatal(err)
		}
	}
	m := &concord.Meeting{ForumID: fx.igf.ID, CycleID: cy.ID, Timezone: "UTC"}
	if err := db.SaveMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRoom(ctx, &concord.MeetingRoom{MeetingID: m.ID, Name: "Hall", Capacity: 500}); err != nil {
		t.Fatal(err)
	}
	slots, err := concord.ParseTimeGrid("10:00-11:00\n11:30-12:30", m)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTimeGrid(ctx, m.ID, slots); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SessionsFromProposals(ctx, m); err != nil || n != len(titles) {
		t.Fatalf("sessions from proposals: %d, %v", n, err)
	}
	md, err := db.LoadMeeting(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SolveMeeting(ctx, md, 1, 1000); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishDraft(ctx, md, "sec"); err != nil {
		t.Fatal(err)
	}
	var out []*concord.Session
	for _, title := range titles {
		for _, s := range md.Sessions {
			if s.Title == title {
				out = append(out, s)
			}
		}
	}
	if len(out) != len(titles) {
		t.Fatalf("sessions %+v, want %q", md.Sessions, titles)
	}
	return out
}

type reportOut struct {
	Kind, Status string
	SubmittedBy  string     `json:"submitted_by"`
	DueAt        *time.Time `json:"due_at"`
	Filed, Late  bool
	Takeaways    []string
	Women        *int
}

type reportsOut struct {
	Ended       bool
	CanFile     bool `json:"can_file"`
	Short, Long reportOut
}

func TestSessionReportsAPI(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		fx := newProgrammeFixture(t, db)
		old := fx.meetingOf(t, db, 2024, "Spectrum in 2024")[0]
		cur := fx.meetingOf(t, db, 2025, "Community networks", "Digital public goods")
		s, other := cur[0], cur[1]
		rs, err := db.ReportSession(ctx, fx.igf.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		ends := rs.Ends
		reports := fmt.Sprintf("/api/forums/igf/sessions/%d/reports", s.ID)
		short, long := reports+"/short", reports+"/long"
		const shortBody = `{"takeaways": ["Spectrum for community networks.", " "], "calls_to_action": ["Open the 6 GHz band."]}`
		const longBody = `{"discussion": "Speakers agreed on spectrum.", "participants_onsite": 40, "participants_online": 10, "women": 25,
			"gender_discussion": "Half the speakers were women."}`
		var got reportsOut
		decodeTo := func(t *testing.T, _ *http.Response, body []byte) { got = reportsOut{}; decode(t, body, &got) }

		// During the session: readable by anyone, nothing to file yet.
		fx.at = ends.Add(-30 * time.Minute)
		fx.run(t, []scenario{
			{name: "reports before the end", method: "GET", url: reports, wantStatus: 200,
				wantBody: []string{`"title": "Community networks"`, `"year": 2025`, `"ended": false`, `"can_file": false`, `"status": "pending"`,
					fmt.Sprintf(`"due_at": "%s"`, ends.Add(12*time.Hour).Format(time.RFC3339)),
					fmt.Sprintf(`"due_at": "%s"`, ends.AddDate(0, 0, 14).Format(time.RFC3339))}},
			{name: "a session of another forum", method: "GET", url: fmt.Sprintf("/api/forums/youth/sessions/%d/reports", s.ID), wantStatus: 404},
			{name: "no such session", method: "GET", url: "/api/forums/igf/sessions/999999/reports", wantStatus: 404},
			{name: "file anonymously", method: "PUT", url: short, body: shortBody, wantStatus: 401},
			{name: "file before the end", method: "PUT", url: short, token: "del", body: shortBody, wantStatus: 409,
				wantBody: []string{"has not ended yet"}},
		})

		// After the session: its proposer and the secretariat file, others not.
		fx.at = ends.Add(time.Hour)
		fx.run(t, []scenario{
			{name: "the proposer may file", method: "GET", url: reports, token: "del", wantStatus: 200, wantBody: []string{`"ended": true`, `"can_file": true`}},
			{name: "a stranger may not", method: "GET", url: reports, token: "plain", wantStatus: 200, wantBody: []string{`"can_file": false`}},
			{name: "a stranger files", method: "PUT", url: short, token: "plain", body: shortBody, wantStatus: 403},
			{name: "an advisor files", method: "PUT", url: short, token: "advisor", body: shortBody, wantStatus: 403},
			{name: "another forum's secretariat files", method: "PUT", url: short, token: "youth-sec", body: shortBody, wantStatus: 403},
			{name: "no such kind", method: "PUT", url: reports + "/medium", token: "del", body: shortBody, wantStatus: 404},
			{name: "no takeaway", method: "PUT", url: short, token: "del", body: `{"calls_to_action": ["Act."]}`, wantStatus: 422,
				wantBody: []string{`"field": "takeaways"`, "give at least one key takeaway"}},
			{name: "four takeaways", method: "PUT", url: short, token: "del", body: `{"takeaways": ["a", "b", "c", "d"]}`, wantStatus: 422,
				wantBody: []string{`"field": "takeaways"`, "at most 3, got 4"}},
			{name: "a long report's member on a short one", method: "PUT", url: short, token: "del",
				body: `{"takeaways": ["a"], "discussion": "x"}`, wantStatus: 422, wantBody: []string{`"field": "discussion"`, "is not a known field"}},
			{name: "form-encoded", method: "PUT", url: short, token: "del", contentType: "application/x-www-form-urlencoded",
				body: "takeaway1=x", wantStatus: 415},
		})
		if reps, _ := db.SessionReports(ctx, s.ID); len(reps) != 0 {
			t.Fatalf("refused filings stored %+v", reps)
		}
		fx.run(t, []scenario{
			{name: "file the short report", method: "PUT", url: short, token: "del", body: shortBody, wantStatus: 200,
				wantBody: []string{`"submitted_by": "Delia Mwangi"`, "Open the 6 GHz band."}, check: decodeTo},
		})
		if got.Short.Status != "filed" || !got.Short.Filed || got.Short.Late || len(got.Short.Takeaways) != 1 || got.Long.Filed || got.Long.Women != nil {
			t.Errorf("after the short report: %+v", got)
		}

		// The long report, three weeks on: late, and kept.
		fx.at = ends.AddDate(0, 0, 21)
		fx.run(t, []scenario{
			{name: "long report without counts", method: "PUT", url: long, token: "sec", body: `{"discussion": "x"}`, wantStatus: 422,
				wantBody: []string{`"field": "participants_onsite"`, `"field": "participants_online"`, `"field": "women"`, "is required"}},
			{name: "more women than participants", method: "PUT", url: long, token: "sec", wantStatus: 422,
				body:     `{"discussion": "x", "participants_onsite": 4, "participants_online": 1, "women": 9}`,
				wantBody: []string{`"field": "women"`, "9 is more than the 5 participants"}},
			{name: "a count that is not a number", method: "PUT", url: long, token: "sec", wantStatus: 422,
				body: `{"discussion": "x", "participants_onsite": "many", "participants_online": 1, "women": 0}`, wantBody: []string{`"field": "participants_onsite"`}},
			{name: "the secretariat files the long report", method: "PUT", url: long, token: "sec", body: longBody, wantStatus: 200,
				wantBody: []string{`"status": "late"`, `"late": true`, `"women": 25`, `"participants_online": 10`}, check: decodeTo},
			{name: "read by anyone", method: "GET", url: reports, wantStatus: 200,
				wantBody: []string{"Speakers agreed on spectrum.", "Spectrum for community networks.", `"status": "filed"`, `"status": "late"`}},
		})
		reps, err := db.SessionReports(ctx, s.ID)
		if err != nil || len(reps) != 2 || reps[1].Women != 25 || reps[0].SubmittedBy != fx.proposer.ID || reps[1].SubmittedBy != 0 {
			t.Fatalf("stored reports: %+v, %v", reps, err)
		}

		// The secretariat's overview: both placed sessions of 2025, and the
		// 2024 session's short report owed by its proposer.
		var overview struct {
			Year     int
			Counts   map[string]map[string]int
			Sessions []struct {
				SessionID   int64 `json:"session_id"`
				Short, Long struct{ Status string }
			}
			Owed []struct {
				SessionID int64 `json:"session_id"`
				Kind      string
				People    []struct {
					ID   int64
					Name string
				}
			}
		}
		fx.run(t, []scenario{
			{name: "overview is the secretariat's", method: "GET", url: "/api/forums/igf/reports", token: "del", wantStatus: 403},
			{name: "overview", method: "GET", url: "/api/forums/igf/reports", token: "sec", wantStatus: 200,
				wantBody: []string{`"short_hours": 12`},
				check:    func(t *testing.T, _ *http.Response, body []byte) { decode(t, body, &overview) }},
			{name: "no meeting in another forum", method: "GET", url: "/api/forums/youth/reports", token: "youth-sec", wantStatus: 404},
		})
		if overview.Year != 2025 || len(overview.Sessions) != 2 {
			t.Fatalf("overview %+v", overview)
		}
		for _, row := range overview.Sessions {
			want := [2]string{"overdue", "overdue"}
			if row.SessionID == s.ID {
				want = [2]string{"filed", "late"}
			} else if row.SessionID != other.ID {
				t.Errorf("overview lists session %d", row.SessionID)
			}
			if got := [2]string{row.Short.Status, row.Long.Status}; got != want {
				t.Errorf("session %d: %v, want %v", row.SessionID, got, want)
			}
		}
		if c := overview.Counts["short"]; c["filed"] != 1 || c["overdue"] != 1 || c["late"] != 0 {
			t.Errorf("short counts %v", c)
		}
		if len(overview.Owed) != 1 || overview.Owed[0].SessionID != old.ID || overview.Owed[0].Kind != "short" ||
			len(overview.Owed[0].People) != 1 || overview.Owed[0].People[0].Name != "Delia Mwangi" {
			t.Errorf("owed %+v, want the 2024 session's short report by Delia", overview.Owed)
		}
	})
}

func TestForumRulesAPI(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		fx := newFixture(t, db)
		const url = "/api/forums/igf/rules"
		fx.run(t, []scenario{
			{name: "defaults, read by anyone", method: "GET", url: url, wantStatus: 200,
				wantBody: []string{`"short_hours": 12`, `"long_days": 14`, `"word_limit": 500`, `"types": [`}},
			{name: "anonymous write", method: "PUT", url: url, body: `{"reports": {"short_hours": 24}}`, wantStatus: 401},
			{name: "a delegate writes", method: "PUT", url: url, token: "del", body: `{"reports": {"short_hours": 24}}`, wantStatus: 403},
			{name: "another forum's secretariat writes", method: "PUT", url: url, token: "youth-sec", body: `{"reports": {"short_hours": 24}}`,
				wantStatus: 403},
			{name: "out of range", method: "PUT", url: url, token: "sec", body: `{"reports": {"short_hours": 0, "long_days": 400}}`,
				wantStatus: 422, wantBody: []string{`"field": "short_hours"`, "must be between 1 and 720 hours, got 0", `"field": "long_days"`}},
			{name: "mistyped member", method: "PUT", url: url, token: "sec", body: `{"reports": {"short_hours": "a day"}}`,
				wantStatus: 422, wantBody: []string{`"field": "reports.short_hours"`, "must be a whole number"}},
			{name: "unknown member", method: "PUT", url: url, token: "sec", body: `{"screening": {"word_limt": 300}}`,
				wantStatus: 422, wantBody: []string{`"field": "screening.word_limt"`, "is not a known field"}},
			{name: "not an object", method: "PUT", url: url, token: "sec", body: `{"reports": 12}`,
				wantStatus: 422, wantBody: []string{`"field": "reports"`}},
			{name: "unknown part", method: "PUT", url: url, token: "sec", body: `{"deadlines": {}}`,
				wantStatus: 422, wantBody: []string{`"field": "deadlines"`}},
			{name: "save", method: "PUT", url: url, token: "sec", body: `{"reports": {"short_hours": 24}, "screening": {"word_limit": 300}}`,
				wantStatus: 200, wantBody: []string{`"short_hours": 24`, `"long_days": 14`, `"word_limit": 300`, `"min_speakers": 3`}},
			{name: "read back", method: "GET", url: url, wantStatus: 200, wantBody: []string{`"short_hours": 24`, `"word_limit": 300`}},
			{name: "another forum keeps its own", method: "GET", url: "/api/forums/youth/rules", wantStatus: 200,
				wantBody: []string{`"short_hours": 12`, `"word_limit": 500`}},
		})
		if r, err := db.ForumRules(context.Background(), fx.igf.ID); err != nil || r.Reports.ShortHours != 24 || r.Screening.WordLimit != 300 {
			t.Errorf("stored rules %+v, %v", r, err)
		}
	})
}
