package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"concord"
)

const consultationColumns = `c.id, c.forum_id, c.question, c.description, c.opens_at, c.closes_at, c.created_at, c.version,
	(SELECT COUNT(*) FROM consultation_statements s WHERE s.consultation_id = c.id AND s.moderation <> 'rejected'),
	(SELECT COUNT(*) FROM consultation_participants p WHERE p.consultation_id = c.id),
	(SELECT COUNT(*) FROM consultation_votes v WHERE v.consultation_id = c.id)`

func scanConsultation(row interface{ Scan(...any) error }) (*concord.Consultation, error) {
	var c concord.Consultation
	var opens, closes, created int64
	if err := row.Scan(&c.ID, &c.ForumID, &c.Question, &c.Description, &opens, &closes, &created, &c.Version,
		&c.Statements, &c.Participants, &c.Votes); err != nil {
		return nil, err
	}
	c.OpensAt, c.ClosesAt, c.CreatedAt = fromMS(opens), fromMS(closes), fromMS(created)
	return &c, nil
}

// CreateConsultation stores a consultation with the secretariat's seed
// statements, accepted from the start.
func (d *DB) CreateConsultation(ctx context.Context, c *concord.Consultation, seeds []string) error {
	ps := concord.Problems(c.Validate())
	for i, s := range seeds {
		body, err := concord.ValidateStatement(s)
		if err != nil {
			ps = append(ps, concord.FieldError("statements", "statement %d %s", i+1, err.(*concord.Error).Message))
		}
		seeds[i] = body
	}
	if err := concord.Invalid(ps); err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		if err := d.insertConsultation(ctx, tx, c, len(seeds), 0); err != nil {
			return err
		}
		for i, body := range seeds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO consultation_statements (consultation_id, number, body, author, seed, moderation, meta, created_at)
				VALUES ($1, $2, $3, -1, 1, 'accepted', 0, $4)`, c.ID, i, body, c.CreatedAt.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}

func (d *DB) insertConsultation(ctx context.Context, q queryer, c *concord.Consultation, nextStatement, nextParticipant int) error {
	c.CreatedAt, c.Version = fromMS(d.nowMS()), 1
	return q.QueryRowContext(ctx, `INSERT INTO consultations (forum_id, question, description, opens_at, closes_at, created_at, next_statement, next_participant, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id`,
		c.ForumID, c.Question, c.Description, c.OpensAt.UnixMilli(), c.ClosesAt.UnixMilli(), c.CreatedAt.UnixMilli(),
		nextStatement, nextParticipant).Scan(&c.ID)
}

// UpdateConsultation saves the question, description and times; closing a
// consultation early is moving its closing time.
func (d *DB) UpdateConsultation(ctx context.Context, c *concord.Consultation) error {
	if err := c.Validate(); err != nil {
		return err
	}
	res, err := d.db.ExecContext(ctx, `UPDATE consultations SET question = $1, description = $2, opens_at = $3, closes_at = $4
		WHERE id = $5 AND forum_id = $6`, c.Question, c.Description, c.OpensAt.UnixMilli(), c.ClosesAt.UnixMilli(), c.ID, c.ForumID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("consultation", c.ID)
	}
	return nil
}

// CloseConsultation closes an open consultation now, ahead of its closing
// time. The check and the change are one statement, so a consultation
// closed meanwhile (or not yet open) is refused rather than reopened or
// given a closing time before its opening.
func (d *DB) CloseConsultation(ctx context.Context, forumID, id int64) (*concord.Consultation, error) {
	now := d.Now()
	res, err := d.db.ExecContext(ctx, `UPDATE consultations SET closes_at = $1
		WHERE id = $2 AND forum_id = $3 AND opens_at < $1 AND closes_at > $1`, now.UnixMilli(), id, forumID)
	if err != nil {
		return nil, err
	}
	c, err := d.ConsultationBasics(ctx, forumID, id)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if !c.OpensAt.Before(now) {
			return nil, concord.Errorf(concord.ECONFLICT, "This consultation has not opened yet (it opens at %s); change its times instead.",
				c.OpensAt.Format("2006-01-02 15:04 UTC"))
		}
		return nil, concord.Errorf(concord.ECONFLICT, "This consultation already closed at %s.", c.ClosesAt.Format("2006-01-02 15:04 UTC"))
	}
	return c, nil
}

// Consultation finds a consultation of a forum, with its counts.
func (d *DB) Consultation(ctx context.Context, forumID, id int64) (*concord.Consultation, error) {
	c, err := scanConsultation(d.db.QueryRowContext(ctx, `SELECT `+consultationColumns+` FROM consultations c WHERE c.forum_id = $1 AND c.id = $2`, forumID, id))
	if noRows(err) {
		return nil, notFound("consultation", id)
	}
	return c, err
}

// ConsultationBasics finds a consultation without counting its votes: the
// cheap read for voting.
func (d *DB) ConsultationBasics(ctx context.Context, forumID, id int64) (*concord.Consultation, error) {
	var c concord.Consultation
	var opens, closes, created int64
	err := d.db.QueryRowContext(ctx, `SELECT id, forum_id, question, description, opens_at, closes_at, created_at, version
		FROM consultations WHERE forum_id = $1 AND id = $2`, forumID, id).Scan(&c.ID, &c.ForumID, &c.Question, &c.Description,
		&opens, &closes, &created, &c.Version)
	if noRows(err) {
		return nil, notFound("consultation", id)
	} else if err != nil {
		return nil, err
	}
	c.OpensAt, c.ClosesAt, c.CreatedAt = fromMS(opens), fromMS(closes), fromMS(created)
	return &c, nil
}

// Consultations lists a forum's consultations, newest opening first.
func (d *DB) Consultations(ctx context.Context, forumID int64) ([]*concord.Consultation, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+consultationColumns+` FROM consultations c WHERE c.forum_id = $1 ORDER BY c.opens_at DESC, c.id DESC`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ConsultationVersion reads the change counter alone: the cheap check
// before reusing an analysis.
func (d *DB) ConsultationVersion(ctx context.Context, id int64) (int64, error) {
	var v int64
	err := d.db.QueryRowContext(ctx, `SELECT version FROM consultations WHERE id = $1`, id).Scan(&v)
	if noRows(err) {
		return 0, notFound("consultation", id)
	}
	return v, err
}

// ConsultationStatements lists every statement by number, with its vote
// counts when asked (they cost a pass over every vote).
func (d *DB) ConsultationStatements(ctx context.Context, consultationID int64, counts bool) ([]*concord.Statement, error) {
	q := `SELECT s.id, s.consultation_id, s.number, s.body, s.author, s.seed, s.moderation, s.meta, s.created_at, 0, 0, 0
		FROM consultation_statements s WHERE s.consultation_id = $1 ORDER BY s.number`
	if counts {
		q = `SELECT s.id, s.consultation_id, s.number, s.body, s.author, s.seed, s.moderation, s.meta, s.created_at,
		COALESCE(SUM(CASE WHEN v.value = 1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN v.value = -1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN v.value = 0 THEN 1 ELSE 0 END), 0)
		FROM consultation_statements s
		LEFT JOIN consultation_votes v ON v.consultation_id = s.consultation_id AND v.statement = s.number
		WHERE s.consultation_id = $1 GROUP BY s.id ORDER BY s.number`
	}
	rows, err := d.db.QueryContext(ctx, q, consultationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Statement
	for rows.Next() {
		var s concord.Statement
		var seed, meta int
		var created int64
		if err := rows.Scan(&s.ID, &s.ConsultationID, &s.Number, &s.Body, &s.Author, &seed, &s.Moderation, &meta, &created,
			&s.Agree, &s.Disagree, &s.Pass); err != nil {
			return nil, err
		}
		s.Seed, s.Meta, s.CreatedAt = seed != 0, meta != 0, fromMS(created)
		out = append(out, &s)
	}
	return out, rows.Err()
}

// ParticipantKey names who is taking part: an account, an anonymous
// session key, or both when an anonymous visitor has signed in since.
type ParticipantKey struct {
	AccountID int64
	Email     string // the account's, to find a registry record's stakeholder group
	AnonKey   string
}

const participantColumns = `id, consultation_id, number, COALESCE(account_id, 0), COALESCE(anon_key, ''), COALESCE(external, ''), stakeholder_group, created_at`

func scanParticipant(row interface{ Scan(...any) error }) (*concord.Participant, error) {
	var p concord.Participant
	var created int64
	if err := row.Scan(&p.ID, &p.ConsultationID, &p.Number, &p.AccountID, &p.AnonKey, &p.External, &p.StakeholderGroup, &created); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMS(created)
	return &p, nil
}

// FindParticipant returns the participant for key, nil when they have not
// taken part yet.
func (d *DB) FindParticipant(ctx context.Context, consultationID int64, key ParticipantKey) (*concord.Participant, error) {
	return findParticipant(ctx, d.db, consultationID, key)
}

func findParticipant(ctx context.Context, q queryer, consultationID int64, key ParticipantKey) (*concord.Participant, error) {
	for _, by := range []struct {
		col string
		val any
		ok  bool
	}{{"account_id", key.AccountID, key.AccountID != 0}, {"anon_key", key.AnonKey, key.AnonKey != ""}} {
		if !by.ok {
			continue
		}
		p, err := scanParticipant(q.QueryRowContext(ctx, `SELECT `+participantColumns+` FROM consultation_participants
			WHERE consultation_id = $1 AND `+by.col+` = $2`, consultationID, by.val))
		// An anonymous participation already linked to another account
		// (a shared browser) is not this account's.
		if err == nil && (p.AccountID == 0 || key.AccountID == 0 || p.AccountID == key.AccountID) {
			return p, nil
		} else if err != nil && !noRows(err) {
			return nil, err
		}
	}
	return nil, nil
}

// JoinConsultation finds or creates the participant for key. An anonymous
// participant who has signed in since becomes the account's participant.
// A new account participant takes the stakeholder group of the forum's
// registry record with the account's email, if there is one.
func (d *DB) JoinConsultation(ctx context.Context, c *concord.Consultation, key ParticipantKey) (*concord.Participant, error) {
	if key.AccountID == 0 && key.AnonKey == "" {
		return nil, concord.Errorf(concord.EUNAUTHORIZED, "Sign in, or allow this site's session cookie, to take part.")
	}
	// Most calls find a participant who needs no change: a plain read,
	// without the write lock a transaction takes on SQLite.
	if p, err := findParticipant(ctx, d.db, c.ID, key); err != nil || (p != nil && (key.AccountID == 0 || p.AccountID != 0)) {
		return p, err
	}
	var p *concord.Participant
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = findParticipant(ctx, tx, c.ID, key); err != nil {
			return err
		}
		if p != nil {
			if key.AccountID != 0 && p.AccountID == 0 {
				p.AccountID = key.AccountID
				_, err = tx.ExecContext(ctx, `UPDATE consultation_participants SET account_id = $1 WHERE id = $2`, key.AccountID, p.ID)
			}
			return err
		}
		p = &concord.Participant{ConsultationID: c.ID, AccountID: key.AccountID}
		if key.AccountID == 0 {
			p.AnonKey = key.AnonKey // an account's participation is found by the account
		}
		if key.AccountID != 0 && key.Email != "" {
			err := tx.QueryRowContext(ctx, `SELECT stakeholder_group FROM people WHERE forum_id = $1 AND email = $2`,
				c.ForumID, strings.ToLower(key.Email)).Scan(&p.StakeholderGroup)
			if err != nil && !noRows(err) {
				return err
			}
		}
		return d.insertParticipant(ctx, tx, p)
	})
	return p, err
}

// insertParticipant gives p the next number of its consultation.
func (d *DB) insertParticipant(ctx context.Context, tx *sql.Tx, p *concord.Participant) error {
	if err := tx.QueryRowContext(ctx, `UPDATE consultations SET next_participant = next_participant + 1 WHERE id = $1
		RETURNING next_participant - 1`, p.ConsultationID).Scan(&p.Number); err != nil {
		if noRows(err) {
			return notFound("consultation", p.ConsultationID)
		}
		return err
	}
	p.CreatedAt = fromMS(d.nowMS())
	return tx.QueryRowContext(ctx, `INSERT INTO consultation_participants (consultation_id, number, account_id, anon_key, external, stakeholder_group, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, p.ConsultationID, p.Number, nullableID(p.AccountID), nullableText(p.AnonKey),
		nullableText(p.External), p.StakeholderGroup, p.CreatedAt.UnixMilli()).Scan(&p.ID)
}

func nullableID(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullableText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SetParticipantGroup records the stakeholder group a participant declares;
// "" withdraws the declaration.
func (d *DB) SetParticipantGroup(ctx context.Context, f *concord.Forum, p *concord.Participant, group string) error {
	if group != "" && !f.HasGroup(group) {
		return concord.FieldError("stakeholder_group", "%q is not one of this forum's stakeholder groups", group)
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE consultation_participants SET stakeholder_group = $1 WHERE id = $2`, group, p.ID); err != nil {
			return err
		}
		p.StakeholderGroup = group
		return bumpVersion(ctx, tx, p.ConsultationID)
	})
}

func bumpVersion(ctx context.Context, tx *sql.Tx, consultationID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE consultations SET version = version + 1 WHERE id = $1`, consultationID)
	return err
}

// AddStatement stores a participant's statement, unmoderated, while the
// consultation is open.
func (d *DB) AddStatement(ctx context.Context, c *concord.Consultation, p *concord.Participant, body string) (*concord.Statement, error) {
	body, err := concord.ValidateStatement(body)
	if err != nil {
		return nil, err
	}
	if err := c.CheckOpen(d.Now()); err != nil {
		return nil, err
	}
	s := &concord.Statement{ConsultationID: c.ID, Body: body, Author: p.Number, Moderation: concord.Unmoderated, CreatedAt: fromMS(d.nowMS())}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		var dup int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM consultation_statements WHERE consultation_id = $1 AND body = $2`, c.ID, body).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return concord.FieldError("body", "this statement is already in the consultation; vote on it instead")
		}
		if err := tx.QueryRowContext(ctx, `UPDATE consultations SET next_statement = next_statement + 1, version = version + 1 WHERE id = $1
			RETURNING next_statement - 1`, c.ID).Scan(&s.Number); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO consultation_statements (consultation_id, number, body, author, seed, moderation, meta, created_at)
			VALUES ($1, $2, $3, $4, 0, $5, 0, $6) RETURNING id`, c.ID, s.Number, s.Body, s.Author, string(s.Moderation), s.CreatedAt.UnixMilli()).Scan(&s.ID)
	})
	return s, err
}

