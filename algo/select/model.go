// Package selection draws panels (an advisory group, a citizens' assembly) from a
// pool of volunteers so that the panel meets quotas on every category (gender,
// region, stakeholder group, ...). Leximin gives every volunteer as equal a chance
// as the quotas allow (Flanigan et al., Nature 2021) and Draw picks one panel from
// that lottery with a seed, so anyone can replay it; Optimal picks the panel with
// the best total score instead. The package is pure: no I/O, no clock, no global
// randomness.
package selection

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Person is one volunteer in the pool.
type Person struct {
	ID string
	// Features maps each quota category to this person's feature in it.
	Features map[string]string
	// Score ranks people in Optimal; Leximin ignores it.
	Score float64
}

// Quota bounds how many seats go to people with Feature in Category.
type Quota struct {
	Category string
	Feature  string
	Min, Max int
}

// Balance requires the seat counts of Features (all in Category) to differ
// pairwise by at most MaxDiff, e.g. "the non-governmental stakeholder groups
// equal within one seat".
type Balance struct {
	Category string
	Features []string
	MaxDiff  int
}

// Instance is one selection problem.
type Instance struct {
	People []Person
	Quotas []Quota
	Seats  int
	// Forced lists the IDs of sitting members who continue; they take seats and
	// count towards the quotas.
	Forced   []string
	Balances []Balance
}

// InvalidError reports bad input. Person and Quota are indexes into
// Instance.People and Instance.Quotas, or -1 when the error is not about one.
type InvalidError struct {
	Person int
	Quota  int
	Reason string
}

func (e *InvalidError) Error() string { return e.Reason }

// InfeasibleError reports quotas that no panel can meet, each reason naming
// the quotas in conflict and by how many seats.
type InfeasibleError struct {
	Reasons []string
}

func (e *InfeasibleError) Error() string {
	return "no panel meets the quotas: " + strings.Join(e.Reasons, "; ")
}

func personErr(i int, p Person, format string, args ...any) error {
	return &InvalidError{Person: i, Quota: -1, Reason: fmt.Sprintf("person %d (id %q): ", i+1, p.ID) + fmt.Sprintf(format, args...)}
}

func quotaErr(i int, q Quota, format string, args ...any) error {
	return &InvalidError{Person: -1, Quota: i, Reason: fmt.Sprintf("quota %d (%s=%s): ", i+1, q.Category, q.Feature) + fmt.Sprintf(format, args...)}
}

func inputErr(format string, args ...any) error {
	return &InvalidError{Person: -1, Quota: -1, Reason: fmt.Sprintf(format, args...)}
}

// group is a set of people with the same feature vector ("type"); they are
// interchangeable, so the solvers work on how many seats each group gets.
// Forced members form their own groups, whose count is fixed.
type group struct {
	key     []int // feature index per category
	members []int // person indexes, in pool order
	forced  bool
}

// row is one linear constraint on seat counts: lo <= sum coef*count <= hi,
// where coef is +1 for groups with feature plus in cat, -1 for minus. cat -1
// means the total seat count.
type row struct {
	cat, plus, minus int
	lo, hi           float64
}

func (r row) coef(key []int) float64 {
	if r.cat < 0 {
		return 1
	}
	c := 0.0
	if key[r.cat] == r.plus {
		c++
	}
	if key[r.cat] == r.minus {
		c--
	}
	return c
}

// problem is a validated Instance in the form the solvers use.
type problem struct {
	in       *Instance
	cats     []string
	feats    [][]string // per category, in quota order
	keys     [][]int    // per person
	forced   []bool     // per person
	groups   []group
	rows     []row
	quotaRow []int // rows index of each quota
}

