package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
)

// programmeFixture is a forum with a 2026 cycle, an open call and people.
type programmeFixture struct {
	forum  *concord.Forum
	call   *concord.ProposalCall
	people []*concord.Person
	at     time.Time
}

func newProgrammeFixture(t *testing.T, db *DB) *programmeFixture {
	t.Helper()
	ctx := context.Background()
	fx := &programmeFixture{forum: &concord.Forum{Slug: "igf", Name: "IGF"}, at: time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return fx.at }
	if err := db.CreateForum(ctx, fx.forum); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateCycle(ctx, &concord.Cycle{ForumID: fx.forum.ID, Year: 2026, Subthemes: []string{"Access"}, PolicyQuestions: []string{"Q1", "Q2"}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []concord.Person{
		{Name: "Amina", Email: "amina@example.org", Country: "KE", Gender: concord.Woman, StakeholderGroup: "civil-society"},
		{Name: "Bernd", Email: "bernd@example.org", Country: "DE", Gender: concord.Man, StakeholderGroup: "technical"},
		{Name: "Carla", Email: "carla@example.org", Country: "BR", Gender: concord.Woman, StakeholderGroup: "government"},
		{Name: "Dev", Email: "dev@example.org", Country: "IN", Gender: concord.Man, StakeholderGroup: "private-sector"},
		{Name: "Proposer", Email: "proposer@example.org", Country: "GH", Gender: concord.Woman, StakeholderGroup: "civil-society"},
	} {
		if err := db.CreatePerson(ctx, fx.forum, &p); err != nil {
			t.Fatal(err)
		}
		fx.people = append(fx.people, &p)
	}
	fx.call = &concord.ProposalCall{ForumID: fx.forum.ID, Year: 2026, Opens: fx.at.Add(-24 * time.Hour), Closes: fx.at.Add(24 * time.Hour),
		Rules: concord.DefaultScreeningRules()}
	if err := db.CreateProposalCall(ctx, fx.call); err != nil {
		t.Fatal(err)
	}
	return fx
}

func (fx *programmeFixture) proposal(account int64) *concord.Proposal {
	pp := fx.people
	return &concord.Proposal{CallID: fx.call.ID, ForumID: fx.forum.ID, AccountID: account, ProposerID: pp[4].ID, Type: "workshop",
		Title: "Community networks", Description: "How communities build their own networks.", Subtheme: "Access",
		PolicyQuestions: []string{"Q1"}, Format: "round_table", Languages: []string{"en", "fr"},
		People: []concord.SessionPerson{
			{PersonID: pp[4].ID, Role: concord.Organiser},
			{PersonID: pp[0].ID, Role: concord.Speaker}, {PersonID: pp[1].ID, Role: concord.Speaker}, {PersonID: pp[2].ID, Role: concord.Speaker},
			{PersonID: pp[3].ID, Role: concord.OnsiteModerator}, {PersonID: pp[3].ID, Role: concord.OnlineModerator},
			{PersonID: pp[4].ID, Role: concord.Rapporteur},
		}}
}

func TestProgrammeProposalLifecycle(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		fx := newProgrammeFixture(t, db)
		acc, err := db.CreateAccount(ctx, "Proposer", "proposer@example.org", "x")
		if err != nil {
			t.Fatal(err)
		}
		p := fx.proposal(acc.ID)
		invites, err := db.SaveProposal(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(invites), 3; got != want {
			t.Fatalf("%d invitations, want %d", got, want)
		}
		got, err := db.Proposal(ctx, fx.forum.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != concord.ProposalDraft || len(got.People) != 7 || got.People[1].Name != "Amina" || got.People[1].Invited.IsZero() {
			t.Fatalf("stored draft: %+v", got)
		}
		// Drafts are not screened; submitted ones are, and unconfirmed speakers do not count.
		if s, _ := db.ScreenProposals(ctx, fx.call); len(s) != 0 {
			t.Fatalf("drafts in the screening queue: %d", len(s))
		}
		if _, err := db.SaveProposal(ctx, got, true); err != nil {
			t.Fatal(err)
		}
		s, err := db.ScreenProposals(ctx, fx.call)
		if err != nil || len(s) != 1 || s[0].Passed || s[0].Failures[0].Rule != "speakers" {
			t.Fatalf("screening before confirmation: %+v, %v", s, err)
		}
		// Speakers confirm by their links; saving again keeps the confirmations.
		for _, inv := range invites {
			if _, err := db.ConfirmSpeaker(ctx, fx.forum.ID, inv.Token); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ConfirmSpeaker(ctx, fx.forum.ID, "not-a-token"); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("bad token: %v", err)
		}
		got, _ = db.Proposal(ctx, fx.forum.ID, p.ID)
		got.Title = "Community networks in rural areas"
		if again, err := db.SaveProposal(ctx, got, true); err != nil || len(again) != 0 {
			t.Fatalf("re-save: %d new invitations, %v", len(again), err)
		}
		s, _ = db.ScreenProposals(ctx, fx.call)
		if len(s) != 1 || !s[0].Passed {
			t.Fatalf("screening after confirmation: %+v", s[0].Failures)
		}
		// Someone else's proposal is not theirs to edit.
		other := *got
		other.AccountID = acc.ID + 100
		if _, err := db.SaveProposal(ctx, &other, false); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("edit by another account: %v", err)
		}
		// The secretariat overrides with a reason, recorded in the decision log.
		if err := db.OverrideScreening(ctx, fx.forum, p.ID, "fail", "", "sec"); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("override without a reason: %v", err)
		}
		if err := db.OverrideScreening(ctx, fx.forum, p.ID, "fail", "Duplicate of another proposal", "sec"); err != nil {
			t.Fatal(err)
		}
		s, _ = db.ScreenProposals(ctx, fx.call)
		if s[0].Passed || s[0].Proposal.OverrideReason != "Duplicate of another proposal" {
			t.Errorf("after override: %+v", s[0])
		}
		es, _, err := db.Decisions(ctx, "igf", 0, 10)
		if err != nil || len(es) != 1 || es[0].Kind != "programme.screening" {
			t.Errorf("decision log: %+v, %v", es, err)
		}
		// After the close, edits are refused with the close time.
		fx.at = fx.call.Closes
		_, err = db.SaveProposal(ctx, got, true)
		if err == nil || !strings.Contains(err.Error(), "closed at 2026-04-02 12:00 UTC") {
			t.Errorf("late edit: %v", err)
		}
	})
}

