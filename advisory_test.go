package concord

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// seats builds n voting members of one group, region and gender.
func seats(n int, group string, region Region, gender Gender) []Seat {
	out := make([]Seat, n)
	for i := range out {
		out[i] = Seat{Name: group, Group: group, Region: region, Gender: gender, Role: AdvisoryMember, Consecutive: 1}
	}
	return out
}

// balanced is a 40-seat group that meets every default rule: 16 government,
// 8 each of the other three, 8 per region, 20 women and 20 men, all new.
func balanced() []Seat {
	var out []Seat
	groups := []string{"government", "government", "civil-society", "technical", "private-sector"}
	for i := 0; i < 40; i++ {
		g := gender(i)
		out = append(out, Seat{Name: "P", Group: groups[i%5], Region: Regions[i/8], Gender: g, Role: AdvisoryMember, Consecutive: 1})
	}
	return out
}

func gender(i int) Gender {
	if i%2 == 0 {
		return Woman
	}
	return Man
}

func find(rs []RuleResult, rule, subject string) *RuleResult {
	for i := range rs {
		if rs[i].Rule == rule && rs[i].Subject == subject {
			return &rs[i]
		}
	}
	return nil
}

func TestCompositionCheck(t *testing.T) {
	f := &Forum{Slug: "igf", Name: "IGF", Groups: DefaultGroups}
	type want struct {
		rule, subject string
		pass          bool
		message       string
	}
	for _, tc := range []struct {
		name   string
		edit   func(r *CompositionRules, s []Seat) []Seat
		want   []want
		failed int
	}{
		{"balanced passes every rule", nil, []want{
			{"seats", "", true, "Voting seats filled: 40 of 40"},
			{"government", "government", true, "Government 16 of 40 = 40% ≤ 40%"},
			{"balance", "", true, "Civil Society 8, Technical Community 8, Private Sector 8: 0 apart ≤ 1"},
			{"region", "African", true, "African 8 of 40 = 20% (at least 1, at most 30%)"},
			{"gender", "woman", true, "Women 20 of 40 = 50% ≤ 60%"},
			{"renewal", "", true, "New members 40 of 40 = 100% ≥ 33.3%"},
			{"terms", "", true, "No member serves more than 3 consecutive terms"},
			{"observers", "igo", true, "Intergovernmental Organization: 0 observers, 0 in voting seats"},
		}, 0},
		{"too many governments", func(r *CompositionRules, s []Seat) []Seat {
			for i := 0; i < 2; i++ { // two civil-society seats go to governments
				s[2+5*i].Group = "government"
			}
			return s
		}, []want{
			{"government", "government", false, "Government 18 of 40 = 45% > 40%"},
			{"balance", "", false, "Civil Society 6, Technical Community 8, Private Sector 8: 2 apart > 1"},
		}, 2},
		{"a region missing and one too large", func(r *CompositionRules, s []Seat) []Seat {
			for i := 24; i < 32; i++ { // Latin America and Caribbean's 8 move to Africa
				s[i].Region = African
			}
			return s
		}, []want{
			{"region", "African", false, "African 16 of 40 = 40% > 30%"},
			{"region", "Latin American and Caribbean", false, "Latin American and Caribbean 0 of 40: fewer than 1"},
		}, 2},
		{"gender imbalance", func(r *CompositionRules, s []Seat) []Seat {
			for i := 0; i < 10; i++ {
				s[2*i].Gender = Man
			}
			return s
		}, []want{{"gender", "man", false, "Men 30 of 40 = 75% > 60%"}, {"gender", "woman", true, "Women 10 of 40 = 25% ≤ 60%"}}, 1},
		{"too few new members and a fourth term", func(r *CompositionRules, s []Seat) []Seat {
			for i := 0; i < 30; i++ {
				s[i].Returning = true
			}
			s[0].Name, s[0].Consecutive = "Amina", 4
			return s
		}, []want{
			{"renewal", "", false, "New members 10 of 40 = 25% < 33.3%"},
			{"terms", "", false, "1 over 3 consecutive terms: Amina (4)"},
		}, 2},
		{"seats short, observers not counted", func(r *CompositionRules, s []Seat) []Seat {
			s = s[:39]
			return append(s, Seat{Name: "UNESCO", Group: "igo", Region: WEOG, Gender: Woman, Role: AdvisoryObserver})
		}, []want{
			{"seats", "", false, "Voting seats filled: 39 of 40"},
			{"observers", "igo", true, "Intergovernmental Organization: 1 observers, 0 in voting seats"},
			{"government", "government", false, "Government 16 of 39 = 41% > 40%"},
		}, 2},
		{"an observer group in a voting seat", func(r *CompositionRules, s []Seat) []Seat {
			s[0].Group = "igo"
			return s
		}, []want{{"observers", "igo", false, "Intergovernmental Organization: 0 observers, 1 in voting seats"}}, 1},
		{"reserved seats for the host country", func(r *CompositionRules, s []Seat) []Seat {
			r.Reserved = []ReservedSeat{{"CL", 2}, {"NO", 1}}
			s[24].Country = "CL"
			s[0].Country = "NO"
			return s
		}, []want{
			{"reserved", "CL", false, "Reserved for Chile: 1 of 2 seats filled"},
			{"reserved", "NO", true, "Reserved for Norway: 1 of 1 seats filled"},
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultCompositionRules()
			s := balanced()
			if tc.edit != nil {
				s = tc.edit(&r, s)
			}
			got := r.Check(f, Composition{Year: 2026, Seats: s})
			for _, w := range tc.want {
				res := find(got, w.rule, w.subject)
				if res == nil {
					t.Fatalf("no result for %s %s", w.rule, w.subject)
				}
				if res.Pass != w.pass || res.Message != w.message {
					t.Errorf("%s %s = %v %q, want %v %q", w.rule, w.subject, res.Pass, res.Message, w.pass, w.message)
				}
			}
			if failed := Failed(got); len(failed) != tc.failed {
				t.Errorf("%d rules failed, want %d: %v", len(failed), tc.failed, failed)
			}
		})
	}
}

