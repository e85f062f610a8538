package sqlstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"concord"
)

// reportFixture adds to the programme fixture a 2025 cycle whose call
// accepted one proposal (proposer and organiser: people[4]) and whose
// published meeting placed it on 23 June 2025. It returns the session.
func reportFixture(t *testing.T, db *DB, fx *programmeFixture) *concord.Session {
	t.Helper()
	ctx := context.Background()
	cy := &concord.Cycle{ForumID: fx.forum.ID, Year: 2025, Timezone: "UTC", Subthemes: []string{"Access"}, PolicyQuestions: []string{"Q1"},
		StartDate: time.Date(2025, 6, 23, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2025, 6, 23, 0, 0, 0, 0, time.UTC)}
	if err := db.CreateCycle(ctx, cy); err != nil {
		t.Fatal(err)
	}
	back := fx.at
	defer func() { fx.at = back }()
	fx.at = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	call := &concord.ProposalCall{ForumID: fx.forum.ID, Year: 2025, Opens: fx.at.Add(-time.Hour), Closes: fx.at.Add(24 * time.Hour),
		Rules: concord.DefaultScreeningRules()}
	if err := db.CreateProposalCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	acc, err := db.CreateAccount(ctx, "Proposer", "proposer@example.org", "x")
	if err != nil {
		t.Fatal(err)
	}
	p := fx.proposal(acc.ID)
	p.CallID = call.ID
	if _, err := db.SaveProposal(ctx, p, true); err != nil {
		t.Fatal(err)
	}
	fx.at = time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	if err := db.DecideProposal(ctx, fx.forum, p.ID, concord.DecisionAccept, 0, "", "secretariat"); err != nil {
		t.Fatal(err)
	}
	m := &concord.Meeting{ForumID: fx.forum.ID, CycleID: cy.ID, Timezone: "UTC"}
	if err := db.SaveMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRoom(ctx, &concord.MeetingRoom{MeetingID: m.ID, Name: "Hall", Capacity: 500}); err != nil {
		t.Fatal(err)
	}
	slots, err := concord.ParseTimeGrid("10:00-11:00", m)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTimeGrid(ctx, m.ID, slots); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SessionsFromProposals(ctx, m); err != nil || n != 1 {
		t.Fatalf("sessions from proposals: %d, %v", n, err)
	}
	md, err := db.LoadMeeting(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SolveMeeting(ctx, md, 1, 1000); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishDraft(ctx, md, "secretariat"); err != nil {
		t.Fatal(err)
	}
	return md.Sessions[0]
}

func failed(fs []concord.ScreeningFailure, rule string) bool {
	return slices.ContainsFunc(fs, func(f concord.ScreeningFailure) bool { return f.Rule == rule })
}

func TestReportsOweAndScreen(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		fx := newProgrammeFixture(t, db)
		s := reportFixture(t, db, fx)
		proposer := fx.people[4].ID
		short := &concord.SessionReport{SessionID: s.ID, Kind: concord.ShortReport, Takeaways: []string{"Community networks need spectrum."}, SubmittedBy: proposer}

		// Before the session ends nothing can be filed and nothing is owed.
		fx.at = time.Date(2025, 6, 23, 10, 30, 0, 0, time.UTC)
		if err := db.FileReport(ctx, fx.forum.ID, short); concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("report during the session: %v, want a conflict", err)
		}
		if owed, _ := db.OwedReports(ctx, fx.forum.ID, 2026); len(owed) != 0 {
			t.Errorf("owed during the session: %+v", owed)
		}

		// A week on, the short report (12 hours) is overdue, the long one
		// (14 days) not yet.
		fx.at = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
		owed, err := db.OwedReports(ctx, fx.forum.ID, 2026)
		if err != nil || len(owed) != 1 || owed[0].Kind != concord.ShortReport || !slices.Equal(owed[0].People, []int64{proposer}) {
			t.Fatalf("owed a week on: %+v, %v", owed, err)
		}
		if want := time.Date(2025, 6, 23, 23, 0, 0, 0, time.UTC); !owed[0].Due.Equal(want) {
			t.Errorf("short report due %v, want %v", owed[0].Due, want)
		}
		if owed, _ := db.OwedReports(ctx, fx.forum.ID, 2025); len(owed) != 0 {
			t.Errorf("a cycle's own sessions are not owed from an earlier cycle: %+v", owed)
		}

		// In the 2026 call the proposer is screened out, another is not.
		fx.at = time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
		acc, err := db.CreateAccount(ctx, "Another", "another@example.org", "x")
		if err != nil {
			t.Fatal(err)
		}
		mine := fx.proposal(acc.ID)
		if _, err := db.SaveProposal(ctx, mine, false); err != nil {
			t.Fatal(err)
		}
		other := fx.proposal(acc.ID)
		other.ProposerID = fx.people[0].ID
		other.People[0].PersonID = fx.people[0].ID
		if _, err := db.SaveProposal(ctx, other, false); err != nil {
			t.Fatal(err)
		}
		if fs, err := db.ScreenProposal(ctx, fx.call, mine); err != nil || !failed(fs, "report") {
			t.Errorf("proposer owing a report: failures %+v, %v", fs, err)
		}
		if fs, _ := db.ScreenProposal(ctx, fx.call, other); failed(fs, "report") {
			t.Errorf("someone else fails the report rule: %+v", fs)
		}

		// Filing the short report late clears it and is marked late; the
		// long report is owed next.
		if err := db.FileReport(ctx, fx.forum.ID, short); err != nil {
			t.Fatal(err)
		}
		owed, _ = db.OwedReports(ctx, fx.forum.ID, 2026)
		if len(owed) != 1 || owed[0].Kind != concord.LongReport {
			t.Fatalf("after the short report: %+v", owed)
		}

		// Forum rules move the deadline: a year for the long report.
		rules, _ := db.ForumRules(ctx, fx.forum.ID)
		rules.Reports.LongDays = 400
		if err := db.SaveForumRules(ctx, fx.forum.ID, rules); concord.ErrorCode(err) != concord.EINVALID || !hasField(err, "long_days") {
			t.Errorf("400 days: %v", err)
		}
		rules.Reports.LongDays = 365
		if err := db.SaveForumRules(ctx, fx.forum.ID, rules); err != nil {
			t.Fatal(err)
		}
		if owed, _ := db.OwedReports(ctx, fx.forum.ID, 2026); len(owed) != 0 {
			t.Errorf("long report due in a year is not owed yet: %+v", owed)
		}
		if fs, _ := db.ScreenProposal(ctx, fx.call, mine); failed(fs, "report") {
			t.Errorf("screened out with nothing owed: %+v", fs)
		}
		rules.Reports.LongDays = 14
		if err := db.SaveForumRules(ctx, fx.forum.ID, rules); err != nil {
			t.Fatal(err)
		}

		long := &concord.SessionReport{SessionID: s.ID, Kind: concord.LongReport, Discussion: "We discussed spectrum and backhaul.",
			ParticipantsOn: 40, ParticipantsOff: 20, Women: 70, SubmittedBy: proposer}
		if err := db.FileReport(ctx, fx.forum.ID, long); concord.ErrorCode(err) != concord.EINVALID || !hasField(err, "women") {
			t.Errorf("more women than participants: %v", err)
		}
		long.Women = 31
		if err := db.FileReport(ctx, fx.forum.ID, long); err != nil {
			t.Fatal(err)
		}
		if owed, _ := db.OwedReports(ctx, fx.forum.ID, 2026); len(owed) != 0 {
			t.Errorf("owed after both reports: %+v", owed)
		}

		// Refiling replaces the text but keeps the first filing time.
		first := fx.at
		fx.at = fx.at.Add(48 * time.Hour)
		short.Takeaways = []string{"Spectrum for community networks.", "Backhaul is the bottleneck."}
		if err := db.FileReport(ctx, fx.forum.ID, short); err != nil {
			t.Fatal(err)
		}
		reps, err := db.SessionReports(ctx, s.ID)
		if err != nil || len(reps) != 2 {
			t.Fatalf("reports: %+v, %v", reps, err)
		}
		r := reps[0]
		if r.Kind != concord.ShortReport || len(r.Takeaways) != 2 || !r.Submitted.Equal(first) || !r.Updated.Equal(fx.at) || !r.Late() ||
			r.SubmittedByName != "Proposer" {
			t.Errorf("short report after refiling: %+v", r)
		}
		if reps[1].Women != 31 || reps[1].ParticipantsOn != 40 || !reps[1].Late() ||
			!reps[1].Due.Equal(time.Date(2025, 7, 7, 11, 0, 0, 0, time.UTC)) {
			t.Errorf("long report: %+v", reps[1])
		}
		states, err := db.MeetingReports(ctx, fx.forum.ID, s.MeetingID)
		if err != nil || len(states) != 1 || states[0].Filed[concord.ShortReport].IsZero() || states[0].Filed[concord.LongReport].IsZero() {
			t.Errorf("meeting reports: %+v, %v", states, err)
		}
	})
}

func hasField(err error, field string) bool {
	return slices.ContainsFunc(concord.Problems(err), func(e *concord.Error) bool { return e.Field == field })
}
