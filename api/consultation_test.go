package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"concord"
)

func TestConsultationVotesAPI(t *testing.T) {
	db := openSQLite(t)
	fx := newFixture(t, db)
	ctx := context.Background()
	now := db.Now()
	open := &concord.Consultation{ForumID: fx.igf.ID, Question: "Open?", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	closed := &concord.Consultation{ForumID: fx.igf.ID, Question: "Closed?", OpensAt: now.Add(-2 * time.Hour), ClosesAt: now.Add(-time.Hour)}
	for _, c := range []*concord.Consultation{open, closed} {
		if err := db.CreateConsultation(ctx, c, []string{"One.", "Two.", "Three."}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ModerateStatement(ctx, open.ID, 2, concord.Rejected, false); err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("/api/forums/igf/consultations/%d/votes", open.ID)
	fx.run(t, []scenario{
		{name: "anonymous", method: "POST", url: url, body: `{"statement":0,"vote":"agree"}`, wantStatus: http.StatusUnauthorized},
		{name: "one vote", method: "POST", url: url, token: "del", body: `{"statement":0,"vote":"agree"}`, wantStatus: http.StatusOK,
			wantBody: []string{`"recorded": 1`, `"participant": 0`}},
		{name: "batch", method: "POST", url: url, token: "del", body: `{"votes":[{"statement":0,"vote":"disagree"},{"statement":1,"vote":"pass"}]}`,
			wantStatus: http.StatusOK, wantBody: []string{`"recorded": 2`}},
		{name: "another account", method: "POST", url: url, token: "plain", body: `{"statement":1,"vote":"agree"}`, wantStatus: http.StatusOK,
			wantBody: []string{`"participant": 1`}},
		{name: "bad value", method: "POST", url: url, token: "del", body: `{"votes":[{"statement":0,"vote":"agree"},{"statement":1,"vote":"maybe"}]}`,
			wantStatus: http.StatusUnprocessableEntity, wantBody: []string{`votes[1].vote`, `\"maybe\" is not a vote`}},
		{name: "unknown statement", method: "POST", url: url, token: "del", body: `{"votes":[{"statement":0,"vote":"agree"},{"statement":42,"vote":"agree"}]}`,
			wantStatus: http.StatusUnprocessableEntity, wantBody: []string{`statement 42 is not in this consultation`}},
		{name: "rejected statement", method: "POST", url: url, token: "del", body: `{"statement":2,"vote":"agree"}`,
			wantStatus: http.StatusUnprocessableEntity, wantBody: []string{`rejected`}},
		{name: "unknown field", method: "POST", url: url, token: "del", body: `{"votes":[{"statement":0,"vote":"agree","weight":2}]}`,
			wantStatus: http.StatusUnprocessableEntity, wantBody: []string{`votes[0]`}},
		{name: "closed", method: "POST", url: fmt.Sprintf("/api/forums/igf/consultations/%d/votes", closed.ID), token: "del",
			body: `{"statement":0,"vote":"agree"}`, wantStatus: http.StatusConflict, wantBody: []string{"closed"}},
		{name: "other forum", method: "POST", url: fmt.Sprintf("/api/forums/youth/consultations/%d/votes", open.ID), token: "youth-sec",
			body: `{"statement":0,"vote":"agree"}`, wantStatus: http.StatusNotFound},
	})
	votes, err := db.ConsultationVotes(ctx, open.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range votes {
		got = append(got, fmt.Sprintf("%d:%d=%s", v.Participant, v.Statement, v.Value))
	}
	if strings.Join(got, " ") != "0:0=disagree 0:1=pass 1:1=agree" {
		t.Errorf("stored votes = %v; refused requests must change nothing and the latest vote counts", got)
	}
}
