package timetable

import (
	"fmt"
	"slices"
	"strings"
)

// Violation kinds.
const (
	// Hard.
	KindUnscheduled  = "unscheduled"
	KindOffGrid      = "off-grid"
	KindPersonClash  = "person-clash"
	KindRoomClash    = "room-clash"
	KindCapacity     = "capacity"
	KindFeatures     = "features"
	KindAvailability = "availability"
	KindPin          = "pin"
	KindTypeLimit    = "type-limit"
	// Soft.
	KindSubthemeParallel = "subtheme-parallel"
	KindSubthemeSpread   = "subtheme-spread"
	KindStars            = "stars"
	KindPreference       = "preference"
	KindSeriesRoom       = "series-room"
	KindMoved            = "moved"
)

// Violation is one thing wrong with a timetable, in words.
type Violation struct {
	Kind     string
	Hard     bool
	Sessions []string // ids of the sessions involved
	Cost     int      // soft cost under the meeting's weights; 0 if hard
	Message  string
}

// Report lists what is wrong with a timetable. SoftCost is the sum of the
// soft violations' costs, the number the solver minimises.
type Report struct {
	Hard     []Violation
	Soft     []Violation
	SoftCost int
}

// Check lists every hard and soft violation of tt, for showing the
// secretariat what a manual move or swap breaks before it is saved. It fails
// only when tt names sessions or rooms the meeting does not have.
func Check(m *Meeting, tt Timetable) (Report, error) {
	c, err := compile(m)
	if err != nil {
		return Report{}, err
	}
	starts, rooms, extra, err := c.placements(tt)
	if err != nil {
		return Report{}, err
	}
	r := c.report(starts, rooms)
	r.Hard = append(extra, r.Hard...)
	return r, nil
}

// CheckEdit lists the violations that after has and before had not: what an
// edit of the timetable creates.
func CheckEdit(m *Meeting, before, after Timetable) ([]Violation, error) {
	rb, err := Check(m, before)
	if err != nil {
		return nil, err
	}
	ra, err := Check(m, after)
	if err != nil {
		return nil, err
	}
	old := map[string]bool{}
	for _, v := range append(rb.Hard, rb.Soft...) {
		old[v.Message] = true
	}
	var created []Violation
	for _, v := range append(ra.Hard, ra.Soft...) {
		if !old[v.Message] {
			created = append(created, v)
		}
	}
	return created, nil
}

// placements indexes tt by session; sessions placed twice or off the grid
// come back as extra hard violations.
func (c *compiled) placements(tt Timetable) (starts, rooms []int, extra []Violation, err error) {
	n := len(c.m.Sessions)
	starts = make([]int, n)
	rooms = make([]int, n)
	for i := range starts {
		starts[i], rooms[i] = -1, -1
	}
	for _, p := range tt.Placements {
		i, ok := c.session[p.Session]
		if !ok {
			return nil, nil, nil, invalid("timetable places unknown session %q", p.Session)
		}
		r, ok := c.room[p.Room]
		if !ok {
			return nil, nil, nil, invalid("timetable uses unknown room %q", p.Room)
		}
		name := c.name(i)
		if starts[i] >= 0 {
			extra = append(extra, Violation{Kind: KindUnscheduled, Hard: true, Sessions: []string{p.Session},
				Message: fmt.Sprintf("%s is placed twice", name)})
			continue
		}
		if !c.inGrid(p.Start) || p.Start.Slot+c.dur[i] > c.m.Grid.SlotsPerDay {
			extra = append(extra, Violation{Kind: KindOffGrid, Hard: true, Sessions: []string{p.Session},
				Message: fmt.Sprintf("%s does not fit in the day at day %d slot %d", name, p.Start.Day+1, p.Start.Slot+1)})
			continue
		}
		starts[i], rooms[i] = c.slotIndex(p.Start), r
	}
	return starts, rooms, extra, nil
}

func (c *compiled) name(i int) string {
	s := c.m.Sessions[i]
	if s.Title != "" {
		return "'" + s.Title + "'"
	}
	return "'" + s.ID + "'"
}

