package itc2007

import "testing"

// BenchmarkSolveComp07 measures search speed on the largest early instance.
func BenchmarkSolveComp07(b *testing.B) {
	in := load(b, "comp07")
	for b.Loop() {
		res, err := Solve(in, Options{Seed: 1, Iterations: 5_000_000})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Cost.Hard()), "hard")
		b.ReportMetric(float64(res.Cost.Soft()), "soft")
	}
}
