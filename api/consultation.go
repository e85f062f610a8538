package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

// MaxVoteBatch bounds the votes of one request.
const MaxVoteBatch = 1000

type voteJSON struct {
	Statement *int    `json:"statement"`
	Vote      *string `json:"vote"`
}

type votesResultJSON struct {
	Recorded    int `json:"recorded"`
	Participant int `json:"participant"`
}

// castVotes records the account's votes: one vote, or a batch under
// "votes". The batch is all or nothing.
func (e *endpoints) castVotes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := pathID(r, "id", "consultation")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	var single voteJSON
	var batch []json.RawMessage
	if err := decodeObject(w, r, []jsonField{
		{"statement", &single.Statement, "a statement number"},
		{"vote", &single.Vote, `"agree", "disagree" or "pass"`},
		{"votes", &batch, "an array of {statement, vote} objects"},
	}); err != nil {
		e.fail(w, r, err)
		return
	}
	votes, err := parseVotes(single, batch)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	c, err := e.s.DB.ConsultationBasics(ctx, v.Forum.ID, id)
	if err == nil {
		err = c.CheckOpen(e.s.DB.Now())
	}
	var p *concord.Participant
	if err == nil {
		p, err = e.s.DB.JoinConsultation(ctx, c, sqlstore.ParticipantKey{AccountID: v.Account.ID, Email: v.Account.Email})
	}
	if err == nil {
		err = e.s.DB.CastVotes(ctx, c, p.Number, votes)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, votesResultJSON{Recorded: len(votes), Participant: p.Number})
}

func parseVotes(single voteJSON, batch []json.RawMessage) ([]concord.Vote, error) {
	if batch == nil {
		if single.Statement == nil && single.Vote == nil {
			return nil, concord.FieldError("votes", "give statement and vote, or votes: a list of them")
		}
		v, ps := checkVote(single, "")
		return []concord.Vote{v}, concord.Invalid(ps)
	}
	if single.Statement != nil || single.Vote != nil {
		return nil, concord.FieldError("votes", "give either statement and vote, or votes, not both")
	}
	if len(batch) == 0 || len(batch) > MaxVoteBatch {
		return nil, concord.FieldError("votes", "must hold from 1 to %d votes (it has %d)", MaxVoteBatch, len(batch))
	}
	var ps []*concord.Error
	votes := make([]concord.Vote, len(batch))
	for i, raw := range batch {
		prefix := fmt.Sprintf("votes[%d].", i)
		var vj voteJSON
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&vj); err != nil {
			ps = append(ps, concord.FieldError(fmt.Sprintf("votes[%d]", i), "must be an object with statement (a number) and vote (agree, disagree or pass)"))
			continue
		}
		var more []*concord.Error
		votes[i], more = checkVote(vj, prefix)
		ps = append(ps, more...)
		if len(ps) >= 20 {
			break
		}
	}
	return votes, concord.Invalid(ps)
}

func checkVote(vj voteJSON, prefix string) (concord.Vote, []*concord.Error) {
	var v concord.Vote
	var ps []*concord.Error
	if vj.Statement == nil {
		ps = append(ps, concord.FieldError(prefix+"statement", "is required"))
	} else {
		v.Statement = *vj.Statement
	}
	if vj.Vote == nil {
		ps = append(ps, concord.FieldError(prefix+"vote", "is required"))
	} else if val, err := concord.ParseVote(*vj.Vote); err != nil {
		ps = append(ps, concord.FieldError(prefix+"vote", "%s", err.(*concord.Error).Message))
	} else {
		v.Value = val
	}
	return v, ps
}
