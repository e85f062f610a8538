package selection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Distribution is a lottery over panels. Each Composition says how many seats
// every group gets; Draw then fills a group's seats uniformly at random among
// its members, so all members of a group share one selection probability.
type Distribution struct {
	Method string
	// People holds the pool's IDs in input order; Members index into it.
	People     []string
	Categories []string
	Groups     []Group
	Panels     []Composition
	// Probabilities holds each person's chance of selection, in People order.
	Probabilities  []float64
	MinProbability float64
}

// Group is a set of interchangeable people: same feature in every category
// (Features follows Distribution.Categories) and, for Forced, sitting members.
type Group struct {
	Features []string
	Members  []int
	Forced   bool
}

// Composition is one panel shape: Seats[g] seats for Groups[g].
type Composition struct {
	Seats       []int
	Probability float64
}

// Options tunes long runs.
type Options struct {
	// Progress, if set, is called after each leximin stage with the number of
	// groups whose probability is settled and the total.
	Progress func(done, total int)
}

// Leximin returns the lottery over feasible panels whose selection
// probabilities are leximin-optimal: the lowest probability is as high as the
// quotas allow, then the next lowest, and so on (Flanigan, Gölz, Gupta,
// Hennig, Procaccia, Nature 596, 2021).
//
// As in that paper, each stage maximises the minimum unsettled probability by
// column generation: a linear program over a growing set of panels, priced by
// an integer program finding the panel of highest dual weight. Groups with a
// positive dual cannot rise above the stage optimum and are settled. Because
// people of one group are interchangeable and the leximin vector is unique,
// it works on seat counts per group rather than on individuals.
func Leximin(ctx context.Context, in *Instance, opt Options) (*Distribution, error) {
	p, err := compile(in)
	if err != nil {
		return nil, err
	}
	G := len(p.groups)
	size := make([]float64, G)
	lo := make([]float64, G)
	hi := make([]float64, G)
	keys := make([][]int, G)
	var free []int // groups that are not forced, each with a master row
	for g, gr := range p.groups {
		size[g] = float64(len(gr.members))
		hi[g] = size[g]
		if gr.forced {
			lo[g] = size[g]
		} else {
			free = append(free, g)
		}
		keys[g] = gr.key
	}
	pricing := p.countILP(keys, lo, hi)
	pricing.settle = 200

	var cols [][]int
	seen := map[string]bool{}
	add := func(x []int) bool {
		s := fmt.Sprint(x)
		if seen[s] {
			return false
		}
		seen[s] = true
		cols = append(cols, x)
		return true
	}
	// Seed the panels so that every group that can sit at all sits in one:
	// for each group not yet covered, a panel giving it as many seats as it
	// can take.
	for _, g := range free {
		if slices.ContainsFunc(cols, func(x []int) bool { return x[g] > 0 }) {
			continue
		}
		for j := range pricing.obj {
			pricing.obj[j] = 0
		}
		pricing.obj[g] = 1
		x, _, err := pricing.solve(ctx)
		if errors.Is(err, errInfeasible) {
			return nil, p.explainInfeasible(ctx)
		}
		if err != nil {
			return nil, err
		}
		add(x)
	}
	if len(free) == 0 {
		x, _, err := pricing.solve(ctx)
		if err != nil {
			if errors.Is(err, errInfeasible) {
				return nil, p.explainInfeasible(ctx)
			}
			return nil, err
		}
		add(x)
	}

	settled := make([]bool, G)
	stageOf := make([]int, G) // stage in which each group was settled, -1 while not
	for g := range stageOf {
		stageOf[g] = -1
	}
	var incs []float64 // the increment of the lowest probability, per finished stage
	nSettled := 0
	var lambda []float64
	ms, err := buildMaster(cols, free, size, stageOf, incs)
	if err != nil {
		return nil, fmt.Errorf("leximin: %w", err)
	}
	res := ms.tb.result()
	for nSettled < len(free) {
		sinceFresh := 0
		for {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for j := range pricing.obj {
				pricing.obj[j] = 0
			}
			for r, g := range free {
				pricing.obj[g] = res.duals[r] / size[g]
			}
			pricing.cutoff, pricing.useCutoff = -res.duals[len(free)]+1e-9, true
			x, _, err := pricing.solve(ctx)
			// No panel improves the master (or only one it has, by a
			// rounding margin): the stage is solved.
			if errors.Is(err, errInfeasible) || (err == nil && !add(x)) {
				if sinceFresh == 0 || ms.accurate(res, cols, free, size, stageOf) {
					break
				}
				// Confirm on a freshly solved master: many warm pivots let
				// rounding errors creep into the tableau.
				if ms, err = buildMaster(cols, free, size, stageOf, incs); err != nil {
					return nil, fmt.Errorf("leximin stage %d: %w", len(incs), err)
				}
				res, sinceFresh = ms.tb.result(), 0
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("leximin pricing: %w", err)
			}
			sinceFresh++
			if sinceFresh%refreshEvery == 0 && !ms.accurate(res, cols[:len(cols)-1], free, size, stageOf) {
				if ms, err = buildMaster(cols, free, size, stageOf, incs); err != nil {
					return nil, fmt.Errorf("leximin stage %d: %w", len(incs), err)
				}
				res, sinceFresh = ms.tb.result(), 0
				continue
			}
			if res, err = ms.addPanel(masterColumn(x, free, size), len(cols)-1); err != nil {
				return nil, fmt.Errorf("leximin stage %d, adding panel %d: %w", len(incs), len(cols), err)
			}
		}
		lambda = ms.lambdas(res, len(cols))
		duals := res.duals
		// The stage optimum: the lowest unsettled probability.
		z := math.Inf(1)
		prob := groupProbs(cols, lambda, size)
		for _, g := range free {
			if !settled[g] {
				z = min(z, prob[g])
			}
		}
		fixed := 0
		heaviest, heaviestDual := -1, math.Inf(-1)
		for r, g := range free {
			if settled[g] {
				continue
			}
			if duals[r] > 1e-7 {
				settled[g], stageOf[g] = true, len(incs)
				fixed++
			}
			if duals[r] > heaviestDual {
				heaviest, heaviestDual = g, duals[r]
			}
		}
		if fixed == 0 {
			settled[heaviest], stageOf[heaviest] = true, len(incs)
			fixed = 1
		}
		nSettled += fixed
		if opt.Progress != nil {
			opt.Progress(nSettled, len(free))
		}
		// The next stage keeps this one's increment fixed and raises the
		// groups still unsettled by a new one: a column and a bound change,
		// so the tableau carries over.
		// A hair below the optimum, so that rounding cannot make the
		// restricted program infeasible later.
		inc := max(ms.stageValue(res, len(incs))-1e-8, 0)
		incs = append(incs, inc)
		if nSettled < len(free) {
			if res, err = ms.nextStage(free, settled, inc); err != nil {
				return nil, fmt.Errorf("leximin stage %d: %w", len(incs), err)
			}
		}
	}
	if len(free) == 0 {
		lambda = []float64{1}
	}
	return p.distribution("leximin", cols, lambda), nil
}

