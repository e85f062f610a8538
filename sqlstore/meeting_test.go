package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/algo/timetable"
	"concord/decisionlog"
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
		dr, err := db.SolveMeeting(ctx, md, 7, 20000)
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
		if _, err := db.SolveMeeting(ctx, md, 1, 20000); err != nil {
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
		dr, err := db.SolveMeeting(ctx, md, 1, 5000)
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
		if _, err := db.SolveMeeting(ctx, md, 3, 20000); err != nil {
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
		if _, err := db.SolveMeeting(ctx, md, 3, 20000); err != nil {
			t.Fatal(err)
		}
		// Two secretariat members publish from the same state: the second is refused.
		stale, _ := db.LoadMeeting(ctx, &concord.Meeting{ID: m.ID, ForumID: m.ForumID, Year: m.Year, Timezone: m.Timezone,
			StartDate: m.StartDate, EndDate: m.EndDate})
		if _, err := db.PublishDraft(ctx, md, "first"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SolveMeeting(ctx, stale, 4, 20000); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishDraft(ctx, stale, "second"); concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("a publication based on a replaced timetable: %v", err)
		}
	})
}

// oslo is a time on a fixture meeting day, in the meeting's zone.
func oslo(day, hour, min int) time.Time {
	loc, _ := time.LoadLocation("Europe/Oslo")
	return time.Date(2026, 6, 23+day, hour, min, 0, 0, loc).UTC()
}

func byTitle(md *MeetingData, title string) *concord.Session {
	for _, s := range md.Sessions {
		if s.Title == title {
			return s
		}
	}
	return nil
}