// compile validates in and builds its problem; it reports bad input as
// *InvalidError and quotas that obviously conflict as *InfeasibleError.
func compile(in *Instance) (*problem, error) {
	p := &problem{in: in}
	if len(in.People) == 0 {
		return nil, inputErr("the pool is empty")
	}
	if in.Seats <= 0 {
		return nil, inputErr("seats must be positive, got %d", in.Seats)
	}
	if in.Seats > len(in.People) {
		return nil, inputErr("%d seats but only %d people in the pool", in.Seats, len(in.People))
	}
	if len(in.Quotas) == 0 {
		return nil, inputErr("no quotas")
	}
	catIdx := map[string]int{}
	featIdx := []map[string]int{}
	type qkey struct{ c, f int }
	seen := map[qkey]int{}
	for i, q := range in.Quotas {
		if q.Category == "" || q.Feature == "" {
			return nil, quotaErr(i, q, "category and feature must not be empty")
		}
		if q.Min < 0 || q.Max < q.Min {
			return nil, quotaErr(i, q, "need 0 <= min <= max, got min %d max %d", q.Min, q.Max)
		}
		c, ok := catIdx[q.Category]
		if !ok {
			c = len(p.cats)
			catIdx[q.Category] = c
			p.cats = append(p.cats, q.Category)
			p.feats = append(p.feats, nil)
			featIdx = append(featIdx, map[string]int{})
		}
		if _, dup := featIdx[c][q.Feature]; dup {
			return nil, quotaErr(i, q, "duplicate quota for this feature (also quota %d)", seen[qkey{c, featIdx[c][q.Feature]}]+1)
		}
		featIdx[c][q.Feature] = len(p.feats[c])
		seen[qkey{c, len(p.feats[c])}] = i
		p.feats[c] = append(p.feats[c], q.Feature)
	}

	ids := make(map[string]int, len(in.People))
	p.keys = make([][]int, len(in.People))
	for i, per := range in.People {
		if per.ID == "" {
			return nil, personErr(i, per, "empty id")
		}
		if j, dup := ids[per.ID]; dup {
			return nil, personErr(i, per, "duplicate id (also person %d)", j+1)
		}
		ids[per.ID] = i
		if math.IsNaN(per.Score) || math.IsInf(per.Score, 0) {
			return nil, personErr(i, per, "score is not a finite number")
		}
		key := make([]int, len(p.cats))
		for c, cat := range p.cats {
			v, ok := per.Features[cat]
			if !ok {
				return nil, personErr(i, per, "no feature for category %q", cat)
			}
			f, ok := featIdx[c][v]
			if !ok {
				return nil, personErr(i, per, "category %q: feature %q has no quota", cat, v)
			}
			key[c] = f
		}
		for _, cat := range slices.Sorted(maps.Keys(per.Features)) {
			if _, ok := catIdx[cat]; !ok {
				return nil, personErr(i, per, "unknown category %q (no quota mentions it)", cat)
			}
		}
		p.keys[i] = key
	}

	p.forced = make([]bool, len(in.People))
	for _, id := range in.Forced {
		i, ok := ids[id]
		if !ok {
			return nil, inputErr("forced member %q is not in the pool", id)
		}
		if p.forced[i] {
			return nil, inputErr("forced member %q listed twice", id)
		}
		p.forced[i] = true
	}
	if len(in.Forced) > in.Seats {
		return nil, inputErr("%d forced members but only %d seats", len(in.Forced), in.Seats)
	}

	// Rows: total seats, then one per quota, then balance pairs.
	k := float64(in.Seats)
	p.rows = append(p.rows, row{cat: -1, plus: -1, minus: -1, lo: k, hi: k})
	for _, q := range in.Quotas {
		c := catIdx[q.Category]
		p.quotaRow = append(p.quotaRow, len(p.rows))
		p.rows = append(p.rows, row{cat: c, plus: featIdx[c][q.Feature], minus: -1, lo: float64(q.Min), hi: float64(q.Max)})
	}
	for bi, b := range in.Balances {
		c, ok := catIdx[b.Category]
		if !ok {
			return nil, inputErr("balance %d: unknown category %q", bi+1, b.Category)
		}
		if b.MaxDiff < 0 {
			return nil, inputErr("balance %d: max difference must not be negative", bi+1)
		}
		if len(b.Features) < 2 {
			return nil, inputErr("balance %d: needs at least two features", bi+1)
		}
		fs := make([]int, len(b.Features))
		for j, f := range b.Features {
			fi, ok := featIdx[c][f]
			if !ok {
				return nil, inputErr("balance %d: category %q has no quota for feature %q", bi+1, b.Category, f)
			}
			fs[j] = fi
		}
		for x := range fs {
			for y := x + 1; y < len(fs); y++ {
				if fs[x] == fs[y] {
					return nil, inputErr("balance %d: feature %q listed twice", bi+1, b.Features[x])
				}
				d := float64(b.MaxDiff)
				p.rows = append(p.rows, row{cat: c, plus: fs[x], minus: fs[y], lo: -d, hi: d})
			}
		}
	}

	// Groups, in order of first member, so results never depend on map order.
	gi := map[string]int{}
	for i, key := range p.keys {
		s := fmt.Sprint(key, p.forced[i])
		j, ok := gi[s]
		if !ok {
			j = len(p.groups)
			gi[s] = j
			p.groups = append(p.groups, group{key: key, forced: p.forced[i]})
		}
		p.groups[j].members = append(p.groups[j].members, i)
	}

	if err := p.obviousConflicts(); err != nil {
		return nil, err
	}
	return p, nil
}

