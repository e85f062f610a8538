package demo

import (
	"context"
	"testing"

	"concord/sqlstore"
)

func TestProgrammeDemo(t *testing.T) {
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	ctx := context.Background()
	if _, err := Load(ctx, db, 1); err != nil {
		t.Fatal(err)
	}
	f, err := db.Forum(ctx, "igf")
	if err != nil {
		t.Fatal(err)
	}
	calls, err := db.ProposalCalls(ctx, f.ID)
	if err != nil || len(calls) != 1 || calls[0].IsOpen(db.Now()) {
		t.Fatalf("calls: %v %v", calls, err)
	}
	all, err := db.Proposals(ctx, calls[0].ID, sqlstore.ProposalFilter{})
	if err != nil || len(all) != DemoProposals {
		t.Fatalf("%d proposals, want %d (%v)", len(all), DemoProposals, err)
	}
	s, err := db.ScreenProposals(ctx, calls[0])
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, x := range s {
		if x.Passed {
			passed++
		}
	}
	// Most pass; some are screened out, so the queue has work in it.
	if passed < len(s)/2 || passed == len(s) {
		t.Errorf("%d of %d submitted proposals pass screening", passed, len(s))
	}
	t.Logf("%d submitted, %d pass screening", len(s), passed)
	es, err := db.Evaluations(ctx, calls[0].ID)
	a, err := db.CurrentAssignment(ctx, calls[0].ID)
	if err != nil || len(a.Pairs) != 5*passed {
		t.Fatalf("assignment: %v", err)
	}
	// Every assigned pair is scored except those of the demo advisor.
	me, err := db.PersonByEmail(ctx, f.ID, "advisor@example.org")
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := db.EvaluatorTasks(ctx, calls[0], me.ID)
	if err != nil || len(tasks) == 0 || len(es) != len(a.Pairs)-len(tasks) {
		t.Errorf("%d evaluations of %d pairs, %d tasks for the demo advisor (%v)", len(es), len(a.Pairs), len(tasks), err)
	}
	rows, err := db.Ranking(ctx, calls[0], true)
	if err != nil {
		t.Fatal(err)
	}
	decided := map[string]int{}
	for _, r := range rows {
		decided[r.Proposal.Decision]++
	}
	if decided["accept"] != 100 || decided["accept_if_merged"] != 1 || decided["reject"] != 1 {
		t.Errorf("decisions: %v", decided)
	}
}