// TestMeetingRules: availability, preferences, series and type limits are
// stored, reach the solver and are kept; broken ones are named in words.
func TestMeetingRules(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		if err := db.SetTypeLimits(ctx, m, map[string]int{"workshop": 1}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []map[string]int{{"workshop": 0}, {"party": 2}} {
			if err := db.SetTypeLimits(ctx, m, bad); concord.ErrorCode(err) != concord.EINVALID {
				t.Errorf("SetTypeLimits(%v) = %v", bad, err)
			}
		}
		courts, rural, networks := byTitle(md, "AI in courts"), byTitle(md, "Rural access"), byTitle(md, "Community networks")
		courts.Available = []concord.TimeRange{{Start: oslo(1, 0, 0), End: oslo(2, 0, 0)}}   // the second day only
		rural.Preferred = []concord.TimeRange{{Start: oslo(2, 14, 0), End: oslo(2, 15, 30)}} // the last afternoon
		rural.Series, networks.Series = "Access track", "Access track"
		for _, s := range []*concord.Session{courts, rural, networks} {
			if err := db.UpdateSession(ctx, m, s); err != nil {
				t.Fatal(err)
			}
		}
		m2, err := db.CurrentMeeting(ctx, m.ForumID)
		if err != nil || m2.TypeLimits["workshop"] != 1 || len(m2.TypeLimits) != 1 {
			t.Fatalf("type limits after reload: %v, %v", m2.TypeLimits, err)
		}
		md, err = db.LoadMeeting(ctx, m2)
		if err != nil {
			t.Fatal(err)
		}
		if got := byTitle(md, "AI in courts").Available; len(got) != 1 || !got[0].Start.Equal(oslo(1, 0, 0)) || !got[0].End.Equal(oslo(2, 0, 0)) {
			t.Errorf("availability after reload: %v", got)
		}
		if got := byTitle(md, "Community networks"); got.Series != "Access track" || got.PinDay != -1 {
			t.Errorf("series after reload: %+v", got)
		}
		tm := md.Timetable()
		if tm.TypeLimits["workshop"] != 1 {
			t.Errorf("the solver does not get the type limit: %v", tm.TypeLimits)
		}
		dr, err := db.SolveMeeting(ctx, md, 5, 30000)
		if err != nil {
			t.Fatal(err)
		}
		if len(dr.Hard) > 0 {
			t.Fatalf("hard violations: %v", dr.Hard)
		}
		place := map[string]concord.Placement{}
		for _, p := range dr.Placements {
			place[md.SessionByID(p.SessionID).Title] = p
		}
		if p := place["AI in courts"]; p.Day != 1 {
			t.Errorf("'AI in courts' may run on day 2 only, placed on day %d", p.Day+1)
		}
		if p := place["Rural access"]; p.Day != 2 || p.Slot != 3 {
			t.Errorf("'Rural access' should get its preferred last afternoon, got day %d period %d", p.Day+1, p.Slot+1)
		}
		if a, b := place["Rural access"], place["Community networks"]; a.RoomID != b.RoomID {
			t.Errorf("the series uses rooms %d and %d", a.RoomID, b.RoomID)
		}
		// No two workshops at once: the limit is 1.
		for _, a := range dr.Placements {
			for _, b := range dr.Placements {
				sa, sb := md.SessionByID(a.SessionID), md.SessionByID(b.SessionID)
				if a.SessionID < b.SessionID && sa.Type == "workshop" && sb.Type == "workshop" && a.Start.Before(b.End) && b.Start.Before(a.End) {
					t.Errorf("workshops %q and %q run together", sa.Title, sb.Title)
				}
			}
		}
		for _, v := range append(dr.Hard, dr.Soft...) {
			if v.Kind == "preference" || v.Kind == "series-room" {
				t.Errorf("left: %s", v.Message)
			}
		}

		// In words: moving the session outside its days breaks a hard rule.
		if _, err := db.PublishDraft(ctx, md, "sec"); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m2)
		p := place["AI in courts"]
		_, vs, err := md.CheckEdit(Edit{SessionID: p.SessionID, Day: 0, Slot: 3, RoomID: p.RoomID})
		named := false
		for _, v := range vs {
			named = named || (v.Hard && v.Message == "'AI in courts' at Tue 23 Jun 14:00 is outside the times it may run")
		}
		if err != nil || !named {
			t.Errorf("moving outside its availability: %v, %v", vs, err)
		}
		// A preference the timetable misses is a soft violation in words.
		rural = byTitle(md, "Rural access")
		moved := *rural
		moved.Preferred = []concord.TimeRange{{Start: oslo(0, 9, 0), End: oslo(0, 10, 30)}}
		vs, err = md.Conflicts(md.WithSession(&moved))
		if err != nil || len(vs) != 1 || vs[0].Kind != "preference" || !strings.Contains(vs[0].Message, "not at a time its organisers preferred") {
			t.Errorf("a missed preference: %v, %v", vs, err)
		}
		// A session whose times hold no session period cannot be placed, and the check says so before solving.
		lunch := &concord.Session{Title: "Lunch talk", Type: "lightning-talk", PinDay: -1, PinSlot: -1,
			Available: []concord.TimeRange{{Start: oslo(0, 12, 30), End: oslo(0, 14, 0)}}}
		if err := db.CreateSession(ctx, m2, lunch); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m2)
		issues, err := md.Feasibility()
		if err != nil || len(issues) != 1 || !strings.Contains(issues[0].Message, "'Lunch talk'") || !strings.Contains(issues[0].Message, "no start time that fits its availability") {
			t.Errorf("issues = %v, %v", issues, err)
		}
		bad := &concord.Session{Title: "Backwards", Type: "workshop", PinDay: -1, PinSlot: -1,
			Available: []concord.TimeRange{{Start: oslo(0, 12, 0), End: oslo(0, 11, 0)}}}
		if err := db.CreateSession(ctx, m2, bad); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "available") {
			t.Errorf("a range that ends before it starts: %v", err)
		}
	})
}

