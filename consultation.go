package concord

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Consultation puts statements to a forum's participants, who vote agree,
// disagree or pass; the opinion map shows what has consensus across opinion
// groups and across stakeholder groups.
type Consultation struct {
	ID          int64
	ForumID     int64
	Question    string
	Description string
	OpensAt     time.Time // UTC
	ClosesAt    time.Time // UTC
	CreatedAt   time.Time
	// Counts, filled when read.
	Statements   int
	Participants int
	Votes        int
	// Version grows with every change of votes or statements, so an
	// analysis knows whether it is stale.
	Version int64
}

// ConsultationStatus is where a consultation stands at a moment.
type ConsultationStatus string

const (
	ConsultationUpcoming ConsultationStatus = "upcoming"
	ConsultationOpen     ConsultationStatus = "open"
	ConsultationClosed   ConsultationStatus = "closed"
)

// Status is the consultation's status at now: open from OpensAt
// (inclusive) to ClosesAt (exclusive).
func (c *Consultation) Status(now time.Time) ConsultationStatus {
	switch {
	case now.Before(c.OpensAt):
		return ConsultationUpcoming
	case !now.Before(c.ClosesAt):
		return ConsultationClosed
	}
	return ConsultationOpen
}

// CheckOpen refuses a contribution outside the voting window.
func (c *Consultation) CheckOpen(now time.Time) error {
	switch c.Status(now) {
	case ConsultationUpcoming:
		return Errorf(ECONFLICT, "This consultation opens at %s; it takes no votes or statements yet.", c.OpensAt.UTC().Format("2006-01-02 15:04 UTC"))
	case ConsultationClosed:
		return Errorf(ECONFLICT, "This consultation closed at %s; it takes no more votes or statements.", c.ClosesAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return nil
}

// MaxStatementLength is Pol.is's limit, which keeps statements votable at a glance.
const MaxStatementLength = 280

// Validate checks the consultation's fields.
func (c *Consultation) Validate() error {
	var ps []*Error
	c.Question = strings.TrimSpace(c.Question)
	c.Description = strings.TrimSpace(c.Description)
	switch {
	case c.Question == "":
		ps = append(ps, FieldError("question", "is required"))
	case utf8.RuneCountInString(c.Question) > 500:
		ps = append(ps, FieldError("question", "is longer than 500 characters"))
	}
	if utf8.RuneCountInString(c.Description) > 5000 {
		ps = append(ps, FieldError("description", "is longer than 5000 characters"))
	}
	if c.OpensAt.IsZero() {
		ps = append(ps, FieldError("opens_at", "is required"))
	}
	if c.ClosesAt.IsZero() {
		ps = append(ps, FieldError("closes_at", "is required"))
	} else if !c.OpensAt.IsZero() && !c.ClosesAt.After(c.OpensAt) {
		ps = append(ps, FieldError("closes_at", "must be after the opening time"))
	}
	c.OpensAt, c.ClosesAt = c.OpensAt.UTC(), c.ClosesAt.UTC()
	return Invalid(ps)
}

// Moderation is a statement's standing with the moderators.
type Moderation string

const (
	Unmoderated Moderation = "unmoderated"
	Accepted    Moderation = "accepted"
	Rejected    Moderation = "rejected"
)

// Valid reports whether m is one of the three moderation states.
func (m Moderation) Valid() bool { return m == Unmoderated || m == Accepted || m == Rejected }

// Statement is one short claim put to the vote. Number is its id within the
// consultation (Pol.is's comment-id).
type Statement struct {
	ID             int64
	ConsultationID int64
	Number         int
	Body           string
	Author         int  // participant number; -1 for the secretariat's seed statements
	Seed           bool // written by the secretariat to start the conversation
	Moderation     Moderation
	Meta           bool // about the consultation itself, kept out of the opinion map
	CreatedAt      time.Time
	// Counts, filled when read.
	Agree, Disagree, Pass int
}

// Votable reports whether participants may vote on the statement: rejected
// statements are hidden.
func (s *Statement) Votable() bool { return s.Moderation != Rejected }

// ValidateStatement checks a statement's text.
func ValidateStatement(body string) (string, error) {
	body = strings.Join(strings.Fields(body), " ")
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return body, FieldError("body", "is required")
	case n > MaxStatementLength:
		return body, FieldError("body", "is %d characters long; keep it to %d", n, MaxStatementLength)
	}
	return body, nil
}

// Participant is someone taking part in one consultation: an account, an
// anonymous visitor known by a key in their session, or someone imported
// from another platform (External). Number is the participant's id within
// the consultation (Pol.is's participant id).
type Participant struct {
	ID               int64
	ConsultationID   int64
	Number           int
	AccountID        int64  // 0: anonymous
	AnonKey          string // session-bound key of an anonymous participant
	External         string // id on another platform, e.g. "polis:17"
	StakeholderGroup string // declared, or from the registry record; "" unknown
	CreatedAt        time.Time
}

// VoteValue is a participant's answer to a statement, encoded as Pol.is exports it.
type VoteValue int8

const (
	Disagree VoteValue = -1
	Pass     VoteValue = 0
	Agree    VoteValue = 1
)

// ParseVote reads "agree", "disagree" or "pass".
func ParseVote(s string) (VoteValue, error) {
	switch s {
	case "agree":
		return Agree, nil
	case "disagree":
		return Disagree, nil
	case "pass":
		return Pass, nil
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return 0, FieldError("vote", "%q is not a vote: use agree, disagree or pass", s)
}

func (v VoteValue) String() string {
	switch v {
	case Agree:
		return "agree"
	case Disagree:
		return "disagree"
	case Pass:
		return "pass"
	}
	return "invalid"
}

// Valid reports whether v is agree, disagree or pass.
func (v VoteValue) Valid() bool { return v == Agree || v == Disagree || v == Pass }

// Vote is one participant's latest answer on one statement.
type Vote struct {
	Participant int // participant number
	Statement   int // statement number
	Value       VoteValue
	At          time.Time
}
