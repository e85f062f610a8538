package core

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Several chains replay exactly under an iteration budget, and never do
// worse than chain 0 alone, which runs with the caller's seed.
func TestChainsReplayAndKeepBest(t *testing.T) {
	p := unitProblem(rand.New(rand.NewPCG(3, 4)), 25, 10)
	opt := Options{Seed: 9, Iterations: 20_000, HardWeight: 20, HardWeightEnd: 200, Cutoff: 0.1, Kempe: 0.1}
	one, err := Solve(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Chains = 3
	a, _ := Solve(p, opt)
	b, _ := Solve(p, opt)
	if a.Hard != b.Hard || a.Soft != b.Soft || !slices.Equal(a.Starts, b.Starts) || !slices.Equal(a.Rooms, b.Rooms) {
		t.Fatalf("same seed gave %d/%d and %d/%d", a.Hard, a.Soft, b.Hard, b.Soft)
	}
	if a.Hard > one.Hard || (a.Hard == one.Hard && a.Soft > one.Soft) {
		t.Errorf("3 chains gave %d/%d, worse than chain 0 alone %d/%d", a.Hard, a.Soft, one.Hard, one.Soft)
	}
	if a.Iterations != 3*one.Iterations {
		t.Errorf("3 chains report %d moves, want %d", a.Iterations, 3*one.Iterations)
	}
	if h, so := placed(p, a).Cost(); h != a.Hard || so != a.Soft {
		t.Errorf("result claims %d/%d, its placement costs %d/%d", a.Hard, a.Soft, h, so)
	}
}

// The stepped schedule spends the budget from T0 down to T1: with nothing
// accepted every step runs its share and T1 comes at the very end; with
// everything accepted the cutoff ends steps early and T1 comes much sooner.
func TestStepsCoolOverTheBudget(t *testing.T) {
	const n = 1_000_000
	for _, acceptAll := range []bool{false, true} {
		opt := Options{Iterations: n, T0: 3, T1: 0.05, Cutoff: 0.1}.withDefaults()
		st := newSteps(opt)
		reachedT1 := int64(-1)
		for it := int64(0); it < n; it++ {
			if st.over(it) {
				st.next(it, float64(it)/n)
			}
			if st.temp < opt.T1-1e-12 || st.temp > opt.T0+1e-12 {
				t.Fatalf("temperature %g outside [T1, T0]", st.temp)
			}
			if reachedT1 < 0 && math.Abs(st.temp-opt.T1) < 1e-12 {
				reachedT1 = it
			}
			if acceptAll {
				st.accepted++
			}
		}
		switch {
		case reachedT1 < 0:
			t.Errorf("acceptAll=%v: never reached T1", acceptAll)
		case !acceptAll && reachedT1 < n*98/100:
			t.Errorf("nothing accepted: T1 reached at move %d of %d", reachedT1, n)
		case acceptAll && reachedT1 > n*6/10:
			t.Errorf("everything accepted: T1 reached only at move %d of %d", reachedT1, n)
		}
	}
}

// bestFreeRoom picks a free allowed room whose move costs no more than any
// other free allowed room's, or -1 when none is free.
func TestBestFreeRoom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	p := randomProblem(rng, 30, 5)
	s := NewState(p)
	s.Construct(rng, 1000)
	moveCost := func(e, st, r int) (int, int) {
		s.Begin()
		h1, s1 := s.Remove(e)
		h2, s2 := s.Add(e, st, r)
		s.Rollback()
		return h1 + h2, s1 + s2
	}
	free := func(e, st, r int) bool {
		oldS, oldR := s.Place(e)
		for t := st; t < st+int(s.length[e]); t++ {
			n := int(s.occ[t*s.nRooms+r])
			if r == oldR && t >= oldS && t < oldS+int(s.length[e]) {
				n--
			}
			if n > 0 {
				return false
			}
		}
		return true
	}
	found := 0
	for range 3000 {
		e := rng.IntN(30)
		starts, rooms := s.Domain(e)
		st := int(starts[rng.IntN(len(starts))])
		r := s.bestFreeRoom(rng, e, st)
		if r < 0 {
			for _, r2 := range rooms {
				if free(e, st, int(r2)) {
					t.Fatalf("event %d start %d: no room found, but room %d is free", e, st, r2)
				}
			}
			continue
		}
		found++
		if !s.Allowed(e, st, r) || !free(e, st, r) {
			t.Fatalf("event %d start %d: room %d not allowed or not free", e, st, r)
		}
		h, c := moveCost(e, st, r)
		for _, r2 := range rooms {
			if !free(e, st, int(r2)) {
				continue
			}
			if h2, c2 := moveCost(e, st, int(r2)); h2 != h || c2 < c {
				t.Fatalf("event %d start %d: room %d costs %d/%d, room %d only %d/%d", e, st, r, h, c, r2, h2, c2)
			}
		}
		// Keep the state moving so the rooms fill differently.
		s.Remove(e)
		s.Add(e, st, r)
	}
	if found == 0 {
		t.Fatal("never found a free room")
	}
	h, c := s.Cost()
	if fh, fc := freshCost(p, s); fh != h || fc != c {
		t.Fatalf("after moves: incremental %d/%d, fresh %d/%d", h, c, fh, fc)
	}
}

// placed lays a result's placement on a new state.
func placed(p *Problem, r Result) *State {
	s := NewState(p)
	for e := range p.Events {
		if r.Starts[e] >= 0 {
			s.Add(e, r.Starts[e], r.Rooms[e])
		}
	}
	return s
}

// freshCost scores s's placement on a new state.
func freshCost(p *Problem, s *State) (hard, soft int) {
	fresh := NewState(p)
	for e := range p.Events {
		if st, r := s.Place(e); st >= 0 {
			fresh.Add(e, st, r)
		}
	}
	return fresh.Cost()
}

// Annealing with every kind of move (moves, swaps, best-room moves, Kempe
// chains, kept or rolled back, through reheats) leaves counters that score
// the placement as a new state does; many short rounds on one state let any
// drift in them accumulate.
func TestAnnealAllMovesConsistent(t *testing.T) {
	for _, unit := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(11, 12))
		p := randomProblem(rng, 25, 5)
		if unit {
			for i := range p.Events {
				p.Events[i].Length = 1
			}
		}
		s := NewState(p)
		s.Construct(rng, 1000)
		opt := Options{Iterations: 3_000, HardWeight: 20, HardWeightEnd: 500, Cutoff: 0.1, Reheat: 2, ReheatAfter: 0.05,
			Kempe: 0.2, BestRoom: 0.3, PartnerRoom: 0.2, T0: 4, T1: 0.05}
		for round := range 40 {
			opt.Seed = uint64(round)
			s.Anneal(rng, opt)
			h, c := s.Cost()
			if fh, fc := freshCost(p, s); fh != h || fc != c {
				t.Fatalf("unit=%v round %d: incremental %d/%d, fresh %d/%d", unit, round, h, c, fh, fc)
			}
		}
	}
}
