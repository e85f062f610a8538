package opinion_test

import (
	"fmt"

	"concord/algo/opinion"
)

// Two camps split on statements 1 and 2 and all agree on statement 3; the
// stakeholder groups cut across the camps.
func ExampleAnalyse() {
	var in opinion.Input
	in.Stakeholders = map[int]string{}
	for p := range 40 {
		camp := opinion.Agree
		if p%2 == 1 {
			camp = opinion.Disagree
		}
		in.Stakeholders[p] = []string{"Government", "Civil Society", "Private Sector", "Technical Community"}[p%4]
		in.Votes = append(in.Votes,
			opinion.Vote{Participant: p, Statement: 1, Value: camp},
			opinion.Vote{Participant: p, Statement: 2, Value: -camp},
			opinion.Vote{Participant: p, Statement: 3, Value: opinion.Agree},
			opinion.Vote{Participant: p, Statement: 4, Value: opinion.Pass},
		)
	}
	res, err := opinion.Analyse(in, opinion.Options{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println("groups:", res.K, len(res.Groups[0].Members), len(res.Groups[1].Members))
	fmt.Println("consensus:", res.Consensus.Agree[0].Statement)
	for _, s := range res.StakeholderConsensus {
		fmt.Println("agreed in every stakeholder group:", s.Statement)
	}
	// res.Participants holds map coordinates; res.State goes into
	// Options.Prior next time so groups and axes stay put.

	// Output:
	// groups: 2 20 20
	// consensus: 3
	// agreed in every stakeholder group: 3
}
