// Package core is the search engine shared by Concord's meeting timetabler and
// the ITC-2007 course timetabling front-end: events placed on (start slot,
// room) pairs, a small set of constraint kinds with incremental costs, greedy
// construction and simulated annealing (move, swap, cheapest-room and
// Kempe-chain neighbourhoods; continuous or stepped cooling with reheats; one
// or several independent chains).
package core

import "fmt"

// Problem is what both front-ends compile to. Slots are numbered day by day:
// slot s is on day s/SlotsPerDay.
type Problem struct {
	Days, SlotsPerDay, Rooms int
	Events                   []Event
	Groups                   []Group
	Spreads                  []Spread
	SameRooms                []SameRoom
	Pairs                    []Pair
}

// Event is one thing to place: a session or a lecture.
type Event struct {
	Length   int   // consecutive slots, within one day; 0 means 1
	Starts   []int // allowed start slots; nil means every start that fits in a day
	Rooms    []int // allowed rooms; nil means every room
	RoomCost []int // soft cost of each room (indexed by room), or nil
	SlotCost []int // soft cost of each start slot, or nil
	// PrevStart/PrevRoom place the event in an earlier timetable (-1: none);
	// leaving that place costs MoveCost (minimal perturbation).
	PrevStart, PrevRoom, MoveCost int
}

// Group is a set of events sharing a resource (a person, a curriculum, a
// session type): at most Cap of them may run in the same slot. Each event over
// Cap costs one hard violation if Hard, else Weight. Isolated > 0 also charges
// every slot where the group is busy but neither neighbouring slot of the same
// day is (curriculum compactness).
type Group struct {
	Events   []int
	Cap      int
	Hard     bool
	Weight   int
	Isolated int
}

// Spread asks the events to cover at least MinDays distinct days; each day
// short costs Weight.
type Spread struct {
	Events  []int
	MinDays int
	Weight  int
}

// SameRoom asks the events to share one room; each further room costs Weight.
type SameRoom struct {
	Events []int
	Weight int
}

// Pair costs Weight when events A and B overlap in time.
type Pair struct {
	A, B, Weight int
}

// Validate reports structural mistakes a front-end could make.
func (p *Problem) Validate() error {
	if p.Days <= 0 || p.SlotsPerDay <= 0 || p.Rooms <= 0 {
		return fmt.Errorf("core: need days, slots per day and rooms, got %d×%d and %d rooms", p.Days, p.SlotsPerDay, p.Rooms)
	}
	n := len(p.Events)
	nSlots := p.Days * p.SlotsPerDay
	for i, e := range p.Events {
		if e.Length > p.SlotsPerDay {
			return fmt.Errorf("core: event %d longer than a day", i)
		}
		for _, s := range e.Starts {
			if s < 0 || s >= nSlots {
				return fmt.Errorf("core: event %d start %d out of range", i, s)
			}
		}
		for _, r := range e.Rooms {
			if r < 0 || r >= p.Rooms {
				return fmt.Errorf("core: event %d room %d out of range", i, r)
			}
		}
		if e.RoomCost != nil && len(e.RoomCost) != p.Rooms {
			return fmt.Errorf("core: event %d room costs need one per room", i)
		}
		if e.SlotCost != nil && len(e.SlotCost) != nSlots {
			return fmt.Errorf("core: event %d slot costs need one per slot", i)
		}
	}
	check := func(kind string, k int, evs []int) error {
		for _, e := range evs {
			if e < 0 || e >= n {
				return fmt.Errorf("core: %s %d names event %d out of range", kind, k, e)
			}
		}
		return nil
	}
	for k, g := range p.Groups {
		if err := check("group", k, g.Events); err != nil {
			return err
		}
	}
	for k, g := range p.Spreads {
		if err := check("spread", k, g.Events); err != nil {
			return err
		}
	}
	for k, g := range p.SameRooms {
		if err := check("same-room set", k, g.Events); err != nil {
			return err
		}
	}
	for k, pr := range p.Pairs {
		if err := check("pair", k, []int{pr.A, pr.B}); err != nil {
			return err
		}
	}
	return nil
}