// ModerateStatement accepts or rejects a statement and sets its meta flag.
func (d *DB) ModerateStatement(ctx context.Context, consultationID int64, number int, m concord.Moderation, meta bool) error {
	if !m.Valid() {
		return concord.FieldError("moderation", "%q is not one of accepted, rejected, unmoderated", m)
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consultation_statements SET moderation = $1, meta = $2 WHERE consultation_id = $3 AND number = $4`,
			string(m), flag01(meta), consultationID, number)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("statement", number)
		}
		return bumpVersion(ctx, tx, consultationID)
	})
}

func flag01(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CastVotes records a participant's votes; the latest vote on a statement
// replaces earlier ones. Either every vote is valid and recorded, or none
// is: votes on a closed consultation, on unknown or rejected statements,
// or with values other than agree, disagree and pass are refused, naming
// each problem.
func (d *DB) CastVotes(ctx context.Context, c *concord.Consultation, participant int, votes []concord.Vote) error {
	if len(votes) == 0 {
		return concord.FieldError("votes", "is empty")
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		// The window is read inside the transaction, so a vote never lands
		// after a closing time saved concurrently.
		var opens, closes int64
		if err := tx.QueryRowContext(ctx, `SELECT opens_at, closes_at FROM consultations WHERE id = $1 AND forum_id = $2`, c.ID, c.ForumID).Scan(&opens, &closes); err != nil {
			if noRows(err) {
				return notFound("consultation", c.ID)
			}
			return err
		}
		window := concord.Consultation{OpensAt: fromMS(opens), ClosesAt: fromMS(closes)}
		if err := window.CheckOpen(d.Now()); err != nil {
			return err
		}
		mod, err := statementModeration(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		var ps []*concord.Error
		for i, v := range votes {
			field := "vote"
			if len(votes) > 1 {
				field = fmt.Sprintf("votes[%d]", i)
			}
			m, ok := mod[v.Statement]
			switch {
			case !ok:
				ps = append(ps, concord.FieldError(field, "statement %d is not in this consultation", v.Statement))
			case m == concord.Rejected:
				ps = append(ps, concord.FieldError(field, "statement %d was rejected by the moderators and takes no votes", v.Statement))
			case !v.Value.Valid():
				ps = append(ps, concord.FieldError(field, "%d is not a vote: use agree (1), disagree (-1) or pass (0)", v.Value))
			}
		}
		if err := concord.Invalid(ps); err != nil {
			return err
		}
		up, err := tx.PrepareContext(ctx, `INSERT INTO consultation_votes (consultation_id, participant, statement, value, at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (consultation_id, participant, statement) DO UPDATE SET value = excluded.value, at = excluded.at`)
		if err != nil {
			return err
		}
		defer up.Close()
		now := d.nowMS()
		for _, v := range votes {
			if _, err := up.ExecContext(ctx, c.ID, participant, v.Statement, int(v.Value), now); err != nil {
				return err
			}
		}
		return bumpVersion(ctx, tx, c.ID)
	})
}

func statementModeration(ctx context.Context, q queryer, consultationID int64) (map[int]concord.Moderation, error) {
	rows, err := q.QueryContext(ctx, `SELECT number, moderation FROM consultation_statements WHERE consultation_id = $1`, consultationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]concord.Moderation{}
	for rows.Next() {
		var n int
		var m concord.Moderation
		if err := rows.Scan(&n, &m); err != nil {
			return nil, err
		}
		out[n] = m
	}
	return out, rows.Err()
}

// ParticipantVotes maps the statements a participant has voted on to the vote.
func (d *DB) ParticipantVotes(ctx context.Context, consultationID int64, participant int) (map[int]concord.VoteValue, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT statement, value FROM consultation_votes WHERE consultation_id = $1 AND participant = $2`,
		consultationID, participant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]concord.VoteValue{}
	for rows.Next() {
		var s int
		var v concord.VoteValue
		if err := rows.Scan(&s, &v); err != nil {
			return nil, err
		}
		out[s] = v
	}
	return out, rows.Err()
}

// ConsultationVotes lists every participant's latest vote on each
// statement: oldest first with their times when timed, else in storage
// order without times, which is what an analysis needs and reads faster.
func (d *DB) ConsultationVotes(ctx context.Context, consultationID int64, timed bool) ([]concord.Vote, error) {
	q := `SELECT participant, statement, value, 0 FROM consultation_votes WHERE consultation_id = $1`
	if timed {
		q = `SELECT participant, statement, value, at FROM consultation_votes WHERE consultation_id = $1 ORDER BY at, participant, statement`
	}
	rows, err := d.db.QueryContext(ctx, q, consultationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.Vote
	for rows.Next() {
		// Plain integers: scanning into named types goes through reflection, many times slower.
		var p, s, val, at int64
		if err := rows.Scan(&p, &s, &val, &at); err != nil {
			return nil, err
		}
		v := concord.Vote{Participant: int(p), Statement: int(s), Value: concord.VoteValue(val)}
		if timed {
			v.At = fromMS(at)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ConsultationParticipants lists the participants by number.
func (d *DB) ConsultationParticipants(ctx context.Context, consultationID int64) ([]*concord.Participant, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+participantColumns+` FROM consultation_participants WHERE consultation_id = $1 ORDER BY number`, consultationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Participant
	for rows.Next() {
		p, err := scanParticipant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AnalysisState returns the stored state of the latest analysis and the
// version it saw; nil when there is none.
func (d *DB) AnalysisState(ctx context.Context, consultationID int64) ([]byte, int64, error) {
	var state string
	var version int64
	err := d.db.QueryRowContext(ctx, `SELECT state, version FROM consultation_analyses WHERE consultation_id = $1`, consultationID).Scan(&state, &version)
	if noRows(err) {
		return nil, 0, nil
	}
	return []byte(state), version, err
}

// SaveAnalysisState keeps an analysis's state for the next run, unless a
// newer one was saved meanwhile (by another server process).
func (d *DB) SaveAnalysisState(ctx context.Context, consultationID, version int64, state []byte) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO consultation_analyses (consultation_id, version, state, computed_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (consultation_id) DO UPDATE SET version = excluded.version, state = excluded.state, computed_at = excluded.computed_at
		WHERE consultation_analyses.version <= excluded.version`, consultationID, version, string(state), d.nowMS())
	return err
}

// ImportedConsultation is a whole consultation to store at once: from
// another platform's export, or generated demo data.
type ImportedConsultation struct {
	Consultation *concord.Consultation
	Statements   []*concord.Statement   // Number and Author as in the source
	Participants []*concord.Participant // Number as in the source
	Votes        []concord.Vote         // latest vote per pair wins
	// Progress, when set, is told how many of the votes to store are
	// stored, as they are: large imports take a while.
	Progress func(done, total int)
}

// ImportConsultation stores a whole consultation in one transaction: all
// of it, or nothing.
func (d *DB) ImportConsultation(ctx context.Context, in *ImportedConsultation) error {
	c := in.Consultation
	ps := concord.Problems(c.Validate())
	nums := map[int]bool{}
	nextS := 0
	for _, s := range in.Statements {
		// Statements from other platforms may be longer than ours; they are kept whole.
		if s.Body = strings.TrimSpace(s.Body); s.Body == "" {
			ps = append(ps, concord.FieldError("statements", "statement %d has no text", s.Number))
		}
		if !s.Moderation.Valid() {
			ps = append(ps, concord.FieldError("statements", "statement %d has moderation %q", s.Number, s.Moderation))
		}
		if nums[s.Number] || s.Number < 0 {
			ps = append(ps, concord.FieldError("statements", "statement number %d is negative or repeated", s.Number))
		}
		nums[s.Number] = true
		nextS = max(nextS, s.Number+1)
	}
	people := map[int]bool{}
	nextP := 0
	for _, p := range in.Participants {
		if people[p.Number] || p.Number < 0 {
			ps = append(ps, concord.FieldError("participants", "participant number %d is negative or repeated", p.Number))
		}
		people[p.Number] = true
		nextP = max(nextP, p.Number+1)
	}
	for i, v := range in.Votes {
		if !nums[v.Statement] || !people[v.Participant] || !v.Value.Valid() {
			ps = append(ps, concord.FieldError("votes", "vote %d (participant %d, statement %d, value %d) names an unknown statement or participant, or is not agree, disagree or pass",
				i+1, v.Participant, v.Statement, v.Value))
			break
		}
	}
	if err := concord.Invalid(ps); err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		if err := d.insertConsultation(ctx, tx, c, nextS, nextP); err != nil {
			return err
		}
		now := c.CreatedAt.UnixMilli()
		st, err := tx.PrepareContext(ctx, `INSERT INTO consultation_statements (consultation_id, number, body, author, seed, moderation, meta, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, s := range in.Statements {
			s.ConsultationID = c.ID
			at := s.CreatedAt.UnixMilli()
			if s.CreatedAt.IsZero() {
				at = now
			}
			if _, err := st.ExecContext(ctx, c.ID, s.Number, s.Body, s.Author, flag01(s.Seed), string(s.Moderation), flag01(s.Meta), at); err != nil {
				return err
			}
		}
		pt, err := tx.PrepareContext(ctx, `INSERT INTO consultation_participants (consultation_id, number, account_id, anon_key, external, stakeholder_group, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`)
		if err != nil {
			return err
		}
		defer pt.Close()
		for _, p := range in.Participants {
			p.ConsultationID = c.ID
			if _, err := pt.ExecContext(ctx, c.ID, p.Number, nullableID(p.AccountID), nullableText(p.AnonKey), nullableText(p.External), p.StakeholderGroup, now); err != nil {
				if isUniqueViolation(err) {
					return concord.FieldError("participants", "participant %d is linked twice", p.Number)
				}
				return err
			}
		}
		// The latest vote of each pair, then many rows per INSERT: one
		// statement per row is what makes large imports slow.
		latest := make(map[[2]int]int, len(in.Votes))
		var order [][2]int
		for i, v := range in.Votes {
			k := [2]int{v.Participant, v.Statement}
			if _, ok := latest[k]; !ok {
				order = append(order, k)
			}
			latest[k] = i
		}
		const perInsert = 50
		insert := func(n int) string {
			var q strings.Builder
			q.WriteString(`INSERT INTO consultation_votes (consultation_id, participant, statement, value, at) VALUES `)
			for i := range n {
				if i > 0 {
					q.WriteByte(',')
				}
				fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d)", 5*i+1, 5*i+2, 5*i+3, 5*i+4, 5*i+5)
			}
			return q.String()
		}
		full, err := tx.PrepareContext(ctx, insert(perInsert))
		if err != nil {
			return err
		}
		defer full.Close()
		for start := 0; start < len(order); start += perInsert {
			chunk := order[start:min(len(order), start+perInsert)]
			args := make([]any, 0, 5*len(chunk))
			for _, k := range chunk {
				v := in.Votes[latest[k]]
				at := v.At.UnixMilli()
				if v.At.IsZero() {
					at = now
				}
				args = append(args, c.ID, v.Participant, v.Statement, int(v.Value), at)
			}
			if len(chunk) == perInsert {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, insert(len(chunk)), args...)
			}
			if err != nil {
				return err
			}
			if in.Progress != nil {
				in.Progress(start+len(chunk), len(order))
			}
		}
		return nil
	})
}