// TestMeetingRoomAndSessionEdits: edits show the conflicts they create;
// a room in use is not deleted; a deleted session leaves the timetable,
// the log and the agendas.
func TestMeetingRoomAndSessionEdits(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		spare := &concord.MeetingRoom{MeetingID: m.ID, Name: "Spare", Capacity: 20}
		if err := db.CreateRoom(ctx, spare); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m)
		if _, err := db.SolveMeeting(ctx, md, 2, 20000); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishDraft(ctx, md, "sec"); err != nil {
			t.Fatal(err)
		}
		md, _ = db.LoadMeeting(ctx, m)
		opening := byTitle(md, "Opening")
		op, _ := md.Placement(opening.ID)
		plenary := md.Room(op.RoomID)

		// Renaming creates no conflict; shrinking does, and names the session.
		renamed := *plenary
		renamed.Name = "Great Hall"
		if vs, err := md.Conflicts(md.WithRoom(&renamed)); err != nil || len(vs) != 0 {
			t.Errorf("renaming a room: %v, %v", vs, err)
		}
		small := *plenary
		small.Capacity = 100
		vs, err := md.Conflicts(md.WithRoom(&small))
		if err != nil || len(vs) == 0 || !vs[0].Hard || !strings.Contains(vs[0].Message, "'Opening' expects 900 people") {
			t.Errorf("shrinking the plenary: %v, %v", vs, err)
		}
		if err := db.UpdateRoom(ctx, &renamed); err != nil {
			t.Fatal(err)
		}
		dup := renamed
		dup.Name = "Room 2"
		if err := db.UpdateRoom(ctx, &dup); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "Room 2") {
			t.Errorf("a duplicate room name: %v", err)
		}

		// A room the timetable uses is refused, with its sessions named.
		err = db.DeleteRoom(ctx, m.ID, plenary.ID)
		if concord.ErrorCode(err) != concord.ECONFLICT || !strings.Contains(err.Error(), "'Opening'") {
			t.Errorf("deleting a room in use: %v", err)
		}
		// So is one a session is pinned to.
		if err := db.SetPin(ctx, m, byTitle(md, "Community networks").ID, -1, -1, spare.ID); err != nil {
			t.Fatal(err)
		}
		err = db.DeleteRoom(ctx, m.ID, spare.ID)
		if concord.ErrorCode(err) != concord.ECONFLICT || !strings.Contains(err.Error(), "pinned") || !strings.Contains(err.Error(), "'Community networks'") {
			t.Errorf("deleting a room a session is pinned to: %v", err)
		}
		if err := db.SetPin(ctx, m, byTitle(md, "Community networks").ID, -1, -1, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteRoom(ctx, m.ID, spare.ID); err != nil {
			t.Fatalf("deleting an unused room: %v", err)
		}
		if rooms, _ := db.Rooms(ctx, m.ID); len(rooms) != 3 {
			t.Errorf("%d rooms after the deletion, want 3", len(rooms))
		}

		// A bigger session shows its capacity conflict; the edit keeps the pin.
		md, _ = db.LoadMeeting(ctx, m)
		courts := *byTitle(md, "AI in courts")
		cp, _ := md.Placement(courts.ID)
		courts.Attendance = md.Room(cp.RoomID).Capacity + 1
		vs, err = md.Conflicts(md.WithSession(&courts))
		if err != nil || len(vs) == 0 || vs[0].Kind != "capacity" {
			t.Errorf("a session outgrowing its room: %v, %v", vs, err)
		}
		courts.Title = "AI in the courts"
		courts.PinDay, courts.PinSlot = 2, 0 // not the edit's to change
		if err := db.UpdateSession(ctx, m, &courts); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Session(ctx, m.ID, courts.ID); got.Title != "AI in the courts" || got.Attendance != courts.Attendance || got.Pinned() {
			t.Errorf("after the update: %+v", got)
		}

		// Deleting a placed, starred session unpublishes it through the log.
		acc, err := db.CreateAccount(ctx, "Bo", "bo@example.org", "hash")
		if err != nil {
			t.Fatal(err)
		}
		rural := byTitle(md, "Rural access")
		db.Star(ctx, acc.ID, rural.ID, true)
		before := m.Published
		md, _ = db.LoadMeeting(ctx, m)
		if err := db.DeleteSession(ctx, md, rural.ID, "sec"); err != nil {
			t.Fatal(err)
		}
		m3, _ := db.CurrentMeeting(ctx, m.ForumID)
		md, _ = db.LoadMeeting(ctx, m3)
		if _, placed := md.Placement(rural.ID); placed || md.SessionByID(rural.ID) != nil || len(md.Placements) != 5 {
			t.Errorf("the deleted session is still there: %d placements", len(md.Placements))
		}
		if n, _ := db.StarCount(ctx, rural.ID); n != 0 {
			t.Errorf("%d stars outlived the session", n)
		}
		if m3.Published != before+1 {
			t.Errorf("published %d → %d; the deletion should be a publication", before, m3.Published)
		}
		if e, err := db.Decision(ctx, m3.Decision); err != nil || !strings.Contains(e.Subject, "'Rural access' deleted") {
			t.Errorf("decision entry: %+v, %v", e, err)
		}
		if rep, err := md.Check(); err != nil || len(rep.Hard) != 1 || rep.Hard[0].Kind != "capacity" {
			t.Errorf("the timetable should break only the capacity rule the edit created: %+v, %v", rep.Hard, err)
		}
	})
}

