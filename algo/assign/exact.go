package assign

import (
	"math"
	"math/bits"
	"sort"
)

// Limits of the exhaustive search: it runs only where the heuristic left a
// gap and the instance is small enough to close it quickly.
const (
	exactMaxSubsets = 20000
	exactMaxNodes   = 2000000
)

type subset struct {
	mask uint64
	val  float64 // affinity
	red  float64 // affinity minus prices
}

// exact searches all assignments by branch and bound, proposal by proposal,
// pruning with the Lagrangian bound at prices lam. It starts from s and
// reports ok only when the search finished, proving its result optimal; a
// finished search with a nil state proves there is no assignment. s may be
// nil.
func (in *instance) exact(s *state, lam []float64) (*state, float64, bool) {
	E, N := in.E, in.N
	if E > 64 {
		return nil, 0, false
	}
	cands := make([][]subset, in.P)
	count := 0
	for p := 0; p < in.P; p++ {
		var allowed []int
		for e := 0; e < E; e++ {
			if in.ok[p*E+e] {
				allowed = append(allowed, e)
			}
		}
		if count += binomial(len(allowed), N); count > exactMaxSubsets {
			return nil, 0, false
		}
		if len(allowed) < N {
			return nil, 0, true // no assignment at all
		}
		idx := make([]int, N)
		for i := range idx {
			idx[i] = i
		}
		for {
			var m uint64
			v, r := 0.0, 0.0
			groups := 0
			for i, k := range idx {
				e := allowed[k]
				m |= 1 << e
				v += in.a(p, e)
				r += in.a(p, e) - lam[e]
				first := true
				for _, k2 := range idx[:i] {
					if in.group[allowed[k2]] == in.group[e] {
						first = false
					}
				}
				if first {
					groups++
				}
			}
			if groups >= in.G {
				cands[p] = append(cands[p], subset{m, v, r})
			}
			// next combination
			i := N - 1
			for i >= 0 && idx[i] == len(allowed)-N+i {
				i--
			}
			if i < 0 {
				break
			}
			idx[i]++
			for j := i + 1; j < N; j++ {
				idx[j] = idx[j-1] + 1
			}
		}
		if len(cands[p]) == 0 {
			return nil, 0, true
		}
		sort.SliceStable(cands[p], func(i, j int) bool { return cands[p][i].red > cands[p][j].red })
	}
	order := make([]int, in.P)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return len(cands[order[i]]) < len(cands[order[j]]) })
	suffix := make([]float64, in.P+1)
	for d := in.P - 1; d >= 0; d-- {
		suffix[d] = suffix[d+1] + cands[order[d]][0].red
	}

	best := math.Inf(-1)
	if s != nil {
		best = s.total()
	}
	bestPick := []int(nil) // index into cands per depth; nil: s itself
	pick := make([]int, in.P)
	load := make([]int, E)
	nodes := 0
	hterm := func() float64 {
		h := 0.0
		for e, l := range lam {
			if l >= 0 {
				h += l * float64(in.U-load[e])
			} else {
				h += l * float64(max(0, in.L-load[e]))
			}
		}
		return h
	}
	feasible := func(left int) bool {
		short := 0
		for _, l := range load {
			if d := in.L - l; d > 0 {
				if d > left {
					return false
				}
				short += d
			}
		}
		return short <= left*N
	}
	var dfs func(d int, cur float64) bool
	dfs = func(d int, cur float64) bool {
		p := order[d]
		for i, c := range cands[p] {
			if nodes++; nodes > exactMaxNodes {
				return false
			}
			full := false
			for m := c.mask; m != 0; m &= m - 1 {
				if load[bits.TrailingZeros64(m)] >= in.U {
					full = true
					break
				}
			}
			if full {
				continue
			}
			for m := c.mask; m != 0; m &= m - 1 {
				load[bits.TrailingZeros64(m)]++
			}
			pick[d] = i
			v := cur + c.val
			if d+1 == in.P {
				if feasible(0) && v > best+1e-12 {
					best = v
					bestPick = append(bestPick[:0], pick...)
				}
			} else if feasible(in.P-d-1) && v+suffix[d+1]+hterm() > best+1e-12 {
				if !dfs(d+1, v) {
					return false
				}
			}
			for m := c.mask; m != 0; m &= m - 1 {
				load[bits.TrailingZeros64(m)]--
			}
		}
		return true
	}
	if !dfs(0, 0) {
		return nil, 0, false
	}
	if bestPick == nil {
		if s == nil {
			return nil, 0, true
		}
		return s, best, true
	}
	x := newState(in)
	for d, i := range bestPick {
		p := order[d]
		for m := cands[p][i].mask; m != 0; m &= m - 1 {
			x.add(p, bits.TrailingZeros64(m))
		}
	}
	return x, x.total(), true
}

func binomial(n, k int) int {
	if k < 0 || k > n {
		return 0
	}
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
		if r > 1<<40 {
			return r
		}
	}
	return r
}
