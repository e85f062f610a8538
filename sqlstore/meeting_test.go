package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"concord"
)

// meetingFixture makes a forum with a three-day meeting, three rooms, a
// grid of three periods and a lunch break a day, and six sessions.
func meetingFixture(t *testing.T, db *DB) (*concord.Meeting, *MeetingData) {
	t.Helper()
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }
	f := &concord.Forum{Slug: "igf", Name: "IGF"}
	if err := db.CreateForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	cy := &concord.Cycle{ForumID: f.ID, Year: 2026, Timezone: "Europe/Oslo", Subthemes: []string{"AI", "Access"},
		StartDate: time.Date(2026, 6, 23, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 6, 25, 0, 0, 0, 0, time.UTC)}
	if err := db.CreateCycle(ctx, cy); err != nil {
		t.Fatal(err)
	}
	m := &concord.Meeting{ForumID: f.ID, CycleID: cy.ID, Timezone: "Europe/Oslo", Venue: "Lillestrøm"}
	if err := db.SaveMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}
	for _, r := range []concord.MeetingRoom{
		{Name: "Plenary", Capacity: 1000, Hybrid: true, Captioning: true, Languages: []string{"en", "fr", "ar"}},
		{Name: "Room 2", Capacity: 100, Hybrid: true},
		{Name: "Room 3", Capacity: 50},
	} {
		r.MeetingID = m.ID
		if err := db.CreateRoom(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	slots, err := concord.ParseTimeGrid("09:00-10:30\n11:00-12:30\n12:30-14:00 Lunch\n14:00-15:30", m)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTimeGrid(ctx, m.ID, slots); err != nil {
		t.Fatal(err)
	}
	var people []int64
	for _, name := range []string{"Ama", "Bo", "Chen"} {
		p := &concord.Person{Name: name, Country: "GH", StakeholderGroup: "technical"}
		if err := db.CreatePerson(ctx, f, p); err != nil {
			t.Fatal(err)
		}
		people = append(people, p.ID)
	}
	for _, s := range []concord.Session{
		{Title: "Opening", Type: "opening", Attendance: 900, Needs: []string{"interpretation"}, PinDay: 0, PinSlot: 0},
		{Title: "AI and rights", Type: "workshop", Subtheme: "AI", Duration: 2, People: people[:2], Attendance: 80, PinDay: -1, PinSlot: -1},
		{Title: "AI in courts", Type: "workshop", Subtheme: "AI", People: people[1:], Attendance: 40, PinDay: -1, PinSlot: -1},
		{Title: "Rural access", Type: "workshop", Subtheme: "Access", People: people[2:], Attendance: 40, PinDay: -1, PinSlot: -1},
		{Title: "Community networks", Type: "workshop", Subtheme: "Access", Attendance: 30, PinDay: -1, PinSlot: -1},
		{Title: "Closing", Type: "main-session", Attendance: 500, PinDay: 2, PinSlot: 3},
	} {
		if err := db.CreateSession(ctx, m, &s); err != nil {
			t.Fatal(err)
		}
	}
	md, err := db.LoadMeeting(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	return m, md
}

func TestMeetingSolvePublish(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		if issues, err := md.Feasibility(); err != nil || len(issues) > 0 {
			t.Fatalf("feasibility: %v, %v", issues, err)
		}
		dr, err := db.SolveMeeting(ctx, md, 7, 20000, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(dr.Hard) > 0 || len(dr.Placements) != 6 {
			t.Fatalf("draft: %d placements, hard %v", len(dr.Placements), dr.Hard)
		}
		for _, p := range dr.Placements {
			s := md.SessionByID(p.SessionID)
			if s.Title == "AI and rights" && p.Slot != 0 {
				t.Errorf("a two-slot session must not span the lunch break: starts at period %d", p.Slot)
			}
			if s.Title == "Opening" && (p.Day != 0 || p.Slot != 0 || md.Room(p.RoomID).Name != "Plenary") {
				t.Errorf("pinned opening placed at day %d slot %d in %s", p.Day, p.Slot, md.Room(p.RoomID).Name)
			}
		}
		if got, _ := db.Draft(ctx, m.ID); got == nil || got.Seed != 7 {
			t.Fatalf("draft not kept: %+v", got)
		}
		idx, err := db.PublishDraft(ctx, md, "secretariat")
		if err != nil {
			t.Fatal(err)
		}
		e, err := db.Decision(ctx, idx)
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind != "meeting.timetable" || e.Seed != "7" || !strings.Contains(e.Subject, "6 sessions") {
			t.Errorf("decision entry = %+v", e)
		}
		if got, _ := db.Draft(ctx, m.ID); got != nil {
			t.Errorf("the draft outlived its publication")
		}
		if _, err := db.PublishDraft(ctx, md, "secretariat"); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("publishing twice: %v", err)
		}
		m2, err := db.CurrentMeeting(ctx, m.ForumID)
		if err != nil || m2.Published != 1 || m2.Decision != idx {
			t.Fatalf("meeting after publication: %+v, %v", m2, err)
		}
		md2, err := db.LoadMeeting(ctx, m2)
		if err != nil || len(md2.Placements) != 6 {
			t.Fatalf("placements: %d, %v", len(md2.Placements), err)
		}
		for _, p := range md2.Placements {
			if p.Sequence != 0 || !p.End.After(p.Start) {
				t.Errorf("first publication: %+v", p)
			}
		}
	})
}

