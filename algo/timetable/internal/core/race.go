package core

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sync"
)

// race runs Race chains side by side down to temperature RaceTemp over the
// first RaceShare of the budget, then cools only the Chains best of them to
// T1 over the rest. Where a chain ends is mostly decided by the basin it
// has entered by then, so the budget a loser would spend freezing goes to
// trying more basins.
func race(p *Problem, opt Options) Result {
	k, m := opt.Race, min(opt.Chains, opt.Race)
	share, mid := opt.RaceShare, opt.RaceTemp
	type chain struct {
		s   *State
		rng *rand.Rand
		res Result
	}
	chains := make([]*chain, k)
	stage := func(from, to float64) func() float64 {
		if opt.Progress == nil {
			return nil
		}
		return func() float64 { return (opt.Progress() - from) / (to - from) }
	}
	// The first stage's hard weight reaches HardWeightEnd at the cut, not
	// at T1: chains are ranked there, so each should be feasible by then.
	first := opt
	first.T1 = mid
	first.Progress = stage(0, share)
	first.Iterations = int64(float64(opt.Iterations) * share)
	var wg sync.WaitGroup
	for c := range k {
		wg.Go(func() {
			s, rng := firstPlacement(p, opt, chainSeed(opt.Seed, c))
			it := s.Anneal(rng, first)
			h, so := s.Cost()
			chains[c] = &chain{s: s, rng: rng, res: Result{Hard: h, Soft: so, Iterations: it}}
		})
	}
	wg.Wait()
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(chains[a].res.Hard, chains[b].res.Hard), cmp.Compare(chains[a].res.Soft, chains[b].res.Soft))
	})
	second := opt
	second.T0 = mid
	second.HardWeight = opt.weightAt()(mid)
	second.Progress = stage(share, 1)
	second.Iterations = opt.Iterations - first.Iterations
	for _, c := range order[:m] {
		ch := chains[c]
		wg.Go(func() {
			ch.res.Iterations += ch.s.Anneal(ch.rng, second)
		})
	}
	wg.Wait()
	var best Result
	var iters int64
	for i, c := range order {
		ch := chains[c]
		iters += ch.res.Iterations
		if i < m {
			st, rm := ch.s.Assignment()
			h, so := ch.s.Cost()
			r := Result{Starts: st, Rooms: rm, Hard: h, Soft: so}
			if i == 0 || r.beats(best) {
				best = r
			}
		}
	}
	best.Iterations = iters
	return best
}
