// Package assign picks which advisory-group members evaluate which session
// proposals: each proposal gets a fixed number of distinct evaluators from
// several stakeholder groups, nobody judges a proposal they have a conflict of
// interest with, evaluator loads differ by at most one, and the total affinity
// between evaluators' expertise and proposals' text is as high as possible.
// The problem is a weighted matroid intersection, so the result is optimal
// and normally proven so; when not, Result.Bound says how far off it can be.
package assign

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// Proposal is a session proposal to be evaluated.
type Proposal struct {
	ID   string
	Text string // title and description, used for affinity
	// People are the person ids of organisers and speakers; an evaluator
	// whose ID is among them has a conflict.
	People []string
	// Organisations of organisers and speakers; an evaluator from one of
	// them has a conflict.
	Organisations []string
}

// Evaluator is an advisory-group member who scores proposals.
type Evaluator struct {
	ID           string // person id
	Group        string // stakeholder group
	Organisation string
	Expertise    string
	Conflicts    []string // ids of proposals with a declared conflict
}

// Options tunes Assign. Zero values take the defaults.
type Options struct {
	PerProposal int    // evaluators per proposal; default 5
	MinGroups   int    // minimum distinct stakeholder groups per proposal; default 3
	Seed        uint64 // breaks ties; equal seeds give equal results
	// Affinity, if set, replaces TF-IDF: Affinity[i][j] scores proposal i
	// with evaluator j (input order). Conflicts still apply.
	Affinity [][]float64
	// Progress, if set, is called now and then with work done out of total.
	Progress func(done, total int)
}

// Pair is one evaluation to be done.
type Pair struct {
	Proposal  string
	Evaluator string
	Affinity  float64
}

// Result is an assignment. Bound >= TotalAffinity is a proven upper bound on
// the best total affinity; Bound == TotalAffinity means proven optimal.
type Result struct {
	Pairs         []Pair // ordered by proposal, then evaluator, in input order
	TotalAffinity float64
	Bound         float64
}

// InfeasibleError says which constraints cannot all hold, and by how much.
type InfeasibleError struct {
	Reasons []string
}

func (e *InfeasibleError) Error() string {
	return "assign: infeasible: " + strings.Join(e.Reasons, "; ")
}

// ErrNotFound means no assignment was found, though none was proven
// impossible either: the instance is too large to search exhaustively.
var ErrNotFound = errors.New("assign: no assignment found")

// Defaults, following IGF practice.
const (
	DefaultPerProposal = 5
	DefaultMinGroups   = 3
)

// instance is the problem in internal (seed-permuted) indices.
type instance struct {
	P, E, N, G, K int
	L, U          int       // load range per evaluator
	group         []int     // evaluator -> group index
	aff           []float64 // p*E+e
	ok            []bool    // p*E+e: no conflict
	byAff         [][]int32 // per proposal: allowed evaluators, best affinity first
	avail         []int     // p*K+g: allowed evaluators of group g for p
	pid, eid      []string  // internal index -> id, for messages
	gname         []string  // evaluator -> group name, for messages
	pOrig, eOrig  []int     // internal index -> input index
	progress      func(done, total int)
}

func (in *instance) a(p, e int) float64 { return in.aff[p*in.E+e] }

// Assign computes an assignment of evaluators to proposals. When the rules
// cannot all hold, the error is an *InfeasibleError naming each broken rule
// and by how much; ErrNotFound (rare, large instances only) means no
// assignment was found without a proof that none exists; other errors are
// bad input.
func Assign(proposals []Proposal, evaluators []Evaluator, opt Options) (Result, error) {
	if opt.PerProposal == 0 {
		opt.PerProposal = DefaultPerProposal
	}
	if opt.MinGroups == 0 {
		opt.MinGroups = DefaultMinGroups
	}
	if opt.PerProposal < 0 || opt.MinGroups < 0 {
		return Result{}, errors.New("assign: PerProposal and MinGroups must not be negative")
	}
	aff := opt.Affinity
	if aff == nil {
		aff = Affinity(proposals, evaluators)
	}
	in, err := newInstance(proposals, evaluators, aff, opt)
	if err != nil {
		return Result{}, err
	}
	if len(proposals) == 0 {
		return Result{}, nil
	}
	if reasons := in.explain(); len(reasons) > 0 {
		return Result{}, &InfeasibleError{Reasons: reasons}
	}
	s, bound, err := in.solve()
	if err != nil {
		return Result{}, err
	}
	return in.result(s, bound), nil
}

