// Package timetable places the sessions of a forum's annual meeting in rooms
// and time slots: no one in two sessions at once, rooms large enough and
// equipped, availability and pins respected, and as few soft clashes as
// possible (same subtheme in parallel, registrants' starred sessions
// overlapping, organisers' preferences, a series changing rooms, sessions
// moved since the last published timetable). Every remaining violation is
// reported in words for the secretariat. The search core is shared with the
// ITC-2007 benchmark front-end in package itc2007.
package timetable

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"concord/algo/timetable/internal/core"
)

// Grid is the meeting's time grid: Days days of SlotsPerDay slots. Names are
// optional labels for messages ("Tue", "10:00").
type Grid struct {
	Days, SlotsPerDay int
	DayNames          []string
	SlotNames         []string
}

// Slot is a time: a day and a slot within it, both from 0.
type Slot struct {
	Day, Slot int
}

// Window is the slots [From, To) of one day.
type Window struct {
	Day, From, To int
}

// Room is a place sessions run in.
type Room struct {
	ID       string
	Capacity int
	Features []string // e.g. "interpretation", "streaming"
}

// Session is one item of the programme.
type Session struct {
	ID         string
	Title      string   // used in messages; ID when empty
	Duration   int      // slots; 0 means 1
	People     []string // speakers, moderators, rapporteurs: anyone who must attend
	Attendance int      // expected; the room must seat it
	Features   []string // room features required
	Available  []Window // when it may run; nil means any time
	Pin        *Slot    // fixed start, if any
	PinRoom    string   // fixed room, if any
	Subtheme   string
	Type       string // e.g. "workshop", "main session"; see Meeting.TypeLimits
	Series     string // sessions of a series should keep one room
	Preferred  []Slot // organisers' preferred starts; nil means no preference
}

// CoStar counts registrants who starred both sessions A and B.
type CoStar struct {
	A, B  string
	Count int
}

// Weights price the soft constraints. The zero value of a field switches
// that constraint off; DefaultWeights gives a sensible set.
type Weights struct {
	SubthemeParallel int // per extra same-subtheme session running in a slot
	SubthemeSpread   int // per day a subtheme is short of spreading over
	Star             int // per registrant whose two starred sessions overlap
	Preference       int // per session outside its organisers' preferred starts
	Series           int // per room beyond the first a series uses
	Move             int // per session moved from the previous timetable
}

// DefaultWeights favours stability of a published timetable, then subthemes
// not competing with themselves.
func DefaultWeights() Weights {
	return Weights{SubthemeParallel: 10, SubthemeSpread: 5, Star: 1, Preference: 3, Series: 4, Move: 20}
}

// Meeting is everything the solver needs.
type Meeting struct {
	Grid     Grid
	Rooms    []Room
	Sessions []Session
	// TypeLimits caps how many sessions of a type run in parallel.
	TypeLimits map[string]int
	// PersonAvailable, when a person is listed, restricts their sessions to
	// these windows.
	PersonAvailable map[string][]Window
	// Stars are registrants' starred session sets; CoStars are the same
	// information as pair counts. Both may be given; counts add up.
	Stars   [][]string
	CoStars []CoStar
	Weights Weights
	// Previous is the published timetable, for re-solving after an edit:
	// moving a session away from it costs Weights.Move.
	Previous *Timetable
}

// Placement puts a session in a room at a start time.
type Placement struct {
	Session string
	Start   Slot
	Room    string
}

// Timetable is one placement per session.
type Timetable struct {
	Placements []Placement
}

// Options bound a Solve run. With Deadline zero the run depends only on the
// meeting, Seed and Iterations, and replays exactly.
type Options struct {
	Seed       uint64
	Iterations int64     // cap on search moves; 0 means 3,000 per session (at least 200,000) unless a Deadline is set
	Deadline   time.Time // optional wall-clock limit
	// Now reads the clock when Deadline is set; nil means time.Now.
	Now func() time.Time
}

// Result is a solved timetable with everything still wrong with it.
type Result struct {
	Timetable Timetable
	Report
	Issues     []Issue // from Feasibility, found before solving
	Iterations int64
}

