package assign

import (
	"fmt"
	"math"
	"sort"
)

// solve returns a feasible state and an upper bound on the optimum.
//
// Why it is exact: for one proposal, the sets of N allowed evaluators from
// at least G groups are the bases of a matroid (if B1 - x has only G-1
// groups, B2 has an element of a group B1 - x lacks), and loads between L
// and U with P·N in all are the bases of a generalised partition matroid.
// So an assignment is a common base of two matroids, and a common base has
// the most weight if and only if its exchange graph has no cycle of
// negative weight (weighted matroid intersection). Our moveGraph is that
// exchange graph with the (proposal, evaluator) pairs of one evaluator
// merged into one node.
//
// Steps: the problem without the group minimum is a transportation problem,
// solved exactly by relaxed. Proposals left with too few groups are repaired
// one exchange at a time along cheapest chains of moves. Then cycles of
// moves that gain affinity are applied until none is left, which proves the
// result optimal. Only if a cycle cannot be applied (a proposal on it twice)
// does a bound come from Lagrangian relaxation of the loads (and, for small
// instances, an exhaustive search).
func (in *instance) solve() (*state, float64, error) {
	s := newState(in)
	pi, mi, err := in.relaxed(s)
	if err != nil {
		return nil, 0, err
	}
	bound := s.total()
	if in.groupsOK(s) {
		return s, bound, nil
	}
	mi.groups = true
	g := newMoveGraph(in, mi)
	for p := 0; p < in.P; p++ {
		if in.progress != nil && p%64 == 0 {
			in.progress(p, in.P)
		}
		for s.distinct[p] < in.G {
			if !in.repair(s, p, g) {
				return in.unrepaired(p, s.distinct[p], pi)
			}
		}
	}
	if in.cancelCycles(s, g) {
		return s, s.total(), nil
	}
	total := s.total()
	lb, lam := in.lagrangeBound(pi, total)
	bound = math.Min(bound, lb)
	if bound > total+provenTol(total) {
		if x, b, ok := in.exact(s, lam); ok {
			return x, b, nil
		}
	}
	return s, bound, nil
}

// unrepaired settles an instance where repair got stuck on proposal p: an
// exhaustive search decides it if small enough.
func (in *instance) unrepaired(p, has int, lam []float64) (*state, float64, error) {
	x, b, ok := in.exact(nil, lam)
	if ok && x != nil {
		return x, b, nil
	}
	if ok {
		return nil, 0, &InfeasibleError{Reasons: []string{fmt.Sprintf(
			"no assignment gives every proposal evaluators from %d stakeholder groups while keeping loads between %d and %d (searched exhaustively; proposal %s is one that cannot get its groups)",
			in.G, in.L, in.U, in.pid[p])}}
	}
	return nil, 0, fmt.Errorf("%w: proposal %s: found no way to give it evaluators from %d stakeholder groups (it has %d) while keeping loads between %d and %d; the search was not exhaustive",
		ErrNotFound, in.pid[p], in.G, has, in.L, in.U)
}

func (in *instance) groupsOK(s *state) bool {
	for p := 0; p < in.P; p++ {
		if s.distinct[p] < in.G {
			return false
		}
	}
	return true
}

// moveGraph has the evaluators as nodes, plus t (index E) when loads may
// differ by one. Arc u→v is the cheapest move of one proposal from u to v
// that keeps that proposal's group rule; u→t means u keeps one more
// evaluation, t→v that v keeps one fewer.
type moveGraph struct {
	V     int
	mi    *moveIndex
	w     []float64 // u*V+v, loss of affinity; +Inf when no arc
	via   []int32   // proposal moved, or -1
	skip  int       // proposal left out of w
	fresh bool      // w not built yet
	// scratch for toTargets
	dist   []float64
	succ   []int32
	queue  []int
	queued []bool
	count  []int
}

func newMoveGraph(in *instance, mi *moveIndex) *moveGraph {
	V := in.E
	if in.U > in.L {
		V++
	}
	return &moveGraph{V: V, mi: mi, skip: -1, fresh: true, w: make([]float64, V*V), via: make([]int32, V*V)}
}