// obviousConflicts finds quotas that cannot hold whatever the solver does:
// per-category sums against the seat count, minimums above the people
// available, maximums below the forced members.
func (p *problem) obviousConflicts() error {
	var reasons []string
	k := p.in.Seats
	avail := make([][]int, len(p.cats))
	forced := make([][]int, len(p.cats))
	for c := range p.cats {
		avail[c] = make([]int, len(p.feats[c]))
		forced[c] = make([]int, len(p.feats[c]))
	}
	for i, key := range p.keys {
		for c, f := range key {
			avail[c][f]++
			if p.forced[i] {
				forced[c][f]++
			}
		}
	}
	for c, cat := range p.cats {
		sumMin, sumMax := 0, 0
		for qi, q := range p.in.Quotas {
			if q.Category != cat {
				continue
			}
			f := p.rows[p.quotaRow[qi]].plus
			sumMin += q.Min
			sumMax += min(q.Max, avail[c][f])
			if q.Min > avail[c][f] {
				reasons = append(reasons, fmt.Sprintf("quota %s=%s: minimum %d but only %d people in the pool have it", cat, q.Feature, q.Min, avail[c][f]))
			}
			if forced[c][f] > q.Max {
				reasons = append(reasons, fmt.Sprintf("quota %s=%s: maximum %d but %d forced members have it", cat, q.Feature, q.Max, forced[c][f]))
			}
		}
		if sumMin > k {
			reasons = append(reasons, fmt.Sprintf("category %s: minimums sum to %d > %d seats", cat, sumMin, k))
		}
		if sumMax < k {
			reasons = append(reasons, fmt.Sprintf("category %s: maximums (capped by people available) sum to %d < %d seats", cat, sumMax, k))
		}
	}
	if reasons != nil {
		return &InfeasibleError{Reasons: reasons}
	}
	return nil
}

// Validate reports whether in is well formed and its quotas pass the
// obvious checks; a valid instance may still have no feasible panel.
func (in *Instance) Validate() error {
	_, err := compile(in)
	return err
}

// rowName describes constraint row r for infeasibility reports.
func (p *problem) rowName(r int) string {
	rw := p.rows[r]
	switch {
	case rw.cat < 0:
		return fmt.Sprintf("%d seats", p.in.Seats)
	case rw.minus < 0:
		return fmt.Sprintf("quota %s=%s [%g,%g]", p.cats[rw.cat], p.feats[rw.cat][rw.plus], rw.lo, rw.hi)
	default:
		return fmt.Sprintf("balance %s: %s vs %s within %g", p.cats[rw.cat], p.feats[rw.cat][rw.plus], p.feats[rw.cat][rw.minus], rw.hi)
	}
}
