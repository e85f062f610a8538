package concord

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var confirmed = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func speaker(id int64, group, country string, g Gender, ok bool) SessionPerson {
	p := SessionPerson{PersonID: id, Role: Speaker, Name: "P" + string(rune('0'+id)), Group: group, Country: country, Gender: g}
	if ok {
		p.Confirmed = confirmed
	}
	return p
}

// goodProposal passes the IGF defaults: three confirmed speakers, two
// genders, two groups, two regions, moderators, rapporteur, a question.
func goodProposal() *Proposal {
	return &Proposal{Type: "workshop", Title: "Community networks", Description: "Three words here.", Subtheme: "Access",
		ProposerID: 9, PolicyQuestions: []string{"Q1"},
		People: []SessionPerson{
			{PersonID: 9, Role: Organiser, Name: "Org"},
			speaker(1, "civil-society", "KE", Woman, true),
			speaker(2, "technical", "DE", Man, true),
			speaker(3, "government", "BR", Woman, true),
			{PersonID: 4, Role: OnsiteModerator, Name: "M1"},
			{PersonID: 5, Role: OnlineModerator, Name: "M2"},
			{PersonID: 6, Role: Rapporteur, Name: "R"},
		}}
}

func rules(f []ScreeningFailure) []string {
	var out []string
	for _, x := range f {
		out = append(out, x.Rule)
	}
	return out
}

func TestScreen(t *testing.T) {
	r := DefaultScreeningRules()
	tests := []struct {
		name   string
		change func(p *Proposal, f *ScreeningFacts)
		want   []string
	}{
		{"passes", func(*Proposal, *ScreeningFacts) {}, nil},
		{"unconfirmed speaker never counts", func(p *Proposal, _ *ScreeningFacts) { p.People[3].Confirmed = time.Time{} }, []string{"speakers"}},
		{"all one gender", func(p *Proposal, _ *ScreeningFacts) { p.People[2].Gender = Woman }, []string{"gender"}},
		{"one group", func(p *Proposal, _ *ScreeningFacts) {
			for i := 1; i <= 3; i++ {
				p.People[i].Group = "technical"
			}
		}, []string{"groups"}},
		{"one region", func(p *Proposal, _ *ScreeningFacts) { p.People[1].Country, p.People[3].Country = "FR", "US" }, []string{"regions"}},
		{"unconfirmed speaker does not make the regions", func(p *Proposal, _ *ScreeningFacts) {
			p.People[1].Country, p.People[3].Country = "FR", "US"
			p.People = append(p.People, speaker(7, "private-sector", "JP", Man, false))
		}, []string{"regions"}},
		{"no moderators or rapporteur", func(p *Proposal, _ *ScreeningFacts) { p.People = p.People[:4] },
			[]string{"onsite_moderator", "online_moderator", "rapporteur"}},
		{"no policy question", func(p *Proposal, _ *ScreeningFacts) { p.PolicyQuestions = nil }, []string{"policy_questions"}},
		{"no subtheme", func(p *Proposal, _ *ScreeningFacts) { p.Subtheme = "" }, []string{"subtheme"}},
		{"speaker in four sessions", func(_ *Proposal, f *ScreeningFacts) { f.Sessions[2] = 4 }, []string{"speaker_sessions"}},
		{"speaker in three sessions", func(_ *Proposal, f *ScreeningFacts) { f.Sessions[2] = 3 }, nil},
		{"proposer on the advisory group", func(_ *Proposal, f *ScreeningFacts) { f.Advisory[9] = true }, []string{"advisory"}},
		{"speaker on the advisory group is fine", func(_ *Proposal, f *ScreeningFacts) { f.Advisory[1] = true }, nil},
		{"proposer owes a report", func(_ *Proposal, f *ScreeningFacts) { f.OwesReport[9] = true }, []string{"report"}},
		{"over the word limit", func(p *Proposal, _ *ScreeningFacts) { p.Description = strings.Repeat("word ", 501) }, []string{"words"}},
		{"other session types are not screened", func(p *Proposal, _ *ScreeningFacts) { p.Type, p.People = "open-forum", nil }, nil},
		{"nobody", func(p *Proposal, _ *ScreeningFacts) { p.People = nil },
			[]string{"speakers", "groups", "regions", "onsite_moderator", "online_moderator", "rapporteur"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := goodProposal()
			f := ScreeningFacts{Sessions: map[int64]int{}, Advisory: map[int64]bool{}, OwesReport: map[int64]bool{}}
			tt.change(p, &f)
			got := r.Screen(p, f)
			if diff := cmp.Diff(tt.want, rules(got)); diff != "" {
				t.Errorf("failed rules (-want +got):\n%s\n%v", diff, got)
			}
		})
	}
}

