package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"concord"
	"concord/sqlstore"
)

// The demo annual meeting: five days, fifteen rooms, about 250 sessions of
// the usual IGF kinds (the accepted proposals of the demo call and made-up
// sessions with speakers from the demo registry), solved with a
// fixed iteration budget so the demo loads the same way every time.

// MeetingSessions is how many sessions the demo meeting has.
const MeetingSessions = 250

// meetingIterations bounds the demo solve; enough for no hard violation.
const meetingIterations = 400_000

const meetingGrid = `09:00-10:30
10:30-11:00 Coffee break
11:00-12:30
12:30-14:00 Lunch
14:00-15:30
15:30-16:00 Coffee break
16:00-17:30
17:45-18:45
`

var meetingRooms = []concord.MeetingRoom{
	{Name: "Plenary Hall", Capacity: 2500, Hybrid: true, Captioning: true, Languages: []string{"ar", "en", "es", "fr", "ru", "zh"}},
	{Name: "Main Hall B", Capacity: 1200, Hybrid: true, Captioning: true, Languages: []string{"en", "es", "fr"}},
	{Name: "Workshop Room 1", Capacity: 300, Hybrid: true, Captioning: true},
	{Name: "Workshop Room 2", Capacity: 300, Hybrid: true, Captioning: true},
	{Name: "Workshop Room 3", Capacity: 250, Hybrid: true},
	{Name: "Workshop Room 4", Capacity: 250, Hybrid: true},
	{Name: "Workshop Room 5", Capacity: 200, Hybrid: true},
	{Name: "Workshop Room 6", Capacity: 200, Hybrid: true},
	{Name: "Workshop Room 7", Capacity: 150, Hybrid: true},
	{Name: "Workshop Room 8", Capacity: 150},
	{Name: "Open Forum Room A", Capacity: 120, Hybrid: true},
	{Name: "Open Forum Room B", Capacity: 120},
	{Name: "NRI Room", Capacity: 100, Hybrid: true},
	{Name: "Lightning Stage", Capacity: 80},
	{Name: "Village Stage", Capacity: 60},
}

var sessionAngles = []string{
	"lessons from the Global South", "what the next decade asks of us", "rights-based approaches", "youth perspectives",
	"the role of parliaments", "measuring what works", "regional cooperation", "gender and inclusion",
	"small island developing states", "open standards", "the private sector's part", "local languages",
}

// sessionMix is how many sessions of each type, with attendance and duration
// of the made-up ones; accepted proposals count towards n.
var sessionMix = []struct {
	typ        string
	n          int
	attendance [2]int // range
	duration   int
	needs      []string
}{
	{"main-session", 8, [2]int{700, 1100}, 1, []string{concord.NeedInterpretation, concord.NeedHybrid}},
	{"workshop", 109, [2]int{60, 240}, 1, []string{concord.NeedHybrid}},
	{"open-forum", 40, [2]int{40, 110}, 1, nil},
	{"lightning-talk", 25, [2]int{20, 60}, 1, nil},
	{"town-hall", 6, [2]int{80, 250}, 2, []string{concord.NeedHybrid}},
	{"nri-session", 25, [2]int{30, 90}, 1, []string{concord.NeedHybrid}},
	{"dynamic-coalition", 24, [2]int{30, 100}, 1, nil},
}

