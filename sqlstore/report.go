package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"concord"
)

// ForumRules are the forum's defaults, or IGF practice if it set none.
func (d *DB) ForumRules(ctx context.Context, forumID int64) (concord.ForumRules, error) {
	r := concord.DefaultForumRules()
	var raw string
	err := d.db.QueryRowContext(ctx, `SELECT rules_json FROM forum_rules WHERE forum_id = $1`, forumID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(raw), &r)
}

// SaveForumRules validates and stores the forum's defaults.
func (d *DB) SaveForumRules(ctx context.Context, forumID int64, r concord.ForumRules) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(r)
	_, err := d.db.ExecContext(ctx, `INSERT INTO forum_rules (forum_id, rules_json) VALUES ($1, $2)
		ON CONFLICT (forum_id) DO UPDATE SET rules_json = excluded.rules_json`, forumID, string(b))
	return err
}

// ReportSession is a session with what its reports need: when it ended in
// the published timetable and who answers for its reports.
type ReportSession struct {
	Session *concord.Session
	Year    int
	// Ends is the end of the published placement; zero if unplaced.
	Ends time.Time
	// Authors may file the reports: the session's people, and the
	// proposal's proposer, organisers and rapporteur.
	Authors []int64
	// Answerable owe the reports: the proposal's proposer and organisers.
	Answerable []int64
}

// Ended reports whether the session is over at now.
func (rs *ReportSession) Ended(now time.Time) bool { return !rs.Ends.IsZero() && !now.Before(rs.Ends) }

// CanFile reports whether person (0: none) may file the session's reports
// at now: once it has ended, its authors and the secretariat may.
func (rs *ReportSession) CanFile(person int64, secretariat bool, now time.Time) bool {
	return rs.Ended(now) && (secretariat || (person != 0 && slices.Contains(rs.Authors, person)))
}

// reportBody is the stored text of a report.
type reportBody struct {
	Takeaways        []string `json:"takeaways,omitempty"`
	CallsToAction    []string `json:"calls_to_action,omitempty"`
	Discussion       string   `json:"discussion,omitempty"`
	ParticipantsOn   int      `json:"participants_onsite,omitempty"`
	ParticipantsOff  int      `json:"participants_online,omitempty"`
	Women            int      `json:"women,omitempty"`
	GenderDiscussion string   `json:"gender_discussion,omitempty"`
}

