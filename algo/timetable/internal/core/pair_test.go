package core

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
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

// Priced without the journal, a pair move picks the same rooms, draws the
// same random numbers and leaves the same state as done with the journal,
// with lectures of one course (sharing a same-room set) as the pairs.
func TestPairPricedMatchesJournal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := twinProblem(rng, 14)
	a, b := NewState(p), NewState(p)
	a.Construct(rng, 1000)
	for e := range p.Events {
		b.Add(e, int(a.start[e]), int(a.room[e]))
	}
	ra := rand.New(rand.NewPCG(5, 6))
	rb := rand.New(rand.NewPCG(5, 6))
	kept, tried := 0, 0
	for k := range 6000 {
		e := rng.IntN(len(p.Events))
		f, st, ft, ok := a.pairTarget(ra, e)
		f2, st2, ft2, ok2 := b.pairTarget(rb, e)
		if f != f2 || st != st2 || ft != ft2 || ok != ok2 {
			t.Fatalf("move %d: targets differ", k)
		}
		if !ok {
			continue
		}
		tried++
		// Hard violations cheap (w 1) or dear, hot or cold.
		w, temp := []int{1, 1, 1000}[k%3], []float64{0.3, 3, 3}[k%3]
		ka := a.pairPriced(ra, e, f, st, ft, w, temp)
		kb := b.pairJournal(rb, e, f, st, ft, w, temp)
		if ka != kb {
			t.Fatalf("move %d: priced kept=%v, journal kept=%v", k, ka, kb)
		}
		if sa, sb := snapshot(a), snapshot(b); !cmp.Equal(sa, sb) {
			t.Fatalf("move %d: states differ (-journal +priced):\n%s", k, cmp.Diff(sb, sa))
		}
		if ra.Uint64() != rb.Uint64() {
			t.Fatalf("move %d: random streams differ", k)
		}
		if ka {
			kept++
		}
	}
	if kept < 100 || kept == tried {
		t.Fatalf("%d of %d pair moves kept", kept, tried)
	}
}