// loadMeeting sets up, solves and publishes the forum's newest meeting.
func loadMeeting(ctx context.Context, db *sqlstore.DB, f *concord.Forum, seed uint64) error {
	cycles, err := db.Cycles(ctx, f.ID)
	if err != nil || len(cycles) == 0 {
		return err
	}
	cy := cycles[0]
	m := &concord.Meeting{ForumID: f.ID, CycleID: cy.ID, Timezone: cy.Timezone, Venue: "Santiago Convention Centre (demo)"}
	if err := db.SaveMeeting(ctx, m); err != nil {
		return err
	}
	for _, r := range meetingRooms {
		r.MeetingID = m.ID
		if err := db.CreateRoom(ctx, &r); err != nil {
			return err
		}
	}
	slots, err := concord.ParseTimeGrid(meetingGrid, m)
	if err != nil {
		return err
	}
	if err := db.SetTimeGrid(ctx, m.ID, slots); err != nil {
		return err
	}
	people, _, err := db.People(ctx, f.ID, sqlstore.PersonFilter{Limit: 600})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d656574))
	uses := map[int64]int{}
	pick := func(k int) []int64 {
		var out []int64
		for len(out) < k {
			p := people[rng.IntN(len(people))].ID
			if uses[p] < 2 && !contains(out, p) {
				uses[p]++
				out = append(out, p)
			}
		}
		return out
	}
	sessions := []concord.Session{
		{Title: fmt.Sprintf("Opening ceremony of IGF %d", m.Year), Type: "opening", Attendance: 2000, People: pick(4),
			Needs: []string{concord.NeedInterpretation, concord.NeedCaptioning}, PinDay: 0, PinSlot: 0},
		{Title: fmt.Sprintf("Closing ceremony of IGF %d", m.Year), Type: "opening", Attendance: 1500, People: pick(3),
			Needs: []string{concord.NeedInterpretation, concord.NeedCaptioning}, PinDay: len(m.Days()) - 1, PinSlot: 6},
	}
	// The accepted proposals of the cycle's call come first; made-up
	// sessions fill each type up to its share of the programme.
	if _, err := db.SessionsFromProposals(ctx, m); err != nil {
		return err
	}
	fromProposals, err := db.Sessions(ctx, m.ID)
	if err != nil {
		return err
	}
	have := map[string]int{}
	for _, s := range fromProposals {
		have[s.Type]++
	}
	for _, mix := range sessionMix {
		for i := have[mix.typ]; i < mix.n; i++ {
			topic := consultationTopics[rng.IntN(len(consultationTopics))]
			angle := sessionAngles[rng.IntN(len(sessionAngles))]
			s := concord.Session{Title: fmt.Sprintf("%s: %s (%d)", topic, angle, i+1), Type: mix.typ,
				Subtheme: cy.Subthemes[rng.IntN(len(cy.Subthemes))], Duration: mix.duration,
				Attendance: mix.attendance[0] + rng.IntN(mix.attendance[1]-mix.attendance[0]+1),
				Needs:      mix.needs, People: pick(2 + rng.IntN(3)), PinDay: -1, PinSlot: -1}
			if rng.IntN(8) == 0 {
				s.Language = []string{"es", "fr", "ar"}[rng.IntN(3)]
			}
			sessions = append(sessions, s)
		}
	}
	// The secretariat's rules: main sessions one at a time and in one room,
	// national and regional initiatives in the middle three days, Dynamic
	// Coalitions in the afternoons if they can.
	loc := m.Location()
	at := func(day, hour int) time.Time {
		d := m.StartDate.AddDate(0, 0, day)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, loc).UTC()
	}
	last := len(m.Days()) - 1
	for _, s := range fromProposals {
		sessions = append(sessions, *s)
	}
	for i := range sessions {
		s := &sessions[i]
		switch s.Type {
		case "main-session":
			s.Series = "Main sessions"
		case "nri-session":
			s.Available = []concord.TimeRange{{Start: at(1, 0), End: at(last, 0)}}
		case "dynamic-coalition":
			for d := range last + 1 {
				s.Preferred = append(s.Preferred, concord.TimeRange{Start: at(d, 14), End: at(d, 18)})
			}
		}
		if s.ID != 0 {
			if s.Type == "nri-session" || s.Type == "dynamic-coalition" {
				if err := db.UpdateSession(ctx, m, s); err != nil {
					return err
				}
			}
			continue
		}
		if err := db.CreateSession(ctx, m, s); err != nil {
			return err
		}
	}
	if err := db.SetTypeLimits(ctx, m, map[string]int{"main-session": 1, "town-hall": 2}); err != nil {
		return err
	}
	md, err := db.LoadMeeting(ctx, m)
	if err != nil {
		return err
	}
	dr, err := db.SolveMeeting(ctx, md, seed, meetingIterations)
	if err != nil {
		return err
	}
	if len(dr.Hard) > 0 {
		return fmt.Errorf("demo meeting: %s", dr.Hard[0].Message)
	}
	_, err = db.PublishDraft(ctx, md, "Demo secretariat")
	return err
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