func (c *compiled) names(is []int) string {
	parts := make([]string, len(is))
	for k, i := range is {
		parts[k] = c.name(i)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func (c *compiled) ids(is []int) []string {
	out := make([]string, len(is))
	for k, i := range is {
		out[k] = c.m.Sessions[i].ID
	}
	return out
}

// at names a slot ("Tue 10:00", or "day 2 slot 3" without grid names).
func (c *compiled) at(t int) string {
	g := c.m.Grid
	d, k := t/g.SlotsPerDay, t%g.SlotsPerDay
	day := fmt.Sprintf("day %d", d+1)
	if d < len(g.DayNames) {
		day = g.DayNames[d]
	}
	slot := fmt.Sprintf("slot %d", k+1)
	if k < len(g.SlotNames) {
		slot = g.SlotNames[k]
	}
	return day + " " + slot
}

// span names slots [from, to) of one day.
func (c *compiled) span(from, to int) string {
	if to-from <= 1 {
		return c.at(from)
	}
	g := c.m.Grid
	end := to - 1
	k := end % g.SlotsPerDay
	if k < len(g.SlotNames) {
		return c.at(from) + "–" + g.SlotNames[k]
	}
	return fmt.Sprintf("%s–%d", c.at(from), k+1)
}

// runs calls f for each maximal stretch of consecutive slots of one day over
// which busy(t) returns the same set of at least min sessions.
func (c *compiled) runs(busy func(t int) []int, minCount int, f func(from, to int, set []int)) {
	spd := c.m.Grid.SlotsPerDay
	var cur []int
	from := -1
	flush := func(to int) {
		if from >= 0 {
			f(from, to, cur)
		}
		from, cur = -1, nil
	}
	for t := range c.nSlots {
		set := busy(t)
		if len(set) < minCount {
			flush(t)
			continue
		}
		if from >= 0 && t%spd != 0 && slices.Equal(set, cur) {
			continue
		}
		flush(t)
		from, cur = t, set
	}
	flush(c.nSlots)
}

// report lists the violations of a placement (start -1: not placed). The
// soft costs add up to the core's soft cost for the same placement.
func (c *compiled) report(starts, rooms []int) Report {
	m := c.m
	w := m.Weights
	var r Report
	hard := func(kind string, is []int, format string, a ...any) {
		r.Hard = append(r.Hard, Violation{Kind: kind, Hard: true, Sessions: c.ids(is), Message: fmt.Sprintf(format, a...)})
	}
	soft := func(kind string, is []int, cost int, format string, a ...any) {
		r.Soft = append(r.Soft, Violation{Kind: kind, Sessions: c.ids(is), Cost: cost, Message: fmt.Sprintf(format, a...)})
		r.SoftCost += cost
	}
	// Who runs when: sessions covering each slot, in session order.
	cover := make([][]int, c.nSlots)
	for i, st := range starts {
		if st < 0 {
			hard(KindUnscheduled, []int{i}, "%s is not scheduled", c.name(i))
			continue
		}
		for t := st; t < st+c.dur[i]; t++ {
			cover[t] = append(cover[t], i)
		}
	}
	filter := func(t int, keep func(i int) bool) []int {
		var out []int
		for _, i := range cover[t] {
			if keep(i) {
				out = append(out, i)
			}
		}
		return out
	}
	for k, person := range c.persons {
		mine := func(i int) bool { return slices.Contains(c.people[i], k) }
		c.runs(func(t int) []int { return filter(t, mine) }, 2, func(from, to int, set []int) {
			hard(KindPersonClash, set, "%s is in %s at %s", person, c.names(set), c.span(from, to))
		})
	}
	for k, room := range m.Rooms {
		here := func(i int) bool { return rooms[i] == k }
		c.runs(func(t int) []int { return filter(t, here) }, 2, func(from, to int, set []int) {
			hard(KindRoomClash, set, "Room '%s' hosts %s at %s", room.ID, c.names(set), c.span(from, to))
		})
	}
	for _, typ := range sortedKeys(c.typ) {
		limit, ok := m.TypeLimits[typ]
		if !ok {
			continue
		}
		of := func(i int) bool { return m.Sessions[i].Type == typ }
		c.runs(func(t int) []int { return filter(t, of) }, limit+1, func(from, to int, set []int) {
			hard(KindTypeLimit, set, "%d sessions of type '%s' run at %s (at most %d): %s", len(set), typ, c.span(from, to), limit, c.names(set))
		})
	}
	for i, st := range starts {
		if st < 0 {
			continue
		}
		s := m.Sessions[i]
		room := m.Rooms[rooms[i]]
		if room.Capacity < s.Attendance {
			hard(KindCapacity, []int{i}, "%s expects %d people; room '%s' seats %d", c.name(i), s.Attendance, room.ID, room.Capacity)
		}
		var missing []string
		for _, f := range s.Features {
			if !slices.Contains(room.Features, f) {
				missing = append(missing, f)
			}
		}
		if missing != nil {
			hard(KindFeatures, []int{i}, "%s needs %s; room '%s' lacks it", c.name(i), strings.Join(missing, ", "), room.ID)
		}
		day, k := st/m.Grid.SlotsPerDay, st%m.Grid.SlotsPerDay
		if s.Available != nil && !windowsCover(s.Available, day, k, k+c.dur[i]) {
			hard(KindAvailability, []int{i}, "%s at %s is outside the times it may run", c.name(i), c.span(st, st+c.dur[i]))
		}
		for _, p := range s.People {
			if ws, ok := m.PersonAvailable[p]; ok && !windowsCover(ws, day, k, k+c.dur[i]) {
				hard(KindAvailability, []int{i}, "%s at %s: %s is not available", c.name(i), c.span(st, st+c.dur[i]), p)
			}
		}
		if s.Pin != nil && c.slotIndex(*s.Pin) != st {
			hard(KindPin, []int{i}, "%s is pinned to %s but placed at %s", c.name(i), c.at(c.slotIndex(*s.Pin)), c.at(st))
		}
		if s.PinRoom != "" && s.PinRoom != room.ID {
			hard(KindPin, []int{i}, "%s is pinned to room '%s' but placed in '%s'", c.name(i), s.PinRoom, room.ID)
		}
	}

	// Soft, in the core's terms so the costs agree.
	if w.SubthemeParallel != 0 {
		for _, st := range sortedKeys(c.subtheme) {
			of := func(i int) bool { return m.Sessions[i].Subtheme == st }
			c.runs(func(t int) []int { return filter(t, of) }, 2, func(from, to int, set []int) {
				verb := "share"
				if len(set) > 2 {
					verb = "all share"
				}
				soft(KindSubthemeParallel, set, (to-from)*(len(set)-1)*w.SubthemeParallel,
					"Sessions %s %s subtheme '%s' at %s", c.names(set), verb, st, c.span(from, to))
			})
		}
	}
	if w.SubthemeSpread != 0 {
		for _, st := range sortedKeys(c.subtheme) {
			evs := c.subtheme[st]
			if len(evs) < 2 {
				continue
			}
			days := map[int]bool{}
			for _, i := range evs {
				if starts[i] >= 0 {
					days[starts[i]/m.Grid.SlotsPerDay] = true
				}
			}
			if want := c.spreadWant(len(evs)); len(days) < want {
				soft(KindSubthemeSpread, evs, (want-len(days))*w.SubthemeSpread,
					"Subtheme '%s' has %d sessions on %d days; it should cover %d", st, len(evs), len(days), want)
			}
		}
	}
	if w.Star != 0 {
		for _, pr := range c.prob.Pairs {
			a, b := pr.A, pr.B
			sa, sb := starts[a], starts[b]
			if sa < 0 || sb < 0 || sa >= sb+c.dur[b] || sb >= sa+c.dur[a] {
				continue
			}
			k := c.pairs[[2]int{a, b}]
			soft(KindStars, []int{a, b}, pr.Weight, "Sessions %s overlap at %s; %d registrants starred both",
				c.names([]int{a, b}), c.at(max(sa, sb)), k)
		}
	}
	if w.Preference != 0 {
		for i, s := range m.Sessions {
			st := starts[i]
			if st < 0 || s.Preferred == nil {
				continue
			}
			pref := slices.ContainsFunc(s.Preferred, func(p Slot) bool { return c.inGrid(p) && c.slotIndex(p) == st })
			if !pref {
				soft(KindPreference, []int{i}, w.Preference, "%s is at %s, not at a time its organisers preferred", c.name(i), c.at(st))
			}
		}
	}
	if w.Series != 0 {
		for _, se := range sortedKeys(c.series) {
			evs := c.series[se]
			var used []string
			for _, i := range evs {
				if rooms[i] >= 0 && !slices.Contains(used, m.Rooms[rooms[i]].ID) {
					used = append(used, m.Rooms[rooms[i]].ID)
				}
			}
			if len(used) > 1 {
				soft(KindSeriesRoom, evs, (len(used)-1)*w.Series, "Series '%s' uses %d rooms (%s)", se, len(used), strings.Join(used, ", "))
			}
		}
	}
	if w.Move != 0 {
		for i := range m.Sessions {
			if c.prevSt[i] < 0 || starts[i] < 0 || (starts[i] == c.prevSt[i] && rooms[i] == c.prevRm[i]) {
				continue
			}
			soft(KindMoved, []int{i}, w.Move, "%s moved from %s in '%s' to %s in '%s'", c.name(i),
				c.at(c.prevSt[i]), m.Rooms[c.prevRm[i]].ID, c.at(starts[i]), m.Rooms[rooms[i]].ID)
		}
	}
	return r
}
