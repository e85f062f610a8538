package selection

import (
	"cmp"
	"context"
	"errors"
	"slices"
)

// Selection is one panel chosen deterministically.
type Selection struct {
	// Members holds the chosen IDs in pool order.
	Members []string
	Score   float64
}

// Optimal returns the panel with the highest total Score that meets every
// quota and balance rule and seats every forced member. People with the same
// features and the same score are interchangeable; among them the earlier in
// the pool is taken. If no panel is feasible it returns *InfeasibleError
// naming the rules in conflict.
func Optimal(ctx context.Context, in *Instance) (*Selection, error) {
	p, err := compile(in)
	if err != nil {
		return nil, err
	}
	// One variable per (group, score): within a group a panel always takes
	// the best scores, so only how many of each score level matters.
	type bucket struct {
		key     []int
		members []int
		forced  bool
		score   float64
	}
	var buckets []bucket
	for _, gr := range p.groups {
		ms := slices.Clone(gr.members)
		slices.SortStableFunc(ms, func(a, b int) int { return cmp.Compare(in.People[b].Score, in.People[a].Score) })
		for i := 0; i < len(ms); {
			j := i
			for j < len(ms) && in.People[ms[j]].Score == in.People[ms[i]].Score {
				j++
			}
			buckets = append(buckets, bucket{gr.key, ms[i:j], gr.forced, in.People[ms[i]].Score})
			i = j
		}
	}
	keys := make([][]int, len(buckets))
	lo := make([]float64, len(buckets))
	hi := make([]float64, len(buckets))
	for b, bk := range buckets {
		keys[b] = bk.key
		hi[b] = float64(len(bk.members))
		if bk.forced {
			lo[b] = hi[b]
		}
	}
	q := p.countILP(keys, lo, hi)
	for b, bk := range buckets {
		q.obj[b] = bk.score
	}
	x, _, err := q.solve(ctx)
	if errors.Is(err, errInfeasible) {
		return nil, p.explainInfeasible(ctx)
	}
	if err != nil {
		return nil, err
	}
	var chosen []int
	for b, bk := range buckets {
		members := slices.Clone(bk.members)
		slices.Sort(members)
		chosen = append(chosen, members[:x[b]]...)
	}
	slices.Sort(chosen)
	s := &Selection{}
	for _, i := range chosen {
		s.Members = append(s.Members, in.People[i].ID)
		s.Score += in.People[i].Score
	}
	return s, nil
}