func newInstance(proposals []Proposal, evaluators []Evaluator, aff [][]float64, opt Options) (*instance, error) {
	P, E := len(proposals), len(evaluators)
	if len(aff) != P {
		return nil, fmt.Errorf("assign: affinity has %d rows, want %d (one per proposal)", len(aff), P)
	}
	pIndex := make(map[string]int, P)
	for i, p := range proposals {
		if p.ID == "" {
			return nil, fmt.Errorf("assign: proposal %d has no id", i+1)
		}
		if _, dup := pIndex[p.ID]; dup {
			return nil, fmt.Errorf("assign: duplicate proposal id %q", p.ID)
		}
		pIndex[p.ID] = i
		if len(aff[i]) != E {
			return nil, fmt.Errorf("assign: affinity row %d has %d values, want %d (one per evaluator)", i, len(aff[i]), E)
		}
		for j, v := range aff[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("assign: affinity[%d][%d] is %v", i, j, v)
			}
		}
	}
	eIndex := make(map[string]bool, E)
	groupIndex := map[string]int{}
	for i, e := range evaluators {
		if e.ID == "" {
			return nil, fmt.Errorf("assign: evaluator %d has no id", i+1)
		}
		if eIndex[e.ID] {
			return nil, fmt.Errorf("assign: duplicate evaluator id %q", e.ID)
		}
		eIndex[e.ID] = true
		if e.Group == "" {
			return nil, fmt.Errorf("assign: evaluator %q has no stakeholder group", e.ID)
		}
		if _, seen := groupIndex[e.Group]; !seen {
			groupIndex[e.Group] = len(groupIndex)
		}
		for _, c := range e.Conflicts {
			if _, ok := pIndex[c]; !ok {
				return nil, fmt.Errorf("assign: evaluator %q declares a conflict with unknown proposal %q", e.ID, c)
			}
		}
	}

	// Internal order is a seeded shuffle, so every later "first wins" tie
	// rule is a seeded tie-break.
	rng := rand.New(rand.NewPCG(opt.Seed, 0x636f6e636f7264))
	in := &instance{
		P: P, E: E, N: opt.PerProposal, G: opt.MinGroups, K: len(groupIndex),
		pOrig: rng.Perm(P), eOrig: rng.Perm(E),
		progress: opt.Progress,
	}
	if E > 0 {
		in.L = P * in.N / E
		in.U = (P*in.N + E - 1) / E
	}
	pInt := make([]int, P) // input -> internal
	for i, o := range in.pOrig {
		pInt[o] = i
	}
	in.group = make([]int, E)
	in.eid = make([]string, E)
	in.gname = make([]string, E)
	in.pid = make([]string, P)
	for i, o := range in.pOrig {
		in.pid[i] = proposals[o].ID
	}
	for j, o := range in.eOrig {
		in.group[j] = groupIndex[evaluators[o].Group]
		in.eid[j] = evaluators[o].ID
		in.gname[j] = evaluators[o].Group
	}
	in.aff = make([]float64, P*E)
	in.ok = make([]bool, P*E)
	for i, po := range in.pOrig {
		p := &proposals[po]
		for j, eo := range in.eOrig {
			in.aff[i*E+j] = aff[po][eo]
			in.ok[i*E+j] = !conflicted(p, &evaluators[eo])
		}
	}
	for j, eo := range in.eOrig {
		for _, c := range evaluators[eo].Conflicts {
			in.ok[pInt[pIndex[c]]*E+j] = false
		}
	}
	in.sortByAffinity()
	return in, nil
}

// sortByAffinity lists each proposal's allowed evaluators, highest affinity
// first, ties in internal (seeded) order.
func (in *instance) sortByAffinity() {
	all := make([]int32, 0, in.P*in.E)
	in.avail = make([]int, in.P*in.K)
	in.byAff = make([][]int32, in.P)
	for p := range in.byAff {
		start := len(all)
		for e := 0; e < in.E; e++ {
			if in.ok[p*in.E+e] {
				all = append(all, int32(e))
				in.avail[p*in.K+in.group[e]]++
			}
		}
		lst := all[start:len(all):len(all)]
		sort.SliceStable(lst, func(i, j int) bool { return in.a(p, int(lst[i])) > in.a(p, int(lst[j])) })
		in.byAff[p] = lst
	}
}

func conflicted(p *Proposal, e *Evaluator) bool {
	for _, id := range p.People {
		if id == e.ID {
			return true
		}
	}
	if e.Organisation != "" {
		for _, o := range p.Organisations {
			if strings.EqualFold(strings.TrimSpace(o), strings.TrimSpace(e.Organisation)) {
				return true
			}
		}
	}
	return false
}

