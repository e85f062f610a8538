package selection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// pool builds people from "feature/feature" strings over categories a, b.
func pool(specs ...string) []Person {
	var ps []Person
	for i, s := range specs {
		f := map[string]string{}
		for c, v := range strings.Split(s, "/") {
			f[string(rune('a'+c))] = v
		}
		ps = append(ps, Person{ID: fmt.Sprint("p", i+1), Features: f})
	}
	return ps
}

func TestValidate(t *testing.T) {
	base := func() *Instance {
		return &Instance{
			People: pool("x/u", "y/v", "x/v", "y/u"),
			Quotas: []Quota{{"a", "x", 1, 2}, {"a", "y", 1, 2}, {"b", "u", 0, 2}, {"b", "v", 0, 2}},
			Seats:  2,
		}
	}
	for _, tc := range []struct {
		name   string
		edit   func(in *Instance)
		want   string // in the error; "" for valid
		person int    // InvalidError.Person, or -2 to skip the check
		quota  int
	}{
		{"valid", func(in *Instance) {}, "", -2, -2},
		{"duplicate id", func(in *Instance) { in.People[2].ID = "p1" }, `person 3 (id "p1"): duplicate id (also person 1)`, 2, -1},
		{"unknown feature", func(in *Instance) { in.People[1].Features["a"] = "z" }, `person 2 (id "p2"): category "a": feature "z" has no quota`, 1, -1},
		{"missing category", func(in *Instance) { delete(in.People[3].Features, "b") }, `person 4 (id "p4"): no feature for category "b"`, 3, -1},
		{"unknown category", func(in *Instance) { in.People[0].Features["c"] = "q" }, `unknown category "c"`, 0, -1},
		{"min above max", func(in *Instance) { in.Quotas[2].Min = 3 }, "quota 3 (b=u): need 0 <= min <= max", -1, 2},
		{"duplicate quota", func(in *Instance) { in.Quotas[3].Feature = "u" }, "quota 4 (b=u): duplicate quota for this feature (also quota 3)", -1, 3},
		{"no seats", func(in *Instance) { in.Seats = 0 }, "seats must be positive", -1, -1},
		{"too many seats", func(in *Instance) { in.Seats = 5 }, "5 seats but only 4 people", -1, -1},
		{"unknown forced", func(in *Instance) { in.Forced = []string{"p9"} }, `forced member "p9" is not in the pool`, -1, -1},
		{"balance feature", func(in *Instance) { in.Balances = []Balance{{"a", []string{"x", "w"}, 1}} }, `balance 1: category "a" has no quota for feature "w"`, -1, -1},
		{"minimums exceed seats", func(in *Instance) { in.Quotas[0].Min, in.Quotas[1].Min = 2, 1 }, "category a: minimums sum to 3 > 2 seats", -2, -2},
		{"maximums below seats", func(in *Instance) { in.Quotas[2].Max, in.Quotas[3].Max = 0, 1 }, "category b: maximums (capped by people available) sum to 1 < 2 seats", -2, -2},
		{"not enough people", func(in *Instance) { in.Quotas[0].Min = 3; in.Quotas[0].Max = 3; in.Seats = 3 }, "quota a=x: minimum 3 but only 2 people in the pool have it", -2, -2},
		{"forced above max", func(in *Instance) { in.Quotas[0].Max = 1; in.Forced = []string{"p1", "p3"} }, "quota a=x: maximum 1 but 2 forced members have it", -2, -2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.edit(in)
			err := in.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			var ie *InvalidError
			if tc.person != -2 {
				if !errors.As(err, &ie) {
					t.Fatalf("error %T, want *InvalidError", err)
				}
				if ie.Person != tc.person || ie.Quota != tc.quota {
					t.Errorf("person %d quota %d, want %d %d", ie.Person, ie.Quota, tc.person, tc.quota)
				}
			}
		})
	}
}