// ReportSession loads a session of the forum for its reports.
func (d *DB) ReportSession(ctx context.Context, forumID, sessionID int64) (*ReportSession, error) {
	var meetingID int64
	var year int
	err := d.db.QueryRowContext(ctx, `SELECT s.meeting_id, c.year FROM meeting_sessions s
		JOIN meetings m ON m.id = s.meeting_id JOIN cycles c ON c.id = m.cycle_id
		WHERE s.id = $1 AND m.forum_id = $2`, sessionID, forumID).Scan(&meetingID, &year)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, concord.Errorf(concord.ENOTFOUND, "no session %d in this forum", sessionID)
	}
	if err != nil {
		return nil, err
	}
	ss, err := d.Sessions(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(ss, func(s *concord.Session) bool { return s.ID == sessionID })
	if i < 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "no session %d in this forum", sessionID)
	}
	rs := &ReportSession{Session: ss[i], Year: year, Authors: slices.Clone(ss[i].People)}
	var ends sql.NullInt64
	err = d.db.QueryRowContext(ctx, `SELECT ends_at FROM meeting_placements WHERE session_id = $1`, sessionID).Scan(&ends)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	rs.Ends = fromNullMS(ends)
	if rs.Session.ProposalID != 0 {
		rows, err := d.db.QueryContext(ctx, `SELECT proposer_id, 'proposer' FROM proposals WHERE id = $1 AND proposer_id IS NOT NULL
			UNION SELECT person_id, role FROM proposal_people WHERE proposal_id = $1 AND role IN ($2, $3)`,
			rs.Session.ProposalID, string(concord.Organiser), string(concord.Rapporteur))
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var role string
			if err := rows.Scan(&id, &role); err != nil {
				return nil, err
			}
			if !slices.Contains(rs.Authors, id) {
				rs.Authors = append(rs.Authors, id)
			}
			if role != string(concord.Rapporteur) && !slices.Contains(rs.Answerable, id) {
				rs.Answerable = append(rs.Answerable, id)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

// FileReport stores a session's report of r.Kind, replacing an earlier
// filing of the same kind but keeping its first filing time. A report can
// be filed once the session has ended in the published timetable; late
// reports are accepted and marked.
func (d *DB) FileReport(ctx context.Context, forumID int64, r *concord.SessionReport) error {
	if err := r.Validate(); err != nil {
		return err
	}
	rs, err := d.ReportSession(ctx, forumID, r.SessionID)
	if err != nil {
		return err
	}
	if rs.Ends.IsZero() {
		return concord.Errorf(concord.ECONFLICT, "the session is not in the published timetable, so it has no report yet")
	}
	now := d.Now()
	if now.Before(rs.Ends) {
		return concord.Errorf(concord.ECONFLICT, "the session ends at %s UTC; file its report after that", rs.Ends.Format("2006-01-02 15:04"))
	}
	rules, err := d.ForumRules(ctx, forumID)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(reportBody{r.Takeaways, r.CallsToAction, r.Discussion, r.ParticipantsOn, r.ParticipantsOff, r.Women, r.GenderDiscussion})
	due := rules.Reports.Due(r.Kind, rs.Ends)
	by := sql.NullInt64{Int64: r.SubmittedBy, Valid: r.SubmittedBy != 0}
	_, err = d.db.ExecContext(ctx, `INSERT INTO session_reports (session_id, kind, body_json, submitted_by, submitted_at, due_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $5)
		ON CONFLICT (session_id, kind) DO UPDATE SET body_json = excluded.body_json, submitted_by = excluded.submitted_by,
			updated_at = excluded.updated_at`,
		r.SessionID, string(r.Kind), string(b), by, now.UnixMilli(), due.UnixMilli())
	return err
}

// SessionReports returns the reports filed for a session, short first.
func (d *DB) SessionReports(ctx context.Context, sessionID int64) ([]*concord.SessionReport, error) {
	return d.reports(ctx, `r.session_id = $1`, sessionID)
}

// MeetingSessionReports returns every report filed for a meeting's sessions,
// by session and short first.
func (d *DB) MeetingSessionReports(ctx context.Context, meetingID int64) ([]*concord.SessionReport, error) {
	return d.reports(ctx, `r.session_id IN (SELECT id FROM meeting_sessions WHERE meeting_id = $1)`, meetingID)
}

func (d *DB) reports(ctx context.Context, where string, arg int64) ([]*concord.SessionReport, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT r.id, r.session_id, r.kind, r.body_json, COALESCE(r.submitted_by, 0), COALESCE(p.name, ''),
		r.submitted_at, r.due_at, r.updated_at
		FROM session_reports r LEFT JOIN people p ON p.id = r.submitted_by
		WHERE `+where+` ORDER BY r.session_id, CASE r.kind WHEN 'short' THEN 0 ELSE 1 END`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.SessionReport
	for rows.Next() {
		r := &concord.SessionReport{}
		var kind, body string
		var sub, due, upd int64
		if err := rows.Scan(&r.ID, &r.SessionID, &kind, &body, &r.SubmittedBy, &r.SubmittedByName, &sub, &due, &upd); err != nil {
			return nil, err
		}
		var rb reportBody
		if err := json.Unmarshal([]byte(body), &rb); err != nil {
			return nil, err
		}
		r.Kind = concord.ReportKind(kind)
		r.Takeaways, r.CallsToAction, r.Discussion = rb.Takeaways, rb.CallsToAction, rb.Discussion
		r.ParticipantsOn, r.ParticipantsOff, r.Women, r.GenderDiscussion = rb.ParticipantsOn, rb.ParticipantsOff, rb.Women, rb.GenderDiscussion
		r.Submitted, r.Due, r.Updated = fromMS(sub), fromMS(due), fromMS(upd)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportState is one placed session's report situation in a meeting.
type ReportState struct {
	SessionID int64
	Title     string
	Ends      time.Time
	// Filed is when each kind was filed (zero: not yet), Due when it falls due.
	Filed, Due map[concord.ReportKind]time.Time
}

// MeetingReports lists every placed session of a meeting with its reports,
// in timetable order.
func (d *DB) MeetingReports(ctx context.Context, forumID, meetingID int64) ([]ReportState, error) {
	rules, err := d.ForumRules(ctx, forumID)
	if err != nil {
		return nil, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT s.id, s.title, p.ends_at, r.kind, r.submitted_at
		FROM meeting_placements p JOIN meeting_sessions s ON s.id = p.session_id
		LEFT JOIN session_reports r ON r.session_id = s.id
		WHERE p.meeting_id = $1 ORDER BY p.starts_at, s.id`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReportState
	for rows.Next() {
		var id, ends int64
		var title string
		var kind sql.NullString
		var at sql.NullInt64
		if err := rows.Scan(&id, &title, &ends, &kind, &at); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].SessionID != id {
			st := ReportState{SessionID: id, Title: title, Ends: fromMS(ends), Filed: map[concord.ReportKind]time.Time{}, Due: map[concord.ReportKind]time.Time{}}
			for _, k := range concord.ReportKinds {
				st.Due[k] = rules.Reports.Due(k, st.Ends)
			}
			out = append(out, st)
		}
		if kind.Valid {
			out[len(out)-1].Filed[concord.ReportKind(kind.String)] = fromNullMS(at)
		}
	}
	return out, rows.Err()
}

// OwedReports lists the reports of sessions from the forum's cycles before
// year that are past due and not filed (the earliest kind owed, one entry
// per session), with the people who answer for them: the proposal's
// proposer and organisers. Sessions the secretariat created owe nothing.
func (d *DB) OwedReports(ctx context.Context, forumID int64, year int) ([]concord.OwedReport, error) {
	rules, err := d.ForumRules(ctx, forumID)
	if err != nil {
		return nil, err
	}
	now := d.Now()
	rows, err := d.db.QueryContext(ctx, `SELECT s.id, s.title, c.year, p.ends_at, s.proposal_id, COALESCE(pr.proposer_id, 0),
		(SELECT COUNT(*) FROM session_reports r WHERE r.session_id = s.id AND r.kind = $3),
		(SELECT COUNT(*) FROM session_reports r WHERE r.session_id = s.id AND r.kind = $4)
		FROM meeting_sessions s JOIN meetings m ON m.id = s.meeting_id JOIN cycles c ON c.id = m.cycle_id
		JOIN meeting_placements p ON p.session_id = s.id JOIN proposals pr ON pr.id = s.proposal_id
		WHERE m.forum_id = $1 AND c.year < $2 ORDER BY c.year, p.starts_at, s.id`,
		forumID, year, string(concord.ShortReport), string(concord.LongReport))
	if err != nil {
		return nil, err
	}
	var out []concord.OwedReport
	byProposal := map[int64]int{}
	for rows.Next() {
		var o concord.OwedReport
		var ends, proposal, proposer int64
		var short, long int
		if err := rows.Scan(&o.SessionID, &o.SessionTitle, &o.Year, &ends, &proposal, &proposer, &short, &long); err != nil {
			rows.Close()
			return nil, err
		}
		filed := map[concord.ReportKind]bool{concord.ShortReport: short > 0, concord.LongReport: long > 0}
		for _, k := range concord.ReportKinds {
			if due := rules.Reports.Due(k, fromMS(ends)); !filed[k] && now.After(due) {
				o.Kind, o.Due = k, due
				if proposer != 0 {
					o.People = []int64{proposer}
				}
				byProposal[proposal] = len(out)
				out = append(out, o)
				break
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	orows, err := d.db.QueryContext(ctx, `SELECT pp.proposal_id, pp.person_id FROM proposal_people pp
		JOIN proposals pr ON pr.id = pp.proposal_id JOIN programme_calls c ON c.id = pr.call_id
		WHERE pr.forum_id = $1 AND c.year < $2 AND pp.role = $3 ORDER BY pp.proposal_id, pp.position`,
		forumID, year, string(concord.Organiser))
	if err != nil {
		return nil, err
	}
	defer orows.Close()
	for orows.Next() {
		var proposal, person int64
		if err := orows.Scan(&proposal, &person); err != nil {
			return nil, err
		}
		if i, ok := byProposal[proposal]; ok && !slices.Contains(out[i].People, person) {
			out[i].People = append(out[i].People, person)
		}
	}
	return out, orows.Err()
}

// PeopleNames returns the names of the forum's people among ids.
func (d *DB) PeopleNames(ctx context.Context, forumID int64, ids []int64) (map[int64]string, error) {
	return d.personNames(ctx, forumID, slices.Clone(ids))
}
