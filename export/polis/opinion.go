package polis

import (
	"cmp"
	"slices"

	"concord/algo/opinion"
)

// OpinionInput turns an export into votes for opinion.Analyse: votes.csv when
// present (sorted oldest first, so a participant's latest vote wins), else
// the participants-votes.csv matrix. Comments moderated out (-1) are flagged.
func (e *Export) OpinionInput() opinion.Input {
	var in opinion.Input
	if e.Votes != nil {
		vs := slices.Clone(e.Votes)
		slices.SortStableFunc(vs, func(a, b Vote) int { return cmp.Compare(a.Timestamp, b.Timestamp) })
		in.Votes = make([]opinion.Vote, len(vs))
		for i, v := range vs {
			in.Votes[i] = opinion.Vote{Participant: v.VoterID, Statement: v.CommentID, Value: v.Vote}
		}
	} else if e.ParticipantsVotes != nil {
		for _, r := range e.ParticipantsVotes.Rows {
			for _, id := range e.ParticipantsVotes.CommentIDs {
				if v, ok := r.Votes[id]; ok {
					in.Votes = append(in.Votes, opinion.Vote{Participant: r.Participant, Statement: id, Value: v})
				}
			}
		}
	}
	for _, c := range e.Comments {
		in.Statements = append(in.Statements, opinion.Statement{ID: c.CommentID, ModeratedOut: c.Moderated < 0})
	}
	return in
}

// Groups returns Pol.is's own group per clustered participant, from
// participants-votes.csv (nil when the file was absent).
func (e *Export) Groups() map[int]int {
	if e.ParticipantsVotes == nil {
		return nil
	}
	g := map[int]int{}
	for _, r := range e.ParticipantsVotes.Rows {
		if r.GroupID >= 0 {
			g[r.Participant] = r.GroupID
		}
	}
	return g
}
