package timetable

import "testing"

// concordScale is the global meeting: 350 sessions in 20 rooms over 5 days
// of 8 slots, 2,000 people with overlapping roles, 2,000 registrants' stars.
var concordScale = genSpec{Days: 5, SlotsPerDay: 8, Rooms: 20, Sessions: 350, People: 2000, PeoplePerSession: 8,
	Subthemes: 8, Series: 10, Registrants: 2000, StarsEach: 8, LongShare: 0.3, PinShare: 0.05, WindowShare: 0.2}

func BenchmarkSolveConcordScale(b *testing.B) {
	m, _ := generate(2026, concordScale)
	if issues, _ := Feasibility(m); len(issues) > 0 {
		b.Fatalf("generated meeting infeasible: %v", issues)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Solve(m, Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Hard)), "hard")
		b.ReportMetric(float64(res.SoftCost), "soft")
	}
}
