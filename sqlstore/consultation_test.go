package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"concord"
)

// consultationFixture makes a forum with an open consultation of three seed statements.
func consultationFixture(t *testing.T, db *DB) (*concord.Forum, *concord.Consultation) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	f := &concord.Forum{Slug: "igf", Name: "IGF"}
	if err := db.CreateForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	c := &concord.Consultation{ForumID: f.ID, Question: "How should AI be governed?",
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour)}
	if err := db.CreateConsultation(ctx, c, []string{"Rules first.", "Markets first.", "  Both,\n at once. "}); err != nil {
		t.Fatal(err)
	}
	return f, c
}

func TestConsultationVotesLatestCounts(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f, c := consultationFixture(t, db)
		acc, err := db.CreateAccount(ctx, "Ama", "ama@example.org", "hash")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreatePerson(ctx, f, &concord.Person{Name: "Ama", Email: "ama@example.org", Country: "GH", StakeholderGroup: "technical"}); err != nil {
			t.Fatal(err)
		}
		anon, err := db.JoinConsultation(ctx, c, ParticipantKey{AnonKey: "k1"})
		if err != nil {
			t.Fatal(err)
		}
		member, err := db.JoinConsultation(ctx, c, ParticipantKey{AccountID: acc.ID, Email: acc.Email})
		if err != nil {
			t.Fatal(err)
		}
		if anon.Number != 0 || member.Number != 1 {
			t.Fatalf("numbers = %d, %d; want 0, 1", anon.Number, member.Number)
		}
		if got, want := member.StakeholderGroup, "technical"; got != want {
			t.Errorf("group from the registry = %q, want %q", got, want)
		}
		if again, _ := db.JoinConsultation(ctx, c, ParticipantKey{AnonKey: "k1"}); again.ID != anon.ID {
			t.Errorf("joining twice made a second participant")
		}
		for _, v := range []concord.VoteValue{concord.Agree, concord.Disagree, concord.Pass, concord.Agree} {
			if err := db.CastVotes(ctx, c, anon.Number, []concord.Vote{{Statement: 0, Value: v}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CastVotes(ctx, c, member.Number, []concord.Vote{{Statement: 0, Value: concord.Disagree}, {Statement: 1, Value: concord.Pass}}); err != nil {
			t.Fatal(err)
		}
		ss, err := db.ConsultationStatements(ctx, c.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 3 || ss[2].Body != "Both, at once." {
			t.Fatalf("statements = %+v", ss)
		}
		if got := [3]int{ss[0].Agree, ss[0].Disagree, ss[0].Pass}; got != [3]int{1, 1, 0} {
			t.Errorf("statement 0 counts = %v, want the latest vote of each participant [1 1 0]", got)
		}
		votes, _ := db.ConsultationVotes(ctx, c.ID, true)
		if len(votes) != 3 {
			t.Errorf("%d votes stored, want 3", len(votes))
		}
		got, _ := db.Consultation(ctx, f.ID, c.ID)
		if got.Participants != 2 || got.Votes != 3 || got.Statements != 3 {
			t.Errorf("counts = %d participants, %d votes, %d statements", got.Participants, got.Votes, got.Statements)
		}

		// Signing in links the anonymous participant to the account.
		acc2, _ := db.CreateAccount(ctx, "Bo", "bo@example.org", "hash")
		linked, err := db.JoinConsultation(ctx, c, ParticipantKey{AccountID: acc2.ID, AnonKey: "k1"})
		if err != nil || linked.ID != anon.ID || linked.AccountID != acc2.ID {
			t.Errorf("sign-in did not link the anonymous participant: %+v, %v", linked, err)
		}
		// Another account in the same browser session gets its own participation.
		other, err := db.JoinConsultation(ctx, c, ParticipantKey{AccountID: acc.ID, AnonKey: "k1"})
		if err != nil || other.ID != member.ID {
			t.Errorf("a second account in the session took over the first one's votes: %+v, %v", other, err)
		}
		acc3, _ := db.CreateAccount(ctx, "Cy", "cy@example.org", "hash")
		third, err := db.JoinConsultation(ctx, c, ParticipantKey{AccountID: acc3.ID, AnonKey: "k1"})
		if err != nil || third.ID == anon.ID || third.AccountID != acc3.ID || third.AnonKey != "" {
			t.Errorf("a third account in the session: %+v, %v", third, err)
		}
	})
}

func TestConsultationRefusalsChangeNothing(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f, c := consultationFixture(t, db)
		p, err := db.JoinConsultation(ctx, c, ParticipantKey{AnonKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CastVotes(ctx, c, p.Number, []concord.Vote{{Statement: 1, Value: concord.Agree}}); err != nil {
			t.Fatal(err)
		}
		if err := db.ModerateStatement(ctx, c.ID, 2, concord.Rejected, false); err != nil {
			t.Fatal(err)
		}
		before, _ := db.Consultation(ctx, f.ID, c.ID)
		for name, votes := range map[string][]concord.Vote{
			"unknown statement":  {{Statement: 0, Value: concord.Disagree}, {Statement: 99, Value: concord.Agree}},
			"rejected statement": {{Statement: 2, Value: concord.Agree}},
			"bad value":          {{Statement: 1, Value: 7}},
		} {
			err := db.CastVotes(ctx, c, p.Number, votes)
			if concord.ErrorCode(err) != concord.EINVALID {
				t.Errorf("%s: err = %v, want invalid", name, err)
			}
		}
		// Closed: the clock moves past the closing time.
		db.Now = func() time.Time { return c.ClosesAt.Add(time.Minute) }
		err = db.CastVotes(ctx, c, p.Number, []concord.Vote{{Statement: 1, Value: concord.Disagree}})
		if concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("closed: err = %v, want conflict", err)
		}
		if _, err := db.AddStatement(ctx, c, p, "Too late."); concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("statement after closing: err = %v", err)
		}
		after, _ := db.Consultation(ctx, f.ID, c.ID)
		votes, _ := db.ConsultationVotes(ctx, c.ID, true)
		if after.Votes != 1 || after.Version != before.Version || len(votes) != 1 || votes[0].Value != concord.Agree {
			t.Errorf("refused votes changed the consultation: %d votes (%+v), version %d → %d", after.Votes, votes, before.Version, after.Version)
		}
		if _, err := concord.ParseVote("maybe"); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("ParseVote(maybe) = %v", err)
		}
	})
}

