package core

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// A pair move keeps the cost equal to a recomputation, moves either nothing
// or two neighbours of a compactness group to the same new day, still
// neighbours in the same order, and reports which it did.
func TestPairMoveConsistent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := unitProblem(rng, 30, 0)
	for i := range p.Groups {
		p.Groups[i].Isolated = 2
	}
	s := NewState(p)
	s.Construct(rng, 1000)
	spd := p.SlotsPerDay
	kept := 0
	for range 5000 {
		before, _ := s.Assignment()
		ok := s.pairMove(rng, rng.IntN(len(p.Events)), 1000, 5)
		after, _ := s.Assignment()
		var moved []int
		for e := range before {
			if before[e] != after[e] {
				moved = append(moved, e)
			}
		}
		if ok != (len(moved) > 0) {
			t.Fatalf("pairMove reported kept=%v, moved %v", ok, moved)
		}
		if ok {
			kept++
			if len(moved) != 2 {
				t.Fatalf("moved %v, want two events", moved)
			}
			a, b := moved[0], moved[1]
			if after[a]/spd != after[b]/spd || after[a]/spd == before[a]/spd ||
				after[a]-after[b] != before[a]-before[b] || abs(before[a]-before[b]) != 1 {
				t.Fatalf("events %d, %d went from %d, %d to %d, %d", a, b, before[a], before[b], after[a], after[b])
			}
			if !slices.ContainsFunc(p.Groups, func(g Group) bool {
				return slices.Contains(g.Events, a) && slices.Contains(g.Events, b)
			}) {
				t.Fatalf("events %d and %d share no group", a, b)
			}
		}
		h, so := s.Cost()
		if fh, fs := freshCost(p, s); fh != h || fs != so {
			t.Fatalf("state claims %d/%d, recomputed %d/%d", h, so, fh, fs)
		}
	}
	if kept == 0 {
		t.Fatal("no pair move kept in 5,000")
	}
}

func abs(x int) int { return max(x, -x) }