// build fills the arcs from state s, leaving out moves of proposal skip.
// A proposal short of groups may move only if it loses none.
func (g *moveGraph) build(s *state, skip int) {
	in, V, E, mi := s.in, g.V, s.in.E, g.mi
	if g.fresh {
		for u := range mi.dirty {
			mi.dirty[u] = true
		}
		g.fresh = false
	}
	if skip != g.skip {
		if g.skip >= 0 {
			mi.mark(g.skip)
		}
		if skip >= 0 {
			mi.mark(skip)
		}
		g.skip = skip
	}
	for u := 0; u < E; u++ {
		if !mi.dirty[u] {
			continue
		}
		mi.dirty[u] = false
		for v := 0; v < E; v++ {
			g.w[u*V+v], g.via[u*V+v] = math.Inf(1), -1
			if u == v {
				continue
			}
			if p, loss := mi.top(u, v, skip); p >= 0 {
				g.w[u*V+v], g.via[u*V+v] = loss, int32(p)
			}
		}
	}
	if V > E {
		t := E
		g.w[t*V+t] = math.Inf(1)
		for e := 0; e < E; e++ {
			g.w[e*V+t], g.w[t*V+e] = math.Inf(1), math.Inf(1)
			if s.load[e] < in.U {
				g.w[e*V+t] = 0
			}
			if s.load[e] > in.L {
				g.w[t*V+e] = 0
			}
		}
	}
}

// apply makes the moves along nodes (a path, or a cycle when it ends where
// it starts) and keeps them if every touched proposal keeps its group rule
// (or, if short, loses no group) and every load stays in range.
func (g *moveGraph) apply(s *state, nodes []int) bool {
	in := s.in
	type mv struct{ p, u, v int }
	var done []mv
	undo := func() {
		for i := len(done) - 1; i >= 0; i-- {
			m := done[i]
			s.remove(m.p, m.v)
			s.add(m.p, m.u)
		}
	}
	before := map[int]int{}
	ok := true
	for i := 0; i+1 < len(nodes); i++ {
		u, v := nodes[i], nodes[i+1]
		if u >= in.E || v >= in.E {
			continue
		}
		p := int(g.via[u*g.V+v])
		if p < 0 || !s.sel[p*in.E+u] || s.sel[p*in.E+v] || !in.ok[p*in.E+v] {
			ok = false
			break
		}
		if _, seen := before[p]; !seen {
			before[p] = s.distinct[p]
			g.mi.mark(p)
		}
		s.remove(p, u)
		s.add(p, v)
		done = append(done, mv{p, u, v})
	}
	if ok {
		for p, d := range before {
			if s.distinct[p] < min(in.G, d) {
				ok = false
			}
		}
		for _, m := range done {
			if s.load[m.u] < in.L || s.load[m.v] > in.U {
				ok = false
			}
		}
	}
	if !ok {
		undo()
	}
	for p := range before {
		g.mi.touched(p, false)
	}
	return ok
}

// repair raises proposal p's group count by one: p swaps an evaluator from
// a group it has twice for one from a group it lacks, and the cheapest chain
// of other moves rebalances the two loads.
func (in *instance) repair(s *state, p int, g *moveGraph) bool {
	defer g.mi.touched(p, true)
	for attempt := 0; attempt < 3; attempt++ {
		if s.distinct[p] >= in.G {
			return true // an improving cycle did it
		}
		g.build(s, p)
		var targets []int
		for u := 0; u < in.E; u++ {
			if s.sel[p*in.E+u] && s.cnt[p*in.K+in.group[u]] >= 2 {
				targets = append(targets, u)
			}
		}
		// One search for all evaluators p could give up finds the best
		// chain for each newcomer; if none of those can be applied, try
		// each evaluator to give up on its own.
		done, searched := in.repairVia(s, p, g, targets)
		for i := 0; searched && !done && i < len(targets) && len(targets) > 1; i++ {
			done, searched = in.repairVia(s, p, g, targets[i:i+1])
		}
		if done {
			return true
		}
		if searched {
			return false
		}
		// A cycle of moves gains affinity: take it first.
		g.mi.touched(p, true)
		in.cancelCycles(s, g)
	}
	return false
}