// refreshEvery is how often the warm master is checked for the rounding
// error a long pivot sequence collects (and solved afresh if needed).
const refreshEvery = 25

// masterProgram is the restricted master program: a lottery over panels
// that maximises the lowest probability among unsettled groups. The lowest
// probability is written as a sum of per-stage increments w_0 + w_1 + ...;
// row g is Σ λ·x_g/n_g - Σ{w_s : g unsettled in stage s} >= 0. Finished
// stages keep their increment fixed, so settled groups keep their floor and
// a new stage only adds a column.
type masterProgram struct {
	tb *tableau
	// layout gives, per solution position, the panel index (>= 0) or
	// -1-s for the increment of stage s.
	layout []int
}

func buildMaster(cols [][]int, free []int, size []float64, stageOf []int, incs []float64) (*masterProgram, error) {
	S := len(incs) + 1 // increments, the last one free
	C := len(cols)
	n := S + C
	prob := &lp{c: make([]float64, n), lo: make([]float64, n), hi: make([]float64, n)}
	ms := &masterProgram{}
	for s := 0; s < S; s++ {
		ms.layout = append(ms.layout, -1-s)
		if s < len(incs) {
			prob.lo[s], prob.hi[s] = incs[s], incs[s]
		} else {
			prob.c[s], prob.hi[s] = -1, 1
		}
	}
	for j := range cols {
		ms.layout = append(ms.layout, j)
		prob.hi[S+j] = math.Inf(1)
	}
	for _, g := range free {
		r := make([]float64, n)
		for j, x := range cols {
			r[S+j] = float64(x[g]) / size[g]
		}
		for s := 0; s < S; s++ {
			if stageOf[g] < 0 || stageOf[g] >= s {
				r[s] = -1
			}
		}
		prob.a = append(prob.a, r)
		prob.rlo = append(prob.rlo, 0)
		prob.rhi = append(prob.rhi, math.Inf(1))
	}
	conv := make([]float64, n)
	for j := S; j < n; j++ {
		conv[j] = 1
	}
	prob.a = append(prob.a, conv)
	prob.rlo = append(prob.rlo, 1)
	prob.rhi = append(prob.rhi, 1)
	// Every group row starts tight at the same vertex, a degenerate
	// program on which the simplex method stalls. Solve it with the floors
	// lowered by distinct tiny amounts, then restore them exactly.
	exact := slices.Clone(prob.rlo)
	for r := range free {
		prob.rlo[r] -= 1e-6 * float64(1+(r*7919)%997) / 997
	}
	tb, err := prob.start()
	if err != nil {
		return nil, fmt.Errorf("master program: %w", err)
	}
	if err := tb.setRowBounds(exact, prob.rhi); err != nil {
		return nil, fmt.Errorf("master program, exact floors: %w", err)
	}
	ms.tb = tb
	return ms, nil
}

