package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/sqlstore"
)

// DemoProposals is how many session proposals the demo's 2026 call received,
// about the IGF's yearly count of workshop proposals.
const DemoProposals = 400

var proposalTopics = []string{
	"community networks", "AI in public services", "child online safety", "Internet shutdowns", "digital public infrastructure",
	"multilingual content", "submarine cable resilience", "open source in government", "e-waste and the circular economy",
	"data protection in Africa", "youth participation", "IPv6 deployment", "content moderation", "digital identity",
	"cybersecurity capacity building", "gender-based violence online", "accessibility for persons with disabilities",
	"satellite connectivity", "the Global Digital Compact", "misinformation during elections",
}

var proposalAngles = []string{
	"Lessons from %s", "Who governs %s?", "%s: a multistakeholder roadmap", "Closing the gaps in %s",
	"%s and human rights", "Financing %s", "Measuring progress on %s", "%s in the Global South",
}

var proposalAims = []string{
	"The session brings together practitioners from several regions to compare what worked and what did not.",
	"Speakers from government, civil society and the technical community debate concrete policy options.",
	"Participants leave with a short list of recommendations for national and regional initiatives.",
	"The discussion builds on the outputs of last year's intersessional work and asks what comes next.",
	"Young people and newcomers take the floor first, followed by an open exchange with the audience.",
}

