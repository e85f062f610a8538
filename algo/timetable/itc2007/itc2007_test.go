package itc2007

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"concord/algo/timetable/internal/core"
	"concord/internal/shareddata"
)

func load(t testing.TB, name string) *Instance {
	t.Helper()
	f, err := os.Open(shareddata.Path(t, "itc2007", "instances", name+".ctt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return in
}

func loadSolution(t testing.TB, in *Instance, name string) Solution {
	t.Helper()
	f, err := os.Open(shareddata.Path(t, "itc2007", "reference-solutions", name+".ctt.sol"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sol, err := ParseSolution(f, in)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return sol
}

var referenceCosts = map[string]int{
	"comp01": 5, "comp02": 36, "comp03": 66, "comp04": 37, "comp05": 305, "comp06": 40, "comp07": 14,
}

func TestEvaluateReferenceSolutions(t *testing.T) {
	for name, want := range referenceCosts {
		t.Run(name, func(t *testing.T) {
			in := load(t, name)
			sol := loadSolution(t, in, name)
			c := Evaluate(in, sol)
			if c.Hard() != 0 {
				t.Errorf("hard = %d, want 0: %v", c.Hard(), c)
			}
			if got := c.Soft(); got != want {
				t.Errorf("soft = %d, want %d: %v", got, want, c)
			}
		})
	}
}

// The core's incremental cost must agree with the official evaluator.
func TestCoreCostMatchesEvaluate(t *testing.T) {
	for name, want := range referenceCosts {
		t.Run(name, func(t *testing.T) {
			in := load(t, name)
			sol := loadSolution(t, in, name)
			p, course := in.problem()
			s := core.NewState(p)
			next := map[int]int{}
			first := map[int]int{}
			for e := len(course) - 1; e >= 0; e-- {
				first[course[e]] = e
			}
			for _, a := range sol {
				e := first[a.Course] + next[a.Course]
				next[a.Course]++
				s.Add(e, a.Period, a.Room)
			}
			if h, so := s.Cost(); h != 0 || so != want {
				t.Errorf("core cost = %d hard, %d soft; want 0, %d", h, so, want)
			}
			if h, so := s.Recompute(); h != 0 || so != want {
				t.Errorf("recomputed = %d hard, %d soft; want 0, %d", h, so, want)
			}
		})
	}
}

func TestWriteSolutionRoundTrip(t *testing.T) {
	in := load(t, "comp01")
	sol := loadSolution(t, in, "comp01")
	var buf bytes.Buffer
	if err := WriteSolution(&buf, in, sol); err != nil {
		t.Fatal(err)
	}
	back, err := ParseSolution(&buf, in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Evaluate(in, back), Evaluate(in, sol); got != want {
		t.Errorf("round trip cost %v, want %v", got, want)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	good := "Name: T\nCourses: 1\nRooms: 1\nDays: 1\nPeriods_per_day: 2\nCurricula: 1\nConstraints: 1\n\nCOURSES:\nc1 t1 2 1 10\n\nROOMS:\nA 5\n\nCURRICULA:\nq1 1 c1\n\nUNAVAILABILITY_CONSTRAINTS:\nc1 0 1\n\nEND.\n"
	if _, err := Parse(strings.NewReader(good)); err != nil {
		t.Fatalf("good instance: %v", err)
	}
	tests := []struct{ from, to, line string }{
		{"Courses: 1", "Courses: x", "line 2:"},
		{"c1 t1 2 1 10", "c1 t1 2 1", "line 10:"},
		{"A 5", "A -5", "line 13:"},
		{"q1 1 c1", "q1 1 c9", "line 16:"},
		{"c1 0 1", "c1 0 2", "line 19:"},
		{"END.", "", "line 21:"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(strings.Replace(good, tt.from, tt.to, 1)))
		if err == nil || !strings.HasPrefix(err.Error(), tt.line) {
			t.Errorf("%q→%q: error %v, want prefix %q", tt.from, tt.to, err, tt.line)
		}
	}
}

// toy.ctt has a timetable of cost 0, the lower bound, so its optimum is
// known.
func TestSolveToy(t *testing.T) {
	in := load(t, "toy")
	res, err := Solve(in, Options{Seed: 1, Iterations: 200_000})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cost.Hard() != 0 || res.Cost.Soft() != 0 {
		t.Fatalf("want the optimum 0, got %v", res.Cost)
	}
}

func TestSolveReplays(t *testing.T) {
	in := load(t, "comp01")
	a, err := Solve(in, Options{Seed: 7, Iterations: 50_000})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Solve(in, Options{Seed: 7, Iterations: 50_000})
	if a.Cost != b.Cost || len(a.Solution) != len(b.Solution) {
		t.Fatalf("same seed gave %v and %v", a.Cost, b.Cost)
	}
	for i := range a.Solution {
		if a.Solution[i] != b.Solution[i] {
			t.Fatalf("same seed, different lecture %d: %v vs %v", i, a.Solution[i], b.Solution[i])
		}
	}
	if a.Cost.Hard() != 0 {
		t.Errorf("comp01 after 50k moves: %v", a.Cost)
	}
}

// Pair moves are on by default and a negative share turns them off,
// which changes the draws and so the timetable.
func TestPairMovesByDefault(t *testing.T) {
	in := load(t, "comp01")
	solve := func(pair float64) Solution {
		res, err := Solve(in, Options{Seed: 7, Iterations: 50_000, Pair: pair})
		if err != nil {
			t.Fatal(err)
		}
		return res.Solution
	}
	def := solve(0)
	if !slices.Equal(def, solve(defaultPair)) {
		t.Errorf("the default differs from Pair %g", defaultPair)
	}
	if slices.Equal(def, solve(-1)) {
		t.Errorf("Pair -1 gave the default's timetable; pair moves were not turned off")
	}
}

// The start temperature follows conflict density: 3 when few course pairs
// conflict, 10 when most do, in between linearly.
func TestStartTemperature(t *testing.T) {
	course := func(id, teacher string) Course { return Course{ID: id, Teacher: teacher, Lectures: 1, MinDays: 1} }
	sparse := &Instance{Courses: []Course{course("a", "t1"), course("b", "t2"), course("c", "t3")}}
	dense := &Instance{Courses: []Course{course("a", "t1"), course("b", "t1"), course("c", "t2")},
		Curricula: []Curriculum{{ID: "q", Courses: []int{0, 2}}, {ID: "r", Courses: []int{1, 2}}}}
	// 20 courses, one curriculum of 7: 21 of 190 pairs, density 0.1105.
	mid := &Instance{}
	for i := range 20 {
		mid.Courses = append(mid.Courses, course(fmt.Sprint("c", i), fmt.Sprint("t", i)))
	}
	mid.Curricula = []Curriculum{{ID: "q", Courses: []int{0, 1, 2, 3, 4, 5, 6}}}
	// 10 courses, a curriculum of 4 and one of 3: 9 of 45 pairs, 0.2.
	high := &Instance{}
	for i := range 10 {
		high.Courses = append(high.Courses, course(fmt.Sprint("c", i), fmt.Sprint("t", i)))
	}
	high.Curricula = []Curriculum{{ID: "q", Courses: []int{0, 1, 2, 3}}, {ID: "r", Courses: []int{4, 5, 6}}}
	for _, tt := range []struct {
		name string
		in   *Instance
		want float64
	}{
		{"no conflicts", sparse, 3},
		{"all pairs conflict", dense, 10},
		{"below the knee", mid, 3},
		{"0.2", high, 3 + 7*(0.2-0.12)/0.09},
		{"comp01", load(t, "comp01"), 3},
		{"comp05", load(t, "comp05"), 10},
	} {
		if got := tt.in.startTemperature(); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: start temperature %g, want %g", tt.name, got, tt.want)
		}
	}
}

func TestSolveRejectsNegativeOptions(t *testing.T) {
	in := load(t, "toy")
	for _, tt := range []struct {
		field string
		opt   Options
	}{
		{"HardWeight", Options{HardWeight: -1}},
		{"HardWeightEnd", Options{HardWeightEnd: -5}},
		{"Chains", Options{Chains: -2}},
		{"RaceShare", Options{RaceShare: 1}},
		{"RaceShare", Options{RaceShare: -0.5}},
		{"RaceTemp", Options{RaceTemp: -1}},
		{"Pair", Options{Pair: 1}},
	} {
		tt.opt.Iterations = 1000
		if _, err := Solve(in, tt.opt); err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: got error %v, want one naming the field", tt.field, err)
		}
	}
}
