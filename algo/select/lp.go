package selection

import (
	"errors"
	"math"
)

var (
	errInfeasible = errors.New("infeasible")
	errUnbounded  = errors.New("linear program is unbounded")
	errIterations = errors.New("linear program did not converge")
)

// lp is a small dense linear program: minimise c·x subject to
// rlo <= a·x <= rhi (per row) and lo <= x <= hi; bounds may be infinite.
// Our programs have few rows (groups or quotas), so a dense bounded-variable
// simplex tableau is both simple and fast, and it yields the row duals that
// column generation needs (gonum's lp.Simplex does not).
type lp struct {
	c, lo, hi []float64
	a         [][]float64
	rlo, rhi  []float64
}

type lpResult struct {
	x   []float64
	obj float64
	// duals[i] is the change of the optimum per unit of row i's activity
	// (the reduced cost of its slack).
	duals []float64
}

const (
	lpFeasTol  = 1e-9
	lpDualTol  = 1e-10
	lpPivotTol = 1e-7
)

// tableau holds the state of the bounded-variable simplex. Variables are the
// n structurals, then one slack per row (s_i = a_i·x, bounded by the row
// bounds), then one artificial per row for phase 1.
type tableau struct {
	m, n, width int
	stride      int       // row length in t, >= width so columns can be appended
	t           []float64 // m × width, B⁻¹ [A  -I  diag(σ)]
	cost        []float64 // phase-2 objective per column
	x, lo, hi   []float64
	basis       []int // variable basic in each row
	rowOf       []int // row of a basic variable, -1 if nonbasic
	d           []float64
	noArt       bool  // phase 1 is over: artificial columns are dead
	nz          []int // scratch for pivot
}

// start solves p and keeps the final tableau, so columns can be added and
// the program re-optimised from the current basis (column generation).
func (p *lp) start() (*tableau, error) {
	m, n := len(p.a), len(p.c)
	w := n + 2*m
	tb := &tableau{m: m, n: n, width: w, stride: w,
		t: make([]float64, m*w), x: make([]float64, w),
		lo: make([]float64, w), hi: make([]float64, w),
		basis: make([]int, m), rowOf: make([]int, w), d: make([]float64, w)}
	for j := range tb.rowOf {
		tb.rowOf[j] = -1
	}
	copy(tb.lo, p.lo)
	copy(tb.hi, p.hi)
	for j := 0; j < n; j++ {
		switch {
		case !math.IsInf(p.lo[j], 0):
			tb.x[j] = p.lo[j]
		case !math.IsInf(p.hi[j], 0):
			tb.x[j] = p.hi[j]
		}
	}
	phase1 := make([]float64, w)
	for i := 0; i < m; i++ {
		s, art := n+i, n+m+i
		tb.lo[s], tb.hi[s] = p.rlo[i], p.rhi[i]
		act := 0.0
		for j, v := range p.a[i] {
			act += v * tb.x[j]
		}
		r := tb.t[i*w : (i+1)*w]
		if act >= p.rlo[i]-lpFeasTol && act <= p.rhi[i]+lpFeasTol {
			// The slack starts basic; the artificial is never used.
			for j, v := range p.a[i] {
				r[j] = -v
			}
			r[s], r[art] = 1, -1
			tb.x[s] = act
			tb.basis[i], tb.rowOf[s] = s, i
			continue
		}
		sv, sigma := p.rlo[i], 1.0
		if act > p.rhi[i] {
			sv = p.rhi[i]
		}
		if sv < act {
			sigma = -1
		}
		for j, v := range p.a[i] {
			r[j] = sigma * v
		}
		r[s], r[art] = -sigma, 1
		tb.x[s] = sv
		tb.x[art] = math.Abs(sv - act)
		tb.hi[art] = math.Inf(1)
		tb.basis[i], tb.rowOf[art] = art, i
		phase1[art] = 1
	}
	if err := tb.run(phase1); err != nil {
		return nil, err
	}
	infeas := 0.0
	for i := 0; i < m; i++ {
		infeas += tb.x[n+m+i]
	}
	if infeas > 1e-7 {
		return nil, errInfeasible
	}
	for i := 0; i < m; i++ {
		tb.hi[n+m+i] = 0
	}
	tb.driveOutArtificials()
	tb.noArt = true
	tb.cost = make([]float64, w)
	copy(tb.cost, p.c)
	if err := tb.run(tb.cost); err != nil {
		return nil, err
	}
	return tb, nil
}