// loadProgramme gives the demo IGF a closed 2026 call for session proposals
// with DemoProposals proposals, most submitted; some break a rule (a speaker
// who never confirmed, speakers all of one gender) and are screened out. The
// rest are assigned to advisory-group members, scored, and partly decided.
func loadProgramme(ctx context.Context, db *sqlstore.DB, f *concord.Forum, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0x9709a))
	cy, err := db.CycleOf(ctx, f.ID, 2026)
	if err != nil || cy == nil {
		return fmt.Errorf("demo programme: no 2026 cycle (%v)", err)
	}
	call := &concord.ProposalCall{ForumID: f.ID, Year: 2026,
		Opens:       time.Date(2026, time.March, 16, 0, 0, 0, 0, time.UTC),
		Closes:      time.Date(2026, time.May, 15, 23, 59, 0, 0, time.UTC),
		Rules:       concord.DefaultScreeningRules(),
		Description: "Session proposals for the 2026 annual meeting. Workshops are screened against the published rules, then scored by the Multistakeholder Advisory Group."}
	if err := db.CreateProposalCall(ctx, call); err != nil {
		return err
	}
	people, _, err := db.People(ctx, f.ID, sqlstore.PersonFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(people, func(a, b *concord.Person) int { return int(a.ID - b.ID) })
	// Proposers and speakers come from the whole registry; a proposer who
	// sits on the advisory group is screened out, as the rules say.
	pool := people
	pick := func() *concord.Person { return pool[r.IntN(len(pool))] }
	types := []string{"open-forum", "town-hall", "lightning-talk", "dynamic-coalition", "bpf-session", "nri-session"}
	var ps []*concord.Proposal
	for i := range DemoProposals {
		topic := proposalTopics[r.IntN(len(proposalTopics))]
		title := fmt.Sprintf(proposalAngles[r.IntN(len(proposalAngles))], topic)
		title = strings.ToUpper(title[:1]) + title[1:]
		typ := "workshop"
		if i%4 == 3 {
			typ = types[r.IntN(len(types))]
		}
		at := call.Opens.Add(time.Duration(r.IntN(int(call.Closes.Sub(call.Opens)/time.Minute))) * time.Minute)
		proposer := pick()
		p := &concord.Proposal{ProposerID: proposer.ID, Type: typ, Title: fmt.Sprintf("%s (%d)", title, i+1),
			Description:     fmt.Sprintf("This session looks at %s. %s %s", topic, proposalAims[r.IntN(len(proposalAims))], proposalAims[r.IntN(len(proposalAims))]),
			Subtheme:        cy.Subthemes[r.IntN(len(cy.Subthemes))],
			PolicyQuestions: []string{cy.PolicyQuestions[r.IntN(len(cy.PolicyQuestions))]},
			Format:          concord.SessionFormats[r.IntN(len(concord.SessionFormats)-1)],
			Languages:       []string{"en"},
			Status:          concord.ProposalSubmitted, Submitted: at, CreatedAt: at.Add(-time.Duration(r.IntN(72)) * time.Hour)}
		if r.IntN(3) == 0 {
			p.Languages = append(p.Languages, []string{"es", "fr", "ar", "ru", "zh"}[r.IntN(5)])
		}
		if i%40 == 39 {
			p.Status, p.Submitted = concord.ProposalDraft, time.Time{}
		}
		seen := map[string]bool{}
		add := func(x *concord.Person, role concord.ProposalRole, confirmed bool) {
			k := fmt.Sprint(x.ID, role)
			if seen[k] {
				return
			}
			seen[k] = true
			sp := concord.SessionPerson{PersonID: x.ID, Role: role, Invited: at}
			if confirmed {
				sp.Confirmed = at.Add(time.Duration(1+r.IntN(96)) * time.Hour)
			}
			p.People = append(p.People, sp)
		}
		add(proposer, concord.Organiser, false)
		for range 3 + r.IntN(3) {
			add(pick(), concord.Speaker, r.IntN(20) != 0)
		}
		add(pick(), concord.OnsiteModerator, false)
		if r.IntN(20) != 0 {
			add(pick(), concord.OnlineModerator, false)
		}
		add(pick(), concord.Rapporteur, false)
		ps = append(ps, p)
	}
	if err := db.ImportProposals(ctx, call, ps); err != nil {
		return err
	}
	// After the close, the secretariat assigns five evaluators to each
	// screened proposal, and the advisory group scores them: each member
	// has a leniency of their own, so normalisation has work to do.
	a, err := db.RunAssignment(ctx, f, call, 5, AssignmentSeed, "Forum Secretariat")
	if err != nil {
		return fmt.Errorf("demo assignment: %w", err)
	}
	// The demo's advisor account (advisor@example.org) is the registry
	// entry of the first assigned member, who has scored nothing yet, so
	// signing in as it shows the evaluator's side.
	me, err := strconv.ParseInt(a.Pairs[0].Evaluator, 10, 64)
	if err != nil {
		return err
	}
	advisor, err := db.Person(ctx, f.ID, me)
	if err != nil {
		return err
	}
	advisor.Email = AdvisorEmail
	if err := db.UpdatePerson(ctx, f, advisor); err != nil {
		return err
	}
	quality := map[string]int{}
	for _, p := range ps {
		quality[strconv.FormatInt(p.ID, 10)] = r.IntN(5)
	}
	leniency := map[string]int{}
	var es []*concord.Evaluation
	for _, pair := range a.Pairs {
		if pair.Evaluator == a.Pairs[0].Evaluator {
			continue
		}
		if _, ok := leniency[pair.Evaluator]; !ok {
			leniency[pair.Evaluator] = r.IntN(3) - 1
		}
		score := min(5, max(1, 1+quality[pair.Proposal]+leniency[pair.Evaluator]+r.IntN(3)-1))
		e := &concord.Evaluation{Score: score, CreatedAt: call.Closes.Add(time.Duration(24+r.IntN(400)) * time.Hour)}
		e.ProposalID, _ = strconv.ParseInt(pair.Proposal, 10, 64)
		e.PersonID, _ = strconv.ParseInt(pair.Evaluator, 10, 64)
		if score <= 3 {
			e.Reason = evaluationReasons[r.IntN(len(evaluationReasons))]
		}
		if r.IntN(3) == 0 {
			e.Comment = evaluationComments[r.IntN(len(evaluationComments))]
		}
		es = append(es, e)
	}
	if err := db.ImportEvaluations(ctx, call.ID, es); err != nil {
		return err
	}
	// The secretariat accepts the 100 best by normalised score and pairs
	// two near-duplicates below them; the rest await balancing.
	if _, err := db.AcceptTop(ctx, f, call, 100, true, "Forum Secretariat"); err != nil {
		return err
	}
	rows, err := db.Ranking(ctx, call, true)
	if err != nil {
		return err
	}
	var open []int64
	for _, row := range rows {
		if row.Proposal.Decision == "" && row.Stats.N > 0 {
			open = append(open, row.ProposalID)
		}
	}
	if len(open) >= 2 {
		if err := db.DecideProposal(ctx, f, open[0], concord.DecisionAcceptIfMerged, open[1], "Both workshops cover the same topic with complementary speakers.", "Forum Secretariat"); err != nil {
			return err
		}
		if err := db.DecideProposal(ctx, f, open[len(open)-1], concord.DecisionReject, 0, "Lowest ranked; the topic is covered by accepted workshops.", "Forum Secretariat"); err != nil {
			return err
		}
	}
	return nil
}

// AssignmentSeed is the published seed of the demo's evaluator assignment.
const AssignmentSeed = 20260520

var evaluationReasons = []string{
	"The speakers mostly come from one region.",
	"The policy question is named but the description does not address it.",
	"Overlaps with several other proposals on the same topic.",
	"The format does not leave time for the audience.",
	"The expected outcomes are vague.",
}

var evaluationComments = []string{
	"A clear, well-structured proposal.",
	"Would benefit from a speaker from government.",
	"Good mix of newcomers and experienced speakers.",
	"Consider merging with a similar workshop.",
}
