package demo

import (
	"context"
	"testing"

	"concord"
	"concord/sqlstore"
)

func TestAdvisoryDemo(t *testing.T) {
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	ctx := context.Background()
	if _, err := Load(ctx, db, 1); err != nil {
		t.Fatal(err)
	}
	f, err := db.Forum(ctx, "igf")
	if err != nil {
		t.Fatal(err)
	}
	calls, err := db.NominationCalls(ctx, f.ID)
	if err != nil || len(calls) != 1 || calls[0].IsOpen(db.Now()) {
		t.Fatalf("calls: %v %v", calls, err)
	}
	ns, _ := db.Nominations(ctx, calls[0].ID)
	if len(ns) < 150 {
		t.Errorf("%d nominees, want 150 or more", len(ns))
	}
	members, comp, err := db.AdvisoryGroup(ctx, f.ID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(comp.Voting()); got != 40 {
		t.Errorf("%d voting members, want 40 (%d in all)", got, len(members))
	}
	rules, _ := db.AdvisoryRules(ctx, f.ID)
	if failed := concord.Failed(rules.Check(f, comp)); len(failed) > 0 {
		t.Errorf("the demo group breaks rules: %v", failed)
	}
	sel, err := db.PublishedSelection(ctx, f.ID, 2026)
	if err != nil || sel == nil || sel.Seed != "20260305" || sel.Method != "leximin" {
		t.Fatalf("published selection: %+v %v", sel, err)
	}
	if e, err := db.Decision(ctx, sel.Decision); err != nil || e.Kind != "advisory.selection" {
		t.Errorf("decision: %+v %v", e, err)
	}
	t.Logf("pool %d, min probability %.3f, %d compositions", len(sel.Inputs.People), sel.Result.MinProbability, sel.Result.Compositions)
}
