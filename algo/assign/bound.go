package assign

import (
	"math"
)

// Lagrangian relaxation of the load limits: with a price lam[e] per
// evaluation by e, proposals separate, and each one takes its best N
// evaluators by affinity minus price subject to its own group rule, exactly.
// For any prices,
//
//	Σ_p best_p(lam) + Σ_e (lam_e·U if lam_e ≥ 0, else lam_e·L)
//
// bounds the optimum from above. This is at least as tight as the linear
// relaxation of the exact model (and the flow relaxation without groups),
// because each proposal's group rule is kept whole.

// choice is scratch space for one proposal's best subset.
type choice struct {
	top    [][]pick    // per group, best N, descending
	dp     [][]float64 // [j][d]: best with j evaluators from d groups (d capped at G)
	take   [][][]int   // [group][j][d]: how many taken from the group
	picks  []pick
	lamMin float64 // lowest price
}

type pick struct {
	v float64
	e int
}

func newChoice(in *instance) *choice {
	c := &choice{top: make([][]pick, in.K), dp: make([][]float64, in.N+1), take: make([][][]int, in.K)}
	for j := range c.dp {
		c.dp[j] = make([]float64, in.G+1)
	}
	for k := range c.take {
		c.take[k] = make([][]int, in.N+1)
		for j := range c.take[k] {
			c.take[k][j] = make([]int, in.G+1)
		}
	}
	return c
}

// setPrices must precede best with new prices.
func (c *choice) setPrices(lam []float64) {
	c.lamMin = math.Inf(1)
	for _, l := range lam {
		c.lamMin = math.Min(c.lamMin, l)
	}
}

// topN puts into picks proposal p's N best allowed evaluators by affinity
// minus price; lamMin is the lowest price.
func (in *instance) topN(p int, lam []float64, lamMin float64, picks []pick) []pick {
	N := in.N
	aff := in.aff[p*in.E : (p+1)*in.E]
	picks = picks[:0]
	// Evaluators come by affinity, highest first: once even the lowest
	// price cannot lift the next one into the N best, none can.
	for _, e := range in.byAff[p] {
		a := aff[e]
		if len(picks) == N && a-lamMin <= picks[N-1].v {
			break
		}
		if v := a - lam[e]; len(picks) < N || v > picks[N-1].v {
			picks = insert(picks, pick{v, int(e)}, N)
		}
	}
	return picks
}

// insert keeps xs as the n largest picks, descending; equal values keep
// the earlier evaluator first.
func insert(xs []pick, x pick, n int) []pick {
	if len(xs) == n && x.v <= xs[n-1].v {
		return xs
	}
	if len(xs) < n {
		xs = append(xs, x)
	} else {
		xs[n-1] = x
	}
	for i := len(xs) - 1; i > 0 && xs[i].v > xs[i-1].v; i-- {
		xs[i], xs[i-1] = xs[i-1], xs[i]
	}
	return xs
}

