package assign

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
	"pgregory.net/rapid"
)

// tiny is a random instance small enough to enumerate.
type tiny struct {
	ps   []Proposal
	evs  []Evaluator
	aff  [][]float64
	n, g int
}

func randomTiny(rng *rand.Rand, discrete bool) tiny {
	n := 1 + rng.IntN(3)
	g := 1 + rng.IntN(min(n, 3))
	E := n + rng.IntN(5)
	P := 1 + rng.IntN(4)
	K := 1 + rng.IntN(3)
	t := tiny{n: n, g: g}
	for j := 0; j < E; j++ {
		t.evs = append(t.evs, Evaluator{ID: fmt.Sprintf("e%d", j), Group: fmt.Sprintf("g%d", rng.IntN(K)), Organisation: fmt.Sprintf("o%d", rng.IntN(4))})
	}
	for i := 0; i < P; i++ {
		p := Proposal{ID: fmt.Sprintf("p%d", i)}
		if rng.IntN(3) == 0 {
			p.People = []string{fmt.Sprintf("e%d", rng.IntN(E))}
		}
		if rng.IntN(3) == 0 {
			p.Organisations = []string{fmt.Sprintf("o%d", rng.IntN(4))}
		}
		t.ps = append(t.ps, p)
		row := make([]float64, E)
		for j := range row {
			if discrete {
				row[j] = float64(rng.IntN(3)) / 2
			} else {
				row[j] = rng.Float64()
			}
			if rng.IntN(8) == 0 {
				t.evs[j].Conflicts = append(t.evs[j].Conflicts, p.ID)
			}
		}
		t.aff = append(t.aff, row)
	}
	return t
}

// bruteForce enumerates every assignment and returns the best total and
// its pairs (as proposal→evaluator index sets), or ok=false if none exists.
func bruteForce(t tiny) (best float64, pairs [][]int, ok bool) {
	P, E := len(t.ps), len(t.evs)
	L, U := P*t.n/E, (P*t.n+E-1)/E
	allowed := func(i, j int) bool {
		p, e := t.ps[i], t.evs[j]
		return !slices.Contains(p.People, e.ID) && !slices.Contains(p.Organisations, e.Organisation) && !slices.Contains(e.Conflicts, p.ID)
	}
	var subsets [][][]int // per proposal
	for i := range t.ps {
		var all [][]int
		var rec func(start int, cur []int)
		rec = func(start int, cur []int) {
			if len(cur) == t.n {
				groups := map[string]bool{}
				for _, j := range cur {
					groups[t.evs[j].Group] = true
				}
				if len(groups) >= t.g {
					all = append(all, slices.Clone(cur))
				}
				return
			}
			for j := start; j < E; j++ {
				if allowed(i, j) {
					rec(j+1, append(cur, j))
				}
			}
		}
		rec(0, nil)
		subsets = append(subsets, all)
	}
	load := make([]int, E)
	cur := make([][]int, P)
	best = math.Inf(-1)
	var rec func(i int, v float64)
	rec = func(i int, v float64) {
		if i == P {
			for _, l := range load {
				if l < L || l > U {
					return
				}
			}
			if v > best {
				best, ok = v, true
				pairs = slices.Clone(cur)
			}
			return
		}
		for _, s := range subsets[i] {
			w := v
			for _, j := range s {
				load[j]++
				w += t.aff[i][j]
			}
			cur[i] = s
			rec(i+1, w)
			for _, j := range s {
				load[j]--
			}
		}
	}
	rec(0, 0)
	return best, pairs, ok
}

func pairSets(t tiny, r Result) [][]int {
	out := make([][]int, len(t.ps))
	for _, x := range r.Pairs {
		i := slices.IndexFunc(t.ps, func(p Proposal) bool { return p.ID == x.Proposal })
		j := slices.IndexFunc(t.evs, func(e Evaluator) bool { return e.ID == x.Evaluator })
		out[i] = append(out[i], j)
	}
	for _, s := range out {
		slices.Sort(s)
	}
	return out
}

func TestAssignMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for k := 0; k < 1000; k++ {
		discrete := k%2 == 1
		in := randomTiny(rng, discrete)
		want, wantPairs, feasible := bruteForce(in)
		got, err := Assign(in.ps, in.evs, Options{PerProposal: in.n, MinGroups: in.g, Affinity: in.aff, Seed: uint64(k)})
		name := fmt.Sprintf("case %d (P=%d E=%d N=%d G=%d)", k, len(in.ps), len(in.evs), in.n, in.g)
		if !feasible {
			var ie *InfeasibleError
			if !errors.As(err, &ie) {
				t.Fatalf("%s: brute force finds no assignment, Assign gave %v, %v", name, got, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v (brute force optimum %v)", name, err, want)
		}
		if math.Abs(got.TotalAffinity-want) > 1e-9 || got.Bound != got.TotalAffinity {
			t.Fatalf("%s: total %v bound %v, brute force %v", name, got.TotalAffinity, got.Bound, want)
		}
		// Continuous affinities have a unique optimum almost surely.
		if !discrete {
			if diff := cmp.Diff(wantPairs, pairSets(in, got)); diff != "" {
				t.Fatalf("%s: assignment differs from brute force (-want +got):\n%s", name, diff)
			}
		}
	}
}

// lpOptimum solves the linear relaxation of the exact model with gonum's
// simplex: x[p][e] in [0,1], y[p][g] in [0,1] with y ≤ Σ_{e in g} x,
// Σ_e x = N, L ≤ Σ_p x ≤ U, Σ_g y ≥ G. It reports whether x is integral.
func lpOptimum(t *testing.T, in tiny) (float64, bool) {
	P, E := len(in.ps), len(in.evs)
	L, U := P*in.n/E, (P*in.n+E-1)/E
	groups := map[string]int{}
	for _, e := range in.evs {
		if _, ok := groups[e.Group]; !ok {
			groups[e.Group] = len(groups)
		}
	}
	K := len(groups)
	allowed := func(i, j int) bool {
		p, e := in.ps[i], in.evs[j]
		return !slices.Contains(p.People, e.ID) && !slices.Contains(p.Organisations, e.Organisation) && !slices.Contains(e.Conflicts, p.ID)
	}
	xv := map[[2]int]int{}
	nv := 0
	for i := 0; i < P; i++ {
		for j := 0; j < E; j++ {
			if allowed(i, j) {
				xv[[2]int{i, j}] = nv
				nv++
			}
		}
	}
	nx := nv
	yv := map[[2]int]int{}
	for i := 0; i < P; i++ {
		for g := 0; g < K; g++ {
			yv[[2]int{i, g}] = nv
			nv++
		}
	}
	type row struct {
		coef  map[int]float64
		rhs   float64
		slack float64 // +1: ≤, -1: ≥, 0: =
	}
	var rows []row
	for i := 0; i < P; i++ {
		r := row{coef: map[int]float64{}, rhs: float64(in.n)}
		for j := 0; j < E; j++ {
			if v, ok := xv[[2]int{i, j}]; ok {
				r.coef[v] = 1
			}
		}
		rows = append(rows, r)
		ry := row{coef: map[int]float64{}, rhs: float64(in.g), slack: -1}
		for g := 0; g < K; g++ {
			y := yv[[2]int{i, g}]
			ry.coef[y] = 1
			rg := row{coef: map[int]float64{y: 1}, rhs: 0, slack: 1}
			for j := 0; j < E; j++ {
				if v, ok := xv[[2]int{i, j}]; ok && groups[in.evs[j].Group] == g {
					rg.coef[v] = -1
				}
			}
			rows = append(rows, rg, row{coef: map[int]float64{y: 1}, rhs: 1, slack: 1})
		}
		rows = append(rows, ry)
	}
	for j := 0; j < E; j++ {
		up := row{coef: map[int]float64{}, rhs: float64(U), slack: 1}
		lo := row{coef: map[int]float64{}, rhs: float64(L), slack: -1}
		for i := 0; i < P; i++ {
			if v, ok := xv[[2]int{i, j}]; ok {
				up.coef[v], lo.coef[v] = 1, 1
			}
		}
		rows = append(rows, up, lo)
	}
	for _, v := range xv {
		rows = append(rows, row{coef: map[int]float64{v: 1}, rhs: 1, slack: 1})
	}
	slacks := 0
	for _, r := range rows {
		if r.slack != 0 {
			slacks++
		}
	}
	cols := nv + slacks
	A := mat.NewDense(len(rows), cols, nil)
	b := make([]float64, len(rows))
	s := nv
	for i, r := range rows {
		for v, c := range r.coef {
			A.Set(i, v, c)
		}
		if r.slack != 0 {
			A.Set(i, s, r.slack)
			s++
		}
		b[i] = r.rhs
	}
	c := make([]float64, cols)
	for k, v := range xv {
		c[v] = -in.aff[k[0]][k[1]]
	}
	opt, x, err := lp.Simplex(c, A, b, 1e-10, nil)
	if err != nil {
		t.Fatalf("simplex: %v", err)
	}
	integral := true
	for _, v := range x[:nx] {
		if math.Min(math.Abs(v), math.Abs(v-1)) > 1e-7 {
			integral = false
		}
	}
	return -opt, integral
}

func TestAssignMatchesLinearProgram(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	compared := 0
	const cases = 20
	for k := 0; k < cases; k++ {
		in := tiny{n: 3, g: 2}
		P, E := 3+rng.IntN(4), 6+rng.IntN(3)
		for j := 0; j < E; j++ {
			in.evs = append(in.evs, Evaluator{ID: fmt.Sprintf("e%d", j), Group: fmt.Sprintf("g%d", j%3)})
		}
		for i := 0; i < P; i++ {
			in.ps = append(in.ps, Proposal{ID: fmt.Sprintf("p%d", i)})
			row := make([]float64, E)
			for j := range row {
				// Same-group evaluators look alike, so the group rule binds.
				row[j] = rng.Float64()*0.3 + 0.7*float64((i+j%3)%3)/2
				if rng.IntN(10) == 0 {
					in.evs[j].Conflicts = append(in.evs[j].Conflicts, in.ps[i].ID)
				}
			}
			in.aff = append(in.aff, row)
		}
		got, err := Assign(in.ps, in.evs, Options{PerProposal: in.n, MinGroups: in.g, Affinity: in.aff})
		if err != nil {
			continue // the LP test is about optima, not infeasibility
		}
		opt, integral := lpOptimum(t, in)
		if got.TotalAffinity > opt+1e-7 {
			t.Fatalf("case %d: total %v above the LP optimum %v", k, got.TotalAffinity, opt)
		}
		if integral && got.Bound < opt-1e-7 {
			t.Fatalf("case %d: bound %v below the integral optimum %v", k, got.Bound, opt)
		}
		if integral && got.Bound == got.TotalAffinity {
			compared++
			if math.Abs(got.TotalAffinity-opt) > 1e-7 {
				t.Fatalf("case %d: proven total %v, LP optimum %v", k, got.TotalAffinity, opt)
			}
		}
	}
	t.Logf("%d of %d cases had an integral LP and a proven result", compared, cases)
	if compared < cases/3 {
		t.Errorf("only %d of %d cases compared", compared, cases)
	}
}

// check verifies every rule on a result.
func check(t *rapid.T, ps []Proposal, evs []Evaluator, opt Options, r Result) {
	n, g := opt.PerProposal, opt.MinGroups
	L, U := len(ps)*n/len(evs), (len(ps)*n+len(evs)-1)/len(evs)
	byID := map[string]Evaluator{}
	for _, e := range evs {
		byID[e.ID] = e
	}
	perProposal := map[string][]string{}
	load := map[string]int{}
	total := 0.0
	for _, x := range r.Pairs {
		perProposal[x.Proposal] = append(perProposal[x.Proposal], x.Evaluator)
		load[x.Evaluator]++
		total += x.Affinity
	}
	for _, p := range ps {
		es := perProposal[p.ID]
		if len(es) != n {
			t.Fatalf("proposal %s has %d evaluators, want %d", p.ID, len(es), n)
		}
		groups := map[string]bool{}
		seen := map[string]bool{}
		for _, id := range es {
			e := byID[id]
			if seen[id] {
				t.Fatalf("proposal %s has %s twice", p.ID, id)
			}
			seen[id] = true
			groups[e.Group] = true
			if slices.Contains(p.People, e.ID) || slices.Contains(p.Organisations, e.Organisation) || slices.Contains(e.Conflicts, p.ID) {
				t.Fatalf("proposal %s got conflicted evaluator %s", p.ID, id)
			}
		}
		if len(groups) < g {
			t.Fatalf("proposal %s has %d groups, want %d", p.ID, len(groups), g)
		}
	}
	for _, e := range evs {
		if l := load[e.ID]; l < L || l > U {
			t.Fatalf("evaluator %s has load %d, want %d..%d", e.ID, l, L, U)
		}
	}
	if math.Abs(total-r.TotalAffinity) > 1e-9*math.Max(1, total) {
		t.Fatalf("total %v, pairs sum to %v", r.TotalAffinity, total)
	}
	if r.Bound < r.TotalAffinity {
		t.Fatalf("bound %v below total %v", r.Bound, r.TotalAffinity)
	}
}

func TestAssignProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		P := rapid.IntRange(1, 40).Draw(t, "P")
		E := rapid.IntRange(3, 16).Draw(t, "E")
		n := rapid.IntRange(1, min(5, E)).Draw(t, "N")
		g := rapid.IntRange(1, min(n, 3)).Draw(t, "G")
		K := rapid.IntRange(g, 5).Draw(t, "K")
		// Skewed groups: group k gets weight 1..6.
		weights := make([]float64, K)
		for k := range weights {
			weights[k] = float64(rapid.IntRange(1, 6).Draw(t, "w"))
		}
		conflict := rapid.Float64Range(0, 0.15).Draw(t, "conflict")
		seed := rapid.Uint64().Draw(t, "seed")
		ps, evs := genForum(seed, P, E, weights, conflict)
		opt := Options{PerProposal: n, MinGroups: g, Seed: seed}
		r, err := Assign(ps, evs, opt)
		if err != nil {
			var ie *InfeasibleError
			if !errors.As(err, &ie) || len(ie.Reasons) == 0 {
				t.Fatalf("error %v is not an explained infeasibility", err)
			}
			return
		}
		check(t, ps, evs, opt, r)
		again, err := Assign(ps, evs, opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Fatalf("same seed, different result:\n%s", diff)
		}
	})
}

