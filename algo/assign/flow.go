package assign

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// state is an assignment under construction: every proposal always holds
// exactly N distinct evaluators; loads and group counts follow.
type state struct {
	in       *instance
	sel      []bool // p*E+e
	load     []int  // per evaluator
	cnt      []int  // p*K+g: evaluators of group g on proposal p
	distinct []int  // per proposal: groups with cnt > 0
}

func newState(in *instance) *state {
	return &state{
		in:       in,
		sel:      make([]bool, in.P*in.E),
		load:     make([]int, in.E),
		cnt:      make([]int, in.P*in.K),
		distinct: make([]int, in.P),
	}
}

func (s *state) add(p, e int) {
	in := s.in
	s.sel[p*in.E+e] = true
	s.load[e]++
	c := &s.cnt[p*in.K+in.group[e]]
	if *c == 0 {
		s.distinct[p]++
	}
	*c++
}

func (s *state) remove(p, e int) {
	in := s.in
	s.sel[p*in.E+e] = false
	s.load[e]--
	c := &s.cnt[p*in.K+in.group[e]]
	*c--
	if *c == 0 {
		s.distinct[p]--
	}
}

// distinctAfter is p's group count if it swapped evaluator from for to.
func (s *state) distinctAfter(p, from, to int) int {
	in := s.in
	gf, gt := in.group[from], in.group[to]
	d := s.distinct[p]
	if gf == gt {
		return d
	}
	if s.cnt[p*in.K+gf] == 1 {
		d--
	}
	if s.cnt[p*in.K+gt] == 0 {
		d++
	}
	return d
}

func (s *state) total() float64 {
	t := 0.0
	for i, on := range s.sel {
		if on {
			t += s.in.aff[i]
		}
	}
	return t
}

// greedy gives every proposal its N best evaluators by affinity minus
// price, ignoring loads and groups: optimal for those prices, the start of
// successive shortest paths.
func (in *instance) greedy(s *state, lam []float64) {
	lamMin := slices.Min(lam)
	var picks []pick
	for p := 0; p < in.P; p++ {
		picks = in.topN(p, lam, lamMin, picks)
		for _, x := range picks {
			s.add(p, x.e)
		}
	}
}

// warmPrices guesses evaluator prices that nearly balance loads, by a few
// damped steps that raise the price of overloaded evaluators, so that
// successive shortest paths start from few excess loads. Any prices will
// do for correctness.
func (in *instance) warmPrices() []float64 {
	lam := make([]float64, in.E)
	if in.E == 0 {
		return lam
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, a := range in.aff {
		if in.ok[i] {
			lo, hi = math.Min(lo, a), math.Max(hi, a)
		}
	}
	step := (hi - lo) / 4
	load := make([]int, in.E)
	target := float64(in.P*in.N) / float64(in.E)
	var picks []pick
	for it := 0; it < 25 && step > 0; it++ {
		clear(load)
		lamMin := slices.Min(lam)
		for p := 0; p < in.P; p++ {
			picks = in.topN(p, lam, lamMin, picks)
			for _, x := range picks {
				load[x.e]++
			}
		}
		for e, l := range load {
			lam[e] += step * (float64(l) - target) / target
		}
		step *= 0.8
	}
	return lam
}

// moveEntry offers to move proposal p from one evaluator to another at a
// loss of key affinity.
type moveEntry struct {
	key float64
	p   int32
}

// moveHeap is a min-heap of moveEntry by key, then proposal.
type moveHeap []moveEntry

func (h moveHeap) less(i, j int) bool {
	if h[i].key != h[j].key {
		return h[i].key < h[j].key
	}
	return h[i].p < h[j].p
}

func (h moveHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (h *moveHeap) push(x moveEntry) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		parent := (i - 1) / 2
		if !a.less(i, parent) {
			break
		}
		a[i], a[parent] = a[parent], a[i]
		i = parent
	}
}

func (h *moveHeap) pop() {
	a := *h
	n := len(a) - 1
	a[0] = a[n]
	*h = a[:n]
	(*h).down(0)
}