// best returns proposal p's best value of affinity minus price over N
// evaluators from at least G groups, and adds its choice to load. Call
// c.setPrices(lam) first.
func (in *instance) best(p int, lam []float64, c *choice, load []int) float64 {
	N, G, E := in.N, in.G, in.E
	aff := in.aff[p*E : (p+1)*E]
	c.picks = in.topN(p, lam, c.lamMin, c.picks)
	// Usually the N best already span enough groups.
	seen, sum := 0, 0.0
	for i, x := range c.picks {
		sum += x.v
		first := true
		for _, y := range c.picks[:i] {
			if in.group[y.e] == in.group[x.e] {
				first = false
				break
			}
		}
		if first {
			seen++
		}
	}
	if seen >= G {
		for _, x := range c.picks {
			load[x.e]++
		}
		return sum
	}
	// A best choice takes at most N-G+1 from one group, each group's best
	// ones. Scan by affinity until every group has its share or none of the
	// rest can enter.
	m := N - G + 1
	open := 0 // groups still short of min(m, allowed in group)
	for k := range c.top {
		c.top[k] = c.top[k][:0]
		if in.avail[p*in.K+k] > 0 {
			open++
		}
	}
	for _, e := range in.byAff[p] {
		a := aff[e]
		if open == 0 {
			full := true
			for _, lst := range c.top {
				if len(lst) > 0 && a-c.lamMin > lst[len(lst)-1].v {
					full = false
					break
				}
			}
			if full {
				break
			}
		}
		g := in.group[e]
		before := len(c.top[g])
		c.top[g] = insert(c.top[g], pick{a - lam[e], int(e)}, m)
		if before < len(c.top[g]) && len(c.top[g]) == min(m, in.avail[p*in.K+g]) {
			open--
		}
	}
	// Otherwise: knapsack over groups on (evaluators taken, groups used).
	inf := math.Inf(-1)
	for j := range c.dp {
		for d := range c.dp[j] {
			c.dp[j][d] = inf
		}
	}
	c.dp[0][0] = 0
	for k, lst := range c.top {
		for j := N; j >= 0; j-- {
			for d := G; d >= 0; d-- {
				c.take[k][j][d] = 0
			}
		}
		// Go downwards in j so each group is used once. Taking m ≥ 1 from
		// this group moves d-1 to d, or keeps d at the cap G.
		for j := N; j >= 1; j-- {
			for d := G; d >= 1; d-- {
				bestV, packed := c.dp[j][d], 0
				pre := 0.0
				for m := 1; m <= len(lst) && m <= j; m++ {
					pre += lst[m-1].v
					if v := c.dp[j-m][d-1] + pre; v > bestV {
						bestV, packed = v, m*(G+2)+d
					}
					if d == G {
						if v := c.dp[j-m][G] + pre; v > bestV {
							bestV, packed = v, m*(G+2)+G+1
						}
					}
				}
				c.dp[j][d] = bestV
				c.take[k][j][d] = packed
			}
		}
	}
	// Walk back through the groups.
	j, d := N, G
	for k := len(c.top) - 1; k >= 0; k-- {
		packed := c.take[k][j][d]
		if packed == 0 {
			continue
		}
		m, from := packed/(G+2), packed%(G+2)-1 // packed as m*(G+2) + from + 1
		for i := 0; i < m; i++ {
			load[c.top[k][i].e]++
		}
		j, d = j-m, from
	}
	return c.dp[N][G]
}

// shift adds to every price the constant that minimises the bound; prices
// only matter up to it when every proposal takes exactly N.
func (in *instance) shift(lam []float64) {
	if in.U == in.L {
		return
	}
	f := func(c float64) float64 {
		v := -float64(in.P*in.N) * c
		for _, l := range lam {
			if l+c >= 0 {
				v += float64(in.U) * (l + c)
			} else {
				v += float64(in.L) * (l + c)
			}
		}
		return v
	}
	bestC, bestF := 0.0, f(0)
	for _, l := range lam {
		if v := f(-l); v < bestF {
			bestC, bestF = -l, v
		}
	}
	for i := range lam {
		lam[i] += bestC
	}
}

// dual evaluates the bound at lam (after shifting it) and the loads of the
// subproblem's optimum.
func (in *instance) dual(lam []float64, c *choice, load []int) float64 {
	in.shift(lam)
	clear(load)
	c.setPrices(lam)
	b := 0.0
	for p := 0; p < in.P; p++ {
		b += in.best(p, lam, c, load)
	}
	for _, l := range lam {
		if l >= 0 {
			b += float64(in.U) * l
		} else {
			b += float64(in.L) * l
		}
	}
	return b
}

// lagrangeBound minimises the bound by subgradient steps from lam0 (the
// flow's prices), aiming at the known total primal. It returns the best
// bound and its prices.
func (in *instance) lagrangeBound(lam0 []float64, primal float64) (float64, []float64) {
	lam := append([]float64(nil), lam0...)
	bestLam := append([]float64(nil), lam0...)
	c := newChoice(in)
	load := make([]int, in.E)
	g := make([]float64, in.E)
	best := math.Inf(1)
	theta, stale := 1.0, 0
	tol := provenTol(primal)
	const iters = 300
	for it := 0; it < iters && theta > 1e-4; it++ {
		b := in.dual(lam, c, load)
		if b < best-tol {
			best, stale = b, 0
			copy(bestLam, lam)
		} else if stale++; stale >= 8 {
			theta, stale = theta/2, 0
		}
		if best-primal <= tol {
			break
		}
		norm := 0.0
		for e, l := range lam {
			h := float64(min(max(load[e], in.L), in.U))
			if l > 0 {
				h = float64(in.U)
			} else if l < 0 {
				h = float64(in.L)
			}
			g[e] = h - float64(load[e])
			norm += g[e] * g[e]
		}
		if norm == 0 {
			break // prices are optimal for the relaxation
		}
		step := theta * (b - primal) / norm
		for e := range lam {
			lam[e] -= step * g[e]
		}
		if in.progress != nil && it%20 == 0 {
			in.progress(it, iters)
		}
	}
	return best, bestLam
}
