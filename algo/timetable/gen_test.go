package timetable

import (
	"fmt"
	"math/rand/v2"
)

// genSpec sizes a random meeting with a planted timetable that meets every
// hard constraint, so a feasible answer is known to exist.
type genSpec struct {
	Days, SlotsPerDay, Rooms int
	Sessions, People         int
	PeoplePerSession         int // at most
	Subthemes, Series        int
	Registrants, StarsEach   int
	LongShare                float64 // share of two-slot sessions
	PinShare, WindowShare    float64
}

var features = []string{"interpretation", "streaming", "round-table"}

func generate(seed uint64, g genSpec) (*Meeting, Timetable) {
	rng := rand.New(rand.NewPCG(seed, 99))
	m := &Meeting{Grid: Grid{Days: g.Days, SlotsPerDay: g.SlotsPerDay}, Weights: DefaultWeights(),
		TypeLimits: map[string]int{}, PersonAvailable: map[string][]Window{}}
	for r := range g.Rooms {
		room := Room{ID: fmt.Sprintf("R%02d", r), Capacity: 20 + rng.IntN(20)*10}
		for _, f := range features {
			if rng.IntN(2) == 0 {
				room.Features = append(room.Features, f)
			}
		}
		m.Rooms = append(m.Rooms, room)
	}
	nSlots := g.Days * g.SlotsPerDay
	roomBusy := make([]bool, g.Rooms*nSlots)
	personBusy := map[string][]bool{}
	typeCount := map[string][]int{}
	var tt Timetable
	for i := range g.Sessions {
		d := 1
		if rng.Float64() < g.LongShare {
			d = 2
		}
		// Plant: a free room and start; give up on this session after tries.
		st, r := -1, -1
		for range 200 {
			t := rng.IntN(nSlots)
			if t%g.SlotsPerDay+d > g.SlotsPerDay {
				continue
			}
			rr := rng.IntN(g.Rooms)
			free := true
			for k := t; k < t+d; k++ {
				free = free && !roomBusy[rr*nSlots+k]
			}
			if free {
				st, r = t, rr
				break
			}
		}
		if st < 0 {
			continue
		}
		for k := st; k < st+d; k++ {
			roomBusy[r*nSlots+k] = true
		}
		room := m.Rooms[r]
		s := Session{ID: fmt.Sprintf("s%03d", i), Duration: d, Attendance: rng.IntN(room.Capacity + 1)}
		for _, f := range room.Features {
			if rng.IntN(3) == 0 {
				s.Features = append(s.Features, f)
			}
		}
		for range 1 + rng.IntN(g.PeoplePerSession) {
			p := fmt.Sprintf("p%04d", rng.IntN(g.People))
			busy := personBusy[p]
			if busy == nil {
				busy = make([]bool, nSlots)
				personBusy[p] = busy
			}
			free := true
			for k := st; k < st+d; k++ {
				free = free && !busy[k]
			}
			if !free {
				continue
			}
			for k := st; k < st+d; k++ {
				busy[k] = true
			}
			s.People = append(s.People, p)
		}
		if g.Subthemes > 0 {
			s.Subtheme = fmt.Sprintf("theme %d", rng.IntN(g.Subthemes))
		}
		if g.Series > 0 && rng.IntN(4) == 0 {
			s.Series = fmt.Sprintf("series %d", rng.IntN(g.Series))
		}
		s.Type = []string{"workshop", "open forum", "main session"}[rng.IntN(3)]
		tc := typeCount[s.Type]
		if tc == nil {
			tc = make([]int, nSlots)
			typeCount[s.Type] = tc
		}
		for k := st; k < st+d; k++ {
			tc[k]++
		}
		day, k := st/g.SlotsPerDay, st%g.SlotsPerDay
		if rng.Float64() < g.WindowShare {
			s.Available = []Window{{Day: day, From: 0, To: g.SlotsPerDay}}
			if day+1 < g.Days {
				s.Available = append(s.Available, Window{Day: day + 1, From: 0, To: g.SlotsPerDay / 2})
			}
		}
		if rng.Float64() < g.PinShare {
			s.Pin = &Slot{Day: day, Slot: k}
			s.PinRoom = room.ID
		}
		if rng.IntN(5) == 0 {
			s.Preferred = []Slot{{Day: rng.IntN(g.Days), Slot: rng.IntN(g.SlotsPerDay)}, {Day: day, Slot: k}}
		}
		m.Sessions = append(m.Sessions, s)
		tt.Placements = append(tt.Placements, Placement{Session: s.ID, Start: Slot{Day: day, Slot: k}, Room: room.ID})
	}
	for typ, tc := range typeCount {
		most := 0
		for _, c := range tc {
			most = max(most, c)
		}
		m.TypeLimits[typ] = most
	}
	for range g.Registrants {
		var set []string
		for range g.StarsEach {
			if len(m.Sessions) > 0 {
				set = append(set, m.Sessions[rng.IntN(len(m.Sessions))].ID)
			}
		}
		m.Stars = append(m.Stars, set)
	}
	return m, tt
}