// column is the tableau column of solution position k.
func (ms *masterProgram) column(k int) int {
	if k < ms.tb.n {
		return k
	}
	return k + 2*ms.tb.m
}

func (ms *masterProgram) addPanel(a []float64, j int) (*lpResult, error) {
	ms.layout = append(ms.layout, j)
	return ms.tb.addColumn(a, 0, math.Inf(1))
}

// nextStage fixes the current increment at inc and adds the next one.
func (ms *masterProgram) nextStage(free []int, settled []bool, inc float64) (*lpResult, error) {
	s := 0
	for _, l := range ms.layout {
		s = max(s, -1-l)
	}
	k := slices.Index(ms.layout, -1-s)
	if err := ms.tb.setBounds(ms.column(k), inc, inc); err != nil {
		return nil, err
	}
	a := make([]float64, len(free)+1)
	for r, g := range free {
		if !settled[g] {
			a[r] = -1
		}
	}
	ms.layout = append(ms.layout, -2-s)
	return ms.tb.addColumn(a, -1, 1)
}

func (ms *masterProgram) lambdas(res *lpResult, C int) []float64 {
	lambda := make([]float64, C)
	for k, l := range ms.layout {
		if l >= 0 {
			lambda[l] = res.x[k]
		}
	}
	return lambda
}

func (ms *masterProgram) stageValue(res *lpResult, s int) float64 {
	return res.x[slices.Index(ms.layout, -1-s)]
}

// accurate checks a master solution against the program itself: λ is a
// lottery, every group meets its floor, and the duals of the unsettled
// groups sum to one, all within 1e-7.
func (ms *masterProgram) accurate(res *lpResult, cols [][]int, free []int, size []float64, stageOf []int) bool {
	const tol = 1e-7
	lambda := ms.lambdas(res, len(cols))
	var w []float64
	for k, l := range ms.layout {
		if l < 0 {
			for len(w) <= -1-l {
				w = append(w, 0)
			}
			w[-1-l] = res.x[k]
		}
	}
	sum := 0.0
	for _, l := range lambda {
		if l < -tol {
			return false
		}
		sum += l
	}
	if math.Abs(sum-1) > tol {
		return false
	}
	prob := groupProbs(cols, lambda, size)
	ySum := 0.0
	for r, g := range free {
		floor := 0.0
		for s, v := range w {
			if stageOf[g] < 0 || stageOf[g] >= s {
				floor += v
			}
		}
		if stageOf[g] < 0 {
			ySum += res.duals[r]
		}
		if prob[g] < floor-tol || res.duals[r] < -tol {
			return false
		}
	}
	return math.Abs(ySum-1) <= tol
}

// masterColumn is the master-program column of seat counts x.
func masterColumn(x []int, free []int, size []float64) []float64 {
	a := make([]float64, len(free)+1)
	for r, g := range free {
		a[r] = float64(x[g]) / size[g]
	}
	a[len(free)] = 1
	return a
}

func groupProbs(cols [][]int, lambda []float64, size []float64) []float64 {
	prob := make([]float64, len(size))
	for j, x := range cols {
		for g, c := range x {
			prob[g] += lambda[j] * float64(c)
		}
	}
	for g := range prob {
		prob[g] /= size[g]
	}
	return prob
}

// distribution turns a lottery over seat counts into a Distribution,
// dropping panels of negligible weight.
func (p *problem) distribution(method string, cols [][]int, lambda []float64) *Distribution {
	d := &Distribution{Method: method, Categories: p.cats}
	for _, per := range p.in.People {
		d.People = append(d.People, per.ID)
	}
	for _, gr := range p.groups {
		fs := make([]string, len(gr.key))
		for c, f := range gr.key {
			fs[c] = p.feats[c][f]
		}
		d.Groups = append(d.Groups, Group{Features: fs, Members: gr.members, Forced: gr.forced})
	}
	total := 0.0
	for j := range cols {
		if lambda[j] > 1e-9 {
			total += lambda[j]
		}
	}
	for j, x := range cols {
		if lambda[j] > 1e-9 {
			d.Panels = append(d.Panels, Composition{Seats: x, Probability: lambda[j] / total})
		}
	}
	d.Probabilities = make([]float64, len(p.in.People))
	for _, c := range d.Panels {
		for g, s := range c.Seats {
			share := c.Probability * float64(s) / float64(len(p.groups[g].members))
			for _, i := range p.groups[g].members {
				d.Probabilities[i] += share
			}
		}
	}
	d.MinProbability = math.Inf(1)
	for _, v := range d.Probabilities {
		d.MinProbability = min(d.MinProbability, v)
	}
	return d
}