// result reads the solution: structurals are the first n columns, then any
// columns added after the start.
func (tb *tableau) result() *lpResult {
	res := &lpResult{duals: make([]float64, tb.m)}
	res.x = append(res.x, tb.x[:tb.n]...)
	res.x = append(res.x, tb.x[tb.n+2*tb.m:tb.width]...)
	for j, v := range tb.x[:tb.width] {
		res.obj += tb.cost[j] * v
	}
	copy(res.duals, tb.d[tb.n:tb.n+tb.m])
	return res
}

// addColumn appends a structural variable with coefficients a (per row),
// cost c and bounds [0, hi], then re-optimises. The current basis stays
// primal feasible because the new variable starts at zero.
func (tb *tableau) addColumn(a []float64, c, hi float64) (*lpResult, error) {
	if tb.width == tb.stride {
		stride := 2 * tb.stride
		t := make([]float64, tb.m*stride)
		for i := 0; i < tb.m; i++ {
			copy(t[i*stride:i*stride+tb.width], tb.t[i*tb.stride:i*tb.stride+tb.width])
		}
		tb.t, tb.stride = t, stride
	}
	j := tb.width
	tb.width++
	// B⁻¹ is minus the slack columns, since each slack's column is -e_i.
	for r := 0; r < tb.m; r++ {
		row := tb.t[r*tb.stride:]
		v := 0.0
		for i, ai := range a {
			if ai != 0 {
				v -= ai * row[tb.n+i]
			}
		}
		row[j] = v
	}
	tb.x = append(tb.x, 0)
	tb.lo = append(tb.lo, 0)
	tb.hi = append(tb.hi, hi)
	tb.rowOf = append(tb.rowOf, -1)
	tb.d = append(tb.d, 0)
	tb.cost = append(tb.cost, c)
	if err := tb.run(tb.cost); err != nil {
		return nil, err
	}
	return tb.result(), nil
}

// driveOutArtificials pivots basic artificials (at zero after phase 1) out
// of the basis where a structural or slack can replace them.
func (tb *tableau) driveOutArtificials() {
	first := tb.n + tb.m
	for i := 0; i < tb.m; i++ {
		if tb.basis[i] < first {
			continue
		}
		r := tb.t[i*tb.stride : i*tb.stride+tb.width]
		best, bestAbs := -1, 1e-7
		for j := 0; j < first; j++ {
			if tb.rowOf[j] < 0 && math.Abs(r[j]) > bestAbs {
				best, bestAbs = j, math.Abs(r[j])
			}
		}
		if best < 0 {
			continue // redundant row
		}
		old := tb.basis[i]
		tb.x[old] = 0
		tb.pivot(i, best)
	}
}

func (tb *tableau) pivot(r, j int) {
	w, st := tb.width, tb.stride
	pr := tb.t[r*st : r*st+w]
	inv := 1 / pr[j]
	// Work only on the pivot row's nonzeros, skipping the artificial
	// columns once phase 1 is over (they never enter again).
	nz := tb.nz[:0]
	for k, v := range pr {
		if v == 0 || (tb.noArt && k >= tb.n+tb.m && k < tb.n+2*tb.m) {
			continue
		}
		pr[k] = v * inv
		nz = append(nz, k)
	}
	tb.nz = nz
	pr[j] = 1
	for i := 0; i < tb.m; i++ {
		if i == r {
			continue
		}
		ri := tb.t[i*st : i*st+w]
		f := ri[j]
		if f == 0 {
			continue
		}
		for _, k := range nz {
			ri[k] -= f * pr[k]
		}
		ri[j] = 0
	}
	if f := tb.d[j]; f != 0 {
		for _, k := range nz {
			tb.d[k] -= f * pr[k]
		}
		tb.d[j] = 0
	}
	old := tb.basis[r]
	tb.rowOf[old] = -1
	tb.basis[r] = j
	tb.rowOf[j] = r
}