func TestScreenMessages(t *testing.T) {
	r := DefaultScreeningRules()
	p := goodProposal()
	p.People[3].Confirmed = time.Time{}
	got := r.Screen(p, ScreeningFacts{})
	if len(got) != 1 || got[0].Message != "2 confirmed speakers (1 more not confirmed yet); at least 3 are needed" {
		t.Errorf("got %+v", got)
	}
}

func TestScreenedOverride(t *testing.T) {
	fails := []ScreeningFailure{{Rule: "speakers"}}
	for _, tt := range []struct {
		override string
		fails    []ScreeningFailure
		want     bool
	}{{"", nil, true}, {"", fails, false}, {"pass", fails, true}, {"fail", nil, false}} {
		p := &Proposal{Override: tt.override}
		if got := p.Screened(tt.fails); got != tt.want {
			t.Errorf("override %q with %d failures: %v, want %v", tt.override, len(tt.fails), got, tt.want)
		}
	}
}

func TestProposalValidate(t *testing.T) {
	c := &ProposalCall{Year: 2026, Opens: confirmed, Closes: confirmed.Add(time.Hour), Rules: DefaultScreeningRules()}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	cy := &Cycle{Subthemes: []string{"Access"}, PolicyQuestions: []string{"Q1"}}
	p := goodProposal()
	if err := p.Validate(c, cy); err != nil {
		t.Fatalf("good proposal: %v", err)
	}
	p.Title, p.Subtheme, p.Description = "", "Nope", strings.Repeat("w ", 501)
	var fields []string
	for _, e := range Problems(p.Validate(c, cy)) {
		fields = append(fields, e.Field)
	}
	if diff := cmp.Diff([]string{"title", "description", "subtheme"}, fields); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestProposalCallWindow(t *testing.T) {
	c := &ProposalCall{Opens: confirmed, Closes: confirmed.Add(24 * time.Hour)}
	if err := c.CheckOpen(confirmed); err != nil {
		t.Errorf("at opening: %v", err)
	}
	err := c.CheckOpen(c.Closes)
	if err == nil || !strings.Contains(err.Error(), "closed at 2026-03-02 00:00 UTC") {
		t.Errorf("at closing: %v", err)
	}
	if err := c.CheckOpen(confirmed.Add(-time.Second)); err == nil || ErrorCode(err) != ECONFLICT {
		t.Errorf("before opening: %v", err)
	}
}

func TestEvaluationValidate(t *testing.T) {
	for _, tt := range []struct {
		e     Evaluation
		field string
	}{
		{Evaluation{ProposalID: 1, Score: 5}, ""},
		{Evaluation{ProposalID: 1, Score: 4}, ""},
		{Evaluation{ProposalID: 1, Score: 3}, "reason"},
		{Evaluation{ProposalID: 1, Score: 3, Reason: "Speakers from one region"}, ""},
		{Evaluation{ProposalID: 1, Score: 0}, "score"},
		{Evaluation{ProposalID: 1, Score: 6}, "score"},
		{Evaluation{ProposalID: 1, Score: 5, MergeWith: 1}, "merge_with"},
	} {
		err := tt.e.Validate()
		got := ""
		if err != nil {
			got = Problems(err)[0].Field
		}
		if got != tt.field {
			t.Errorf("%+v: problem with %q, want %q", tt.e, got, tt.field)
		}
	}
}

func TestDeveloping(t *testing.T) {
	for code, want := range map[string]bool{"KE": true, "BR": true, "IN": true, "CN": true, "DE": false, "US": false, "JP": false, "RU": false, "ZZ": false} {
		if got := Developing(code); got != want {
			t.Errorf("Developing(%s) = %v, want %v", code, got, want)
		}
	}
}

func TestAggregate(t *testing.T) {
	for _, tt := range []struct {
		in   []float64
		want ScoreStats
	}{
		{nil, ScoreStats{}},
		{[]float64{4}, ScoreStats{N: 1, Mean: 4, Median: 4}},
		{[]float64{5, 3, 4, 4}, ScoreStats{N: 4, Mean: 4, Median: 4, SD: math.Sqrt(0.5)}},
		{[]float64{1, 5, 5, 1, 3}, ScoreStats{N: 5, Mean: 3, Median: 3, SD: math.Sqrt(3.2), Polarised: true}},
		{[]float64{2, 3, 3}, ScoreStats{N: 3, Mean: 8.0 / 3, Median: 3, SD: math.Sqrt(2.0 / 9)}},
	} {
		got := Aggregate(tt.in)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("Aggregate(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestNormalise(t *testing.T) {
	// Evaluator 1 is lenient (4, 5), evaluator 2 severe (1, 2): normalised,
	// both say proposal 11 is better than proposal 10 by the same amount.
	es := []*Evaluation{{ProposalID: 10, PersonID: 1, Score: 4}, {ProposalID: 11, PersonID: 1, Score: 5},
		{ProposalID: 10, PersonID: 2, Score: 1}, {ProposalID: 11, PersonID: 2, Score: 2}, {ProposalID: 12, PersonID: 3, Score: 3}}
	got := Normalise(es)
	want := map[int64][]float64{10: {-1, -1}, 11: {1, 1}, 12: {0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalise (-want +got):\n%s", diff)
	}
}

func TestRankProposals(t *testing.T) {
	e := func(p, who int64, s int) *Evaluation { return &Evaluation{ProposalID: p, PersonID: who, Score: s} }
	es := []*Evaluation{
		e(1, 1, 4), e(1, 2, 4), // mean 4, median 4, n 2
		e(2, 1, 5), e(2, 2, 3), // mean 4, median 4, n 2: tied with 1
		e(3, 1, 5), e(3, 2, 5), e(3, 3, 2), // mean 4, median 5: above 1 and 2
		e(4, 1, 4), e(4, 2, 4), e(4, 3, 4), // mean 4, median 4, n 3: above 1 and 2
		e(5, 1, 2),
	}
	got := RankProposals([]int64{1, 2, 3, 4, 5, 6}, es, false)
	var order []int64
	var ranks []int
	for _, r := range got {
		order = append(order, r.ProposalID)
		ranks = append(ranks, r.Rank)
	}
	if diff := cmp.Diff([]int64{3, 4, 1, 2, 5, 6}, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 3, 5, 6}, ranks); diff != "" {
		t.Errorf("ranks (-want +got):\n%s", diff)
	}
	for i, want := range []string{"", "same mean as proposal 3 (4.00); placed below on median 4.0 < 5.0",
		"same mean and median as proposal 4; placed below on fewer scores (2 < 3)", "tied with proposal 1 on mean, median and number of scores", "", ""} {
		if got[i].Tie != want {
			t.Errorf("%d: tie %q, want %q", got[i].ProposalID, got[i].Tie, want)
		}
	}
	if !got[0].Raw.Polarised || got[3].Raw.Polarised {
		t.Errorf("polarised flags: %+v", got)
	}
}
