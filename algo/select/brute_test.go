package selection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
	gonumlp "gonum.org/v1/gonum/optimize/convex/lp"
	"pgregory.net/rapid"
)

// smallInstance generates pools of up to 9 people, small enough to list
// every panel. Many generated instances have no feasible panel on purpose.
func smallInstance(t *rapid.T) *Instance {
	n := rapid.IntRange(2, 9).Draw(t, "n")
	nc := rapid.IntRange(1, 3).Draw(t, "categories")
	in := &Instance{Seats: rapid.IntRange(1, n).Draw(t, "seats")}
	nf := make([]int, nc)
	for c := range nc {
		nf[c] = rapid.IntRange(1, 3).Draw(t, fmt.Sprint("features", c))
	}
	for i := range n {
		f := map[string]string{}
		for c := range nc {
			f[fmt.Sprint("c", c)] = fmt.Sprint("f", rapid.IntRange(0, nf[c]-1).Draw(t, "feature"))
		}
		in.People = append(in.People, Person{ID: fmt.Sprint("p", i), Features: f, Score: float64(rapid.IntRange(0, 5).Draw(t, "score"))})
	}
	for c := range nc {
		for f := range nf[c] {
			lo := rapid.IntRange(0, in.Seats).Draw(t, "min")
			hi := rapid.IntRange(lo, in.Seats).Draw(t, "max")
			if rapid.Bool().Draw(t, "loose min") {
				lo = 0
			}
			if rapid.Bool().Draw(t, "loose max") {
				hi = in.Seats
			}
			in.Quotas = append(in.Quotas, Quota{Category: fmt.Sprint("c", c), Feature: fmt.Sprint("f", f), Min: lo, Max: hi})
		}
		if nf[c] >= 2 && rapid.IntRange(0, 4).Draw(t, "balance") == 0 {
			in.Balances = append(in.Balances, Balance{Category: fmt.Sprint("c", c), Features: []string{"f0", "f1"}, MaxDiff: rapid.IntRange(0, 2).Draw(t, "diff")})
		}
	}
	for i := range rapid.IntRange(0, 2).Draw(t, "forced") {
		if i < in.Seats {
			in.Forced = append(in.Forced, fmt.Sprint("p", i*3%n))
		}
	}
	in.Forced = slices.Compact(slices.Sorted(slices.Values(in.Forced)))
	return in
}

// feasiblePanels lists every panel (as sorted person indexes) that meets
// all rules, by enumerating all subsets.
func feasiblePanels(in *Instance) [][]int {
	var out [][]int
	n := len(in.People)
	forced := map[string]bool{}
	for _, id := range in.Forced {
		forced[id] = true
	}
next:
	for mask := 0; mask < 1<<n; mask++ {
		var panel []int
		count := map[[2]string]int{}
		for i := range n {
			in1 := mask&(1<<i) != 0
			if forced[in.People[i].ID] && !in1 {
				continue next
			}
			if in1 {
				panel = append(panel, i)
				for c, f := range in.People[i].Features {
					count[[2]string{c, f}]++
				}
			}
		}
		if len(panel) != in.Seats {
			continue
		}
		for _, q := range in.Quotas {
			if c := count[[2]string{q.Category, q.Feature}]; c < q.Min || c > q.Max {
				continue next
			}
		}
		for _, b := range in.Balances {
			for _, f1 := range b.Features {
				for _, f2 := range b.Features {
					if count[[2]string{b.Category, f1}]-count[[2]string{b.Category, f2}] > b.MaxDiff {
						continue next
					}
				}
			}
		}
		out = append(out, panel)
	}
	return out
}

