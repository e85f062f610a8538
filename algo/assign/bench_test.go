package assign

import "testing"

// benchAssign times Assign, affinity included, and reports the gap between
// the proven bound and the total.
func benchAssign(b *testing.B, P, E, N, G int, groups []float64, conflict float64) {
	ps, evs := genForum(1, P, E, groups, conflict)
	b.ReportAllocs()
	var r Result
	for b.Loop() {
		var err error
		r, err = Assign(ps, evs, Options{PerProposal: N, MinGroups: G, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(r.Bound-r.TotalAffinity, "gap")
}

// The acceptance case: 1,500 proposals, 60 evaluators, 5 evaluations each,
// five equal groups, 2% random conflicts.
func BenchmarkAssignForum(b *testing.B) {
	benchAssign(b, 1500, 60, 5, 3, []float64{1, 1, 1, 1, 1}, 0.02)
}

// Skewed groups (a government-heavy advisory group), loads not a multiple
// of the evaluator count, 5% conflicts: many proposals need repair.
func BenchmarkAssignSkewed(b *testing.B) {
	benchAssign(b, 1234, 57, 5, 3, []float64{6, 2, 1, 1, 0.5}, 0.05)
}

// A national forum: few evaluators, each with a heavy load.
func BenchmarkAssignNational(b *testing.B) {
	benchAssign(b, 800, 25, 3, 3, []float64{5, 3, 1, 1, 1}, 0.1)
}