// moveIndex keeps, for each ordered pair of evaluators (u, v), the
// proposals that could move from u to v in a heap by loss of affinity. The
// loss of a move never changes, and whether it is allowed depends only on
// the moving proposal's own state, so entries are checked lazily at the top
// and a proposal's moves are pushed again whenever it changes.
type moveIndex struct {
	s      *state
	heaps  []moveHeap // u*E+v
	groups bool       // moves must keep the group rule
	// dirty marks rows u whose heaps may have a new top since a moveGraph
	// last read them: the rows of a proposal's evaluators before and after
	// it changes, since all its entries sit there.
	dirty  []bool
	pushed int // entries pushed since the last compaction
	base   int // entries after the last compaction
	// Each proposal's state when its entries were last pushed.
	snapSel      []bool
	snapCnt      []int
	snapDistinct []int
}

func newMoveIndex(s *state) *moveIndex {
	in, E := s.in, s.in.E
	mi := &moveIndex{s: s, heaps: make([]moveHeap, E*E), dirty: make([]bool, E),
		snapSel: append([]bool(nil), s.sel...), snapCnt: append([]int(nil), s.cnt...),
		snapDistinct: append([]int(nil), s.distinct...)}
	// Count first, so that all heaps start in one allocation.
	count := make([]int, E*E)
	for pass := 0; pass < 2; pass++ {
		for p := 0; p < in.P; p++ {
			for u := 0; u < E; u++ {
				if !s.sel[p*E+u] {
					continue
				}
				for v := 0; v < E; v++ {
					if s.sel[p*E+v] || !in.ok[p*E+v] {
						continue
					}
					if pass == 0 {
						count[u*E+v]++
					} else {
						mi.heaps[u*E+v] = append(mi.heaps[u*E+v], moveEntry{in.a(p, u) - in.a(p, v), int32(p)})
					}
				}
			}
		}
		if pass == 0 {
			total := 0
			for _, c := range count {
				total += c
			}
			// Room to double before a heap must move: pushes come between
			// compactions, which shrink the heaps back.
			all := make([]moveEntry, 2*total+4*len(count))
			off := 0
			for i, c := range count {
				mi.heaps[i] = all[off : off : off+2*c+4]
				off += 2*c + 4
			}
		}
	}
	for i := range mi.heaps {
		for j := len(mi.heaps[i])/2 - 1; j >= 0; j-- {
			mi.heaps[i].down(j)
		}
		mi.base += len(mi.heaps[i])
	}
	return mi
}

// mark flags the rows of proposal p's current evaluators as dirty.
func (mi *moveIndex) mark(p int) {
	E := mi.s.in.E
	for u, on := range mi.s.sel[p*E : (p+1)*E] {
		if on {
			mi.dirty[u] = true
		}
	}
}

// compact drops entries that are not allowed now, and duplicates: a
// sorted slice is a heap.
func (mi *moveIndex) compact() {
	E := mi.s.in.E
	mi.base = 0
	for i := range mi.heaps {
		h := mi.heaps[i]
		u, v := i/E, i%E
		out := h[:0]
		for _, x := range h {
			if mi.valid(int(x.p), u, v) {
				out = append(out, x)
			}
		}
		slices.SortFunc(out, func(a, b moveEntry) int {
			if a.key != b.key {
				return cmp.Compare(a.key, b.key)
			}
			return cmp.Compare(a.p, b.p)
		})
		out = slices.Compact(out)
		mi.heaps[i] = out // keeps its capacity for later pushes
		mi.base += len(out)
		mi.dirty[u] = true
	}
	mi.pushed = 0
}

func (mi *moveIndex) valid(p, u, v int) bool {
	s := mi.s
	E := s.in.E
	if !s.sel[p*E+u] || s.sel[p*E+v] {
		return false
	}
	return !mi.groups || s.distinctAfter(p, u, v) >= min(s.in.G, s.distinct[p])
}