func TestMeetingEditSequence(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		if _, err := db.SolveMeeting(ctx, md, 1, 20000, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishDraft(ctx, md, "secretariat"); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m)
		byTitle := map[string]concord.Placement{}
		for _, p := range md.Placements {
			byTitle[md.SessionByID(p.SessionID).Title] = p
		}
		// Moving the pinned opening breaks a hard rule: refused, named.
		open := byTitle["Opening"]
		vs, err := db.ApplyEdit(ctx, md, Edit{SessionID: open.SessionID, Day: 1, Slot: 0, RoomID: open.RoomID}, "sec")
		if concord.ErrorCode(err) != concord.ECONFLICT || !strings.HasPrefix(err.Error(), "Refused: ") {
			t.Fatalf("moving a pinned session: %v", err)
		}
		named := false
		for _, v := range vs {
			named = named || (v.Hard && strings.Contains(v.Message, "'Opening' is pinned"))
		}
		if !named {
			t.Errorf("the refusal does not name the pin: %v", vs)
		}
		// Moving "Community networks" to a free place is fine and bumps its sequence only.
		cn := byTitle["Community networks"]
		target := Edit{SessionID: cn.SessionID, RoomID: cn.RoomID}
		free := func(day, slot int) bool {
			for _, p := range md.Placements {
				s := md.SessionByID(p.SessionID)
				if p.RoomID == cn.RoomID && p.Day == day && p.Slot <= slot && slot < p.Slot+s.Duration {
					return false
				}
			}
			return true
		}
		found := false
		for day := 0; day < 3 && !found; day++ {
			for _, slot := range []int{0, 1, 3} {
				if (day != cn.Day || slot != cn.Slot) && free(day, slot) {
					target.Day, target.Slot, found = day, slot, true
					break
				}
			}
		}
		if _, _, err := md.CheckEdit(Edit{SessionID: cn.SessionID, Day: 0, Slot: 2, RoomID: cn.RoomID}); err != nil {
			t.Fatal(err)
		} else if _, vs, _ := md.CheckEdit(Edit{SessionID: cn.SessionID, Day: 0, Slot: 2, RoomID: cn.RoomID}); len(vs) == 0 || !vs[0].Hard {
			t.Errorf("a session in the lunch break should break a hard rule: %v", vs)
		}
		if _, err := db.ApplyEdit(ctx, md, target, "sec"); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m)
		for _, p := range md.Placements {
			want := 0
			if p.SessionID == cn.SessionID {
				want = 1
			}
			if p.Sequence != want {
				t.Errorf("session %d: sequence %d, want %d", p.SessionID, p.Sequence, want)
			}
		}
	})
}

