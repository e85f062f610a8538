package concord

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ReportKind is one of the two reports a session owes.
type ReportKind string

const (
	// ShortReport gives at most three key takeaways and three calls to
	// action, soon after the session.
	ShortReport ReportKind = "short"
	// LongReport tells the discussion, who took part, and the gender
	// report card.
	LongReport ReportKind = "long"
)

// ReportKinds lists the kinds in the order they fall due.
var ReportKinds = []ReportKind{ShortReport, LongReport}

// ReportRules set when a session's reports fall due after it ends.
type ReportRules struct {
	ShortHours int `json:"short_hours"`
	LongDays   int `json:"long_days"`
}

// DefaultReportRules follow IGF practice: the short report 12 hours after
// the session, the long report 14 days after.
func DefaultReportRules() ReportRules { return ReportRules{ShortHours: 12, LongDays: 14} }

// Validate checks the delays are sensible.
func (r *ReportRules) Validate() error {
	var ps []*Error
	if r.ShortHours < 1 || r.ShortHours > 24*30 {
		ps = append(ps, FieldError("short_hours", "must be between 1 and 720 hours, got %d", r.ShortHours))
	}
	if r.LongDays < 1 || r.LongDays > 365 {
		ps = append(ps, FieldError("long_days", "must be between 1 and 365 days, got %d", r.LongDays))
	}
	return Invalid(ps)
}

// Due is when a report of kind falls due for a session that ended at end.
func (r ReportRules) Due(kind ReportKind, end time.Time) time.Time {
	if kind == ShortReport {
		return end.Add(time.Duration(r.ShortHours) * time.Hour)
	}
	return end.AddDate(0, 0, r.LongDays)
}

// ForumRules are the defaults a forum applies to each new cycle: the
// screening rules new calls for proposals start from, and the report
// deadlines of its sessions.
type ForumRules struct {
	Screening ScreeningRules `json:"screening"`
	Reports   ReportRules    `json:"reports"`
}

// DefaultForumRules are IGF practice.
func DefaultForumRules() ForumRules {
	return ForumRules{Screening: DefaultScreeningRules(), Reports: DefaultReportRules()}
}

// Validate checks both sets of rules.
func (r *ForumRules) Validate() error {
	var ps []*Error
	if err := r.Screening.Validate(); err != nil {
		ps = append(ps, Problems(err)...)
	}
	if err := r.Reports.Validate(); err != nil {
		ps = append(ps, Problems(err)...)
	}
	return Invalid(ps)
}

// SessionReport is what a session's organisers or rapporteur file after it.
type SessionReport struct {
	ID        int64
	SessionID int64
	Kind      ReportKind
	// Short report.
	Takeaways     []string
	CallsToAction []string
	// Long report: the discussion, estimated participation, and the gender
	// report card (how many women took part, and whether and how the
	// session discussed gender).
	Discussion       string
	ParticipantsOn   int // onsite
	ParticipantsOff  int // online
	Women            int
	GenderDiscussion string
	SubmittedBy      int64 // person
	SubmittedByName  string
	Submitted, Due   time.Time
	Updated          time.Time
}

// Late reports whether the report came in after it was due; late reports
// are kept and marked, never refused.
func (r *SessionReport) Late() bool { return !r.Due.IsZero() && r.Submitted.After(r.Due) }

// Maximum lengths of a report's parts.
const (
	maxReportPoints     = 3
	maxReportPointChars = 500
	maxDiscussionWords  = 2000
)

// Validate trims the report and checks it against the kind's shape.
func (r *SessionReport) Validate() error {
	var ps []*Error
	clean := func(field string, xs []string) []string {
		var out []string
		for _, x := range xs {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		if len(out) > maxReportPoints {
			ps = append(ps, FieldError(field, "at most %d, got %d", maxReportPoints, len(out)))
		}
		for _, x := range out {
			if utf8.RuneCountInString(x) > maxReportPointChars {
				ps = append(ps, FieldError(field, "each point at most %d characters", maxReportPointChars))
				break
			}
		}
		return out
	}
	r.Takeaways = clean("takeaways", r.Takeaways)
	r.CallsToAction = clean("calls_to_action", r.CallsToAction)
	r.Discussion = strings.TrimSpace(r.Discussion)
	r.GenderDiscussion = strings.TrimSpace(r.GenderDiscussion)
	switch r.Kind {
	case ShortReport:
		if len(r.Takeaways) == 0 {
			ps = append(ps, FieldError("takeaways", "give at least one key takeaway"))
		}
	case LongReport:
		if r.Discussion == "" {
			ps = append(ps, FieldError("discussion", "is required"))
		} else if n := Words(r.Discussion); n > maxDiscussionWords {
			ps = append(ps, FieldError("discussion", "has %d words, the limit is %d", n, maxDiscussionWords))
		}
		if r.ParticipantsOn < 0 {
			ps = append(ps, FieldError("participants_onsite", "cannot be negative"))
		}
		if r.ParticipantsOff < 0 {
			ps = append(ps, FieldError("participants_online", "cannot be negative"))
		}
		if r.Women < 0 {
			ps = append(ps, FieldError("women", "cannot be negative"))
		} else if r.Women > r.ParticipantsOn+r.ParticipantsOff {
			ps = append(ps, FieldError("women", "%d is more than the %d participants", r.Women, r.ParticipantsOn+r.ParticipantsOff))
		}
		if utf8.RuneCountInString(r.GenderDiscussion) > 2000 {
			ps = append(ps, FieldError("gender_discussion", "is longer than 2000 characters"))
		}
	default:
		ps = append(ps, FieldError("kind", "%q is not short or long", r.Kind))
	}
	return Invalid(ps)
}

// OwedReport is a report past its due date that nobody has filed, and the
// people answerable for it (the proposal's proposer and organisers).
type OwedReport struct {
	SessionID    int64
	SessionTitle string
	Year         int
	Kind         ReportKind
	Due          time.Time
	People       []int64
}