// top returns the cheapest allowed move from u to v and its loss, or -1.
// Moves of proposal skip are dropped; the caller pushes them again.
func (mi *moveIndex) top(u, v, skip int) (int, float64) {
	h := &mi.heaps[u*mi.s.in.E+v]
	for len(*h) > 0 {
		x := (*h)[0]
		if p := int(x.p); p != skip && mi.valid(p, u, v) {
			return p, x.key
		}
		h.pop()
	}
	return -1, 0
}

// touched pushes the moves of proposal p that are allowed now but were not
// when it was last pushed (all allowed moves if full, after its entries
// were dropped), and marks its rows.
func (mi *moveIndex) touched(p int, full bool) {
	s := mi.s
	in, E, K := s.in, s.in.E, s.in.K
	mi.mark(p)
	if mi.pushed > mi.base {
		mi.compact()
	}
	old := mi.snapSel[p*E : (p+1)*E]
	oldCnt := mi.snapCnt[p*K : (p+1)*K]
	oldNeed := min(in.G, mi.snapDistinct[p])
	for u := 0; u < E; u++ {
		if !s.sel[p*E+u] {
			continue
		}
		for v := 0; v < E; v++ {
			if !in.ok[p*E+v] || !mi.valid(p, u, v) {
				continue
			}
			if !full && old[u] && !old[v] {
				// Allowed at the last push too? Then it is still there.
				d := mi.snapDistinct[p]
				if gu, gv := in.group[u], in.group[v]; gu != gv {
					if oldCnt[gu] == 1 {
						d--
					}
					if oldCnt[gv] == 0 {
						d++
					}
				}
				if !mi.groups || d >= oldNeed {
					continue
				}
			}
			mi.heaps[u*E+v].push(moveEntry{in.a(p, u) - in.a(p, v), int32(p)})
			mi.pushed++
		}
	}
	mi.snap(p)
}

// snap records proposal p's state as the one its entries were pushed for.
func (mi *moveIndex) snap(p int) {
	s := mi.s
	E, K := s.in.E, s.in.K
	copy(mi.snapSel[p*E:(p+1)*E], s.sel[p*E:(p+1)*E])
	copy(mi.snapCnt[p*K:(p+1)*K], s.cnt[p*K:(p+1)*K])
	mi.snapDistinct[p] = s.distinct[p]
}

