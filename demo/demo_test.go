package demo

import (
	"math"
	"slices"
	"strings"
	"testing"

	"concord"

	"github.com/google/go-cmp/cmp"
)

func TestDeterministic(t *testing.T) {
	a, b := Global(1), Global(1)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("Global(1) differs between runs (-first +second):\n%s", diff)
	}
	c := Global(2)
	if cmp.Equal(a.People, c.People) {
		t.Error("Global(1) and Global(2) generated the same people")
	}
	n1, n2 := National(7), National(7)
	if diff := cmp.Diff(n1, n2); diff != "" {
		t.Errorf("National(7) differs between runs (-first +second):\n%s", diff)
	}
}

// TestGolden pins the first people of seed 42, so that a change in the
// generator or in math/rand/v2 is noticed rather than silently reshuffling
// every demo.
func TestGolden(t *testing.T) {
	var got []string
	for _, p := range Global(42).People[:3] {
		got = append(got, p.Name+" <"+p.Email+"> "+p.Country)
	}
	want := []string{
		"Fabrice Niyonzima <fabrice.niyonzima@example.org> RW",
		"Musa Okafor <musa.okafor@example.net> SL",
		"Josiane Niyonzima <j.niyonzima@example.org> RW",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Global(42) first people changed (-want +got):\n%s", diff)
	}
}

func TestCounts(t *testing.T) {
	c := Global(1)
	if got, want := len(c.People), 2000; got < want {
		t.Errorf("len(People) = %d, want ≥ %d", got, want)
	}
	countries := map[string]bool{}
	for _, p := range c.People {
		countries[p.Country] = true
	}
	if got := len(countries); got < 120 {
		t.Errorf("people come from %d countries, want ≥ 120", got)
	}
	n := National(1)
	if got, want := len(n.People), 150; got != want {
		t.Errorf("national: len(People) = %d, want %d", got, want)
	}
	ke := 0
	for _, p := range n.People {
		if p.Country == "KE" {
			ke++
		}
	}
	if ke*100 < len(n.People)*80 {
		t.Errorf("national: %d of %d people from Kenya, want ≥ 80%%", ke, len(n.People))
	}
}

// share returns the weight of key as a percentage of all weights.
func share(shares []Share, key string) float64 {
	total, w := 0, 0
	for _, s := range shares {
		total += s.Weight
		if s.Key == key {
			w = s.Weight
		}
	}
	return 100 * float64(w) / float64(total)
}

func TestProportions(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		ps, _ := People(seed, 2000, IGFMix)
		check := func(what string, shares []Share, key func(concord.Person) string) {
			t.Helper()
			n := map[string]int{}
			for _, p := range ps {
				n[key(p)]++
			}
			for _, s := range shares {
				got := 100 * float64(n[s.Key]) / float64(len(ps))
				if want := share(shares, s.Key); math.Abs(got-want) > 3 {
					t.Errorf("seed %d: %s %s = %.1f%%, want %.1f%% ± 3", seed, what, s.Key, got, want)
				}
			}
		}
		check("group", IGFMix.Groups, func(p concord.Person) string { return p.StakeholderGroup })
		check("region", IGFMix.Regions, func(p concord.Person) string { return string(p.Region()) })
		check("gender", IGFMix.Genders, func(p concord.Person) string { return string(p.Gender) })
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		n      int
		shares []Share
		want   []int
	}{
		{10, []Share{{"a", 1}, {"b", 1}}, []int{5, 5}},
		{10, []Share{{"a", 1}, {"b", 1}, {"c", 1}}, []int{4, 3, 3}},
		{2000, IGFMix.Groups, []int{647, 586, 323, 222, 222}},
		{0, []Share{{"a", 1}}, []int{0}},
		{5, nil, nil},
	}
	for _, tt := range tests {
		var got []int
		sum := 0
		for _, s := range allocate(tt.n, tt.shares) {
			got = append(got, s.Weight)
			sum += s.Weight
		}
		if len(tt.shares) > 0 && sum != tt.n {
			t.Errorf("allocate(%d, %v) sums to %d", tt.n, tt.shares, sum)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("allocate(%d, %v) = %v, want %v", tt.n, tt.shares, got, tt.want)
		}
	}
}