func TestMeetingStarsAndAgendaToken(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		acc, err := db.CreateAccount(ctx, "Ama", "ama@example.org", "hash")
		if err != nil {
			t.Fatal(err)
		}
		for _, on := range []bool{true, true} {
			if err := db.Star(ctx, acc.ID, md.Sessions[1].ID, on); err != nil {
				t.Fatal(err)
			}
		}
		db.Star(ctx, acc.ID, md.Sessions[2].ID, true)
		db.Star(ctx, acc.ID, md.Sessions[2].ID, false)
		got, err := db.Starred(ctx, acc.ID, m.ID)
		if err != nil || len(got) != 1 || !got[md.Sessions[1].ID] {
			t.Fatalf("starred = %v, %v", got, err)
		}
		md, _ = db.LoadMeeting(ctx, m)
		if len(md.Stars) != 1 || len(md.Timetable().Stars) != 1 {
			t.Errorf("stars reach the solver: %v", md.Stars)
		}
		tok, err := db.AgendaToken(ctx, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := db.AgendaAccount(ctx, tok); err != nil || id != acc.ID {
			t.Errorf("AgendaAccount(own token) = %d, %v", id, err)
		}
		for _, bad := range []string{"", "x", tok[:len(tok)-1] + "0", "2" + tok[1:]} {
			if bad == tok {
				continue
			}
			if _, err := db.AgendaAccount(ctx, bad); concord.ErrorCode(err) != concord.ENOTFOUND {
				t.Errorf("AgendaAccount(%q) = %v", bad, err)
			}
		}
	})
}

func TestMeetingInfeasible(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		big := &concord.Session{Title: "Mega session", Type: "main-session", Attendance: 5000, PinDay: -1, PinSlot: -1}
		if err := db.CreateSession(ctx, m, big); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m)
		issues, err := md.Feasibility()
		if err != nil || len(issues) != 1 || !strings.Contains(issues[0].Message, "Mega session") {
			t.Errorf("issues = %v, %v", issues, err)
		}
		dr, err := db.SolveMeeting(ctx, md, 1, 5000, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(dr.Hard) == 0 {
			t.Fatal("a room too small should remain a hard violation")
		}
		if _, err := db.PublishDraft(ctx, md, "sec"); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "Mega session") {
			t.Errorf("publishing a timetable with hard violations: %v", err)
		}
	})
}

func TestMeetingPublishStaleRefused(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		if _, err := db.SolveMeeting(ctx, md, 3, 20000, 0); err != nil {
			t.Fatal(err)
		}
		// A session added after solving makes the draft stale.
		late := &concord.Session{Title: "Late addition", Type: "workshop", PinDay: -1, PinSlot: -1}
		if err := db.CreateSession(ctx, m, late); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m)
		if _, err := db.PublishDraft(ctx, md, "sec"); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "solve again") {
			t.Fatalf("publishing a stale draft: %v", err)
		}
		if _, err := db.SolveMeeting(ctx, md, 3, 20000, 0); err != nil {
			t.Fatal(err)
		}
		// Two secretariat members publish from the same state: the second is refused.
		stale, _ := db.LoadMeeting(ctx, &concord.Meeting{ID: m.ID, ForumID: m.ForumID, Year: m.Year, Timezone: m.Timezone,
			StartDate: m.StartDate, EndDate: m.EndDate})
		if _, err := db.PublishDraft(ctx, md, "first"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SolveMeeting(ctx, stale, 4, 20000, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishDraft(ctx, stale, "second"); concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("a publication based on a replaced timetable: %v", err)
		}
	})
}
