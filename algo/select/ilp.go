package selection

import (
	"context"
	"errors"
	"math"
)

// ilp is an integer program over seat counts: maximise obj·x with x integer,
// lo <= x <= hi and rlo <= a·x <= rhi. solve is exact: depth-first branch
// and bound on the linear relaxation, each child re-optimised from its
// parent's tableau by the dual simplex method.
type ilp struct {
	obj, lo, hi []float64
	a           [][]float64
	rlo, rhi    []float64
	// feasibleOnly stops at the first integer solution.
	feasibleOnly bool
	// cutoff, if set, skips solutions worth cutoff or less: column
	// generation only wants panels that improve the master program.
	cutoff    float64
	useCutoff bool
	// settle bounds the nodes explored after a solution above the cutoff
	// is known (0: no bound); any improving panel is a valid column, the
	// best one merely converges faster.
	settle int
	// root keeps the root relaxation between solves: column generation only
	// changes the objective, so the last optimal basis is a warm start.
	root *tableau
}

const intTol = 1e-6

// solve returns an optimal integer x and its value, or errInfeasible when
// there is no integer solution worth more than the cutoff.
func (q *ilp) solve(ctx context.Context) ([]int, float64, error) {
	n := len(q.obj)
	if q.root == nil {
		neg := make([]float64, n)
		for j, v := range q.obj {
			neg[j] = -v
		}
		tb, err := (&lp{c: neg, lo: q.lo, hi: q.hi, a: q.a, rlo: q.rlo, rhi: q.rhi}).start()
		if err != nil {
			return nil, 0, err
		}
		q.root = tb
	} else {
		for j, v := range q.obj {
			q.root.cost[j] = -v
		}
		if err := q.root.run(q.root.cost); err != nil {
			return nil, 0, err
		}
	}

	type branch struct {
		parent *tableau
		j      int
		lo, hi float64
	}
	var stack []branch
	var best []int
	bestVal := math.Inf(-1)
	if q.useCutoff {
		bestVal = q.cutoff
	}
	extra := 0
	// visit bounds the node's relaxation, records integer solutions and
	// pushes the two children of a fractional one.
	var visit func(tb *tableau)
	stale := false // a node is being re-solved afresh
	visit = func(tb *tableau) {
		bound := 0.0
		for j := 0; j < n; j++ {
			bound += q.obj[j] * tb.x[j]
		}
		if !math.IsInf(bestVal, -1) && bound <= bestVal+1e-7*(1+math.Abs(bestVal)) {
			return
		}
		br, brFrac := -1, intTol
		for j := 0; j < n; j++ {
			if f := math.Abs(tb.x[j] - math.Round(tb.x[j])); f > brFrac {
				br, brFrac = j, f
			}
		}
		if br < 0 {
			x := make([]int, n)
			val := 0.0
			for j := 0; j < n; j++ {
				x[j] = int(math.Round(tb.x[j]))
				val += q.obj[j] * float64(x[j])
			}
			if !q.feasible(x, tb) {
				// Rounding error in a long chain of warm pivots; solve this
				// node afresh and trust that answer instead.
				if stale {
					return
				}
				if fresh, err := (&lp{c: tb.cost[:n], lo: tb.lo[:n], hi: tb.hi[:n], a: q.a, rlo: q.rlo, rhi: q.rhi}).start(); err == nil {
					stale = true
					visit(fresh)
					stale = false
				}
				return
			}
			if val > bestVal {
				best, bestVal = x, val
			}
			return
		}
		v := tb.x[br]
		down := branch{tb, br, tb.lo[br], math.Floor(v)}
		up := branch{tb, br, math.Ceil(v), tb.hi[br]}
		// The branch nearer the relaxation is explored first (pushed last).
		if v-math.Floor(v) > 0.5 {
			stack = append(stack, down, up)
		} else {
			stack = append(stack, up, down)
		}
	}
	visit(q.root)
	for steps := 0; len(stack) > 0 && !(q.feasibleOnly && best != nil); steps++ {
		if steps%64 == 63 && ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		tb := b.parent.clone()
		err := tb.setBounds(b.j, b.lo, b.hi)
		if errors.Is(err, errInfeasible) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		visit(tb)
		if best != nil {
			extra++
			if q.settle > 0 && extra > q.settle {
				break
			}
		}
	}
	if best == nil {
		return nil, 0, errInfeasible
	}
	return best, bestVal, nil
}

// feasible checks integer x against the bounds and rows exactly.
func (q *ilp) feasible(x []int, tb *tableau) bool {
	for j, v := range x {
		if float64(v) < tb.lo[j] || float64(v) > tb.hi[j] {
			return false
		}
	}
	for i, row := range q.a {
		act := 0.0
		for j, a := range row {
			act += a * float64(x[j])
		}
		if act < q.rlo[i]-1e-9 || act > q.rhi[i]+1e-9 {
			return false
		}
	}
	return true
}