func TestSeatLimits(t *testing.T) {
	for _, tc := range []struct {
		n        int
		pct      float64
		max, min int
	}{
		{40, 40, 16, 16}, {40, 30, 12, 12}, {40, 100.0 / 3, 13, 14}, {30, 100.0 / 3, 10, 10}, {45, 60, 27, 27}, {7, 50, 3, 4},
	} {
		if got := MaxSeats(tc.n, tc.pct); got != tc.max {
			t.Errorf("MaxSeats(%d, %g) = %d, want %d", tc.n, tc.pct, got, tc.max)
		}
		if got := MinSeats(tc.n, tc.pct); got != tc.min {
			t.Errorf("MinSeats(%d, %g) = %d, want %d", tc.n, tc.pct, got, tc.min)
		}
	}
}

func TestCompositionRulesValidate(t *testing.T) {
	f := &Forum{Slug: "igf", Name: "IGF", Groups: DefaultGroups}
	r := DefaultCompositionRules()
	if err := r.Validate(f); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		name, field string
		edit        func(r *CompositionRules)
	}{
		{"no seats", "size", func(r *CompositionRules) { r.Size = 0 }},
		{"percent over 100", "government_max_percent", func(r *CompositionRules) { r.GovernmentMaxPercent = 140 }},
		{"unknown group", "balanced_groups", func(r *CompositionRules) { r.BalancedGroups = append(r.BalancedGroups, "media") }},
		{"government balanced", "balanced_groups", func(r *CompositionRules) { r.BalancedGroups = append(r.BalancedGroups, "government") }},
		{"regions cannot fill", "region_max_percent", func(r *CompositionRules) { r.RegionMaxPercent = 15 }},
		{"too many per region", "region_min", func(r *CompositionRules) { r.RegionMin = 9 }},
		{"bad country", "reserved", func(r *CompositionRules) { r.Reserved = []ReservedSeat{{"XX", 1}} }},
		{"reserved over size", "reserved", func(r *CompositionRules) { r.Reserved = []ReservedSeat{{"CL", 41}} }},
		{"no terms", "max_consecutive_terms", func(r *CompositionRules) { r.MaxConsecutiveTerms = 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultCompositionRules()
			tc.edit(&r)
			err := r.Validate(f)
			found := false
			for _, p := range Problems(err) {
				found = found || p.Field == tc.field
			}
			if !found {
				t.Errorf("err = %v, want a problem with %s", err, tc.field)
			}
		})
	}
}

func TestConsecutiveTermsAndEligibility(t *testing.T) {
	terms := []Term{{FirstYear: 2025, LastYear: 2025}, {FirstYear: 2023, LastYear: 2024}, {FirstYear: 2020, LastYear: 2020}}
	for _, tc := range []struct{ year, want int }{{2026, 2}, {2025, 1}, {2021, 1}, {2027, 0}} {
		if got := ConsecutiveTerms(terms, tc.year); got != tc.want {
			t.Errorf("ConsecutiveTerms(%d) = %d, want %d", tc.year, got, tc.want)
		}
	}
	r := DefaultCompositionRules()
	n := &Nomination{Group: "civil-society", Country: "KE"}
	call := &NominationCall{Year: 2026}
	three := []Term{{FirstYear: 2023, LastYear: 2023}, {FirstYear: 2024, LastYear: 2024}, {FirstYear: 2025, LastYear: 2025}}
	for _, tc := range []struct {
		name   string
		call   NominationCall
		terms  []Term
		reason string
	}{
		{"newcomer", *call, nil, ""},
		{"two terms served", *call, three[1:], ""},
		{"three terms served", *call, three, "has served 3 consecutive terms"},
		{"a break resets the count", *call, []Term{{FirstYear: 2020, LastYear: 2022}, {FirstYear: 2024, LastYear: 2025}}, ""},
		{"sitting", *call, []Term{{FirstYear: 2025, LastYear: 2027}}, "already sits on the group until 2027"},
		{"former members only", NominationCall{Year: 2026, FormerMembersOnly: true}, nil, "former members only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, reason := r.Eligibility(&tc.call, n, tc.terms)
			if ok != (tc.reason == "") || !strings.Contains(reason, tc.reason) {
				t.Errorf("Eligibility = %v %q, want reason %q", ok, reason, tc.reason)
			}
		})
	}
}

