package selection

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"concord/internal/shareddata"
)

func benchmarkLeximin(b *testing.B, in *Instance) {
	var d *Distribution
	for b.Loop() {
		var err error
		if d, err = Leximin(context.Background(), in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(d.MinProbability, "minprob")
	b.ReportMetric(float64(len(d.Panels)), "panels")
}

func BenchmarkLeximinSmall20(b *testing.B) {
	benchmarkLeximin(b, loadExample(b, "example_small_20", 20))
}

func BenchmarkLeximinLarge200(b *testing.B) {
	benchmarkLeximin(b, loadExample(b, "example_large_200", 200))
}

// The Sortition Foundation pool: 4 categories and ~100 distinct feature
// vectors, closer to a real advisory-group pool than the two examples.
func BenchmarkLeximinSynthetic22(b *testing.B) {
	benchmarkLeximin(b, loadSynthetic(b, 22))
}

func BenchmarkOptimalSynthetic22(b *testing.B) {
	in := loadSynthetic(b, 22)
	for i := range in.People {
		in.People[i].Score = float64(i * 7919 % 101)
	}
	for b.Loop() {
		if _, err := Optimal(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

func loadSynthetic(tb testing.TB, seats int) *Instance {
	tb.Helper()
	people := readCSV(tb, shareddata.Path(tb, "sortition", "synthetic", "candidates.csv"))
	feats := readCSV(tb, shareddata.Path(tb, "sortition", "synthetic", "features.csv"))
	in := &Instance{Seats: seats}
	col := map[string]int{}
	for i, h := range people[0] {
		col[h] = i
	}
	for _, r := range feats[1:] {
		in.Quotas = append(in.Quotas, Quota{Category: r[0], Feature: r[1], Min: atoi(tb, r[2]), Max: atoi(tb, r[3])})
	}
	for _, r := range people[1:] {
		f := map[string]string{}
		for _, q := range in.Quotas {
			f[q.Category] = r[col[q.Category]]
		}
		in.People = append(in.People, Person{ID: r[col["nationbuilder_id"]], Features: f})
	}
	return in
}

// BenchmarkLeximinGenerated300 runs a made-up pool of 300 with 4 skewed
// categories (~150 distinct feature vectors), the shape of a real national
// advisory-group call rather than the two-category examples.
func BenchmarkLeximinGenerated300(b *testing.B) {
	benchmarkLeximin(b, generatedPool(300, 30, 4, 5))
}

// generatedPool makes a pool of n with ncat categories of 2–5 features,
// skewed towards the first features, and quotas of ±20% around equal shares
// of k seats (lowered where too few people have a feature).
func generatedPool(n, k, ncat int, seed uint64) *Instance {
	rng := rand.New(rand.NewPCG(seed, 1))
	in := &Instance{Seats: k}
	nf := make([]int, ncat)
	count := make([][]int, ncat)
	for c := range ncat {
		nf[c] = 2 + rng.IntN(4)
		count[c] = make([]int, nf[c])
	}
	for i := range n {
		f := map[string]string{}
		for c := range ncat {
			v := min(int(float64(nf[c])*rng.Float64()*rng.Float64()*1.6), nf[c]-1)
			count[c][v]++
			f[fmt.Sprint("c", c)] = fmt.Sprint("f", v)
		}
		in.People = append(in.People, Person{ID: fmt.Sprint(i + 1), Features: f})
	}
	for c := range ncat {
		for v := range nf[c] {
			share := float64(k) / float64(nf[c])
			in.Quotas = append(in.Quotas, Quota{Category: fmt.Sprint("c", c), Feature: fmt.Sprint("f", v),
				Min: min(int(share*0.8), count[c][v]), Max: int(share*1.2) + 1})
		}
	}
	return in
}
