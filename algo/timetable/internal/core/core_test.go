package core

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// unitProblem is randomProblem with every event one slot long, so Kempe
// chains run.
func unitProblem(rng *rand.Rand, n, pairs int) *Problem {
	p := randomProblem(rng, n, pairs)
	for i := range p.Events {
		p.Events[i].Length = 1
	}
	return p
}

// randomProblem mixes every constraint kind, multi-slot events and, with
// many pairs, the dense overlap path.
func randomProblem(rng *rand.Rand, n, pairs int) *Problem {
	p := &Problem{Days: 3, SlotsPerDay: 4, Rooms: 3}
	for range n {
		e := Event{Length: 1 + rng.IntN(2), RoomCost: []int{0, rng.IntN(3), rng.IntN(3)}, PrevStart: rng.IntN(12) - 1, PrevRoom: rng.IntN(3), MoveCost: rng.IntN(4)}
		if rng.IntN(2) == 0 {
			e.SlotCost = make([]int, 12)
			for t := range e.SlotCost {
				e.SlotCost[t] = rng.IntN(3)
			}
		}
		p.Events = append(p.Events, e)
	}
	pick := func() []int {
		var evs []int
		for e := range n {
			if rng.IntN(4) == 0 {
				evs = append(evs, e)
			}
		}
		return evs
	}
	for range 6 {
		p.Groups = append(p.Groups, Group{Events: pick(), Cap: 1 + rng.IntN(2), Hard: rng.IntN(2) == 0, Weight: 1 + rng.IntN(3), Isolated: rng.IntN(3)})
	}
	for range 3 {
		p.Spreads = append(p.Spreads, Spread{Events: pick(), MinDays: 1 + rng.IntN(3), Weight: 1 + rng.IntN(5)})
		p.SameRooms = append(p.SameRooms, SameRoom{Events: pick(), Weight: 1 + rng.IntN(3)})
	}
	for range pairs {
		p.Pairs = append(p.Pairs, Pair{A: rng.IntN(n), B: rng.IntN(n), Weight: 1 + rng.IntN(4)})
	}
	return p
}

// relocate sends a random event to a random place in its domain; tests use
// it to keep room clashes and soft costs around.
func relocate(rng *rand.Rand, s *State) {
	e := rng.IntN(len(s.p.Events))
	ss, rs := s.Domain(e)
	s.Remove(e)
	s.Add(e, int(ss[rng.IntN(len(ss))]), int(rs[rng.IntN(len(rs))]))
}

// checkRecompute fails the test when s's incremental cost is not the cost
// recomputed from scratch.
func checkRecompute(t *testing.T, s *State) {
	t.Helper()
	h, c := s.Cost()
	if rh, rc := s.Recompute(); rh != h || rc != c {
		t.Fatalf("cost %d/%d, recomputed %d/%d", h, c, rh, rc)
	}
}

func TestIncrementalMatchesRecompute(t *testing.T) {
	for _, pairs := range []int{5, 200} {
		rng := rand.New(rand.NewPCG(1, uint64(pairs)))
		p := randomProblem(rng, 15, pairs)
		s := NewState(p)
		s.Construct(rng, 1000)
		for step := range 3000 {
			relocate(rng, s)
			h, so := s.Cost()
			fresh := NewState(p)
			for f := range 15 {
				st, r := s.Place(f)
				fresh.Add(f, st, r)
			}
			if rh, rso := fresh.Cost(); rh != h || rso != so {
				t.Fatalf("pairs %d step %d: incremental %d/%d, recomputed %d/%d", pairs, step, h, so, rh, rso)
			}
		}
	}
}

