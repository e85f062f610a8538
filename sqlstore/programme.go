package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/algo/assign"
	"concord/decisionlog"
)

// ---------------------------------------------------------------- calls

const programmeCallColumns = `id, forum_id, year, opens_at, closes_at, types_json, rules_json, description, created_at, published_at, published_decision`

func scanProgrammeCall(row interface{ Scan(...any) error }) (*concord.ProposalCall, error) {
	var c concord.ProposalCall
	var opens, closes, created int64
	var published sql.NullInt64
	var types, rules string
	if err := row.Scan(&c.ID, &c.ForumID, &c.Year, &opens, &closes, &types, &rules, &c.Description, &created, &published, &c.PublishedDecision); err != nil {
		return nil, err
	}
	c.Opens, c.Closes, c.CreatedAt, c.Published = fromMS(opens), fromMS(closes), fromMS(created), fromNullMS(published)
	if err := json.Unmarshal([]byte(types), &c.Types); err != nil {
		return nil, err
	}
	return &c, json.Unmarshal([]byte(rules), &c.Rules)
}

// CreateProposalCall stores a forum's call for session proposals; one per cycle year.
func (d *DB) CreateProposalCall(ctx context.Context, c *concord.ProposalCall) error {
	if err := c.Validate(); err != nil {
		return err
	}
	types, _ := json.Marshal(c.Types)
	rules, _ := json.Marshal(c.Rules)
	c.CreatedAt = fromMS(d.nowMS())
	err := d.db.QueryRowContext(ctx, `INSERT INTO programme_calls (forum_id, year, opens_at, closes_at, types_json, rules_json, description, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.ForumID, c.Year, c.Opens.UnixMilli(), c.Closes.UnixMilli(),
		string(types), string(rules), c.Description, c.CreatedAt.UnixMilli()).Scan(&c.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("year", "the forum already has a call for session proposals for %d", c.Year)
	}
	return err
}

// UpdateProposalCall saves a call's window, types, rules and description.
func (d *DB) UpdateProposalCall(ctx context.Context, c *concord.ProposalCall) error {
	if err := c.Validate(); err != nil {
		return err
	}
	types, _ := json.Marshal(c.Types)
	rules, _ := json.Marshal(c.Rules)
	res, err := d.db.ExecContext(ctx, `UPDATE programme_calls SET opens_at = $1, closes_at = $2, types_json = $3, rules_json = $4, description = $5
		WHERE id = $6 AND forum_id = $7`, c.Opens.UnixMilli(), c.Closes.UnixMilli(), string(types), string(rules), c.Description, c.ID, c.ForumID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("call for proposals", c.ID)
	}
	return nil
}

// ProposalCall finds a forum's call for session proposals by id.
func (d *DB) ProposalCall(ctx context.Context, forumID, id int64) (*concord.ProposalCall, error) {
	c, err := scanProgrammeCall(d.db.QueryRowContext(ctx, `SELECT `+programmeCallColumns+` FROM programme_calls WHERE forum_id = $1 AND id = $2`, forumID, id))
	if noRows(err) {
		return nil, notFound("call for proposals", id)
	}
	return c, err
}

// ProposalCalls lists a forum's calls for session proposals, newest cycle first.
func (d *DB) ProposalCalls(ctx context.Context, forumID int64) ([]*concord.ProposalCall, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+programmeCallColumns+` FROM programme_calls WHERE forum_id = $1 ORDER BY year DESC`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.ProposalCall
	for rows.Next() {
		c, err := scanProgrammeCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CycleOf returns the forum's cycle of a year, nil when there is none.
func (d *DB) CycleOf(ctx context.Context, forumID int64, year int) (*concord.Cycle, error) {
	cs, err := d.Cycles(ctx, forumID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Year == year {
			return c, nil
		}
	}
	return nil, nil
}

// ---------------------------------------------------------------- proposals

const proposalColumns = `id, call_id, forum_id, COALESCE(account_id, 0), COALESCE(proposer_id, 0), type, title, description,
	policy_questions_json, subtheme, format, languages_json, status, submitted_at, override, override_reason, override_by,
	created_at, updated_at, decision, decision_reason, merge_into, decision_index`

func scanProposal(row interface{ Scan(...any) error }) (*concord.Proposal, error) {
	var p concord.Proposal
	var questions, langs string
	var submitted sql.NullInt64
	var created, updated int64
	if err := row.Scan(&p.ID, &p.CallID, &p.ForumID, &p.AccountID, &p.ProposerID, &p.Type, &p.Title, &p.Description,
		&questions, &p.Subtheme, &p.Format, &langs, &p.Status, &submitted, &p.Override, &p.OverrideReason, &p.OverrideBy,
		&created, &updated, &p.Decision, &p.DecisionReason, &p.MergeInto, &p.DecisionIndex); err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(questions), &p.PolicyQuestions)
	json.Unmarshal([]byte(langs), &p.Languages)
	p.Submitted, p.CreatedAt, p.UpdatedAt = fromNullMS(submitted), fromMS(created), fromMS(updated)
	return &p, nil
}

// ProposalFilter narrows a list of proposals.
type ProposalFilter struct {
	AccountID int64 // a proposer's own
	Submitted bool  // submitted ones only
}

// Proposals lists a call's proposals with their people, oldest first.
func (d *DB) Proposals(ctx context.Context, callID int64, flt ProposalFilter) ([]*concord.Proposal, error) {
	return d.queryProposals(ctx, d.db, callID, flt, 0)
}

func (d *DB) queryProposals(ctx context.Context, q queryer, callID int64, flt ProposalFilter, id int64) ([]*concord.Proposal, error) {
	where, args := `call_id = $1`, []any{callID}
	if flt.AccountID != 0 {
		args = append(args, flt.AccountID)
		where += fmt.Sprintf(` AND account_id = $%d`, len(args))
	}
	if flt.Submitted {
		args = append(args, string(concord.ProposalSubmitted))
		where += fmt.Sprintf(` AND status = $%d`, len(args))
	}
	if id != 0 {
		args = append(args, id)
		where += fmt.Sprintf(` AND id = $%d`, len(args))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+proposalColumns+` FROM proposals WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Proposal
	byID := map[int64]*concord.Proposal{}
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	pw := `pr.call_id = $1`
	pargs := []any{callID}
	if id != 0 {
		pw, pargs = `pp.proposal_id = $1`, []any{id}
	}
	prows, err := q.QueryContext(ctx, `SELECT pp.proposal_id, pp.person_id, pp.role, p.name, p.email, COALESCE(o.name, ''),
		p.stakeholder_group, p.country, p.gender, pp.invited_at, pp.confirmed_at
		FROM proposal_people pp JOIN proposals pr ON pr.id = pp.proposal_id JOIN people p ON p.id = pp.person_id
		LEFT JOIN organisations o ON o.id = p.organisation_id
		WHERE `+pw+` ORDER BY pp.proposal_id, pp.position`, pargs...)
	if err != nil {
		return nil, err
	}
	defer prows.Close()
	for prows.Next() {
		var pid int64
		var x concord.SessionPerson
		var invited, confirmed sql.NullInt64
		if err := prows.Scan(&pid, &x.PersonID, &x.Role, &x.Name, &x.Email, &x.Organisation, &x.Group, &x.Country, &x.Gender,
			&invited, &confirmed); err != nil {
			return nil, err
		}
		x.Invited, x.Confirmed = fromNullMS(invited), fromNullMS(confirmed)
		if p := byID[pid]; p != nil {
			p.People = append(p.People, x)
		}
	}
	return out, prows.Err()
}

// Proposal finds a forum's proposal by id, with its people.
func (d *DB) Proposal(ctx context.Context, forumID, id int64) (*concord.Proposal, error) {
	var callID int64
	err := d.db.QueryRowContext(ctx, `SELECT call_id FROM proposals WHERE forum_id = $1 AND id = $2`, forumID, id).Scan(&callID)
	if noRows(err) {
		return nil, notFound("proposal", id)
	} else if err != nil {
		return nil, err
	}
	ps, err := d.queryProposals(ctx, d.db, callID, ProposalFilter{}, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, notFound("proposal", id)
	}
	return ps[0], nil
}

// PeopleByRefs resolves lines naming registry people, each a person number
// or an email address, to person ids; field names the form field at fault.
func (d *DB) PeopleByRefs(ctx context.Context, forumID int64, field string, refs []string) ([]int64, error) {
	var out []int64
	for _, ref := range refs {
		ref = strings.TrimSpace(ref)
		if ref == "" {
			continue
		}
		var id int64
		var err error
		if n, perr := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); perr == nil {
			err = d.db.QueryRowContext(ctx, `SELECT id FROM people WHERE forum_id = $1 AND id = $2`, forumID, n).Scan(&id)
		} else {
			err = d.db.QueryRowContext(ctx, `SELECT id FROM people WHERE forum_id = $1 AND email = $2 AND email <> ''`,
				forumID, strings.ToLower(ref)).Scan(&id)
		}
		if noRows(err) {
			return nil, concord.FieldError(field, "%q is not a person number or email in this forum's registry", ref)
		} else if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// ProposalPeople resolves each role's references (refs[role]) into a
// proposal's people. It returns those it could resolve, and the problems of
// every role together.
func (d *DB) ProposalPeople(ctx context.Context, forumID int64, refs map[concord.ProposalRole][]string) ([]concord.SessionPerson, error) {
	var people []concord.SessionPerson
	var ps []*concord.Error
	for _, role := range concord.ProposalRoles {
		ids, err := d.PeopleByRefs(ctx, forumID, string(role), refs[role])
		if err != nil {
			if concord.ErrorCode(err) != concord.EINVALID {
				return nil, err
			}
			ps = append(ps, concord.Problems(err)...)
			continue
		}
		for _, id := range ids {
			people = append(people, concord.SessionPerson{PersonID: id, Role: role})
		}
	}
	return people, concord.Invalid(ps)
}

// Invitation is a speaker to be asked, by an emailed link, to confirm.
type Invitation struct {
	Proposal *concord.Proposal
	Speaker  concord.SessionPerson
	Token    string
}

// SaveProposal stores a new proposal or changes the proposer's own while
// the call is open; submit marks it submitted (it stays editable until the
// call closes). The window is checked first, in the same transaction,
// against the store's clock. Speakers not yet invited get a token; the
// caller emails the returned invitations.
func (d *DB) SaveProposal(ctx context.Context, p *concord.Proposal, submit bool) ([]Invitation, error) {
	var invites []Invitation
	err := d.tx(ctx, func(tx *sql.Tx) error {
		c, err := scanProgrammeCall(tx.QueryRowContext(ctx, `SELECT `+programmeCallColumns+` FROM programme_calls WHERE id = $1 AND forum_id = $2`, p.CallID, p.ForumID))
		if noRows(err) {
			return notFound("call for proposals", p.CallID)
		} else if err != nil {
			return err
		}
		now := d.Now()
		if err := c.CheckOpen(now); err != nil {
			return err
		}
		cy, err := d.CycleOf(ctx, p.ForumID, c.Year)
		if err != nil {
			return err
		}
		if p.ID != 0 {
			var owner int64
			var status string
			var submitted sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT COALESCE(account_id, 0), status, submitted_at FROM proposals WHERE id = $1 AND call_id = $2`, p.ID, p.CallID).
				Scan(&owner, &status, &submitted)
			if noRows(err) || (err == nil && owner != p.AccountID) {
				return notFound("proposal", p.ID)
			} else if err != nil {
				return err
			}
			p.Status, p.Submitted = concord.ProposalStatus(status), fromNullMS(submitted)
		}
		if submit && p.Status != concord.ProposalSubmitted {
			p.Status, p.Submitted = concord.ProposalSubmitted, now
		}
		if err := p.Validate(c, cy); err != nil {
			return err
		}
		questions, _ := json.Marshal(nonNil(p.PolicyQuestions))
		langs, _ := json.Marshal(nonNil(p.Languages))
		var submitted, proposer any
		if !p.Submitted.IsZero() {
			submitted = p.Submitted.UnixMilli()
		}
		if p.ProposerID != 0 {
			proposer = p.ProposerID
		}
		p.UpdatedAt = fromMS(now.UnixMilli())
		if p.ID == 0 {
			p.CreatedAt = p.UpdatedAt
			err = tx.QueryRowContext(ctx, `INSERT INTO proposals (call_id, forum_id, account_id, proposer_id, type, title, description,
				policy_questions_json, subtheme, format, languages_json, status, submitted_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
				p.CallID, p.ForumID, p.AccountID, proposer, p.Type, p.Title, p.Description, string(questions), p.Subtheme, p.Format,
				string(langs), string(p.Status), submitted, p.CreatedAt.UnixMilli(), p.UpdatedAt.UnixMilli()).Scan(&p.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE proposals SET type = $1, title = $2, description = $3, policy_questions_json = $4,
				subtheme = $5, format = $6, languages_json = $7, status = $8, submitted_at = $9, updated_at = $10 WHERE id = $11`,
				p.Type, p.Title, p.Description, string(questions), p.Subtheme, p.Format, string(langs), string(p.Status), submitted,
				p.UpdatedAt.UnixMilli(), p.ID)
		}
		if err != nil {
			return err
		}
		invites, err = d.saveProposalPeople(ctx, tx, p, now)
		return err
	})
	return invites, err
}

// saveProposalPeople replaces the proposal's people, keeping the
// invitations and confirmations of those who stay in the same role.
func (d *DB) saveProposalPeople(ctx context.Context, tx *sql.Tx, p *concord.Proposal, now time.Time) ([]Invitation, error) {
	type kept struct {
		hash               sql.NullString
		invited, confirmed sql.NullInt64
	}
	old := map[string]kept{}
	rows, err := tx.QueryContext(ctx, `SELECT person_id, role, invite_hash, invited_at, confirmed_at FROM proposal_people WHERE proposal_id = $1`, p.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var pid int64
		var role string
		var k kept
		if err := rows.Scan(&pid, &role, &k.hash, &k.invited, &k.confirmed); err != nil {
			rows.Close()
			return nil, err
		}
		old[fmt.Sprint(pid, role)] = k
	}
	rows.Close()
	if _, err := tx.ExecContext(ctx, `DELETE FROM proposal_people WHERE proposal_id = $1`, p.ID); err != nil {
		return nil, err
	}
	var invites []Invitation
	for i := range p.People {
		x := &p.People[i]
		if err := tx.QueryRowContext(ctx, `SELECT p.name, p.email, COALESCE(o.name, ''), p.stakeholder_group, p.country, p.gender
			FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.forum_id = $1 AND p.id = $2`, p.ForumID, x.PersonID).
			Scan(&x.Name, &x.Email, &x.Organisation, &x.Group, &x.Country, &x.Gender); noRows(err) {
			return nil, concord.FieldError(string(x.Role), "there is no person %d in this forum's registry", x.PersonID)
		} else if err != nil {
			return nil, err
		}
		k := old[fmt.Sprint(x.PersonID, x.Role)]
		var token string
		if x.Role == concord.Speaker && !k.invited.Valid && x.Email != "" {
			token = newInviteToken()
			k.hash = sql.NullString{String: hashToken(token), Valid: true}
			k.invited = sql.NullInt64{Int64: now.UnixMilli(), Valid: true}
		}
		x.Invited, x.Confirmed = fromNullMS(k.invited), fromNullMS(k.confirmed)
		if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_people (proposal_id, person_id, role, position, invite_hash, invited_at, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.ID, x.PersonID, string(x.Role), i, k.hash, k.invited, k.confirmed); err != nil {
			if isUniqueViolation(err) {
				return nil, concord.FieldError(string(x.Role), "%s is listed twice", x.Name)
			}
			return nil, err
		}
		if token != "" {
			invites = append(invites, Invitation{Proposal: p, Speaker: *x, Token: token})
		}
	}
	return invites, nil
}

func newInviteToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SpeakerInvitation finds the proposal and speaker an emailed link is for.
func (d *DB) SpeakerInvitation(ctx context.Context, forumID int64, token string) (*concord.Proposal, concord.SessionPerson, error) {
	var pid, person int64
	err := d.db.QueryRowContext(ctx, `SELECT pp.proposal_id, pp.person_id FROM proposal_people pp JOIN proposals pr ON pr.id = pp.proposal_id
		WHERE pp.invite_hash = $1 AND pr.forum_id = $2`, hashToken(token), forumID).Scan(&pid, &person)
	if noRows(err) {
		return nil, concord.SessionPerson{}, errBadToken
	} else if err != nil {
		return nil, concord.SessionPerson{}, err
	}
	p, err := d.Proposal(ctx, forumID, pid)
	if err != nil {
		return nil, concord.SessionPerson{}, err
	}
	for _, x := range p.In(concord.Speaker) {
		if x.PersonID == person {
			return p, x, nil
		}
	}
	return nil, concord.SessionPerson{}, errBadToken
}

// ConfirmSpeaker records that the invited speaker agreed to speak. The link
// works until the call closes; confirming twice changes nothing.
func (d *DB) ConfirmSpeaker(ctx context.Context, forumID int64, token string) (*concord.Proposal, error) {
	p, _, err := d.SpeakerInvitation(ctx, forumID, token)
	if err != nil {
		return nil, err
	}
	c, err := d.ProposalCall(ctx, forumID, p.CallID)
	if err != nil {
		return nil, err
	}
	if err := c.CheckOpen(d.Now()); err != nil {
		return nil, err
	}
	_, err = d.db.ExecContext(ctx, `UPDATE proposal_people SET confirmed_at = $1 WHERE invite_hash = $2 AND confirmed_at IS NULL`,
		d.nowMS(), hashToken(token))
	if err != nil {
		return nil, err
	}
	return d.Proposal(ctx, forumID, p.ID)
}

// ---------------------------------------------------------------- screening

// ScreeningFacts gathers what the rules need about a call's people: how
// many submitted proposals each speaks in, and who sits on the advisory
// group in the call's cycle, and who owes a session report from an earlier
// cycle.
func (d *DB) ScreeningFacts(ctx context.Context, c *concord.ProposalCall) (concord.ScreeningFacts, error) {
	f := concord.ScreeningFacts{Sessions: map[int64]int{}, Advisory: map[int64]bool{}, OwesReport: map[int64]bool{}}
	rows, err := d.db.QueryContext(ctx, `SELECT pp.person_id, COUNT(DISTINCT pp.proposal_id) FROM proposal_people pp
		JOIN proposals pr ON pr.id = pp.proposal_id WHERE pr.call_id = $1 AND pr.status = $2 AND pp.role = $3 GROUP BY pp.person_id`,
		c.ID, string(concord.ProposalSubmitted), string(concord.Speaker))
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return f, err
		}
		f.Sessions[id] = n
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	arows, err := d.db.QueryContext(ctx, `SELECT person_id FROM advisory_terms WHERE forum_id = $1 AND first_year <= $2 AND last_year >= $2`, c.ForumID, c.Year)
	if err != nil {
		return f, err
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		if err := arows.Scan(&id); err != nil {
			return f, err
		}
		f.Advisory[id] = true
	}
	if err := arows.Err(); err != nil {
		return f, err
	}
	if c.Rules.ExcludeOwingReport {
		owed, err := d.OwedReports(ctx, c.ForumID, c.Year)
		if err != nil {
			return f, err
		}
		for _, o := range owed {
			for _, id := range o.People {
				f.OwesReport[id] = true
			}
		}
	}
	return f, nil
}

// Screening is a proposal with the rules it breaks and the outcome.
type Screening struct {
	Proposal *concord.Proposal
	Failures []concord.ScreeningFailure
	Passed   bool // after any override
}

// ScreenProposals screens a call's submitted proposals against its rules.
func (d *DB) ScreenProposals(ctx context.Context, c *concord.ProposalCall) ([]Screening, error) {
	ps, err := d.Proposals(ctx, c.ID, ProposalFilter{Submitted: true})
	if err != nil {
		return nil, err
	}
	facts, err := d.ScreeningFacts(ctx, c)
	if err != nil {
		return nil, err
	}
	out := make([]Screening, len(ps))
	for i, p := range ps {
		fs := c.Rules.Screen(p, facts)
		out[i] = Screening{Proposal: p, Failures: fs, Passed: p.Screened(fs)}
	}
	return out, nil
}

// OverrideScreening lets the secretariat pass or fail a submitted proposal
// whatever the rules say ("" hands it back to the rules), with a reason,
// recorded in the decision log.
func (d *DB) OverrideScreening(ctx context.Context, f *concord.Forum, id int64, override, reason, actor string) error {
	reason = strings.TrimSpace(reason)
	if !slices.Contains([]string{"", "pass", "fail"}, override) {
		return concord.FieldError("override", "%q is not pass, fail or the rules", override)
	}
	if override != "" && reason == "" {
		return concord.FieldError("reason", "say why the rules are overridden")
	}
	p, err := d.Proposal(ctx, f.ID, id)
	if err != nil {
		return err
	}
	if p.Status != concord.ProposalSubmitted {
		return concord.Errorf(concord.ECONFLICT, "Proposal %d is a draft; only submitted proposals are screened.", id)
	}
	result, _ := json.Marshal(map[string]any{"proposal": id, "override": override, "reason": reason})
	hash, err := decisionlog.InputsHash(map[string]any{"proposal": id, "title": p.Title, "updated_at": p.UpdatedAt.UnixMilli()})
	if err != nil {
		return err
	}
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return err
	}
	what := map[string]string{"": "screened by the rules", "pass": "passed by override", "fail": "failed by override"}[override]
	if _, _, err := log.Append(ctx, decisionlog.Entry{Forum: f.Slug, Kind: "programme.screening", Actor: actor, Time: d.Now(),
		Subject: fmt.Sprintf("Proposal %d %s", id, what), InputsHash: hash, Result: result}); err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `UPDATE proposals SET override = $1, override_reason = $2, override_by = $3 WHERE id = $4`,
		override, reason, actor, id)
	return err
}

// ScreenProposal screens one proposal, a draft as if it were submitted, so
// its proposer sees every failure while editing.
func (d *DB) ScreenProposal(ctx context.Context, c *concord.ProposalCall, p *concord.Proposal) ([]concord.ScreeningFailure, error) {
	facts, err := d.ScreeningFacts(ctx, c)
	if err != nil {
		return nil, err
	}
	if p.Status != concord.ProposalSubmitted {
		for _, s := range p.In(concord.Speaker) {
			facts.Sessions[s.PersonID]++
		}
	}
	return c.Rules.Screen(p, facts), nil
}

// ImportProposals stores proposals as they stand, confirmations included,
// in one transaction and outside their call's window: for proposals carried
// over from an earlier system, and for the demo. Each is validated against
// its call and cycle.
func (d *DB) ImportProposals(ctx context.Context, c *concord.ProposalCall, ps []*concord.Proposal) error {
	cy, err := d.CycleOf(ctx, c.ForumID, c.Year)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		for _, p := range ps {
			p.CallID, p.ForumID = c.ID, c.ForumID
			if err := p.Validate(c, cy); err != nil {
				return fmt.Errorf("proposal %q: %w", p.Title, err)
			}
			questions, _ := json.Marshal(nonNil(p.PolicyQuestions))
			langs, _ := json.Marshal(nonNil(p.Languages))
			var account, proposer, submitted any
			if p.AccountID != 0 {
				account = p.AccountID
			}
			if p.ProposerID != 0 {
				proposer = p.ProposerID
			}
			if !p.Submitted.IsZero() {
				submitted = p.Submitted.UnixMilli()
			}
			if p.CreatedAt.IsZero() {
				p.CreatedAt = fromMS(d.nowMS())
			}
			p.UpdatedAt = p.CreatedAt
			if err := tx.QueryRowContext(ctx, `INSERT INTO proposals (call_id, forum_id, account_id, proposer_id, type, title, description,
				policy_questions_json, subtheme, format, languages_json, status, submitted_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
				p.CallID, p.ForumID, account, proposer, p.Type, p.Title, p.Description, string(questions), p.Subtheme, p.Format,
				string(langs), string(p.Status), submitted, p.CreatedAt.UnixMilli(), p.UpdatedAt.UnixMilli()).Scan(&p.ID); err != nil {
				return err
			}
			for i, x := range p.People {
				var invited, confirmed any
				if !x.Invited.IsZero() {
					invited = x.Invited.UnixMilli()
				}
				if !x.Confirmed.IsZero() {
					confirmed = x.Confirmed.UnixMilli()
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_people (proposal_id, person_id, role, position, invited_at, confirmed_at)
					VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, x.PersonID, string(x.Role), i, invited, confirmed); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ---------------------------------------------------------------- evaluator assignment

// AssignmentInputs are the public inputs of an evaluator assignment; the
// decision log's inputs hash covers their canonical JSON.
type AssignmentInputs struct {
	Forum       string             `json:"forum"`
	Call        int64              `json:"call"`
	PerProposal int                `json:"per_proposal"`
	MinGroups   int                `json:"min_groups"`
	Proposals   []assign.Proposal  `json:"proposals"`
	Evaluators  []assign.Evaluator `json:"evaluators"`
}

// Assignment is a stored run of the evaluator assignment.
type Assignment struct {
	ID            int64
	CallID        int64
	Seed          string
	PerProposal   int
	MinGroups     int
	TotalAffinity float64
	Bound         float64
	InputsHash    string
	Decision      int64
	Actor         string
	CreatedAt     time.Time
	Pairs         []assign.Pair // proposal and evaluator ids in decimal
}

// Loads counts each evaluator's proposals.
func (a *Assignment) Loads() map[string]int {
	m := map[string]int{}
	for _, p := range a.Pairs {
		m[p.Evaluator]++
	}
	return m
}

// AssignmentInputs gathers the problem: the call's proposals that passed
// screening, and the advisory group sitting in the call's cycle with their
// organisations, their nomination statements as expertise, and their
// declared conflicts.
func (d *DB) AssignmentInputs(ctx context.Context, f *concord.Forum, c *concord.ProposalCall, perProposal int) (*AssignmentInputs, error) {
	in := &AssignmentInputs{Forum: f.Slug, Call: c.ID, PerProposal: perProposal, MinGroups: assign.DefaultMinGroups}
	screened, err := d.ScreenProposals(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, s := range screened {
		if !s.Passed {
			continue
		}
		p := assign.Proposal{ID: strconv.FormatInt(s.Proposal.ID, 10), Text: s.Proposal.Title + "\n" + s.Proposal.Description}
		for _, x := range s.Proposal.People {
			id := strconv.FormatInt(x.PersonID, 10)
			if !slices.Contains(p.People, id) {
				p.People = append(p.People, id)
			}
			if x.Organisation != "" && !slices.Contains(p.Organisations, x.Organisation) {
				p.Organisations = append(p.Organisations, x.Organisation)
			}
		}
		in.Proposals = append(in.Proposals, p)
	}
	members, _, err := d.AdvisoryGroup(ctx, f.ID, c.Year)
	if err != nil {
		return nil, err
	}
	statements := map[int64]string{}
	rows, err := d.db.QueryContext(ctx, `SELECT person_id, statement FROM nominations WHERE forum_id = $1 ORDER BY created_at, id`, f.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			rows.Close()
			return nil, err
		}
		statements[id] = s
	}
	rows.Close()
	conflicts := map[int64][]string{}
	crows, err := d.db.QueryContext(ctx, `SELECT ec.person_id, ec.proposal_id FROM evaluator_conflicts ec JOIN proposals p ON p.id = ec.proposal_id
		WHERE p.call_id = $1 ORDER BY ec.proposal_id`, c.ID)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, p := range in.Proposals {
		ids[p.ID] = true
	}
	for crows.Next() {
		var person, proposal int64
		if err := crows.Scan(&person, &proposal); err != nil {
			crows.Close()
			return nil, err
		}
		if pid := strconv.FormatInt(proposal, 10); ids[pid] {
			conflicts[person] = append(conflicts[person], pid)
		}
	}
	crows.Close()
	for _, m := range members {
		e := assign.Evaluator{ID: strconv.FormatInt(m.Person.ID, 10), Group: m.Person.StakeholderGroup,
			Organisation: m.Person.Organisation, Expertise: strings.TrimSpace(m.Person.Organisation + "\n" + statements[m.Person.ID]),
			Conflicts: conflicts[m.Person.ID]}
		// A member in conflict with every proposal cannot take a share of
		// the load, so they sit this assignment out.
		free := slices.ContainsFunc(in.Proposals, func(p assign.Proposal) bool {
			return !slices.Contains(p.People, e.ID) && !slices.Contains(e.Conflicts, p.ID) &&
				(e.Organisation == "" || !slices.Contains(p.Organisations, e.Organisation))
		})
		if free {
			in.Evaluators = append(in.Evaluators, e)
		}
	}
	return in, nil
}

// RunAssignment assigns evaluators to the call's screened proposals with
// the seed, records the run in the decision log (kind
// "programme.assignment") and stores it; it becomes the current one.
// Constraints that cannot hold come back as an EINVALID error naming each
// and by how much.
func (d *DB) RunAssignment(ctx context.Context, f *concord.Forum, c *concord.ProposalCall, perProposal int, seed uint64, actor string) (*Assignment, error) {
	if perProposal < 1 || perProposal > 20 {
		return nil, concord.FieldError("per_proposal", "%d is not between 1 and 20 evaluators", perProposal)
	}
	in, err := d.AssignmentInputs(ctx, f, c, perProposal)
	if err != nil {
		return nil, err
	}
	if len(in.Proposals) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "No proposal has passed screening yet: there is nothing to assign.")
	}
	res, err := assign.Assign(in.Proposals, in.Evaluators, assign.Options{PerProposal: perProposal, MinGroups: in.MinGroups, Seed: seed})
	var inf *assign.InfeasibleError
	switch {
	case errors.As(err, &inf):
		var ps []*concord.Error
		for _, r := range inf.Reasons {
			ps = append(ps, concord.FieldError("assignment", "%s", r))
		}
		return nil, &concord.Error{Code: concord.EINVALID, Field: "assignment",
			Message: "No assignment meets the constraints: " + strings.Join(inf.Reasons, "; "), Fields: ps}
	case err != nil:
		return nil, err
	}
	a := &Assignment{CallID: c.ID, Seed: strconv.FormatUint(seed, 10), PerProposal: perProposal, MinGroups: in.MinGroups,
		TotalAffinity: round6(res.TotalAffinity), Bound: round6(res.Bound), Actor: actor, Pairs: res.Pairs}
	if a.InputsHash, err = decisionlog.InputsHash(in); err != nil {
		return nil, err
	}
	type pair struct {
		Proposal  string `json:"proposal"`
		Evaluator string `json:"evaluator"`
	}
	out := struct {
		Assignments   []pair  `json:"assignments"`
		TotalAffinity float64 `json:"total_affinity"`
		Bound         float64 `json:"bound"`
	}{TotalAffinity: a.TotalAffinity, Bound: a.Bound}
	for _, p := range res.Pairs {
		out.Assignments = append(out.Assignments, pair{p.Proposal, p.Evaluator})
	}
	result, _ := json.Marshal(out)
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return nil, err
	}
	e, _, err := log.Append(ctx, decisionlog.Entry{Forum: f.Slug, Kind: "programme.assignment", Actor: actor, Time: d.Now(),
		Subject:    fmt.Sprintf("Evaluators for %d proposals of the %d call: %d each from %d advisory-group members", len(in.Proposals), c.Year, perProposal, len(in.Evaluators)),
		InputsHash: a.InputsHash, Seed: a.Seed, Result: result})
	if err != nil {
		return nil, err
	}
	a.Decision, a.CreatedAt = e.Index, e.Time
	err = d.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO programme_assignments (call_id, seed, per_proposal, min_groups, total_affinity, bound,
			inputs_hash, decision, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			c.ID, a.Seed, a.PerProposal, a.MinGroups, a.TotalAffinity, a.Bound, a.InputsHash, a.Decision, actor, a.CreatedAt.UnixMilli()).Scan(&a.ID); err != nil {
			return err
		}
		for _, p := range res.Pairs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_evaluators (assignment_id, proposal_id, person_id, affinity) VALUES ($1, $2, $3, $4)`,
				a.ID, p.Proposal, p.Evaluator, p.Affinity); err != nil {
				return err
			}
		}
		return nil
	})
	return a, err
}

// CurrentAssignment returns the call's latest assignment with its pairs,
// nil when none has run.
func (d *DB) CurrentAssignment(ctx context.Context, callID int64) (*Assignment, error) {
	var a Assignment
	var created int64
	err := d.db.QueryRowContext(ctx, `SELECT id, call_id, seed, per_proposal, min_groups, total_affinity, bound, inputs_hash, decision, actor, created_at
		FROM programme_assignments WHERE call_id = $1 ORDER BY id DESC LIMIT 1`, callID).
		Scan(&a.ID, &a.CallID, &a.Seed, &a.PerProposal, &a.MinGroups, &a.TotalAffinity, &a.Bound, &a.InputsHash, &a.Decision, &a.Actor, &created)
	if noRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	a.CreatedAt = fromMS(created)
	rows, err := d.db.QueryContext(ctx, `SELECT proposal_id, person_id, affinity FROM proposal_evaluators WHERE assignment_id = $1 ORDER BY proposal_id, person_id`, a.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p, e int64
		var aff float64
		if err := rows.Scan(&p, &e, &aff); err != nil {
			return nil, err
		}
		a.Pairs = append(a.Pairs, assign.Pair{Proposal: strconv.FormatInt(p, 10), Evaluator: strconv.FormatInt(e, 10), Affinity: aff})
	}
	return &a, rows.Err()
}

// DeclareConflict records that an evaluator has a conflict of interest with
// a proposal; the next assignment leaves the pair out, and scoring is refused.
func (d *DB) DeclareConflict(ctx context.Context, forumID, proposalID, personID int64, reason string) error {
	if _, err := d.Proposal(ctx, forumID, proposalID); err != nil {
		return err
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO evaluator_conflicts (proposal_id, person_id, reason, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (proposal_id, person_id) DO UPDATE SET reason = excluded.reason`, proposalID, personID, strings.TrimSpace(reason), d.nowMS())
	return err
}

// ---------------------------------------------------------------- evaluations

// EvaluatorTask is a proposal assigned to an evaluator, with their score if given.
type EvaluatorTask struct {
	Proposal   *concord.Proposal
	Evaluation *concord.Evaluation // nil: not scored yet
	Conflict   bool                // declared since the assignment
	// Flags shown to evaluators instead of the proposer's name.
	DevelopingCountry bool
	FirstTime         bool
}

// EvaluatorTasks lists the proposals of the call's current assignment given
// to an evaluator (a registry person), in proposal order.
func (d *DB) EvaluatorTasks(ctx context.Context, c *concord.ProposalCall, personID int64) ([]EvaluatorTask, error) {
	a, err := d.CurrentAssignment(ctx, c.ID)
	if err != nil || a == nil {
		return nil, err
	}
	mine := map[int64]bool{}
	for _, p := range a.Pairs {
		if p.Evaluator == strconv.FormatInt(personID, 10) {
			id, _ := strconv.ParseInt(p.Proposal, 10, 64)
			mine[id] = true
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	ps, err := d.Proposals(ctx, c.ID, ProposalFilter{Submitted: true})
	if err != nil {
		return nil, err
	}
	evals, err := d.evaluationsBy(ctx, c.ID, personID)
	if err != nil {
		return nil, err
	}
	conflicts, err := d.conflictsOf(ctx, c.ID, personID)
	if err != nil {
		return nil, err
	}
	earlier, err := d.earlierProposers(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []EvaluatorTask
	for _, p := range ps {
		if !mine[p.ID] {
			continue
		}
		t := EvaluatorTask{Proposal: p, Evaluation: evals[p.ID], Conflict: conflicts[p.ID], FirstTime: p.ProposerID != 0 && !earlier[p.ProposerID]}
		for _, x := range p.People {
			if x.PersonID == p.ProposerID || x.Role == concord.Organiser {
				t.DevelopingCountry = t.DevelopingCountry || concord.Developing(x.Country)
			}
		}
		if p.ProposerID != 0 && !slices.ContainsFunc(p.People, func(x concord.SessionPerson) bool { return x.PersonID == p.ProposerID }) {
			var country string
			if err := d.db.QueryRowContext(ctx, `SELECT country FROM people WHERE id = $1`, p.ProposerID).Scan(&country); err == nil {
				t.DevelopingCountry = t.DevelopingCountry || concord.Developing(country)
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// earlierProposers holds the people who proposed in an earlier call of the forum.
func (d *DB) earlierProposers(ctx context.Context, c *concord.ProposalCall) (map[int64]bool, error) {
	return idSet(ctx, d.db, `SELECT DISTINCT p.proposer_id FROM proposals p JOIN programme_calls c ON c.id = p.call_id
		WHERE c.forum_id = $1 AND c.year < $2 AND p.proposer_id IS NOT NULL`, c.ForumID, c.Year)
}

func (d *DB) conflictsOf(ctx context.Context, callID, personID int64) (map[int64]bool, error) {
	return idSet(ctx, d.db, `SELECT ec.proposal_id FROM evaluator_conflicts ec JOIN proposals p ON p.id = ec.proposal_id
		WHERE p.call_id = $1 AND ec.person_id = $2`, callID, personID)
}

const evaluationColumns = `e.proposal_id, e.person_id, e.score, e.comment, e.reason, e.merge_with, e.created_at, e.updated_at`

func scanEvaluation(row interface{ Scan(...any) error }) (*concord.Evaluation, error) {
	var e concord.Evaluation
	var created, updated int64
	if err := row.Scan(&e.ProposalID, &e.PersonID, &e.Score, &e.Comment, &e.Reason, &e.MergeWith, &created, &updated); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt = fromMS(created), fromMS(updated)
	return &e, nil
}

func (d *DB) evaluationsBy(ctx context.Context, callID, personID int64) (map[int64]*concord.Evaluation, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+evaluationColumns+` FROM evaluations e JOIN proposals p ON p.id = e.proposal_id
		WHERE p.call_id = $1 AND e.person_id = $2`, callID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*concord.Evaluation{}
	for rows.Next() {
		e, err := scanEvaluation(rows)
		if err != nil {
			return nil, err
		}
		out[e.ProposalID] = e
	}
	return out, rows.Err()
}

// Evaluations lists every score given in a call, by proposal then evaluator.
func (d *DB) Evaluations(ctx context.Context, callID int64) ([]*concord.Evaluation, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+evaluationColumns+` FROM evaluations e JOIN proposals p ON p.id = e.proposal_id
		WHERE p.call_id = $1 ORDER BY e.proposal_id, e.person_id`, callID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Evaluation
	for rows.Next() {
		e, err := scanEvaluation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveEvaluation stores or replaces an evaluator's score. It is refused
// when the current assignment does not give the proposal to the evaluator,
// or the evaluator declared a conflict with it.
func (d *DB) SaveEvaluation(ctx context.Context, forumID int64, e *concord.Evaluation) error {
	if err := e.Validate(); err != nil {
		return err
	}
	p, err := d.Proposal(ctx, forumID, e.ProposalID)
	if err != nil {
		return err
	}
	if e.MergeWith != 0 {
		if _, err := d.Proposal(ctx, forumID, e.MergeWith); err != nil {
			return concord.FieldError("merge_with", "there is no proposal %d", e.MergeWith)
		}
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposal_evaluators pe
			WHERE pe.assignment_id = (SELECT MAX(id) FROM programme_assignments WHERE call_id = $1) AND pe.proposal_id = $2 AND pe.person_id = $3`,
			p.CallID, e.ProposalID, e.PersonID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return concord.Errorf(concord.EINVALID, "Proposal %d is not assigned to you: only its assigned evaluators score it.", e.ProposalID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evaluator_conflicts WHERE proposal_id = $1 AND person_id = $2`,
			e.ProposalID, e.PersonID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return concord.Errorf(concord.EINVALID, "You declared a conflict of interest with proposal %d, so you may not score it.", e.ProposalID)
		}
		now := d.nowMS()
		e.UpdatedAt = fromMS(now)
		_, err := tx.ExecContext(ctx, `INSERT INTO evaluations (proposal_id, person_id, score, comment, reason, merge_with, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (proposal_id, person_id) DO UPDATE SET score = excluded.score,
			comment = excluded.comment, reason = excluded.reason, merge_with = excluded.merge_with, updated_at = excluded.updated_at`,
			e.ProposalID, e.PersonID, e.Score, e.Comment, e.Reason, e.MergeWith, now)
		return err
	})
}

// ImportEvaluations stores many scores in one transaction, for scores
// carried over from an earlier system and for the demo. Each must be valid
// and belong to a pair of the call's current assignment.
func (d *DB) ImportEvaluations(ctx context.Context, callID int64, es []*concord.Evaluation) error {
	a, err := d.CurrentAssignment(ctx, callID)
	if err != nil {
		return err
	}
	assigned := map[string]bool{}
	if a != nil {
		for _, p := range a.Pairs {
			assigned[p.Proposal+"/"+p.Evaluator] = true
		}
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		for _, e := range es {
			if err := e.Validate(); err != nil {
				return err
			}
			if !assigned[fmt.Sprintf("%d/%d", e.ProposalID, e.PersonID)] {
				return concord.Errorf(concord.EINVALID, "Proposal %d is not assigned to evaluator %d.", e.ProposalID, e.PersonID)
			}
			if e.CreatedAt.IsZero() {
				e.CreatedAt = fromMS(d.nowMS())
			}
			e.UpdatedAt = e.CreatedAt
			if _, err := tx.ExecContext(ctx, `INSERT INTO evaluations (proposal_id, person_id, score, comment, reason, merge_with, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, e.ProposalID, e.PersonID, e.Score, e.Comment, e.Reason, e.MergeWith, e.CreatedAt.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}

// ---------------------------------------------------------------- selection

// RankRow is a screened proposal in the ranking.
type RankRow struct {
	concord.Ranked
	Proposal *concord.Proposal
}

// Ranking ranks the call's screened proposals by their scores, raw or
// normalised per evaluator.
func (d *DB) Ranking(ctx context.Context, c *concord.ProposalCall, normalise bool) ([]RankRow, error) {
	screened, err := d.ScreenProposals(ctx, c)
	if err != nil {
		return nil, err
	}
	es, err := d.Evaluations(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*concord.Proposal{}
	var ids []int64
	for _, s := range screened {
		if s.Passed {
			ids = append(ids, s.Proposal.ID)
			byID[s.Proposal.ID] = s.Proposal
		}
	}
	es = slices.DeleteFunc(es, func(e *concord.Evaluation) bool { return byID[e.ProposalID] == nil })
	var out []RankRow
	for _, r := range concord.RankProposals(ids, es, normalise) {
		out = append(out, RankRow{Ranked: r, Proposal: byID[r.ProposalID]})
	}
	return out, nil
}

// DecideProposal records the secretariat's decision on a screened
// proposal in the decision log (kind "programme.decision"). Decisions are
// final once the accepted list is published.
func (d *DB) DecideProposal(ctx context.Context, f *concord.Forum, id int64, decision string, mergeInto int64, reason, actor string) error {
	reason = strings.TrimSpace(reason)
	if !slices.Contains(concord.ProposalDecisions, decision) {
		return concord.FieldError("decision", "%q is not accept, reject or accept_if_merged", decision)
	}
	p, err := d.Proposal(ctx, f.ID, id)
	if err != nil {
		return err
	}
	c, err := d.ProposalCall(ctx, f.ID, p.CallID)
	if err != nil {
		return err
	}
	if !c.Published.IsZero() {
		return concord.Errorf(concord.ECONFLICT, "The accepted list of the %d call is published; decisions are final.", c.Year)
	}
	if p.Status != concord.ProposalSubmitted {
		return concord.Errorf(concord.ECONFLICT, "Proposal %d is a draft; only submitted proposals are decided.", id)
	}
	if decision == concord.DecisionAcceptIfMerged {
		if mergeInto == 0 || mergeInto == id {
			return concord.FieldError("merge_into", "name the proposal to merge with")
		}
		if _, err := d.Proposal(ctx, f.ID, mergeInto); err != nil {
			return concord.FieldError("merge_into", "there is no proposal %d", mergeInto)
		}
	} else {
		mergeInto = 0
	}
	return d.decide(ctx, f, c, []int64{id}, decision, mergeInto, reason, actor)
}

// decide logs one decision over several proposals and stores it on each.
func (d *DB) decide(ctx context.Context, f *concord.Forum, c *concord.ProposalCall, ids []int64, decision string, mergeInto int64, reason, actor string) error {
	hash, err := decisionlog.InputsHash(map[string]any{"call": c.ID, "proposals": ids})
	if err != nil {
		return err
	}
	result, _ := json.Marshal(map[string]any{"proposals": ids, "decision": decision, "merge_into": mergeInto, "reason": reason})
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return err
	}
	subject := fmt.Sprintf("Proposal %d: %s", ids[0], strings.ReplaceAll(decision, "_", " "))
	if len(ids) > 1 {
		subject = fmt.Sprintf("%d proposals of the %d call: %s", len(ids), c.Year, strings.ReplaceAll(decision, "_", " "))
	}
	e, _, err := log.Append(ctx, decisionlog.Entry{Forum: f.Slug, Kind: "programme.decision", Actor: actor, Time: d.Now(),
		Subject: subject, InputsHash: hash, Result: result})
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE proposals SET decision = $1, decision_reason = $2, merge_into = $3, decision_index = $4 WHERE id = $5`,
				decision, reason, mergeInto, e.Index, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// AcceptTop accepts the n best-ranked screened proposals that have no
// decision yet, as one logged decision; the secretariat balances the rest.
func (d *DB) AcceptTop(ctx context.Context, f *concord.Forum, c *concord.ProposalCall, n int, normalise bool, actor string) (int, error) {
	if n < 1 {
		return 0, concord.FieldError("count", "%d is not a number of proposals", n)
	}
	if !c.Published.IsZero() {
		return 0, concord.Errorf(concord.ECONFLICT, "The accepted list of the %d call is published; decisions are final.", c.Year)
	}
	rows, err := d.Ranking(ctx, c, normalise)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, r := range rows {
		if len(ids) < n && r.Proposal.Decision == "" && r.Stats.N > 0 {
			ids = append(ids, r.ProposalID)
		}
	}
	if len(ids) == 0 {
		return 0, concord.Errorf(concord.EINVALID, "No scored proposal is left without a decision.")
	}
	how := "mean score"
	if normalise {
		how = "mean normalised score"
	}
	return len(ids), d.decide(ctx, f, c, ids, concord.DecisionAccept, 0, fmt.Sprintf("among the %d best by %s", n, how), actor)
}

// Notice is a decision to tell a proposer about.
type Notice struct {
	To       string
	Proposal *concord.Proposal
}

// PublishProgramme publishes the call's accepted list, recorded in the
// decision log (kind "programme.publication"), and returns one notice per
// decided proposal whose proposer has an email, for the caller to send.
func (d *DB) PublishProgramme(ctx context.Context, f *concord.Forum, c *concord.ProposalCall, actor string) ([]Notice, error) {
	if !c.Published.IsZero() {
		return nil, concord.Errorf(concord.ECONFLICT, "The accepted list of the %d call is published already.", c.Year)
	}
	ps, err := d.Proposals(ctx, c.ID, ProposalFilter{Submitted: true})
	if err != nil {
		return nil, err
	}
	var accepted []int64
	for _, p := range ps {
		if p.Decision == concord.DecisionAccept || p.Decision == concord.DecisionAcceptIfMerged {
			accepted = append(accepted, p.ID)
		}
	}
	if len(accepted) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "No proposal is accepted yet: there is nothing to publish.")
	}
	hash, err := decisionlog.InputsHash(map[string]any{"call": c.ID, "accepted": accepted})
	if err != nil {
		return nil, err
	}
	result, _ := json.Marshal(map[string]any{"accepted": accepted})
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return nil, err
	}
	e, _, err := log.Append(ctx, decisionlog.Entry{Forum: f.Slug, Kind: "programme.publication", Actor: actor, Time: d.Now(),
		Subject: fmt.Sprintf("Accepted sessions of the %d call: %d of %d proposals", c.Year, len(accepted), len(ps)), InputsHash: hash, Result: result})
	if err != nil {
		return nil, err
	}
	if _, err := d.db.ExecContext(ctx, `UPDATE programme_calls SET published_at = $1, published_decision = $2 WHERE id = $3`,
		e.Time.UnixMilli(), e.Index, c.ID); err != nil {
		return nil, err
	}
	c.Published, c.PublishedDecision = e.Time, e.Index
	var out []Notice
	for _, p := range ps {
		if p.Decision == "" {
			continue
		}
		var email string
		err := d.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT email FROM accounts WHERE id = $1), (SELECT email FROM people WHERE id = $2), '')`,
			p.AccountID, p.ProposerID).Scan(&email)
		if err != nil {
			return nil, err
		}
		if email != "" {
			out = append(out, Notice{To: email, Proposal: p})
		}
	}
	return out, nil
}

// Breakdown counts proposals by subtheme, by whether the proposer comes
// from a developing country or proposes for the first time, and their
// confirmed speakers by region, stakeholder group and gender, for the
// balance dashboard.
type Breakdown struct {
	Subtheme, Developing, FirstTime, Region, Group, Gender []Count
}

// ProgrammeBreakdown counts the proposals passing screening and the
// accepted ones, so the dashboard can compare them.
func (d *DB) ProgrammeBreakdown(ctx context.Context, c *concord.ProposalCall) (proposed, accepted Breakdown, err error) {
	screened, err := d.ScreenProposals(ctx, c)
	if err != nil {
		return proposed, accepted, err
	}
	earlier, err := d.earlierProposers(ctx, c)
	if err != nil {
		return proposed, accepted, err
	}
	countries := map[int64]string{}
	rows, err := d.db.QueryContext(ctx, `SELECT DISTINCT pe.id, pe.country FROM proposals p JOIN people pe ON pe.id = p.proposer_id WHERE p.call_id = $1`, c.ID)
	if err != nil {
		return proposed, accepted, err
	}
	for rows.Next() {
		var id int64
		var country string
		if err := rows.Scan(&id, &country); err != nil {
			rows.Close()
			return proposed, accepted, err
		}
		countries[id] = country
	}
	rows.Close()
	yesNo := map[bool]string{true: "yes", false: "no"}
	type counts struct{ sub, dev, first, reg, grp, gen map[string]int }
	newCounts := func() counts {
		return counts{map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}}
	}
	pc, ac := newCounts(), newCounts()
	add := func(k counts, p *concord.Proposal) {
		k.sub[p.Subtheme]++
		if p.ProposerID != 0 {
			k.dev[yesNo[concord.Developing(countries[p.ProposerID])]]++
			k.first[yesNo[!earlier[p.ProposerID]]]++
		}
		for _, x := range p.In(concord.Speaker) {
			if x.Confirmed.IsZero() {
				continue
			}
			k.reg[string(x.Region())]++
			k.grp[x.Group]++
			k.gen[string(x.Gender)]++
		}
	}
	for _, s := range screened {
		if !s.Passed {
			continue
		}
		add(pc, s.Proposal)
		if s.Proposal.Decision == concord.DecisionAccept || s.Proposal.Decision == concord.DecisionAcceptIfMerged {
			add(ac, s.Proposal)
		}
	}
	list := func(m map[string]int) []Count {
		var out []Count
		for k, n := range m {
			out = append(out, Count{Key: k, N: n})
		}
		slices.SortFunc(out, func(a, b Count) int { return strings.Compare(a.Key, b.Key) })
		return out
	}
	proposed = Breakdown{list(pc.sub), list(pc.dev), list(pc.first), list(pc.reg), list(pc.grp), list(pc.gen)}
	accepted = Breakdown{list(ac.sub), list(ac.dev), list(ac.first), list(ac.reg), list(ac.grp), list(ac.gen)}
	return proposed, accepted, nil
}
