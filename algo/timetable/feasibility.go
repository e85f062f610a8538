package timetable

import (
	"fmt"
	"slices"
)

// Issue is a reason, found before solving, why no timetable can satisfy
// every hard constraint.
type Issue struct {
	Kind     string   // one of the Kind constants of the violation it forces
	Sessions []string // ids involved, if any
	Message  string
}

// Feasibility checks a meeting before solving: more session time than
// room time, a person booked for more slots than they can attend, a session
// no room can host or with no time it may start, a session type needing more
// parallel tracks than its limit allows. An empty list does not prove a
// timetable exists; a non-empty one proves none does.
func Feasibility(m *Meeting) ([]Issue, error) {
	c, err := compile(m)
	if err != nil {
		return nil, err
	}
	return c.feasibility(), nil
}

func (c *compiled) feasibility() []Issue {
	m := c.m
	var out []Issue
	add := func(kind string, is []int, format string, a ...any) {
		out = append(out, Issue{Kind: kind, Sessions: c.ids(is), Message: fmt.Sprintf(format, a...)})
	}
	need := 0
	for _, d := range c.dur {
		need += d
	}
	if have := len(m.Rooms) * c.nSlots; need > have {
		add(KindRoomClash, nil, "The sessions need %d room-slots but %d rooms × %d slots give only %d", need, len(m.Rooms), c.nSlots, have)
	}
	for i, s := range m.Sessions {
		if !slices.Contains(c.roomOK[i], true) {
			best := 0
			for _, r := range m.Rooms {
				best = max(best, r.Capacity)
			}
			msg := fmt.Sprintf("No room can host %s (expects %d people", c.name(i), s.Attendance)
			if len(s.Features) > 0 {
				msg += fmt.Sprintf(", needs %v", s.Features)
			}
			if s.PinRoom != "" {
				msg += ", pinned to '" + s.PinRoom + "'"
			}
			msg += fmt.Sprintf("; the largest room seats %d)", best)
			add(KindCapacity, []int{i}, "%s", msg)
		}
		if !slices.Contains(c.avail[i], true) {
			add(KindAvailability, []int{i}, "%s (%d slots) has no start time that fits its availability, its people's and its pin", c.name(i), c.dur[i])
		}
	}
	// A person's sessions must fit in the slots they can attend.
	for k, p := range c.persons {
		var mine []int
		booked := 0
		for i := range m.Sessions {
			if slices.Contains(c.people[i], k) {
				mine = append(mine, i)
				booked += c.dur[i]
			}
		}
		free := c.nSlots
		if ws, ok := m.PersonAvailable[p]; ok {
			free = 0
			for t := range c.nSlots {
				if windowsCover(ws, t/m.Grid.SlotsPerDay, t%m.Grid.SlotsPerDay, t%m.Grid.SlotsPerDay+1) {
					free++
				}
			}
		}
		if booked > free {
			add(KindPersonClash, mine, "%s is in %d sessions lasting %d slots, but can attend only %d slots", p, len(mine), booked, free)
		}
	}
	for _, typ := range sortedKeys(c.typ) {
		limit, ok := m.TypeLimits[typ]
		if !ok {
			continue
		}
		booked := 0
		for _, i := range c.typ[typ] {
			booked += c.dur[i]
		}
		if have := limit * c.nSlots; booked > have {
			add(KindTypeLimit, c.typ[typ], "Sessions of type '%s' need %d slots, but at most %d run at once over %d slots", typ, booked, limit, c.nSlots)
		}
	}
	return out
}