func TestProgrammeScreeningFacts(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		fx := newProgrammeFixture(t, db)
		acc, _ := db.CreateAccount(ctx, "Proposer", "proposer@example.org", "x")
		for range 4 {
			if _, err := db.SaveProposal(ctx, fx.proposal(acc.ID), true); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddTerm(ctx, &concord.Term{ForumID: fx.forum.ID, PersonID: fx.people[4].ID, FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryMember}); err != nil {
			t.Fatal(err)
		}
		f, err := db.ScreeningFacts(ctx, fx.call)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Sessions[fx.people[0].ID]; got != 4 {
			t.Errorf("Amina speaks in %d sessions, want 4", got)
		}
		if !f.Advisory[fx.people[4].ID] || f.Advisory[fx.people[0].ID] {
			t.Errorf("advisory: %v", f.Advisory)
		}
		s, _ := db.ScreenProposals(ctx, fx.call)
		var rules []string
		for _, x := range s[0].Failures {
			rules = append(rules, x.Rule)
		}
		if !strings.Contains(strings.Join(rules, ","), "speaker_sessions") || !strings.Contains(strings.Join(rules, ","), "advisory") {
			t.Errorf("failures: %v", rules)
		}
		// Unknown people are refused by field.
		if _, err := db.PeopleByRefs(ctx, fx.forum.ID, "speakers", []string{"amina@example.org", "999999"}); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("unknown person: %v", err)
		}
		ids, err := db.PeopleByRefs(ctx, fx.forum.ID, "speakers", []string{" AMINA@example.org ", "", "#" + strconv.FormatInt(fx.people[1].ID, 10)})
		if err != nil || len(ids) != 2 || ids[0] != fx.people[0].ID || ids[1] != fx.people[1].ID {
			t.Errorf("refs: %v, %v", ids, err)
		}
	})
}