// bruteLeximin computes leximin probabilities per person over all listed
// panels with gonum's simplex (independent of this package's solver): each
// stage maximises the lowest unsettled probability, then settles everyone
// who cannot go higher.
func bruteLeximin(tb interface{ Fatalf(string, ...any) }, n int, panels [][]int) []float64 {
	P := len(panels)
	settled := make([]bool, n)
	value := make([]float64, n)
	// maxOf maximises objective weights obj over persons' probabilities
	// (plus weight zw on z) keeping unsettled >= floor(z) and settled at value.
	solve := func(obj []float64, zw float64, zFixed float64) float64 {
		// Variables: λ (P), then z unless pinned, then a slack per person.
		// Rows: one per person, then Σλ = 1.
		zi, sl := P, P+1
		if zFixed >= 0 {
			zi, sl = -1, P
		}
		nv := sl + n
		A := mat.NewDense(n+1, nv, nil)
		b := make([]float64, n+1)
		c := make([]float64, nv)
		for j, pan := range panels {
			for _, i := range pan {
				A.Set(i, j, 1)
				c[j] -= obj[i]
			}
			A.Set(n, j, 1)
		}
		if zi >= 0 {
			c[zi] = -zw
		}
		for i := range n {
			A.Set(i, sl+i, -1)
			switch {
			case settled[i]:
				b[i] = value[i] - 1e-9
			case zi < 0:
				b[i] = zFixed - 1e-9
			default:
				A.Set(i, zi, -1)
			}
		}
		b[n] = 1
		opt, _, err := gonumlp.Simplex(c, A, b, 1e-10, nil)
		if err != nil {
			tb.Fatalf("brute force LP: %v", err)
		}
		return -opt
	}
	for {
		free := 0
		for i := range n {
			if !settled[i] {
				free++
			}
		}
		if free == 0 {
			return value
		}
		z := solve(make([]float64, n), 1, -1)
		progress := false
		for i := range n {
			if settled[i] {
				continue
			}
			obj := make([]float64, n)
			obj[i] = 1
			if solve(obj, 0, z) <= z+1e-7 {
				settled[i], value[i], progress = true, z, true
			}
		}
		if !progress {
			tb.Fatalf("brute force leximin made no progress at z=%v", z)
		}
	}
}

func TestLeximinMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := smallInstance(t)
		panels := feasiblePanels(in)
		d, err := Leximin(context.Background(), in, Options{})
		if len(panels) == 0 {
			var inf *InfeasibleError
			if !errors.As(err, &inf) {
				t.Fatalf("no feasible panel, but Leximin returned %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Leximin: %v", err)
		}
		want := bruteLeximin(t, len(in.People), panels)
		for i, p := range d.Probabilities {
			if math.Abs(p-want[i]) > 1e-6 {
				t.Fatalf("person %d: probability %v, brute force %v (all %v vs %v)", i, p, want[i], d.Probabilities, want)
			}
		}
		checkDistribution(t, in, d)
		// Draws replay from the seed and are feasible panels.
		seed := rapid.Uint64().Draw(t, "seed")
		a, b := Draw(d, NewRand(seed)), Draw(d, NewRand(seed))
		if !slices.Equal(a, b) {
			t.Fatalf("same seed, different panels: %v %v", a, b)
		}
		if !isFeasible(in, a, panels) {
			t.Fatalf("drawn panel %v is not feasible", a)
		}
	})
}

func isFeasible(in *Instance, ids []string, panels [][]int) bool {
	for _, pan := range panels {
		if len(pan) != len(ids) {
			continue
		}
		ok := true
		for j, i := range pan {
			if in.People[i].ID != ids[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestOptimalMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := smallInstance(t)
		panels := feasiblePanels(in)
		got, err := Optimal(context.Background(), in)
		if len(panels) == 0 {
			var inf *InfeasibleError
			if !errors.As(err, &inf) {
				t.Fatalf("no feasible panel, but Optimal returned %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Optimal: %v", err)
		}
		best := math.Inf(-1)
		for _, pan := range panels {
			s := 0.0
			for _, i := range pan {
				s += in.People[i].Score
			}
			best = max(best, s)
		}
		if got.Score != best {
			t.Fatalf("score %v, brute force best %v", got.Score, best)
		}
		if !isFeasible(in, got.Members, panels) {
			t.Fatalf("panel %v is not feasible", got.Members)
		}
	})
}
