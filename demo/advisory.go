package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"concord"
	"concord/sqlstore"
)

// AdvisorySeed is the published seed of the demo's advisory-group draw.
const AdvisorySeed = 20260305

// advisoryNominees is how many people of each group the demo nominates;
// together with the renominated 2025 members they make a pool of 150+.
var advisoryNominees = map[string]int{"government": 40, "civil-society": 36, "technical": 30, "private-sector": 30, "igo": 6}

var statementTopics = map[string][]string{
	"government":     {"national broadband policy", "cybersecurity strategy", "data protection law", "digital public infrastructure", "the national IGF"},
	"civil-society":  {"digital rights advocacy", "online safety for children", "community networks", "gender and technology", "freedom of expression online"},
	"technical":      {"Internet exchange points", "IPv6 deployment", "DNS security", "open standards", "routing security"},
	"private-sector": {"cloud services for small businesses", "mobile connectivity", "content moderation", "submarine cables", "digital payments"},
	"igo":            {"capacity building", "development cooperation", "telecommunication standards", "education and science"},
}

var statementAims = []string{
	"bring more voices from the Global South into the programme",
	"keep the intersessional work connected to national and regional initiatives",
	"make sure sessions end with concrete takeaways",
	"help newcomers find their way into the forum",
	"strengthen the links between the forum and the Global Digital Compact follow-up",
	"see more young people as speakers, not only as audience",
}

// loadAdvisory gives the demo IGF an advisory group history (2023 to 2025),
// the default composition rules, a closed 2026 nomination call with its
// nominees, a leximin selection drawn with AdvisorySeed, and the published
// 2026 group.
func loadAdvisory(ctx context.Context, db *sqlstore.DB, f *concord.Forum, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0xad7150))
	people, _, err := db.People(ctx, f.ID, sqlstore.PersonFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(people, func(a, b *concord.Person) int { return int(a.ID - b.ID) })
	r.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	if err := db.SetAdvisoryRules(ctx, f, concord.DefaultCompositionRules()); err != nil {
		return err
	}

	// Past members: 40 a year, a third renewed each year, some for three terms.
	voting := slices.DeleteFunc(slices.Clone(people), func(p *concord.Person) bool { return p.StakeholderGroup == "igo" })
	var past [][]*concord.Person
	next := 0
	for y := 2023; y <= 2025; y++ {
		var group []*concord.Person
		if len(past) > 0 {
			group = append(group, past[len(past)-1][:26]...)
		}
		for len(group) < 40 {
			group = append(group, voting[next])
			next++
		}
		r.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
		for _, p := range group {
			t := &concord.Term{ForumID: f.ID, PersonID: p.ID, FirstYear: y, LastYear: y, Role: concord.AdvisoryMember,
				Start: time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC), End: time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC), Decision: -1}
			if err := db.AddTerm(ctx, t); err != nil {
				return err
			}
		}
		past = append(past, group)
	}

	call := &concord.NominationCall{ForumID: f.ID, Year: 2026,
		Opens:       time.Date(2026, time.January, 12, 0, 0, 0, 0, time.UTC),
		Closes:      time.Date(2026, time.February, 27, 23, 59, 0, 0, time.UTC),
		Description: "Nominations for the 2026 Multistakeholder Advisory Group. Members serve a one-year term, renewable up to three consecutive times; at least a third of the seats go to new members."}
	if err := db.CreateNominationCall(ctx, call); err != nil {
		return err
	}
	// Nominations are taken while the call was open; the store checks the
	// window against its clock, so the load sets it back for a moment.
	clock := db.Now
	defer func() { db.Now = clock }()
	at := call.Opens
	db.Now = func() time.Time { return at }

	nominees := slices.Clone(past[2][:30]) // most 2025 members stand again
	count := map[string]int{}
	for _, p := range people[len(people)/2:] {
		if count[p.StakeholderGroup] < advisoryNominees[p.StakeholderGroup] {
			count[p.StakeholderGroup]++
			nominees = append(nominees, p)
		}
	}
	for i, p := range nominees {
		topics := statementTopics[p.StakeholderGroup]
		org := p.Organisation
		if org == "" {
			org = "my community"
		}
		n := &concord.Nomination{CallID: call.ID, PersonID: p.ID, Self: i%3 != 0, Score: float64(1 + r.IntN(5)),
			Statement: fmt.Sprintf("%s has worked on %s at %s for %d years and would %s.", p.Name, topics[r.IntN(len(topics))], org,
				3+r.IntN(15), statementAims[r.IntN(len(statementAims))])}
		at = call.Opens.Add(time.Duration(i) * 6 * time.Hour)
		if err := db.Nominate(ctx, n); err != nil {
			return fmt.Errorf("demo nomination of %s: %w", p.Name, err)
		}
	}
	at = call.Closes.Add(5 * 24 * time.Hour)
	if _, err := db.CheckEligibility(ctx, f, call.ID); err != nil {
		return err
	}
	sel, err := db.RunAdvisorySelection(ctx, f, call.ID, sqlstore.MethodLeximin, AdvisorySeed, "Forum Secretariat")
	if err != nil {
		return err
	}
	_, err = db.PublishAdvisorySelection(ctx, f, sel.ID, "Forum Secretariat")
	return err
}