func TestConsultationStatementsAndImport(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f, c := consultationFixture(t, db)
		p, _ := db.JoinConsultation(ctx, c, ParticipantKey{AnonKey: "k"})
		s, err := db.AddStatement(ctx, c, p, "Public interest first.")
		if err != nil || s.Number != 3 || s.Moderation != concord.Unmoderated {
			t.Fatalf("AddStatement = %+v, %v", s, err)
		}
		if _, err := db.AddStatement(ctx, c, p, "Public interest first."); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("duplicate statement: %v", err)
		}
		if err := db.SetParticipantGroup(ctx, f, p, "nope"); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("unknown group: %v", err)
		}
		if err := db.SetParticipantGroup(ctx, f, p, "government"); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveAnalysisState(ctx, c.ID, 5, []byte(`{"K":2}`)); err != nil {
			t.Fatal(err)
		}
		db.SaveAnalysisState(ctx, c.ID, 4, []byte(`{"K":3}`)) // older: ignored
		if st, v, err := db.AnalysisState(ctx, c.ID); err != nil || v != 5 || string(st) != `{"K":2}` {
			t.Errorf("AnalysisState = %s, %d, %v", st, v, err)
		}

		// A bad vote in an import leaves nothing behind.
		now := db.Now()
		in := &ImportedConsultation{
			Consultation: &concord.Consultation{ForumID: f.ID, Question: "Imported", OpensAt: now, ClosesAt: now.Add(time.Hour)},
			Statements:   []*concord.Statement{{Number: 0, Body: "A", Author: 0, Moderation: concord.Accepted}, {Number: 4, Body: "B", Author: 1, Moderation: concord.Rejected}},
			Participants: []*concord.Participant{{Number: 0, External: "polis:0"}, {Number: 1, External: "polis:1"}},
			Votes:        []concord.Vote{{Participant: 0, Statement: 0, Value: concord.Agree}, {Participant: 1, Statement: 5, Value: concord.Agree}},
		}
		if err := db.ImportConsultation(ctx, in); concord.ErrorCode(err) != concord.EINVALID {
			t.Fatalf("import with a bad vote: %v", err)
		}
		if cs, _ := db.Consultations(ctx, f.ID); len(cs) != 1 {
			t.Fatalf("a refused import left %d consultations", len(cs))
		}
		in.Votes[1].Statement = 4
		if err := db.ImportConsultation(ctx, in); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Consultation(ctx, f.ID, in.Consultation.ID)
		if got.Votes != 2 || got.Participants != 2 || got.Statements != 1 {
			t.Errorf("imported counts: %+v", got)
		}
		// Numbers continue after the imported ones.
		q, _ := db.JoinConsultation(ctx, got, ParticipantKey{AnonKey: "new"})
		if q.Number != 2 {
			t.Errorf("next participant number = %d, want 2", q.Number)
		}
	})
}

func TestCloseConsultationEarly(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f, c := consultationFixture(t, db)
		now := db.Now()
		p, err := db.JoinConsultation(ctx, c, ParticipantKey{AnonKey: "k1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CloseConsultation(ctx, f.ID+1, c.ID); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("closing another forum's consultation: %v", err)
		}
		closed, err := db.CloseConsultation(ctx, f.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !closed.ClosesAt.Equal(now) || closed.Status(now) != concord.ConsultationClosed || !closed.OpensAt.Equal(c.OpensAt) {
			t.Errorf("closed: opens %v closes %v, want closing at %v", closed.OpensAt, closed.ClosesAt, now)
		}
		err = db.CastVotes(ctx, c, p.Number, []concord.Vote{{Statement: 0, Value: concord.Agree}})
		if concord.ErrorCode(err) != concord.ECONFLICT || !strings.Contains(err.Error(), "closed at 2026-06-01 12:00 UTC") {
			t.Errorf("a vote after closing early: %v", err)
		}
		if _, err := db.CloseConsultation(ctx, f.ID, c.ID); concord.ErrorCode(err) != concord.ECONFLICT || !strings.Contains(err.Error(), "already closed") {
			t.Errorf("closing twice: %v", err)
		}
		later := &concord.Consultation{ForumID: f.ID, Question: "Later", OpensAt: now.Add(time.Hour), ClosesAt: now.Add(48 * time.Hour)}
		if err := db.CreateConsultation(ctx, later, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CloseConsultation(ctx, f.ID, later.ID); concord.ErrorCode(err) != concord.ECONFLICT || !strings.Contains(err.Error(), "not opened yet") {
			t.Errorf("closing before it opens: %v", err)
		}
		if got, _ := db.ConsultationBasics(ctx, f.ID, later.ID); !got.ClosesAt.Equal(later.ClosesAt) {
			t.Errorf("a refused close changed the closing time to %v", got.ClosesAt)
		}
	})
}