// repairVia tries the swaps of p that give up one of targets, cheapest
// first. searched is false if the search met a cycle of negative loss.
func (in *instance) repairVia(s *state, p int, g *moveGraph, targets []int) (done, searched bool) {
	E := in.E
	init := make([]float64, len(targets))
	for i, u := range targets {
		init[i] = in.a(p, u) // p loses u's affinity
	}
	if !g.toTargets(targets, init) {
		return false, false
	}
	type cand struct {
		v    int
		cost float64
	}
	var cands []cand
	for v := 0; v < E; v++ {
		if s.sel[p*E+v] || !in.ok[p*E+v] || s.cnt[p*in.K+in.group[v]] != 0 {
			continue
		}
		if d := g.dist[v]; !math.IsInf(d, 1) {
			cands = append(cands, cand{v, d - in.a(p, v)})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].cost < cands[j].cost })
	g.mi.mark(p)
	for _, c := range cands {
		path := g.pathFrom(c.v)
		if path == nil {
			continue
		}
		u := path[len(path)-1]
		s.remove(p, u)
		s.add(p, c.v)
		if g.apply(s, path) {
			return true, true
		}
		s.remove(p, c.v)
		s.add(p, u)
	}
	return false, true
}

// toTargets finds for every node the cheapest chain of moves to one of
// targets plus that target's starting cost init, with each node's next step
// in g.succ (-1 where a chain ends), by Bellman–Ford with a queue. It
// reports false if it met a cycle of negative loss.
func (g *moveGraph) toTargets(targets []int, init []float64) bool {
	V := g.V
	if len(g.dist) < V {
		g.dist = make([]float64, V)
		g.succ = make([]int32, V)
		g.queued = make([]bool, V)
		g.count = make([]int, V)
	}
	dist, succ := g.dist, g.succ
	for i := range dist {
		dist[i], succ[i], g.queued[i], g.count[i] = math.Inf(1), -1, false, 0
	}
	queue := g.queue[:0]
	for i, u := range targets {
		dist[u] = init[i]
		g.queued[u] = true
		queue = append(queue, u)
	}
	for len(queue) > 0 {
		y := queue[0]
		queue = queue[1:]
		g.queued[y] = false
		dy := dist[y]
		for x := 0; x < V; x++ {
			if d := g.w[x*V+y] + dy; d < dist[x]-1e-12 {
				dist[x], succ[x] = d, int32(y)
				if !g.queued[x] {
					if g.count[x]++; g.count[x] > V {
						g.queue = queue
						return false
					}
					g.queued[x] = true
					queue = append(queue, x)
				}
			}
		}
	}
	g.queue = queue
	return true
}

// pathFrom follows g.succ from a node to the end of its chain.
func (g *moveGraph) pathFrom(from int) []int {
	path := []int{from}
	for u := from; g.succ[u] >= 0; {
		u = int(g.succ[u])
		if len(path) > g.V {
			return nil
		}
		path = append(path, u)
	}
	return path
}

// cancelCycles applies cycles of moves that raise total affinity, each of
// which keeps loads and group rules, until none is found.
// It reports whether it stopped because none is left, which proves s
// optimal (see solve).
func (in *instance) cancelCycles(s *state, g *moveGraph) bool {
	for iter := 0; iter < 100*in.P+100; iter++ {
		g.build(s, -1)
		cyc := g.negativeCycle()
		if cyc == nil {
			return true
		}
		if !g.apply(s, cyc) {
			return false // a proposal moves twice and breaks a rule
		}
	}
	return false
}

// negativeCycle finds a cycle of negative total loss by Bellman–Ford from
// all nodes at once, or returns nil.
func (g *moveGraph) negativeCycle() []int {
	V := g.V
	d := make([]float64, V)
	pred := make([]int, V)
	for i := range pred {
		pred[i] = -1
	}
	last := -1
	for iter := 0; iter <= V; iter++ {
		last = -1
		for u := 0; u < V; u++ {
			for v := 0; v < V; v++ {
				w := g.w[u*V+v]
				if u != v && d[u]+w < d[v]-1e-12 {
					d[v] = d[u] + w
					pred[v] = u
					last = v
				}
			}
		}
		if last < 0 {
			return nil
		}
	}
	x := last
	for i := 0; i < V; i++ {
		x = pred[x]
	}
	cyc := []int{x}
	for y := pred[x]; y != x; y = pred[y] {
		cyc = append(cyc, y)
	}
	cyc = append(cyc, x)
	// pred runs backwards; moves run forwards.
	for i, j := 0, len(cyc)-1; i < j; i, j = i+1, j-1 {
		cyc[i], cyc[j] = cyc[j], cyc[i]
	}
	loss := 0.0
	for i := 0; i+1 < len(cyc); i++ {
		loss += g.w[cyc[i]*V+cyc[i+1]]
	}
	if loss > -1e-11 {
		return nil
	}
	return cyc
}