// TestMeetingSolveReplays: the publication records seed and iterations, and
// solving the recorded inputs again gives the published timetable exactly,
// for a first publication and for a re-solve that starts from it.
func TestMeetingSolveReplays(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		m, md := meetingFixture(t, db)
		for round := range 2 {
			before := *md
			before.Placements = slices.Clone(md.Placements)
			if _, err := db.SolveMeeting(ctx, md, uint64(11+round), 0); err != nil {
				t.Fatal(err)
			}
			idx, err := db.PublishDraft(ctx, md, "sec")
			if err != nil {
				t.Fatal(err)
			}
			e, err := db.Decision(ctx, idx)
			if err != nil {
				t.Fatal(err)
			}
			m, _ = db.CurrentMeeting(ctx, m.ForumID)
			md, _ = db.LoadMeeting(ctx, m)
			got := replay(t, &before, e)
			want := slices.Clone(md.Placements)
			for i := range want {
				want[i].Sequence = 0
			}
			bySession := func(a, b concord.Placement) int { return int(a.SessionID - b.SessionID) }
			slices.SortFunc(got, bySession)
			slices.SortFunc(want, bySession)
			if !slices.Equal(got, want) {
				t.Errorf("round %d: the replay differs from the publication:\n%v\n%v", round, got, want)
			}
		}
	})
}

// replay re-runs the solver on a publication's recorded seed and
// iterations over the inputs before reads, after checking they hash to
// what the entry recorded.
func replay(t *testing.T, before *MeetingData, e *decisionlog.Entry) []concord.Placement {
	t.Helper()
	var result struct {
		Iterations int64 `json:"iterations"`
	}
	if err := json.Unmarshal(e.Result, &result); err != nil || result.Iterations <= 0 {
		t.Fatalf("the entry records no iterations: %s, %v", e.Result, err)
	}
	seed, err := strconv.ParseUint(e.Seed, 10, 64)
	if err != nil {
		t.Fatalf("the entry records no seed: %q", e.Seed)
	}
	tm := before.Timetable()
	if h, _ := decisionlog.InputsHash(tm); h != e.InputsHash {
		t.Fatalf("the inputs hash to %s, the entry says %s", h, e.InputsHash)
	}
	res, err := timetable.Solve(tm, timetable.Options{Seed: seed, Iterations: result.Iterations})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := before.FromSolver(res.Timetable)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}