// relaxed solves the problem without the stakeholder-group minimum exactly,
// by successive shortest paths on a graph whose nodes are the evaluators
// (plus t, which holds the "+1" loads when P·N is not a multiple of E). An
// arc u→v is the cheapest move of one proposal from u to v; the candidates
// for each arc sit in a heap with lazy deletion, since the loss of a move
// does not depend on prices. It returns the evaluator prices: every
// proposal holds its N best evaluators by affinity minus price.
func (in *instance) relaxed(s *state) ([]float64, *moveIndex, error) {
	E := in.E
	lam := in.warmPrices()
	in.greedy(s, lam)
	mi := newMoveIndex(s)
	// Arc costs are read from a moveGraph, which re-reads the heaps only
	// for rows that moves touched.
	g := newMoveGraph(in, mi)
	GV := g.V

	hasT := in.U > in.L
	V := E
	if hasT {
		V++
	}
	t := E
	ex := make([]int, V) // excess: positive must leave, negative must arrive
	o := make([]int, E)  // "+1" loads held, each at most U-L
	totalEx := 0
	for e := 0; e < E; e++ {
		ex[e] = s.load[e] - in.L
		if ex[e] > 0 {
			totalEx += ex[e]
		}
	}
	if hasT {
		ex[t] = -(in.P*in.N - in.L*E)
	}
	// Prices start where the greedy choice is optimal; t must not be
	// cheaper than any evaluator, since every e→t arc is open.
	pi := make([]float64, V)
	copy(pi, lam)
	if hasT {
		pi[t] = slices.Max(lam)
	}
	dist := make([]float64, V)
	done := make([]bool, V)
	prev := make([]int, V)
	via := make([]int, V)
	path := make([]int, 0, V)
	moved := 0
	for {
		src := -1
		for e := 0; e < E; e++ {
			if ex[e] > 0 {
				src = e
				break
			}
		}
		if src < 0 {
			break
		}
		g.build(s, -1)
		for v := range dist {
			dist[v], done[v], prev[v], via[v] = math.Inf(1), false, -1, -1
		}
		dist[src] = 0
		relax := func(u, v int, w float64, p int) {
			if w < 0 { // rounding; reduced costs are non-negative
				w = 0
			}
			if d := dist[u] + w; d < dist[v] {
				dist[v], prev[v], via[v] = d, u, p
			}
		}
		target := -1
		for {
			u := -1
			for v := 0; v < V; v++ {
				if !done[v] && !math.IsInf(dist[v], 1) && (u < 0 || dist[v] < dist[u]) {
					u = v
				}
			}
			if u < 0 {
				break
			}
			done[u] = true
			if ex[u] < 0 {
				target = u
				break
			}
			if u == t && hasT {
				for v := 0; v < E; v++ {
					if o[v] > 0 && !done[v] {
						relax(u, v, pi[v]-pi[t], -1)
					}
				}
				continue
			}
			for v := 0; v < E; v++ {
				if v == u || done[v] {
					continue
				}
				if p := g.via[u*GV+v]; p >= 0 {
					relax(u, v, g.w[u*GV+v]-pi[u]+pi[v], int(p))
				}
			}
			if hasT && o[u] < in.U-in.L && !done[t] {
				relax(u, t, pi[t]-pi[u], -1)
			}
		}
		if target < 0 {
			return nil, nil, in.loadCut(s, done[:E], hasT && done[t])
		}
		D := dist[target]
		for v := range pi {
			pi[v] -= math.Min(dist[v], D)
		}
		path = path[:0]
		for v := target; v != src; v = prev[v] {
			path = append(path, v)
		}
		for _, v := range path {
			u, p := prev[v], via[v]
			switch {
			case v == t && hasT:
				o[u]++
			case u == t && hasT:
				o[v]--
			default:
				mi.mark(p)
				s.remove(p, u)
				s.add(p, v)
				mi.mark(p)
				for h := 0; h < E; h++ {
					if s.sel[p*E+h] {
						if h != v {
							mi.heaps[h*E+u].push(moveEntry{in.a(p, h) - in.a(p, u), int32(p)})
						}
					} else if in.ok[p*E+h] {
						mi.heaps[v*E+h].push(moveEntry{in.a(p, v) - in.a(p, h), int32(p)})
					}
				}
				mi.snap(p)
			}
		}
		ex[src]--
		ex[target]++
		moved++
		if in.progress != nil && moved%64 == 0 {
			in.progress(moved, totalEx)
		}
	}
	if in.progress != nil {
		in.progress(totalEx, totalEx)
	}
	return pi[:E], mi, nil
}

// loadCut explains why loads cannot balance, from the evaluators reached
// (reached) when the search for a path from an overloaded evaluator failed.
func (in *instance) loadCut(s *state, reached []bool, tReached bool) error {
	// If t was not reached, the reached evaluators pass no evaluation to
	// anyone else yet hold more than U each; otherwise the evaluators not
	// reached can gain none yet hold less than L each.
	over := !tReached
	var ids []string
	k, held := 0, 0
	for e, r := range reached {
		if r == over {
			k++
			held += s.load[e]
			if len(ids) < 10 {
				ids = append(ids, in.eid[e])
			}
		}
	}
	more := ""
	if k > len(ids) {
		more = fmt.Sprintf(" and %d more", k-len(ids))
	}
	list := strings.Join(ids, ", ") + more
	if over {
		return &InfeasibleError{Reasons: []string{fmt.Sprintf(
			"loads: because of conflicts, evaluators %s must take at least %d evaluations between them but may take at most %d (%d each), over by %d",
			list, held, k*in.U, in.U, held-k*in.U)}}
	}
	return &InfeasibleError{Reasons: []string{fmt.Sprintf(
		"loads: because of conflicts, evaluators %s can get at most %d evaluations between them but need at least %d (%d each), short by %d",
		list, held, k*in.L, in.L, k*in.L-held)}}
}