func TestProgrammeAssignmentAndScoring(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		fx := newProgrammeFixture(t, db)
		// Six advisory-group members from five groups; Amina (a speaker) is one.
		var evaluators []int64
		for i, g := range []string{"government", "civil-society", "technical", "private-sector", "government"} {
			p := &concord.Person{Name: "Member " + strconv.Itoa(i), Country: "NO", StakeholderGroup: g, Organisation: "Org " + strconv.Itoa(i)}
			if err := db.CreatePerson(ctx, fx.forum, p); err != nil {
				t.Fatal(err)
			}
			evaluators = append(evaluators, p.ID)
		}
		evaluators = append(evaluators, fx.people[0].ID)
		for _, id := range evaluators {
			if err := db.AddTerm(ctx, &concord.Term{ForumID: fx.forum.ID, PersonID: id, FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryMember}); err != nil {
				t.Fatal(err)
			}
		}
		var ps []*concord.Proposal
		for i := range 3 { // speakers may speak in at most 3
			p := fx.proposal(0)
			p.Title = "Proposal " + strconv.Itoa(i)
			p.Status, p.Submitted = concord.ProposalSubmitted, fx.at
			for j := range p.People {
				p.People[j].Confirmed = fx.at
			}
			ps = append(ps, p)
		}
		if err := db.ImportProposals(ctx, fx.call, ps); err != nil {
			t.Fatal(err)
		}
		if err := db.DeclareConflict(ctx, fx.forum.ID, ps[0].ID, evaluators[1], "former employer"); err != nil {
			t.Fatal(err)
		}
		_, err := db.RunAssignment(ctx, fx.forum, fx.call, 6, 1, "sec")
		if concord.ErrorCode(err) != concord.EINVALID || len(concord.Problems(err)) == 0 {
			t.Fatalf("6 evaluators each from 5 eligible: %v", err)
		}
		a, err := db.RunAssignment(ctx, fx.forum, fx.call, 3, 42, "sec")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(a.Pairs), 9; got != want {
			t.Fatalf("%d pairs, want %d", got, want)
		}
		for _, p := range a.Pairs {
			if p.Evaluator == strconv.FormatInt(fx.people[0].ID, 10) {
				t.Errorf("a speaker evaluates: %+v", p)
			}
			if p.Proposal == strconv.FormatInt(ps[0].ID, 10) && p.Evaluator == strconv.FormatInt(evaluators[1], 10) {
				t.Errorf("a declared conflict evaluates: %+v", p)
			}
		}
		cur, err := db.CurrentAssignment(ctx, fx.call.ID)
		if err != nil || cur.ID != a.ID || len(cur.Pairs) != 9 || cur.Seed != "42" {
			t.Fatalf("current: %+v, %v", cur, err)
		}
		es, _, _ := db.Decisions(ctx, "igf", 0, 5)
		if len(es) != 1 || es[0].Kind != "programme.assignment" || es[0].Seed != "42" {
			t.Errorf("decision log: %+v", es)
		}
		// The same seed and inputs give the same pairs.
		again, err := db.RunAssignment(ctx, fx.forum, fx.call, 3, 42, "sec")
		if err != nil || fmt.Sprint(again.Pairs) != fmt.Sprint(a.Pairs) || again.InputsHash != a.InputsHash {
			t.Errorf("rerun differs: %v", err)
		}

		// Scoring: only assigned evaluators, only 1 to 5, a reason for 3 or less.
		pair := a.Pairs[0]
		pid, _ := strconv.ParseInt(pair.Proposal, 10, 64)
		eid, _ := strconv.ParseInt(pair.Evaluator, 10, 64)
		for _, tt := range []struct {
			e    concord.Evaluation
			code string
		}{
			{concord.Evaluation{ProposalID: pid, PersonID: eid, Score: 6}, concord.EINVALID},
			{concord.Evaluation{ProposalID: pid, PersonID: eid, Score: 2}, concord.EINVALID},
			{concord.Evaluation{ProposalID: pid, PersonID: fx.people[0].ID, Score: 5}, concord.EINVALID},
			{concord.Evaluation{ProposalID: pid, PersonID: eid, Score: 2, Reason: "One region only"}, ""},
			{concord.Evaluation{ProposalID: pid, PersonID: eid, Score: 4, Comment: "Better on reflection"}, ""},
		} {
			if err := db.SaveEvaluation(ctx, fx.forum.ID, &tt.e); concord.ErrorCode(err) != tt.code {
				t.Errorf("%+v: %v, want code %q", tt.e, err, tt.code)
			}
		}
		all, err := db.Evaluations(ctx, fx.call.ID)
		if err != nil || len(all) != 1 || all[0].Score != 4 {
			t.Fatalf("evaluations: %+v, %v", all, err)
		}
		if err := db.DeclareConflict(ctx, fx.forum.ID, pid, eid, "a speaker is my colleague"); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveEvaluation(ctx, fx.forum.ID, &concord.Evaluation{ProposalID: pid, PersonID: eid, Score: 5}); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("score after declaring a conflict: %v", err)
		}
		tasks, err := db.EvaluatorTasks(ctx, fx.call, eid)
		if err != nil || len(tasks) == 0 || !tasks[0].Conflict || tasks[0].Evaluation == nil || !tasks[0].DevelopingCountry || !tasks[0].FirstTime {
			t.Errorf("tasks: %+v, %v", tasks, err)
		}

		// Ranking, decisions and publication.
		rows, err := db.Ranking(ctx, fx.call, true)
		if err != nil || len(rows) != 3 || rows[0].ProposalID != pid || rows[0].Stats.N != 1 {
			t.Fatalf("ranking: %+v, %v", rows, err)
		}
		if err := db.DecideProposal(ctx, fx.forum, ps[1].ID, concord.DecisionAcceptIfMerged, 0, "", "sec"); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("accept if merged with nothing: %v", err)
		}
		if err := db.DecideProposal(ctx, fx.forum, ps[1].ID, concord.DecisionAcceptIfMerged, ps[2].ID, "same topic", "sec"); err != nil {
			t.Fatal(err)
		}
		if err := db.DecideProposal(ctx, fx.forum, ps[2].ID, concord.DecisionReject, 0, "", "sec"); err != nil {
			t.Fatal(err)
		}
		if n, err := db.AcceptTop(ctx, fx.forum, fx.call, 5, false, "sec"); err != nil || n != 1 {
			t.Fatalf("accept top: %d, %v", n, err)
		}
		proposed, accepted, err := db.ProgrammeBreakdown(ctx, fx.call)
		if err != nil || len(proposed.Subtheme) != 1 || proposed.Subtheme[0].N != 3 || accepted.Subtheme[0].N != 2 {
			t.Errorf("breakdown: %+v %+v %v", proposed, accepted, err)
		}
		notices, err := db.PublishProgramme(ctx, fx.forum, fx.call, "sec")
		if err != nil || len(notices) != 3 || notices[0].To != "proposer@example.org" {
			t.Fatalf("publish: %+v, %v", notices, err)
		}
		if err := db.DecideProposal(ctx, fx.forum, ps[2].ID, concord.DecisionAccept, 0, "", "sec"); concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("decision after publication: %v", err)
		}
		got, _ := db.ProposalCall(ctx, fx.forum.ID, fx.call.ID)
		if got.Published.IsZero() || got.PublishedDecision < 0 {
			t.Errorf("call not published: %+v", got)
		}
		es, _, _ = db.Decisions(ctx, "igf", 0, 1)
		if es[0].Kind != "programme.publication" {
			t.Errorf("last decision: %+v", es[0])
		}
	})
}
