package demo

import (
	"context"
	"testing"

	"concord/sqlstore"
)

func TestDemoMeetingScheduled(t *testing.T) {
	ctx := context.Background()
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	if _, err := Load(ctx, db, 1); err != nil {
		t.Fatal(err)
	}
	f, err := db.Forum(ctx, "igf")
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.CurrentMeeting(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	md, err := db.LoadMeeting(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(md.Placements), MeetingSessions; got != want || len(md.Sessions) != want {
		t.Errorf("%d of %d sessions placed, want %d", got, len(md.Sessions), want)
	}
	if got := len(md.Rooms); got != 15 || len(m.Days()) != 5 || m.Published != 1 {
		t.Errorf("%d rooms, %d days, published %d times", got, len(m.Days()), m.Published)
	}
	rep, err := md.Check()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Hard) > 0 {
		t.Errorf("published demo timetable breaks %d hard rules, first: %s", len(rep.Hard), rep.Hard[0].Message)
	}
}