func TestInfeasibleExplained(t *testing.T) {
	// Each check passes per category, but women must be at least 3 of 4
	// seats while the only women are all from region north, capped at 2.
	in := &Instance{
		People: pool("w/n", "w/n", "w/n", "m/s", "m/s", "m/n", "m/s"),
		Quotas: []Quota{{"a", "w", 3, 4}, {"a", "m", 0, 4}, {"b", "n", 0, 2}, {"b", "s", 0, 4}},
		Seats:  4,
	}
	for _, solve := range []func() error{
		func() error { _, err := Leximin(context.Background(), in, Options{}); return err },
		func() error { _, err := Optimal(context.Background(), in); return err },
	} {
		err := solve()
		var inf *InfeasibleError
		if !errors.As(err, &inf) {
			t.Fatalf("error %v, want *InfeasibleError", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "quota a=w [3,4]") || !strings.Contains(msg, "quota b=n [0,2]") || strings.Contains(msg, "b=s") {
			t.Errorf("explanation %q should name exactly a=w and b=n", msg)
		}
	}
}

func TestLeximinForcedAndBalance(t *testing.T) {
	// Six seats; p1 (g) and p2 (c) sit already; at most two g seats and
	// c, t, s equal within one seat. Checked against brute force.
	var specs []string
	for i := range 16 {
		specs = append(specs, []string{"g", "c", "t", "s"}[i%4])
	}
	in := &Instance{
		People:   pool(specs...),
		Quotas:   []Quota{{"a", "g", 0, 2}, {"a", "c", 0, 6}, {"a", "t", 0, 6}, {"a", "s", 0, 6}},
		Seats:    6,
		Forced:   []string{"p1", "p2"},
		Balances: []Balance{{"a", []string{"c", "t", "s"}, 1}},
	}
	d, err := Leximin(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkDistribution(t, in, d)
	want := bruteLeximin(t, len(in.People), feasiblePanels(in))
	for i, p := range d.Probabilities {
		if math.Abs(p-want[i]) > 1e-6 {
			t.Fatalf("person %d: %v, brute force %v", i+1, p, want[i])
		}
	}
	if d.Probabilities[0] != 1 || d.Probabilities[1] != 1 {
		t.Errorf("forced members have probabilities %v, %v", d.Probabilities[0], d.Probabilities[1])
	}
}

func TestDrawFrequencies(t *testing.T) {
	in := loadExample(t, "example_small_20", 20)
	d, err := Leximin(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := NewRand(2026)
	count := make(map[string]int)
	const draws = 4000
	for range draws {
		panel := Draw(d, rng)
		if len(panel) != 20 || !slices.IsSorted(panelIndexes(d, panel)) {
			t.Fatalf("panel %v", panel)
		}
		for _, id := range panel {
			count[id]++
		}
	}
	// Each person's frequency should be near 10% (σ ≈ 0.47 points).
	for i, id := range d.People {
		if f := float64(count[id]) / draws; math.Abs(f-d.Probabilities[i]) > 0.03 {
			t.Errorf("%s drawn with frequency %v, probability %v", id, f, d.Probabilities[i])
		}
	}
	// A fixed seed gives a fixed panel, on every machine.
	if got, want := strings.Join(Draw(d, NewRand(7)), ","), strings.Join(Draw(d, NewRand(7)), ","); got != want {
		t.Errorf("seed 7 gave %s then %s", got, want)
	}
}

func panelIndexes(d *Distribution, ids []string) []int {
	var out []int
	for _, id := range ids {
		out = append(out, slices.Index(d.People, id))
	}
	return out
}

// TestDrawGolden pins the panel a published seed gives on the first example:
// a change here means old draws can no longer be replayed, which must be a
// deliberate, announced change.
func TestDrawGolden(t *testing.T) {
	d, err := Leximin(context.Background(), loadExample(t, "example_small_20", 20), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(Draw(d, NewRand(7)), " ")
	if want := "7 11 19 20 37 49 57 70 91 103 125 140 142 151 152 157 159 171 174 182"; got != want {
		t.Errorf("seed 7 draws\n%s\nwant\n%s", got, want)
	}
}
