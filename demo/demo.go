// Package demo generates a deterministic, IGF-sized forum community (people,
// organisations, forums and cycles) for demonstrations, load tests and
// screenshots. It returns plain values; writing them anywhere is the caller's
// job. The same seed gives the same output on every machine.
package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"concord"
)

// Share is a key (a stakeholder group slug, a concord.Region, a country code
// or a concord.Gender) with a relative integer weight. Integer weights keep
// the output free of floating-point differences between machines.
type Share struct {
	Key    string
	Weight int
}

// Mix is the make-up of a community. Each list is renormalised, and counts
// are allocated exactly (largest remainder) before being shuffled, so a mix
// is met to within one person per key.
type Mix struct {
	Groups    []Share
	Regions   []Share // used when Countries is empty
	Countries []Share
	Genders   []Share
}

// IGFMix follows the IGF 2022 participation statistics; the regional shares
// sum to 92% and are renormalised.
var IGFMix = Mix{
	Groups: []Share{
		{"civil-society", 32}, {"government", 29}, {"private-sector", 16},
		{"technical", 11}, {"igo", 11},
	},
	Regions: []Share{
		{string(concord.African), 44}, {string(concord.WEOG), 21}, {string(concord.AsiaPacific), 15},
		{string(concord.GRULAC), 8}, {string(concord.EasternEuropean), 4},
	},
	Genders: []Share{
		{string(concord.Woman), 45}, {string(concord.Man), 52},
		{string(concord.Another), 1}, {string(concord.NotStated), 2},
	},
}

// KenyaMix is a national forum: mostly Kenyans, some neighbours and a few
// international guests.
var KenyaMix = Mix{
	Groups: []Share{
		{"civil-society", 34}, {"government", 22}, {"private-sector", 22},
		{"technical", 16}, {"igo", 6},
	},
	Countries: []Share{
		{"KE", 86}, {"UG", 3}, {"TZ", 3}, {"RW", 2}, {"ET", 2},
		{"NG", 1}, {"ZA", 1}, {"US", 1}, {"CH", 1},
	},
	Genders: []Share{
		{string(concord.Woman), 47}, {string(concord.Man), 50},
		{string(concord.Another), 1}, {string(concord.NotStated), 2},
	},
}

// Community is a forum with its cycles, people and their organisations.
// People name their organisation in Person.Organisation; OrganisationID is
// left 0 for the caller to fill in once organisations have IDs.
type Community struct {
	Forum         concord.Forum
	Cycles        []concord.Cycle
	People        []concord.Person
	Organisations []concord.Organisation
}

// Global returns the global IGF with 2,000 people in the IGFMix.
func Global(seed uint64) Community {
	f, cs := IGF()
	ps, os := People(seed, 2000, IGFMix)
	return Community{f, cs, ps, os}
}

// National returns Kenya IGF with 150 people in the KenyaMix.
func National(seed uint64) Community {
	f, cs := KenyaIGF()
	ps, os := People(seed, 150, KenyaMix)
	return Community{f, cs, ps, os}
}

// People generates n people in the given mix and the organisations they
// belong to, in creation order. With the IGFMix and n ≥ 2,000 every UN member
// state appears.
func People(seed uint64, n int, mix Mix) ([]concord.Person, []concord.Organisation) {
	g := &generator{
		r:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		emails: make(map[string]bool, n),
		orgs:   map[string]bool{},
	}
	var countries []string
	if len(mix.Countries) > 0 {
		countries = expand(allocate(n, mix.Countries))
	} else {
		for _, s := range allocate(n, mix.Regions) {
			countries = append(countries, g.countriesIn(concord.Region(s.Key), s.Weight)...)
		}
	}
	groups := expand(allocate(n, mix.Groups))
	genders := expand(allocate(n, mix.Genders))
	g.shuffle(countries)
	g.shuffle(groups)
	g.shuffle(genders)

	people := make([]concord.Person, n)
	for i := range people {
		people[i] = g.person(countries[i], groups[i], concord.Gender(genders[i]))
	}
	return people, g.organisations
}

type generator struct {
	r             *rand.Rand
	emails        map[string]bool // lookups only: output order never depends on it
	orgs          map[string]bool
	organisations []concord.Organisation
}

func (g *generator) shuffle(s []string) {
	g.r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// allocate splits n between the shares in proportion to their weights, by
// largest remainder; ties go to the earlier share. Weights become counts.
func allocate(n int, shares []Share) []Share {
	total := 0
	for _, s := range shares {
		total += s.Weight
	}
	out := make([]Share, len(shares))
	if total <= 0 {
		return out
	}
	rem := make([]int, len(shares))
	left := n
	for i, s := range shares {
		out[i] = Share{s.Key, n * s.Weight / total}
		rem[i] = n * s.Weight % total
		left -= out[i].Weight
	}
	order := make([]int, len(shares))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rem[b] - rem[a] })
	for _, i := range order[:left] {
		out[i].Weight++
	}
	return out
}

// expand turns counts into a list of keys.
func expand(counts []Share) []string {
	var out []string
	for _, c := range counts {
		for range c.Weight {
			out = append(out, c.Key)
		}
	}
	return out
}

// countriesIn draws q countries of a region: each known country once while
// q allows, so small delegations appear, then by weight.
func (g *generator) countriesIn(region concord.Region, q int) []string {
	var in []place
	total := 0
	for _, p := range places {
		if concord.RegionOf(p.code) == region {
			in = append(in, p)
			total += p.weight
		}
	}
	out := make([]string, 0, q)
	if q >= len(in) {
		for _, p := range in {
			out = append(out, p.code)
		}
	}
	for len(out) < q {
		k := g.r.IntN(total)
		for _, p := range in {
			if k -= p.weight; k < 0 {
				out = append(out, p.code)
				break
			}
		}
	}
	return out
}