func TestUniqueEmails(t *testing.T) {
	for _, c := range []Community{Global(1), National(1)} {
		seen := map[string]bool{}
		for _, p := range c.People {
			if seen[p.Email] {
				t.Errorf("%s: email %s used twice", c.Forum.Slug, p.Email)
			}
			seen[p.Email] = true
			domain := p.Email[strings.IndexByte(p.Email, '@')+1:]
			if !slices.Contains(emailDomains, domain) {
				t.Errorf("%s: email %s is not on an example domain", c.Forum.Slug, p.Email)
			}
		}
	}
}

func TestValid(t *testing.T) {
	for _, c := range []Community{Global(1), National(1)} {
		f := c.Forum
		if err := f.Validate(); err != nil {
			t.Errorf("forum %s: %v", f.Slug, err)
		}
		for _, cy := range c.Cycles {
			if err := cy.Validate(); err != nil {
				t.Errorf("%s %d: %v", f.Slug, cy.Year, err)
			}
			if len(cy.Subthemes) == 0 || len(cy.PolicyQuestions) == 0 || cy.Theme == "" {
				t.Errorf("%s %d: theme, subthemes or policy questions missing", f.Slug, cy.Year)
			}
		}
		orgs := map[string]bool{}
		for _, o := range c.Organisations {
			if err := o.Validate(); err != nil {
				t.Errorf("organisation %+v: %v", o, err)
			}
			if orgs[o.Name] {
				t.Errorf("organisation %q appears twice", o.Name)
			}
			orgs[o.Name] = true
			if !f.HasGroup(o.StakeholderGroup) {
				t.Errorf("organisation %q has unknown group %q", o.Name, o.StakeholderGroup)
			}
		}
		for _, p := range c.People {
			before := p
			if err := p.Validate(); err != nil {
				t.Errorf("person %+v: %v", p, err)
			}
			if diff := cmp.Diff(before, p); diff != "" {
				t.Errorf("Validate changed a generated person (-generated +validated):\n%s", diff)
			}
			if !f.HasGroup(p.StakeholderGroup) {
				t.Errorf("person %s has unknown group %q", p.Email, p.StakeholderGroup)
			}
			if !orgs[p.Organisation] {
				t.Errorf("person %s belongs to %q, which is not in Organisations", p.Email, p.Organisation)
			}
			if len(p.Languages) == 0 {
				t.Errorf("person %s speaks no language", p.Email)
			}
		}
	}
}

func TestNames(t *testing.T) {
	c := Global(1)
	arabicScript := 0
	for _, p := range c.People {
		if strings.ContainsRune(p.Name, 'م') || strings.ContainsRune(p.Name, 'ا') {
			arabicScript++
		}
	}
	if arabicScript == 0 {
		t.Error("no names in Arabic script")
	}
	for _, pl := range places {
		if _, ok := concord.CountryByCode(pl.code); !ok {
			t.Errorf("place %s is not a country", pl.code)
		}
	}
	if !slices.IsSortedFunc(places, func(a, b place) int { return strings.Compare(a.code, b.code) }) {
		t.Error("places are not sorted by code")
	}
	for a, p := range pools {
		if len(p.women) < 10 || len(p.men) < 10 || len(p.family) < 14 {
			t.Errorf("pool %d is small: %d women, %d men, %d family names", a, len(p.women), len(p.men), len(p.family))
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"José", "jose"}, {"O'Brien", "obrien"}, {"de Vries", "devries"},
		{"Sigurðardóttir", "sigurdardottir"}, {"Yılmaz", "yilmaz"}, {"Ben-David", "bendavid"},
		{"محمد", ""},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkGlobal(b *testing.B) {
	for i := range b.N {
		Global(uint64(i))
	}
}
