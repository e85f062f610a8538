package assign

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestBestMatchesEnumeration checks one proposal's subproblem (best N
// evaluators by affinity minus price, at least G groups) against all subsets.
func TestBestMatchesEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for k := 0; k < 500; k++ {
		in := randomTiny(rng, k%2 == 0)
		inst, err := newInstance(in.ps, in.evs, in.aff, Options{PerProposal: in.n, MinGroups: in.g})
		if err != nil {
			t.Fatal(err)
		}
		if inst.explain() != nil {
			continue
		}
		lam := make([]float64, inst.E)
		for e := range lam {
			lam[e] = rng.Float64() - 0.5
		}
		c := newChoice(inst)
		c.setPrices(lam)
		for p := 0; p < inst.P; p++ {
			load := make([]int, inst.E)
			got := inst.best(p, lam, c, load)
			want := math.Inf(-1)
			for m := 0; m < 1<<inst.E; m++ {
				n, v := 0, 0.0
				groups := map[int]bool{}
				ok := true
				for e := 0; e < inst.E; e++ {
					if m&(1<<e) != 0 {
						ok = ok && inst.ok[p*inst.E+e]
						n++
						v += inst.a(p, e) - lam[e]
						groups[inst.group[e]] = true
					}
				}
				if ok && n == inst.N && len(groups) >= inst.G && v > want {
					want = v
				}
			}
			if math.Abs(got-want) > 1e-9 {
				t.Fatalf("case %d proposal %d: best %v, enumeration %v", k, p, got, want)
			}
			// The loads must describe a subset worth got.
			n, v := 0, 0.0
			groups := map[int]bool{}
			for e, l := range load {
				if l > 1 || l == 1 && !inst.ok[p*inst.E+e] {
					t.Fatalf("case %d: bad load %v", k, load)
				}
				if l == 1 {
					n++
					v += inst.a(p, e) - lam[e]
					groups[inst.group[e]] = true
				}
			}
			if n != inst.N || len(groups) < inst.G || math.Abs(v-got) > 1e-9 {
				t.Fatalf("case %d proposal %d: loads %v give %d evaluators, %d groups, value %v; want %d, %d, %v",
					k, p, load, n, len(groups), v, inst.N, inst.G, got)
			}
		}
	}
}

// TestBoundIsValid checks the Lagrangian bound, at the flow's prices and
// after subgradient steps, against brute force.
func TestBoundIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for k := 0; k < 300; k++ {
		in := randomTiny(rng, k%2 == 0)
		opt, _, feasible := bruteForce(in)
		if !feasible {
			continue
		}
		inst, err := newInstance(in.ps, in.evs, in.aff, Options{PerProposal: in.n, MinGroups: in.g})
		if err != nil {
			t.Fatal(err)
		}
		s := newState(inst)
		pi, _, err := inst.relaxed(s)
		if err != nil {
			t.Fatalf("case %d: relaxed: %v", k, err)
		}
		if r := s.total(); r < opt-1e-9 {
			t.Fatalf("case %d: relaxation %v below optimum %v", k, r, opt)
		}
		c := newChoice(inst)
		load := make([]int, inst.E)
		if b := inst.dual(append([]float64(nil), pi...), c, load); b < opt-1e-9 {
			t.Fatalf("case %d: bound at flow prices %v below optimum %v", k, b, opt)
		}
		// Steps aimed at a poor primal total overshoot; the bound must
		// hold anyway.
		if b, _ := inst.lagrangeBound(pi, opt-0.5); b < opt-1e-9 {
			t.Fatalf("case %d: bound %v below optimum %v", k, b, opt)
		}
	}
}

// TestExactMatchesBruteForce checks the exhaustive search, the fallback
// when cycle cancelling cannot prove optimality.
func TestExactMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for k := 0; k < 300; k++ {
		in := randomTiny(rng, k%2 == 0)
		opt, _, feasible := bruteForce(in)
		inst, err := newInstance(in.ps, in.evs, in.aff, Options{PerProposal: in.n, MinGroups: in.g})
		if err != nil {
			t.Fatal(err)
		}
		lam := make([]float64, inst.E)
		for e := range lam {
			lam[e] = rng.Float64() - 0.5
		}
		x, b, ok := inst.exact(nil, lam)
		if !ok {
			t.Fatalf("case %d: search did not finish", k)
		}
		if !feasible {
			if x != nil {
				t.Fatalf("case %d: search found %v, brute force nothing", k, b)
			}
			continue
		}
		if x == nil || math.Abs(b-opt) > 1e-9 || math.Abs(x.total()-opt) > 1e-9 {
			t.Fatalf("case %d: search found %v, brute force %v", k, b, opt)
		}
	}
}