// explain lists the constraints that cannot hold, checked one by one.
func (in *instance) explain() []string {
	var rs []string
	if in.E == 0 {
		return []string{fmt.Sprintf("no evaluators for %d proposals", in.P)}
	}
	if in.G > in.N {
		rs = append(rs, fmt.Sprintf("%d stakeholder groups per proposal cannot come from %d evaluators per proposal", in.G, in.N))
	}
	if in.G > in.K {
		rs = append(rs, fmt.Sprintf("evaluators come from only %d stakeholder groups, needs %d", in.K, in.G))
	}
	if len(rs) > 0 {
		return rs
	}
	eligible := make([]int, in.E)
	seen := make([]bool, in.K)
	for p := 0; p < in.P; p++ {
		n, g := 0, 0
		clear(seen)
		for e := 0; e < in.E; e++ {
			if !in.ok[p*in.E+e] {
				continue
			}
			n++
			eligible[e]++
			if !seen[in.group[e]] {
				seen[in.group[e]] = true
				g++
			}
		}
		if n < in.N {
			rs = append(rs, fmt.Sprintf("proposal %s: only %d non-conflicted evaluators, needs %d", in.pid[p], n, in.N))
		} else if g < in.G {
			rs = append(rs, fmt.Sprintf("only %d stakeholder groups have non-conflicted evaluators for proposal %s, needs %d", g, in.pid[p], in.G))
		}
	}
	if r := in.groupCapacity(); r != "" {
		rs = append(rs, r)
	}
	for e := 0; e < in.E; e++ {
		if eligible[e] < in.L {
			rs = append(rs, fmt.Sprintf("loads: %d×%d evaluations over %d evaluators needs at least %d each, but evaluator %s has no conflict with only %d proposals (short by %d)",
				in.P, in.N, in.E, in.L, in.eid[e], eligible[e], in.L-eligible[e]))
		}
	}
	sort.Strings(rs)
	const most = 20
	if len(rs) > most {
		rs = append(rs[:most-1], fmt.Sprintf("and %d more like these", len(rs)-most+1))
	}
	return rs
}

// groupCapacity checks that groups can carry their share: a proposal
// whose non-conflicted evaluators come from groups A, reaching G groups,
// takes at least G - |A \ S| evaluators from any set S of groups, and S's
// evaluators can take at most L each, plus one for as many as P·N-L·E. Every set of groups is tried when
// there are few groups, else the j smallest for each j.
func (in *instance) groupCapacity() string {
	size := make([]int, in.K)
	names := make([]string, in.K)
	for e, g := range in.group {
		size[g]++
		names[g] = in.gname[e]
	}
	var sets [][]int
	if in.K <= 10 {
		for m := 1; m < 1<<in.K; m++ {
			var set []int
			for g := 0; g < in.K; g++ {
				if m&(1<<g) != 0 {
					set = append(set, g)
				}
			}
			sets = append(sets, set)
		}
		sort.SliceStable(sets, func(i, j int) bool { return len(sets[i]) < len(sets[j]) })
	} else {
		order := make([]int, in.K)
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return size[order[i]] < size[order[j]] })
		for j := 1; j <= in.K; j++ {
			sets = append(sets, order[:j])
		}
	}
	inSet := make([]bool, in.K)
	for _, set := range sets {
		clear(inSet)
		evs := 0
		var picked []string
		for _, g := range set {
			inSet[g] = true
			evs += size[g]
			picked = append(picked, names[g])
		}
		want := 0
		for p := 0; p < in.P; p++ {
			outside := 0
			for g := 0; g < in.K; g++ {
				if !inSet[g] && in.avail[p*in.K+g] > 0 {
					outside++
				}
			}
			want += max(0, in.G-outside)
		}
		// Only R evaluators in all take U rather than L.
		r := in.P*in.N - in.L*in.E
		if can := evs*in.L + min(evs, r)*(in.U-in.L); want > can {
			limit := fmt.Sprintf("%d each", in.L)
			if r > 0 {
				limit = fmt.Sprintf("%d each, %d for only %d evaluators in all", in.L, in.U, r)
			}
			return fmt.Sprintf("stakeholder groups %s have %d evaluators, who can take at most %d evaluations (%s), but proposals need %d from them to reach %d groups each, short by %d",
				strings.Join(picked, ", "), evs, can, limit, want, in.G, want-can)
		}
	}
	return ""
}

// result turns a solved state into a Result in input order.
func (in *instance) result(s *state, bound float64) Result {
	var r Result
	type pe struct{ p, e int }
	pairs := make([]pe, 0, in.P*in.N)
	for p := 0; p < in.P; p++ {
		for e := 0; e < in.E; e++ {
			if s.sel[p*in.E+e] {
				pairs = append(pairs, pe{p, e})
				r.TotalAffinity += in.a(p, e)
			}
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		a, b := pairs[i], pairs[j]
		if in.pOrig[a.p] != in.pOrig[b.p] {
			return in.pOrig[a.p] < in.pOrig[b.p]
		}
		return in.eOrig[a.e] < in.eOrig[b.e]
	})
	r.Pairs = make([]Pair, len(pairs))
	for i, x := range pairs {
		r.Pairs[i] = Pair{Proposal: in.pid[x.p], Evaluator: in.eid[x.e], Affinity: in.a(x.p, x.e)}
	}
	// Within rounding of the total, a bound this close is a proof.
	if bound <= r.TotalAffinity+provenTol(r.TotalAffinity) {
		bound = r.TotalAffinity
	}
	r.Bound = bound
	return r
}

// provenTol is how close a bound must come to a total to count as a proof:
// far above the rounding of sums of a few thousand affinities, far below
// any difference that matters.
func provenTol(total float64) float64 { return 1e-10 * math.Max(1, math.Abs(total)) }
