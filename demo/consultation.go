package demo

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"

	"concord"
	"concord/sqlstore"
)

// The demo consultation has latent opinion camps drawn independently of the
// stakeholder groups, so the map's groups cut across them; a few claims
// everyone shares, and a few that split the stakeholder groups themselves.

var consultationTopics = []string{
	"Artificial intelligence", "Personal data", "Content moderation", "Internet shutdowns", "Cybersecurity",
	"Rural connectivity", "Net neutrality", "Encryption", "Child online safety", "Misinformation",
	"Digital public infrastructure", "Cross-border data flows", "Domain names and IP addresses",
	"The environmental footprint of digital technology", "Digital skills", "The gender digital divide",
	"Spectrum policy", "Open-source software", "Submarine cables", "Platform competition",
}

// consultationClaim is a claim made about every topic, with the chance that
// each latent camp agrees, and for stakeholder-driven claims the chance by
// stakeholder group instead.
type consultationClaim struct {
	text  string
	camps [3]float64         // regulation-first, market-first, open-internet
	by    map[string]float64 // when set, the stakeholder group decides
}

var consultationClaims = []consultationClaim{
	{text: "binding international rules are needed", camps: [3]float64{0.92, 0.1, 0.25}},
	{text: "industry self-regulation works better than new laws", camps: [3]float64{0.08, 0.9, 0.3}},
	{text: "open technical standards matter more than new treaties", camps: [3]float64{0.15, 0.35, 0.95}},
	{text: "independent regulators need stronger powers", camps: [3]float64{0.9, 0.1, 0.2}},
	{text: "every stakeholder group should sit at the table as an equal", camps: [3]float64{0.85, 0.8, 0.9}},
	{text: "more funding should go to capacity building in the Global South", camps: [3]float64{0.9, 0.75, 0.85}},
	{text: "governments should take the lead", by: map[string]float64{"government": 0.85, "igo": 0.65, "civil-society": 0.15, "technical": 0.25, "private-sector": 0.2}},
	{text: "companies should publish regular transparency reports", by: map[string]float64{"civil-society": 0.9, "technical": 0.7, "government": 0.75, "igo": 0.7, "private-sector": 0.15}},
}

// ConsultationParticipants is the demo consultation's size; each votes on
// about consultationMeanVotes of its 160 statements.
const (
	ConsultationParticipants = 1600
	consultationMeanVotes    = 45
)

// Consultation generates the demo consultation of a forum: one statement
// per topic and claim, participants in the IGF mix of stakeholder groups,
// and their votes, cast during the two weeks after opens.
func Consultation(seed uint64, forumID int64, opens, closes time.Time) *sqlstore.ImportedConsultation {
	r := rand.New(rand.NewPCG(seed, 0xc0751))
	in := &sqlstore.ImportedConsultation{Consultation: &concord.Consultation{ForumID: forumID,
		Question: "How should the Internet be governed over the next ten years?",
		Description: "The forum's consultation on its priorities. Vote on each statement, add your own, " +
			"and see where stakeholders converge and where they diverge.",
		OpensAt: opens, ClosesAt: closes}}
	type statement struct {
		claim consultationClaim
		lean  float64 // the topic's own pull, the same for everyone
	}
	var ss []statement
	for _, topic := range consultationTopics {
		for _, cl := range consultationClaims {
			n := len(ss)
			in.Statements = append(in.Statements, &concord.Statement{Number: n, Body: topic + ": " + cl.text + ".",
				Author: -1, Seed: true, Moderation: concord.Accepted, CreatedAt: opens})
			ss = append(ss, statement{cl, (r.Float64() - 0.5) * 0.2})
		}
	}
	groups := expand(allocate(ConsultationParticipants, IGFMix.Groups))
	r.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
	span := closes.Sub(opens)
	if span > 14*24*time.Hour {
		span = 14 * 24 * time.Hour
	}
	for p := range ConsultationParticipants {
		group := groups[p]
		if r.IntN(10) == 0 {
			group = "" // some never state a group
		}
		in.Participants = append(in.Participants, &concord.Participant{Number: p, External: "demo:" + strconv.Itoa(p), StakeholderGroup: group})
		camp := r.IntN(3)
		// Pol.is shows statements one at a time: most people vote on a few dozen.
		n := min(len(ss), 8+r.IntN(2*consultationMeanVotes-8))
		at := opens.Add(time.Duration(r.Int64N(int64(span))))
		for _, s := range r.Perm(len(ss))[:n] {
			st := ss[s]
			agree := st.claim.camps[camp]
			if st.claim.by != nil {
				agree = 0.5
				if x, ok := st.claim.by[groups[p]]; ok {
					agree = x
				}
			}
			agree = min(0.97, max(0.03, agree+st.lean))
			v := concord.Disagree
			switch x := r.Float64(); {
			case x < 0.12:
				v = concord.Pass
			case x < 0.12+0.88*agree:
				v = concord.Agree
			}
			at = at.Add(time.Duration(5+r.IntN(40)) * time.Second)
			in.Votes = append(in.Votes, concord.Vote{Participant: p, Statement: s, Value: v, At: at})
		}
	}
	return in
}

// loadConsultation stores the demo consultation in forum f, open from two
// weeks before now to two months after.
func loadConsultation(ctx context.Context, db *sqlstore.DB, f *concord.Forum, seed uint64) error {
	now := db.Now().Truncate(time.Hour)
	return db.ImportConsultation(ctx, Consultation(seed, f.ID, now.AddDate(0, 0, -14), now.AddDate(0, 2, 0)))
}
