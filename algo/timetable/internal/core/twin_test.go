package core

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTwinsFound(t *testing.T) {
	lecture := Event{RoomCost: []int{0, 2}, PrevStart: -1, PrevRoom: -1}
	other := lecture
	other.RoomCost = []int{0, 1}
	moved := lecture
	moved.PrevStart, moved.PrevRoom, moved.MoveCost = 0, 0, 1
	p := &Problem{Days: 1, SlotsPerDay: 4, Rooms: 2,
		Events: []Event{lecture, lecture, lecture, lecture, other, moved, lecture, lecture},
		Groups: []Group{
			{Events: []int{0, 1, 2, 4, 5}, Cap: 1, Hard: true},
			{Events: []int{3, 6, 7}, Cap: 1, Hard: true},
		},
		Spreads:   []Spread{{Events: []int{0, 1, 2}, MinDays: 1, Weight: 5}, {Events: []int{4, 5}, MinDays: 1, Weight: 5}},
		SameRooms: []SameRoom{{Events: []int{0, 1, 2}, Weight: 1}},
		Pairs:     []Pair{{A: 7, B: 3, Weight: 1}},
	}
	// 0–2 are one course's lectures; 4 differs in room cost, 5 has an
	// earlier place, 3 and 7 have a pair, 6 is alone in its signature.
	want := []int32{0, 0, 0, 3, 4, 5, 6, 7}
	if got := NewState(p).twin; !slices.Equal(got, want) {
		t.Fatalf("twins %v, want %v", got, want)
	}
}

// twinProblem is a unit problem of courses with one to three identical
// lectures each, sharing curricula with soft and hard caps.
func twinProblem(rng *rand.Rand, courses int) *Problem {
	p := &Problem{Days: 3, SlotsPerDay: 4, Rooms: 4}
	var byCourse [][]int
	for range courses {
		ev := Event{RoomCost: []int{0, rng.IntN(3), rng.IntN(3), 0}, PrevStart: -1, PrevRoom: -1}
		var evs []int
		for range 1 + rng.IntN(3) {
			evs = append(evs, len(p.Events))
			p.Events = append(p.Events, ev)
		}
		byCourse = append(byCourse, evs)
		p.Groups = append(p.Groups, Group{Events: evs, Cap: 1, Hard: true})
		p.Spreads = append(p.Spreads, Spread{Events: evs, MinDays: len(evs), Weight: 5})
		p.SameRooms = append(p.SameRooms, SameRoom{Events: evs, Weight: 1})
	}
	for range 4 {
		var evs []int
		for c := range courses {
			if rng.IntN(3) == 0 {
				evs = append(evs, byCourse[c]...)
			}
		}
		p.Groups = append(p.Groups, Group{Events: evs, Cap: 1, Hard: rng.IntN(2) == 0, Weight: 2, Isolated: 2})
	}
	return p
}

// Trading twins leaves every count, cost and label as swapping them by
// Remove and Add does, room clashes included (where the room's event
// marker may be unset).
func TestTradeIsTheSwap(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	p := twinProblem(rng, 12)
	s := NewState(p)
	s.Construct(rng, 1)
	traded := 0
	for range 5000 {
		e, o := rng.IntN(len(p.Events)), rng.IntN(len(p.Events))
		se, re := s.Place(e)
		so, ro := s.Place(o)
		if s.twin[e] == s.twin[o] && e != o && (se != so || re != ro) {
			s.Begin()
			s.Remove(e)
			s.Remove(o)
			s.Add(e, so, ro)
			s.Add(o, se, re)
			want := snapshot(s)
			s.Rollback()
			s.trade(e, o)
			if diff := cmp.Diff(want, snapshot(s)); diff != "" {
				t.Fatalf("trade of %d and %d differs from the swap (-swap +trade):\n%s", e, o, diff)
			}
			traded++
		}
		relocate(rng, s)
	}
	if traded < 100 {
		t.Fatalf("only %d trades", traded)
	}
	checkRecompute(t, s)
}

// Annealing a problem full of twins, whose swaps and two-event chains
// become trades, keeps its counters right.
func TestAnnealWithTwinsConsistent(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	p := twinProblem(rng, 14)
	s := NewState(p)
	s.Construct(rng, 1000)
	opt := Options{Iterations: 3_000, HardWeight: 20, HardWeightEnd: 500, Cutoff: 0.1, Kempe: 0.3, BestRoom: 0.2,
		PartnerRoom: 0.3, Pair: 0.1, KempeRooms: true, T0: 4, T1: 0.05}
	for round := range 30 {
		opt.Seed = uint64(round)
		s.Anneal(rng, opt)
		h, c := s.Cost()
		if fh, fc := freshCost(p, s); fh != h || fc != c {
			t.Fatalf("round %d: incremental %d/%d, fresh %d/%d", round, h, c, fh, fc)
		}
		if !slices.Equal(snapshot(s).At, snapshot(placed(p, Result{Starts: intsOf(s.start), Rooms: intsOf(s.room)})).At) {
			t.Fatalf("round %d: event markers differ from a fresh placement's", round)
		}
	}
}

func intsOf(xs []int32) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x)
	}
	return out
}