func TestSolveEmptyAndPinned(t *testing.T) {
	p := &Problem{Days: 1, SlotsPerDay: 2, Rooms: 1, Events: []Event{{Starts: []int{1}, Rooms: []int{0}, PrevStart: -1}}}
	res, err := Solve(p, Options{Seed: 1, Iterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Starts[0] != 1 || res.Hard != 0 {
		t.Errorf("got %+v", res)
	}
	if _, err := Solve(&Problem{}, Options{}); err == nil {
		t.Error("empty grid accepted")
	}
}

func TestRollbackRestores(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := randomProblem(rng, 15, 5)
	s := NewState(p)
	s.Construct(rng, 1000)
	for step := range 2000 {
		st0, rm0 := s.Assignment()
		h0, s0 := s.Cost()
		s.Begin()
		for range 1 + rng.IntN(3) {
			e := rng.IntN(15)
			ss, rs := s.Domain(e)
			s.Remove(e)
			s.Add(e, int(ss[rng.IntN(len(ss))]), int(rs[rng.IntN(len(rs))]))
		}
		if rng.IntN(2) == 0 {
			s.Commit()
			continue
		}
		s.Rollback()
		st1, rm1 := s.Assignment()
		h1, s1 := s.Cost()
		if h0 != h1 || s0 != s1 || fmt.Sprint(st0, rm0) != fmt.Sprint(st1, rm1) {
			t.Fatalf("step %d: rollback gave %d/%d, want %d/%d", step, h1, s1, h0, s0)
		}
		if rh, rs := s.Recompute(); rh != h0 || rs != s0 {
			t.Fatalf("step %d: counters after rollback give %d/%d, want %d/%d", step, rh, rs, h0, s0)
		}
	}
}

// moveDelta prices a move exactly as doing it would, and leaves the state
// untouched.
func TestMoveDeltaMatchesDoing(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		p := unitProblem(rng, 25, 0)
		s := NewState(p)
		s.Construct(rng, 1+rng.IntN(1000))
		for range 2000 {
			e := rng.IntN(25)
			ss, rs := s.Domain(e)
			st, r := int(ss[rng.IntN(len(ss))]), int(rs[rng.IntN(len(rs))])
			oldS, oldR := s.Place(e)
			if st == oldS && r == oldR {
				continue
			}
			h0, s0 := s.Cost()
			dh, ds := s.moveDelta(e, st, r)
			if h, so := s.Cost(); h != h0 || so != s0 {
				t.Fatalf("moveDelta changed the cost")
			}
			if h, so := s.Recompute(); h != h0 || so != s0 {
				t.Fatalf("moveDelta changed the state: %d/%d, was %d/%d", h, so, h0, s0)
			}
			h1, s1 := s.Remove(e)
			h2, s2 := s.Add(e, st, r)
			if dh != h1+h2 || ds != s1+s2 {
				t.Fatalf("seed %d: move %d (%d,%d)→(%d,%d) priced %d/%d, doing it %d/%d", seed, e, oldS, oldR, st, r, dh, ds, h1+h2, s1+s2)
			}
			if rng.IntN(2) == 0 {
				s.Remove(e)
				s.Add(e, oldS, oldR)
			}
		}
	}
}

// swapDelta prices swapping two one-slot events' places exactly as doing it
// would, including events sharing groups, spreads and same-room sets, and
// leaves the state as it was.
func TestSwapDeltaMatchesDoing(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 11))
		p := unitProblem(rng, 25, 0)
		s := NewState(p)
		s.Construct(rng, 1+rng.IntN(1000))
		for range 2000 {
			e, o := rng.IntN(25), rng.IntN(25)
			se, re := s.Place(e)
			so, ro := s.Place(o)
			if e == o || se < 0 || so < 0 {
				continue
			}
			h0, s0 := s.Cost()
			dh, ds := s.swapDelta(e, o)
			if h, c := s.Cost(); h != h0 || c != s0 {
				t.Fatalf("swapDelta changed the cost")
			}
			if h, c := s.Recompute(); h != h0 || c != s0 {
				t.Fatalf("swapDelta changed the state: %d/%d, was %d/%d", h, c, h0, s0)
			}
			h1, c1 := s.Remove(e)
			h2, c2 := s.Remove(o)
			h3, c3 := s.Add(e, so, ro)
			h4, c4 := s.Add(o, se, re)
			if dh != h1+h2+h3+h4 || ds != c1+c2+c3+c4 {
				t.Fatalf("seed %d: swap %d (%d,%d) with %d (%d,%d) priced %d/%d, doing it %d/%d",
					seed, e, se, re, o, so, ro, dh, ds, h1+h2+h3+h4, c1+c2+c3+c4)
			}
		}
	}
}
