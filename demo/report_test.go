package demo

import (
	"context"
	"testing"

	"concord"
	"concord/sqlstore"
)

func TestDemoReports(t *testing.T) {
	ctx := context.Background()
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	if _, err := Load(ctx, db, 1); err != nil {
		t.Fatal(err)
	}
	f, _ := db.Forum(ctx, "igf")
	m, err := db.CurrentMeeting(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	states, err := db.MeetingReports(ctx, f.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	filed, late, long := 0, 0, 0
	for _, st := range states {
		if at := st.Filed[concord.ShortReport]; !at.IsZero() {
			filed++
			if at.After(st.Due[concord.ShortReport]) {
				late++
			}
		}
		if !st.Filed[concord.LongReport].IsZero() {
			long++
		}
	}
	// Most sessions report, some late, about a third in full.
	if n := len(states); filed < n*6/10 || filed > n*9/10 || late == 0 || late == filed || long < filed/5 || long > filed/2 {
		t.Errorf("%d sessions: %d short reports (%d late), %d long", n, filed, late, long)
	}
}