func placeOf(code string) place {
	i, ok := slices.BinarySearchFunc(places, code, func(p place, c string) int { return strings.Compare(p.code, c) })
	if !ok {
		return place{code: code, city: commonName(code), area: anglo}
	}
	return places[i]
}

func commonName(code string) string {
	if n, ok := commonNames[code]; ok {
		return n
	}
	c, _ := concord.CountryByCode(code)
	return c.Name
}

func (g *generator) person(country, group string, gender concord.Gender) concord.Person {
	pl := placeOf(country)
	pool := &pools[pl.area]
	given := pool.men
	if gender == concord.Woman || gender != concord.Man && g.r.IntN(2) == 0 {
		given = pool.women
	}
	first := given[g.r.IntN(len(given))]
	last := pool.family[g.r.IntN(len(pool.family))]
	script := g.r.IntN(3) == 0 // a third of Arabic names are shown in Arabic script
	firstLatin, firstNative := split(first)
	lastLatin, lastNative := split(last)

	name := firstLatin + " " + lastLatin
	switch {
	case script && firstNative != "" && lastNative != "":
		name = firstNative + " " + lastNative
	case pool.familyFirst:
		name = lastLatin + " " + firstLatin
	}
	return concord.Person{
		Name:             name,
		Email:            g.email(firstLatin, lastLatin),
		Country:          country,
		Gender:           gender,
		Organisation:     g.organisation(pl, group),
		StakeholderGroup: group,
		Languages:        g.languages(pl),
	}
}

// split separates "Latin|script" pool entries.
func split(s string) (latin, native string) {
	latin, native, _ = strings.Cut(s, "|")
	return latin, native
}

var emailDomains = []string{"example.org", "example.net", "example.com"}

// email makes a name-based address, numbered when already taken.
func (g *generator) email(first, last string) string {
	f, l := fold(first), fold(last)
	if f == "" {
		f = "delegate"
	}
	local := f + "." + l
	if l == "" {
		local = f
	} else if g.r.IntN(4) == 0 {
		local = f[:1] + "." + l
	}
	domain := emailDomains[g.r.IntN(len(emailDomains))]
	addr := local + "@" + domain
	for i := 2; g.emails[addr]; i++ {
		addr = fmt.Sprintf("%s%d@%s", local, i, domain)
	}
	g.emails[addr] = true
	return addr
}

// languages gives the country's main language, often English, sometimes
// a second local or UN language.
func (g *generator) languages(pl place) []string {
	local := strings.Fields(pl.langs)
	if len(local) == 0 {
		local = []string{"en"}
	}
	langs := []string{local[0]}
	if local[0] != "en" && g.r.IntN(100) < 85 {
		langs = append(langs, "en")
	}
	if len(local) > 1 && g.r.IntN(2) == 0 && !slices.Contains(langs, local[1]) {
		langs = append(langs, local[1])
	}
	if g.r.IntN(100) < 12 {
		un := []string{"fr", "es", "ar", "ru", "zh"}
		if l := un[g.r.IntN(len(un))]; !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	return langs
}

// organisation picks, and creates on first use, an organisation for a
// person of the given country and group; earlier templates are favoured so
// that colleagues share organisations.
func (g *generator) organisation(pl place, group string) string {
	if group == "igo" {
		return g.igo(concord.RegionOf(pl.code))
	}
	ts := orgTemplates[group]
	if len(ts) == 0 {
		return ""
	}
	if group == "government" && !unMember(pl.code) {
		ts = ts[:2] // no parliament or UN mission to invent
	}
	i := min(g.r.IntN(len(ts)), g.r.IntN(len(ts)))
	form := legalForms[pl.code]
	if form == "" {
		form = "Ltd"
	}
	name := fmt.Sprintf(ts[i], commonName(pl.code), pl.city, form)
	if strings.HasPrefix(name, "the ") {
		name = "The " + name[4:]
	}
	g.addOrganisation(name, pl.code, group)
	return name
}

// unMember tells the few non-member places apart.
func unMember(code string) bool { return !strings.Contains("HK PR PS TW XK", code) }

func (g *generator) igo(region concord.Region) string {
	var options []igo
	for _, o := range igos {
		if o.region == "" || o.region == region {
			options = append(options, o)
		}
	}
	o := options[g.r.IntN(len(options))]
	g.addOrganisation(o.name, o.country, "igo")
	return o.name
}

func (g *generator) addOrganisation(name, country, group string) {
	if g.orgs[name] {
		return
	}
	g.orgs[name] = true
	g.organisations = append(g.organisations, concord.Organisation{
		Name:             name,
		Country:          country,
		StakeholderGroup: group,
		Website:          "https://" + slug(name) + ".example.org",
	})
}

// fold lowercases s and keeps ASCII letters and digits, transliterating
// the accented Latin letters used in the name pools.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\'' || r == '.':
			// dropped: "O'Brien" → "obrien", "de Vries" → "devries"
		default:
			b.WriteString(ascii[r])
		}
	}
	return b.String()
}

// slug makes a host label from an organisation name.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		s := string(r)
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			s = ascii[r]
		}
		if s == "" {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(s)
	}
	out := b.String()
	if len(out) > 63 {
		out = strings.TrimRight(out[:63], "-")
	}
	return out
}

var ascii = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i",
	'ł': "l", 'ľ': "l", 'ļ': "l", 'ñ': "n", 'ń': "n", 'ň': "n", 'ņ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o",
	'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ș': "s", 'ť': "t", 'ţ': "t", 'ț': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
	'æ': "ae", 'œ': "oe", 'ß': "ss", 'þ': "th", 'ʻ': "",
}