// compiled is a meeting mapped onto the core, with the indexes messages need.
type compiled struct {
	m        *Meeting
	nSlots   int
	session  map[string]int
	room     map[string]int
	dur      []int
	avail    [][]bool // session → start slot allowed by availability, grid and pin
	roomOK   [][]bool // session → room hosts it (capacity, features, pin)
	people   [][]int  // session → person indexes
	persons  []string
	subtheme map[string][]int
	typ      map[string][]int
	series   map[string][]int
	pairs    map[[2]int]int // co-star counts, a < b
	prev     []Placement    // by session; Session "" when none
	prevSt   []int
	prevRm   []int
	prob     *core.Problem
}

// ErrInvalid wraps structural mistakes in a Meeting (unknown ids, bad sizes).
var ErrInvalid = errors.New("timetable: invalid meeting")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

func compile(m *Meeting) (*compiled, error) {
	g := m.Grid
	if g.Days <= 0 || g.SlotsPerDay <= 0 {
		return nil, invalid("grid needs days and slots per day, got %d×%d", g.Days, g.SlotsPerDay)
	}
	if len(m.Rooms) == 0 {
		return nil, invalid("no rooms")
	}
	c := &compiled{m: m, nSlots: g.Days * g.SlotsPerDay, session: map[string]int{}, room: map[string]int{},
		subtheme: map[string][]int{}, typ: map[string][]int{}, series: map[string][]int{}, pairs: map[[2]int]int{}}
	for i, r := range m.Rooms {
		if _, dup := c.room[r.ID]; dup {
			return nil, invalid("room %q listed twice", r.ID)
		}
		c.room[r.ID] = i
	}
	personIdx := map[string]int{}
	n := len(m.Sessions)
	c.dur = make([]int, n)
	c.avail = make([][]bool, n)
	c.roomOK = make([][]bool, n)
	c.people = make([][]int, n)
	for i, s := range m.Sessions {
		if s.ID == "" {
			return nil, invalid("session %d has no id", i)
		}
		if _, dup := c.session[s.ID]; dup {
			return nil, invalid("session %q listed twice", s.ID)
		}
		c.session[s.ID] = i
		d := max(s.Duration, 1)
		if d > g.SlotsPerDay {
			return nil, invalid("session %q lasts %d slots, longer than a day", s.ID, d)
		}
		c.dur[i] = d
		if s.PinRoom != "" {
			if _, ok := c.room[s.PinRoom]; !ok {
				return nil, invalid("session %q pinned to unknown room %q", s.ID, s.PinRoom)
			}
		}
		if s.Pin != nil && (s.Pin.Day < 0 || s.Pin.Day >= g.Days || s.Pin.Slot < 0 || s.Pin.Slot >= g.SlotsPerDay) {
			return nil, invalid("session %q pinned outside the grid", s.ID)
		}
		seen := map[string]bool{}
		for _, p := range s.People {
			if seen[p] {
				continue
			}
			seen[p] = true
			k, ok := personIdx[p]
			if !ok {
				k = len(c.persons)
				personIdx[p] = k
				c.persons = append(c.persons, p)
			}
			c.people[i] = append(c.people[i], k)
		}
		c.avail[i] = c.startsAllowed(s, d)
		ok := make([]bool, len(m.Rooms))
		for r, room := range m.Rooms {
			ok[r] = c.roomHosts(s, r, room)
		}
		c.roomOK[i] = ok
		if s.Subtheme != "" {
			c.subtheme[s.Subtheme] = append(c.subtheme[s.Subtheme], i)
		}
		if s.Type != "" {
			c.typ[s.Type] = append(c.typ[s.Type], i)
		}
		if s.Series != "" {
			c.series[s.Series] = append(c.series[s.Series], i)
		}
	}
	for t, k := range m.TypeLimits {
		if k < 1 {
			return nil, invalid("type %q limit %d must be at least 1", t, k)
		}
	}
	addPair := func(a, b string, k int) error {
		i, ok1 := c.session[a]
		j, ok2 := c.session[b]
		if !ok1 || !ok2 {
			return invalid("stars name unknown session %q or %q", a, b)
		}
		if i == j {
			return nil
		}
		c.pairs[[2]int{min(i, j), max(i, j)}] += k
		return nil
	}
	for _, set := range m.Stars {
		for x := range set {
			for y := x + 1; y < len(set); y++ {
				if err := addPair(set[x], set[y], 1); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, cs := range m.CoStars {
		if err := addPair(cs.A, cs.B, cs.Count); err != nil {
			return nil, err
		}
	}
	c.prev = make([]Placement, n)
	c.prevSt = make([]int, n)
	c.prevRm = make([]int, n)
	for i := range c.prevSt {
		c.prevSt[i], c.prevRm[i] = -1, -1
	}
	if m.Previous != nil {
		for _, p := range m.Previous.Placements {
			i, ok := c.session[p.Session]
			r, okr := c.room[p.Room]
			if !ok || !okr || !c.inGrid(p.Start) {
				continue // sessions since deleted, rooms since closed
			}
			c.prev[i] = p
			c.prevSt[i] = c.slotIndex(p.Start)
			c.prevRm[i] = r
		}
	}
	c.prob = c.problem()
	return c, nil
}

func (c *compiled) inGrid(s Slot) bool {
	g := c.m.Grid
	return s.Day >= 0 && s.Day < g.Days && s.Slot >= 0 && s.Slot < g.SlotsPerDay
}

func (c *compiled) slotIndex(s Slot) int { return s.Day*c.m.Grid.SlotsPerDay + s.Slot }

func (c *compiled) slotOf(t int) Slot {
	return Slot{Day: t / c.m.Grid.SlotsPerDay, Slot: t % c.m.Grid.SlotsPerDay}
}

func windowsCover(ws []Window, day, from, to int) bool {
	for t := from; t < to; t++ {
		in := false
		for _, w := range ws {
			if w.Day == day && w.From <= t && t < w.To {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// startsAllowed marks the starts where the whole session fits in its day,
// in its own and its people's availability, and on its pin.
func (c *compiled) startsAllowed(s Session, d int) []bool {
	g := c.m.Grid
	ok := make([]bool, c.nSlots)
	for t := range c.nSlots {
		day, k := t/g.SlotsPerDay, t%g.SlotsPerDay
		if k+d > g.SlotsPerDay {
			continue
		}
		if s.Pin != nil && (s.Pin.Day != day || s.Pin.Slot != k) {
			continue
		}
		if s.Available != nil && !windowsCover(s.Available, day, k, k+d) {
			continue
		}
		fits := true
		for _, p := range s.People {
			if ws, ok := c.m.PersonAvailable[p]; ok && !windowsCover(ws, day, k, k+d) {
				fits = false
				break
			}
		}
		ok[t] = fits
	}
	return ok
}

func (c *compiled) roomHosts(s Session, r int, room Room) bool {
	if s.PinRoom != "" && c.room[s.PinRoom] != r {
		return false
	}
	if room.Capacity < s.Attendance {
		return false
	}
	for _, f := range s.Features {
		if !slices.Contains(room.Features, f) {
			return false
		}
	}
	return true
}

// problem maps the meeting onto the core. A session with no allowed start or
// room gets the whole grid or every room instead, so the solver still places
// it and the report names the violation.
func (c *compiled) problem() *core.Problem {
	m := c.m
	w := m.Weights
	p := &core.Problem{Days: m.Grid.Days, SlotsPerDay: m.Grid.SlotsPerDay, Rooms: len(m.Rooms)}
	for i, s := range m.Sessions {
		ev := core.Event{Length: c.dur[i], PrevStart: c.prevSt[i], PrevRoom: c.prevRm[i], MoveCost: w.Move}
		for t, ok := range c.avail[i] {
			if ok {
				ev.Starts = append(ev.Starts, t)
			}
		}
		for r, ok := range c.roomOK[i] {
			if ok {
				ev.Rooms = append(ev.Rooms, r)
			}
		}
		if s.Preferred != nil && w.Preference != 0 {
			ev.SlotCost = make([]int, c.nSlots)
			for t := range ev.SlotCost {
				ev.SlotCost[t] = w.Preference
			}
			for _, ps := range s.Preferred {
				if c.inGrid(ps) {
					ev.SlotCost[c.slotIndex(ps)] = 0
				}
			}
		}
		p.Events = append(p.Events, ev)
	}
	personEvents := make([][]int, len(c.persons))
	for i, ps := range c.people {
		for _, k := range ps {
			personEvents[k] = append(personEvents[k], i)
		}
	}
	for _, evs := range personEvents {
		if len(evs) > 1 {
			p.Groups = append(p.Groups, core.Group{Events: evs, Cap: 1, Hard: true})
		}
	}
	for _, t := range sortedKeys(c.typ) {
		if k, ok := m.TypeLimits[t]; ok && len(c.typ[t]) > k {
			p.Groups = append(p.Groups, core.Group{Events: c.typ[t], Cap: k, Hard: true})
		}
	}
	for _, st := range sortedKeys(c.subtheme) {
		evs := c.subtheme[st]
		if len(evs) < 2 {
			continue
		}
		if w.SubthemeParallel != 0 {
			p.Groups = append(p.Groups, core.Group{Events: evs, Cap: 1, Weight: w.SubthemeParallel})
		}
		if w.SubthemeSpread != 0 {
			p.Spreads = append(p.Spreads, core.Spread{Events: evs, MinDays: c.spreadWant(len(evs)), Weight: w.SubthemeSpread})
		}
	}
	if w.Series != 0 {
		for _, se := range sortedKeys(c.series) {
			if evs := c.series[se]; len(evs) > 1 {
				p.SameRooms = append(p.SameRooms, core.SameRoom{Events: evs, Weight: w.Series})
			}
		}
	}
	if w.Star != 0 {
		keys := make([][2]int, 0, len(c.pairs))
		for k := range c.pairs {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b [2]int) int {
			if a[0] != b[0] {
				return a[0] - b[0]
			}
			return a[1] - b[1]
		})
		for _, k := range keys {
			p.Pairs = append(p.Pairs, core.Pair{A: k[0], B: k[1], Weight: w.Star * c.pairs[k]})
		}
	}
	return p
}

// spreadWant is how many days a subtheme with n sessions should cover.
func (c *compiled) spreadWant(n int) int { return min(n, c.m.Grid.Days) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Solve builds a timetable. It fails only on a malformed meeting; an
// infeasible one still gets the best timetable found, with Issues saying why
// and the hard violations listed in the Report. With m.Previous set, the
// search starts from it and moves as few sessions as the weights justify.
func Solve(m *Meeting, opt Options) (Result, error) {
	c, err := compile(m)
	if err != nil {
		return Result{}, err
	}
	// Meetings are small and can be tight in hard terms: a hard violation
	// starts cheap (20, next to a move's 20) and grows to 1,000, the repair
	// phase runs warm, and a chain that still ends with a clash tries again.
	copt := core.Options{Seed: opt.Seed, Iterations: opt.Iterations, T0: 10, T1: 0.1, PartnerRoom: 0.2, HardWeight: 20, HardWeightEnd: 1000, RepairT0: 0.5, Retries: 5}
	if copt.Iterations == 0 && opt.Deadline.IsZero() {
		copt.Iterations = max(200_000, int64(3000*len(m.Sessions)))
	}
	if !opt.Deadline.IsZero() {
		now := opt.Now
		if now == nil {
			now = time.Now
		}
		begin := now()
		total := opt.Deadline.Sub(begin)
		copt.Progress = func() float64 {
			if total <= 0 {
				return 1
			}
			return float64(now().Sub(begin)) / float64(total)
		}
	}
	if m.Previous != nil {
		copt.Start, copt.StartRooms = c.prevSt, c.prevRm
	}
	res, err := core.Solve(c.prob, copt)
	if err != nil {
		return Result{}, err
	}
	tt := c.timetable(res.Starts, res.Rooms)
	return Result{Timetable: tt, Report: c.report(res.Starts, res.Rooms), Issues: c.feasibility(), Iterations: res.Iterations}, nil
}

func (c *compiled) timetable(starts, rooms []int) Timetable {
	tt := Timetable{Placements: make([]Placement, 0, len(starts))}
	for i, s := range c.m.Sessions {
		if starts[i] < 0 {
			continue
		}
		tt.Placements = append(tt.Placements, Placement{Session: s.ID, Start: c.slotOf(starts[i]), Room: c.m.Rooms[rooms[i]].ID})
	}
	return tt
}