// countILP builds the integer program over counts of variables whose
// features are keys, with the instance's rows and an objective to fill in.
func (p *problem) countILP(keys [][]int, lo, hi []float64) *ilp {
	q := &ilp{obj: make([]float64, len(keys)), lo: lo, hi: hi}
	for _, r := range p.rows {
		a := make([]float64, len(keys))
		for j, k := range keys {
			a[j] = r.coef(k)
		}
		q.a = append(q.a, a)
		q.rlo = append(q.rlo, r.lo)
		q.rhi = append(q.rhi, r.hi)
	}
	return q
}

// explainInfeasible finds a smallest-by-deletion set of quotas and balance
// rules that cannot hold together (a deletion filter: drop each rule in turn
// and keep it dropped while the rest stay infeasible).
func (p *problem) explainInfeasible(ctx context.Context) error {
	G := len(p.groups)
	keys := make([][]int, G)
	lo := make([]float64, G)
	hi := make([]float64, G)
	for g, gr := range p.groups {
		keys[g] = gr.key
		hi[g] = float64(len(gr.members))
		if gr.forced {
			lo[g] = hi[g]
		}
	}
	full := p.countILP(keys, lo, hi)
	full.feasibleOnly = true
	active := make([]bool, len(p.rows))
	for r := range active {
		active[r] = true
	}
	feasible := func() (bool, error) {
		q := &ilp{obj: full.obj, lo: lo, hi: hi, feasibleOnly: true}
		for r, on := range active {
			if on {
				q.a = append(q.a, full.a[r])
				q.rlo = append(q.rlo, full.rlo[r])
				q.rhi = append(q.rhi, full.rhi[r])
			}
		}
		_, _, err := q.solve(ctx)
		if errors.Is(err, errInfeasible) {
			return false, nil
		}
		return err == nil, err
	}
	for r := 1; r < len(p.rows); r++ {
		active[r] = false
		ok, err := feasible()
		if err != nil {
			return err
		}
		if ok {
			active[r] = true
		}
	}
	var names []string
	for r, on := range active {
		if on {
			names = append(names, p.rowName(r))
		}
	}
	if sf := p.forcedNote(); sf != "" {
		names = append(names, sf)
	}
	reasons := []string{"these cannot hold together: " + strings.Join(names, ", ")}
	if gap := p.shortfall(ctx, full, active); gap != "" {
		reasons = append(reasons, gap)
	}
	return &InfeasibleError{Reasons: reasons}
}

// shortfall says by how many seats the closest panel misses the conflicting
// rules: every rule holds except those marked in elastic, which may be
// missed at a cost of one per seat, and the total cost is minimised.
func (p *problem) shortfall(ctx context.Context, full *ilp, elastic []bool) string {
	G := len(full.obj)
	var extra []int // rows with a pair of elastic columns
	for r := 1; r < len(elastic); r++ {
		if elastic[r] {
			extra = append(extra, r)
		}
	}
	n := G + 2*len(extra)
	q := &ilp{obj: make([]float64, n), lo: make([]float64, n), hi: make([]float64, n)}
	copy(q.lo, full.lo)
	copy(q.hi, full.hi)
	for j := G; j < n; j++ {
		q.obj[j], q.hi[j] = -1, float64(p.in.Seats)
	}
	for r := range full.a {
		a := make([]float64, n)
		copy(a, full.a[r])
		if e := slices.Index(extra, r); e >= 0 {
			a[G+2*e], a[G+2*e+1] = 1, -1
		}
		q.a = append(q.a, a)
		q.rlo = append(q.rlo, full.rlo[r])
		q.rhi = append(q.rhi, full.rhi[r])
	}
	x, _, err := q.solve(ctx)
	if err != nil {
		return ""
	}
	var parts []string
	total := 0
	for e, r := range extra {
		if under := x[G+2*e]; under > 0 {
			parts = append(parts, fmt.Sprintf("%s short by %d", p.rowName(r), under))
			total += under
		}
		if over := x[G+2*e+1]; over > 0 {
			parts = append(parts, fmt.Sprintf("%s over by %d", p.rowName(r), over))
			total += over
		}
	}
	if total == 0 {
		return ""
	}
	return fmt.Sprintf("the closest panel misses them by %d seat(s): %s", total, strings.Join(parts, ", "))
}

func (p *problem) forcedNote() string {
	if len(p.in.Forced) == 0 {
		return ""
	}
	return fmt.Sprintf("%d forced members", len(p.in.Forced))
}