func TestNominationCallWindow(t *testing.T) {
	opens := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c := &NominationCall{Year: 2026, Opens: opens, Closes: opens.Add(30 * 24 * time.Hour)}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Time
		open bool
	}{{opens.Add(-time.Second), false}, {opens, true}, {c.Closes.Add(-time.Millisecond), true}, {c.Closes, false}} {
		if got := c.IsOpen(tc.at); got != tc.open {
			t.Errorf("IsOpen(%v) = %v", tc.at, got)
		}
	}
	bad := &NominationCall{Year: 2026, Opens: opens, Closes: opens}
	if err := bad.Validate(); err == nil || Problems(err)[0].Field != "closes" {
		t.Errorf("closing at opening: %v", err)
	}
	n := &Nomination{PersonID: 1}
	if err := n.Validate(); err == nil || Problems(err)[0].Field != "statement" {
		t.Errorf("empty statement: %v", err)
	}
}

func TestTermEditsAndWarnings(t *testing.T) {
	terms := []Term{{ID: 1, PersonID: 7, FirstYear: 2024, LastYear: 2026}, {ID: 2, PersonID: 8, FirstYear: 2026, LastYear: 2026}}
	for _, c := range []struct {
		t    Term
		want bool
	}{
		{Term{PersonID: 7, FirstYear: 2026, LastYear: 2027}, true},
		{Term{PersonID: 7, FirstYear: 2027, LastYear: 2028}, false},
		{Term{PersonID: 7, FirstYear: 2020, LastYear: 2023}, false},
		{Term{ID: 1, PersonID: 7, FirstYear: 2025, LastYear: 2025}, false}, // the term itself
		{Term{PersonID: 8, FirstYear: 2020, LastYear: 2030}, true},
	} {
		if _, got := Overlapping(terms, c.t); got != c.want {
			t.Errorf("Overlapping(%+v) = %v, want %v", c.t, got, c.want)
		}
	}
	e := TermEdit{Term: Term{PersonID: 1, FirstYear: 2026, LastYear: 2026, Role: "chair"}, Reason: "  "}
	if ps := Problems(e.Validate()); len(ps) != 1 || ps[0].Field != "reason" {
		t.Errorf("blank reason: %v", ps)
	}
	if got := DescribeEdit("Ana", &Term{FirstYear: 2026, LastYear: 2028, Role: AdvisoryMember},
		Term{FirstYear: 2026, LastYear: 2026, Role: AdvisoryChair}); got != "Ana: term 2026–2028 ended early: last year 2026; role changed from member to chair" {
		t.Errorf("DescribeEdit = %q", got)
	}

	// A standing failure is not the change's doing; a new or moved one is.
	f := &Forum{Groups: DefaultGroups}
	r := DefaultCompositionRules()
	r.Size, r.RenewalMinPercent, r.RegionMin, r.BalancedGroups, r.ObserverGroups = 5, 0, 0, nil, nil
	r.RegionMaxPercent, r.GenderMaxPercent = 100, 100
	seat := func(g string) Seat {
		return Seat{Group: g, Region: African, Gender: Woman, Role: AdvisoryMember, Consecutive: 1}
	}
	before := Composition{Year: 2026, Seats: []Seat{seat("government"), seat("government"), seat("technical"), seat("technical"), seat("technical")}}
	after := before
	after.Seats = append(slices.Clone(before.Seats[:4]), seat("government"))
	ws := r.CompositionWarnings(f, before, after)
	if len(ws) != 1 || ws[0].Result.Rule != "government" || ws[0].Message() != "In 2026: Government 3 of 5 = 60% > 40% (without this change: Government 2 of 5 = 40% ≤ 40%)" {
		t.Errorf("warnings = %+v", ws)
	}
	if ws := r.CompositionWarnings(f, after, after); len(ws) != 0 {
		t.Errorf("standing failures warned: %+v", ws)
	}
}
