package selection

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"concord/internal/shareddata"
)

// loadExample reads one of the published instances (respondents.csv and
// categories.csv, as in Flanigan et al.'s replication data).
func loadExample(tb testing.TB, name string, seats int) *Instance {
	tb.Helper()
	people := readCSV(tb, shareddata.Path(tb, "sortition", name, "respondents.csv"))
	cats := readCSV(tb, shareddata.Path(tb, "sortition", name, "categories.csv"))
	in := &Instance{Seats: seats}
	for _, r := range cats[1:] {
		in.Quotas = append(in.Quotas, Quota{Category: r[0], Feature: r[1], Min: atoi(tb, r[2]), Max: atoi(tb, r[3])})
	}
	head := people[0]
	for i, r := range people[1:] {
		f := map[string]string{}
		for c, h := range head {
			f[h] = strings.TrimSpace(r[c])
		}
		in.People = append(in.People, Person{ID: strconv.Itoa(i + 1), Features: f})
	}
	return in
}

func readCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

// referenceCurve returns the published sorted LEXIMIN probabilities.
func referenceCurve(tb testing.TB, name string) []float64 {
	tb.Helper()
	var curve []float64
	for _, r := range readCSV(tb, shareddata.Path(tb, "sortition", "reference_output", name+"_prob_allocs_data.csv"))[1:] {
		if !strings.EqualFold(r[0], "leximin") {
			continue
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			tb.Fatal(err)
		}
		curve = append(curve, v)
	}
	return curve
}

func TestLeximinPublishedInstances(t *testing.T) {
	for _, tc := range []struct {
		name  string
		seats int
	}{
		{"example_small_20", 20},
		{"example_large_200", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := loadExample(t, tc.name, tc.seats)
			d, err := Leximin(context.Background(), in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := d.MinProbability, 0.1; math.Abs(got-want) > 1e-6 {
				t.Errorf("min probability %v, want %v", got, want)
			}
			ref := referenceCurve(t, tc.name)
			got := slices.Clone(d.Probabilities)
			slices.Sort(got)
			if len(got) != len(ref) {
				t.Fatalf("curve has %d points, reference %d", len(got), len(ref))
			}
			worst := 0.0
			for i := range got {
				worst = max(worst, math.Abs(got[i]-ref[i]))
			}
			if worst > 0.001 {
				t.Errorf("curve deviates from the published one by %v", worst)
			}
			t.Logf("min probability %.9f, largest deviation from the published curve %.2g, %d panel compositions",
				d.MinProbability, worst, len(d.Panels))
			checkDistribution(t, in, d)
		})
	}
}

// checkDistribution asserts that every panel shape meets every quota and
// that probabilities sum to the seat count.
func checkDistribution(t interface {
	Helper()
	Fatalf(string, ...any)
}, in *Instance, d *Distribution) {
	t.Helper()
	sumP := 0.0
	for _, c := range d.Panels {
		sumP += c.Probability
		counts := map[[2]string]int{}
		total := 0
		for g, s := range c.Seats {
			if s < 0 || s > len(d.Groups[g].Members) || (d.Groups[g].Forced && s != len(d.Groups[g].Members)) {
				t.Fatalf("group %d gets %d seats of %d members", g, s, len(d.Groups[g].Members))
			}
			total += s
			for ci, cat := range d.Categories {
				counts[[2]string{cat, d.Groups[g].Features[ci]}] += s
			}
		}
		if total != in.Seats {
			t.Fatalf("panel has %d seats, want %d", total, in.Seats)
		}
		for _, q := range in.Quotas {
			if n := counts[[2]string{q.Category, q.Feature}]; n < q.Min || n > q.Max {
				t.Fatalf("panel %v breaks quota %+v with %d", c.Seats, q, n)
			}
		}
		for _, b := range in.Balances {
			for _, f1 := range b.Features {
				for _, f2 := range b.Features {
					if diff := counts[[2]string{b.Category, f1}] - counts[[2]string{b.Category, f2}]; diff > b.MaxDiff {
						t.Fatalf("panel %v breaks balance %+v", c.Seats, b)
					}
				}
			}
		}
	}
	if math.Abs(sumP-1) > 1e-9 {
		t.Fatalf("panel probabilities sum to %v", sumP)
	}
	total := 0.0
	for _, p := range d.Probabilities {
		total += p
	}
	if math.Abs(total-float64(in.Seats)) > 1e-6 {
		t.Fatalf("selection probabilities sum to %v, want %d", total, in.Seats)
	}
}

func atoi(tb testing.TB, s string) int {
	tb.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