// run minimises cost from the current basis.
func (tb *tableau) run(cost []float64) error {
	w, st := tb.width, tb.stride
	copy(tb.d, cost)
	for i := 0; i < tb.m; i++ {
		cb := cost[tb.basis[i]]
		if cb == 0 {
			continue
		}
		r := tb.t[i*st : i*st+w]
		for k, v := range r {
			tb.d[k] -= cb * v
		}
	}
	degenerate := 0
	bland := false
	maxIter := 50000 + 50*(tb.m+w)
	for iter := 0; ; iter++ {
		if iter > maxIter {
			return errIterations
		}
		// Bland's rule while stalling; Dantzig's again after real progress.
		bland = degenerate > 50
		// Entering variable: Dantzig's rule, Bland's when stalling.
		enter, dir, bestScore := -1, 0.0, 0.0
		for j := 0; j < w; j++ {
			if tb.rowOf[j] >= 0 {
				continue
			}
			dj := tb.d[j]
			var s float64
			switch {
			case dj < -lpDualTol && tb.x[j] < tb.hi[j]:
				s = -dj
			case dj > lpDualTol && tb.x[j] > tb.lo[j]:
				s = dj
			default:
				continue
			}
			if s > bestScore {
				enter, bestScore = j, s
				dir = 1
				if dj > 0 {
					dir = -1
				}
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			return nil
		}
		// Harris ratio test: find the largest step allowed with bounds
		// relaxed by the tolerance, then the sturdiest pivot within it.
		limit := tb.hi[enter] - tb.lo[enter]
		relaxed := limit
		for i := 0; i < tb.m; i++ {
			alpha := dir * tb.t[i*st+enter]
			b := tb.basis[i]
			var lim float64
			switch {
			case alpha > lpPivotTol:
				lim = (tb.x[b] - tb.lo[b] + lpFeasTol) / alpha
			case alpha < -lpPivotTol:
				lim = (tb.hi[b] - tb.x[b] + lpFeasTol) / -alpha
			default:
				continue
			}
			if lim < relaxed {
				relaxed = lim
			}
		}
		if math.IsInf(relaxed, 1) {
			return errUnbounded
		}
		leave, theta, bestAlpha, bestLim := -1, limit, 0.0, math.Inf(1)
		for i := 0; i < tb.m; i++ {
			alpha := dir * tb.t[i*st+enter]
			b := tb.basis[i]
			var lim float64
			switch {
			case alpha > lpPivotTol:
				lim = (tb.x[b] - tb.lo[b]) / alpha
			case alpha < -lpPivotTol:
				lim = (tb.hi[b] - tb.x[b]) / -alpha
			default:
				continue
			}
			if bland {
				// Exact minimum ratio, ties to the lowest variable index.
				if lim < bestLim-1e-12 || (leave >= 0 && lim <= bestLim+1e-12 && b < tb.basis[leave]) {
					leave, bestLim = i, lim
				}
				continue
			}
			if lim > relaxed {
				continue
			}
			if a := math.Abs(alpha); a > bestAlpha {
				leave, bestAlpha = i, a
				theta = max(lim, 0)
			}
		}
		if bland && leave >= 0 {
			theta = max(bestLim, 0)
		}
		if leave < 0 && math.IsInf(limit, 1) {
			return errUnbounded
		}
		if leave >= 0 && theta > limit {
			leave, theta = -1, limit
		}
		if theta > 0 {
			for i := 0; i < tb.m; i++ {
				if a := tb.t[i*st+enter]; a != 0 {
					tb.x[tb.basis[i]] -= theta * dir * a
				}
			}
		}
		if leave < 0 {
			// The entering variable goes to its other bound.
			if dir > 0 {
				tb.x[enter] = tb.hi[enter]
			} else {
				tb.x[enter] = tb.lo[enter]
			}
		} else {
			tb.x[enter] += theta * dir
			b := tb.basis[leave]
			if dir*tb.t[leave*st+enter] > 0 {
				tb.x[b] = tb.lo[b]
			} else {
				tb.x[b] = tb.hi[b]
			}
			tb.pivot(leave, enter)
		}
		if theta < 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
	}
}

// clone copies the tableau so a branch can change bounds independently.
func (tb *tableau) clone() *tableau {
	c := *tb
	c.t = make([]float64, tb.m*tb.stride)
	copy(c.t, tb.t)
	c.x = append([]float64(nil), tb.x...)
	c.lo = append([]float64(nil), tb.lo...)
	c.hi = append([]float64(nil), tb.hi...)
	c.basis = append([]int(nil), tb.basis...)
	c.rowOf = append([]int(nil), tb.rowOf...)
	c.d = append([]float64(nil), tb.d...)
	c.cost = append([]float64(nil), tb.cost...)
	c.nz = nil
	return &c
}

// setBounds changes the bounds of column j of an optimal tableau and
// re-optimises with the dual simplex method, which keeps the reduced costs
// optimal and repairs the basic values; this is how branch and bound moves
// from a node to its child in a few pivots instead of a fresh solve.
func (tb *tableau) setBounds(j int, lo, hi float64) error {
	tb.moveBounds(j, lo, hi)
	return tb.dualRepair()
}

// moveBounds sets column j's bounds; a nonbasic variable moves onto the
// bound that keeps its reduced cost optimal, and the basic values follow.
func (tb *tableau) moveBounds(j int, lo, hi float64) {
	st := tb.stride
	if tb.rowOf[j] < 0 {
		// A nonbasic variable moves to its new bound; basics follow.
		nv := tb.x[j]
		if tb.d[j] >= 0 || math.IsInf(hi, 1) {
			nv = lo
		} else {
			nv = hi
		}
		nv = min(max(nv, lo), hi)
		if delta := nv - tb.x[j]; delta != 0 {
			for i := 0; i < tb.m; i++ {
				if a := tb.t[i*st+j]; a != 0 {
					tb.x[tb.basis[i]] -= a * delta
				}
			}
			tb.x[j] = nv
		}
	}
	tb.lo[j], tb.hi[j] = lo, hi
}

// dualRepair runs the dual simplex method from a basis whose reduced costs
// are optimal until the basic values are within their bounds again.
func (tb *tableau) dualRepair() error {
	st := tb.stride
	maxIter := 50000 + 50*(tb.m+tb.width)
	for iter := 0; ; iter++ {
		if iter > maxIter {
			return errIterations
		}
		// Leaving row: the basic variable furthest outside its bounds.
		r, worst, target := -1, lpFeasTol, 0.0
		for i := 0; i < tb.m; i++ {
			b := tb.basis[i]
			if v := tb.lo[b] - tb.x[b]; v > worst {
				r, worst, target = i, v, tb.lo[b]
			}
			if v := tb.x[b] - tb.hi[b]; v > worst {
				r, worst, target = i, v, tb.hi[b]
			}
		}
		if r < 0 {
			// Primal feasible again; a primal pass mops up any reduced
			// cost that drifted past the tolerance.
			return tb.run(tb.cost)
		}
		up := target > tb.x[tb.basis[r]] // the leaving variable must rise
		row := tb.t[r*st : r*st+tb.width]
		enter, best := -1, math.Inf(1)
		for k := 0; k < tb.width; k++ {
			if tb.rowOf[k] >= 0 {
				continue
			}
			a := row[k]
			if math.Abs(a) < lpPivotTol {
				continue
			}
			// Moving x_k by +t changes the leaving variable by -a·t.
			canUp := tb.x[k] < tb.hi[k]
			canDown := tb.x[k] > tb.lo[k]
			if !((up && ((a < 0 && canUp) || (a > 0 && canDown))) || (!up && ((a > 0 && canUp) || (a < 0 && canDown)))) {
				continue
			}
			ratio := math.Abs(tb.d[k]) / math.Abs(a)
			if ratio < best-1e-12 || (ratio < best+1e-12 && enter >= 0 && math.Abs(a) > math.Abs(row[enter])) {
				enter, best = k, ratio
			}
		}
		if enter < 0 {
			return errInfeasible
		}
		leave := tb.basis[r]
		t := (tb.x[leave] - target) / row[enter]
		for i := 0; i < tb.m; i++ {
			if a := tb.t[i*st+enter]; a != 0 {
				tb.x[tb.basis[i]] -= a * t
			}
		}
		tb.x[enter] += t
		tb.x[leave] = target
		tb.pivot(r, enter)
	}
}

// setRowBounds replaces the bounds of every row (of its slack) and repairs
// the solution; used to take back the perturbation that start was given.
func (tb *tableau) setRowBounds(rlo, rhi []float64) error {
	for i := range rlo {
		tb.moveBounds(tb.n+i, rlo[i], rhi[i])
	}
	return tb.dualRepair()
}