func TestAssignSeedBreaksTies(t *testing.T) {
	var ps []Proposal
	var evs []Evaluator
	for j := 0; j < 10; j++ {
		evs = append(evs, Evaluator{ID: fmt.Sprintf("e%d", j), Group: fmt.Sprintf("g%d", j%4)})
	}
	for i := 0; i < 8; i++ {
		ps = append(ps, Proposal{ID: fmt.Sprintf("p%d", i)})
	}
	seen := map[string]bool{}
	for seed := uint64(0); seed < 5; seed++ {
		a, err := Assign(ps, evs, Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Assign(ps, evs, Options{Seed: seed})
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("seed %d replays differently:\n%s", seed, diff)
		}
		seen[fmt.Sprint(a.Pairs)] = true
	}
	if len(seen) < 2 {
		t.Errorf("5 seeds gave %d distinct tie-breaks, want several", len(seen))
	}
}

func TestAssignInfeasible(t *testing.T) {
	ev := func(id, group, org string, conflicts ...string) Evaluator {
		return Evaluator{ID: id, Group: group, Organisation: org, Conflicts: conflicts}
	}
	five := []Evaluator{ev("a", "gov", "x"), ev("b", "civ", "y"), ev("c", "tech", "z"), ev("d", "priv", "w"), ev("e", "gov", "v")}
	tests := []struct {
		name string
		ps   []Proposal
		evs  []Evaluator
		opt  Options
		want string
	}{
		{"too few evaluators", []Proposal{{ID: "P12", Organisations: []string{"x"}}}, five, Options{},
			"proposal P12: only 4 non-conflicted evaluators, needs 5"},
		{"too few groups", []Proposal{{ID: "P3", People: []string{"b"}}}, five, Options{PerProposal: 4, MinGroups: 4},
			"only 3 stakeholder groups have non-conflicted evaluators for proposal P3, needs 4"},
		{"groups beyond evaluators", []Proposal{{ID: "P1"}}, five, Options{PerProposal: 2, MinGroups: 3},
			"3 stakeholder groups per proposal cannot come from 2 evaluators per proposal"},
		{"declared conflicts starve a load", []Proposal{{ID: "P1"}, {ID: "P2"}},
			[]Evaluator{ev("a", "gov", ""), ev("b", "civ", "", "P1", "P2")}, Options{PerProposal: 1, MinGroups: 1},
			"loads: 2×1 evaluations over 2 evaluators needs at least 1 each, but evaluator b has no conflict with only 0 proposals (short by 1)"},
		{"no evaluators", []Proposal{{ID: "P1"}}, nil, Options{}, "no evaluators for 1 proposals"},
		{"small group overloaded", []Proposal{{ID: "P1"}, {ID: "P2"}, {ID: "P3"}, {ID: "P4"}, {ID: "P5"}},
			[]Evaluator{ev("a", "gov", ""), ev("b", "gov", ""), ev("c", "gov", ""), ev("d", "civ", ""), ev("e", "tech", "")},
			Options{PerProposal: 3, MinGroups: 3},
			"stakeholder groups civ have 1 evaluators, who can take at most 3 evaluations (3 each), but proposals need 5 from them to reach 3 groups each, short by 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Assign(tt.ps, tt.evs, tt.opt)
			var ie *InfeasibleError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an InfeasibleError", err)
			}
			if !slices.Contains(ie.Reasons, tt.want) {
				t.Errorf("reasons %q, want %q among them", ie.Reasons, tt.want)
			}
		})
	}
}

