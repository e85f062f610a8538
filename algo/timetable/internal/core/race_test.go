package core

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// A race replays under an iteration budget, finishes no worse than the best
// chain of its first stage, and its reported cost is its placement's.
func TestRaceFinishesTheBestChains(t *testing.T) {
	p := unitProblem(rand.New(rand.NewPCG(5, 6)), 30, 12)
	opt := Options{Seed: 4, Iterations: 40_000, HardWeight: 20, HardWeightEnd: 200, T0: 3, T1: 0.05,
		Cutoff: 0.1, Kempe: 0.1, Chains: 2, Race: 5, RaceShare: 0.9, RaceTemp: 0.5}
	a, err := Solve(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Solve(p, opt)
	if a.Hard != b.Hard || a.Soft != b.Soft || !slices.Equal(a.Starts, b.Starts) || !slices.Equal(a.Rooms, b.Rooms) {
		t.Fatalf("same seed gave %d/%d and %d/%d", a.Hard, a.Soft, b.Hard, b.Soft)
	}
	if h, so := placed(p, a).Cost(); h != a.Hard || so != a.Soft {
		t.Errorf("result claims %d/%d, its placement costs %d/%d", a.Hard, a.Soft, h, so)
	}
	// The first stage again, chain by chain.
	first := opt.withDefaults()
	first.T1 = opt.RaceTemp
	first.Iterations = int64(float64(opt.Iterations) * opt.RaceShare)
	bestHard, bestSoft := -1, 0
	var moves int64
	for c := range opt.Race {
		s, r := firstPlacement(p, opt, chainSeed(opt.Seed, c))
		moves += s.Anneal(r, first)
		if h, so := s.Cost(); bestHard < 0 || h < bestHard || (h == bestHard && so < bestSoft) {
			bestHard, bestSoft = h, so
		}
	}
	if a.Hard > bestHard || (a.Hard == bestHard && a.Soft > bestSoft) {
		t.Errorf("race ended at %d/%d, worse than its best first-stage chain %d/%d", a.Hard, a.Soft, bestHard, bestSoft)
	}
	// The budget is polled every 256 moves.
	second := int64(opt.Chains) * (opt.Iterations - first.Iterations)
	if a.Iterations < moves+second || a.Iterations >= moves+second+int64(opt.Chains)*256 {
		t.Errorf("race reports %d moves, want %d in the first stage and about %d in the second", a.Iterations, moves, second)
	}
}

// Race settings outside their range are refused.
func TestRaceOptionsChecked(t *testing.T) {
	p := randomProblem(rand.New(rand.NewPCG(1, 2)), 5, 0)
	for _, opt := range []Options{
		{Race: 3, RaceShare: 1.2},
		{Race: 3, RaceShare: -0.1},
		{Race: 3, T0: 3, T1: 0.05, RaceTemp: 4},
		{Race: 3, T0: 3, T1: 0.05, RaceTemp: 0.01},
	} {
		if _, err := Solve(p, opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}