func TestAssignLoadCut(t *testing.T) {
	// Eight evaluations over four evaluators: two each. P0..P4 conflict
	// with c and d, so a and b must take five.
	var ps []Proposal
	for i := 0; i < 8; i++ {
		p := Proposal{ID: fmt.Sprintf("P%d", i)}
		if i < 5 {
			p.People = []string{"c", "d"}
		}
		ps = append(ps, p)
	}
	evs := []Evaluator{{ID: "a", Group: "g"}, {ID: "b", Group: "h"}, {ID: "c", Group: "g"}, {ID: "d", Group: "h"}}
	_, err := Assign(ps, evs, Options{PerProposal: 1, MinGroups: 1})
	var ie *InfeasibleError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an InfeasibleError", err)
	}
	for _, want := range []string{"loads: because of conflicts, evaluators", "5 evaluations", "at most 4", "over by 1"} {
		if !strings.Contains(ie.Error(), want) {
			t.Errorf("got %q, want it to mention %q", ie.Error(), want)
		}
	}
}

func TestAssignBadInput(t *testing.T) {
	ps := []Proposal{{ID: "P1"}}
	evs := []Evaluator{{ID: "a", Group: "g"}}
	for _, tt := range []struct {
		name string
		ps   []Proposal
		evs  []Evaluator
		opt  Options
	}{
		{"duplicate proposal", []Proposal{{ID: "P1"}, {ID: "P1"}}, evs, Options{PerProposal: 1, MinGroups: 1}},
		{"no group", ps, []Evaluator{{ID: "a"}}, Options{PerProposal: 1, MinGroups: 1}},
		{"unknown conflict", ps, []Evaluator{{ID: "a", Group: "g", Conflicts: []string{"P9"}}}, Options{PerProposal: 1, MinGroups: 1}},
		{"affinity shape", ps, evs, Options{PerProposal: 1, MinGroups: 1, Affinity: [][]float64{{1, 2}}}},
		{"affinity NaN", ps, evs, Options{PerProposal: 1, MinGroups: 1, Affinity: [][]float64{{math.NaN()}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Assign(tt.ps, tt.evs, tt.opt); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestAffinity(t *testing.T) {
	ps := []Proposal{{ID: "1", Text: "Data protection and privacy in Africa"}, {ID: "2", Text: "Internet shutdowns"}}
	evs := []Evaluator{{ID: "a", Expertise: "privacy, data protection"}, {ID: "b", Expertise: "the and of"}, {ID: "c", Expertise: "Internet shutdowns"}}
	a := Affinity(ps, evs)
	if a[0][0] <= 0.5 || a[0][0] > 1 {
		t.Errorf("privacy expert vs privacy proposal: %v, want high", a[0][0])
	}
	if a[0][1] != 0 || a[1][1] != 0 {
		t.Errorf("stop words only: %v %v, want 0", a[0][1], a[1][1])
	}
	if math.Abs(a[1][2]-1) > 1e-12 {
		t.Errorf("identical text: %v, want 1", a[1][2])
	}
	if got, want := Tokens("The Internet's e-Governance, 2030!"), []string{"internet", "governance", "2030"}; !slices.Equal(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}
