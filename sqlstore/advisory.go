package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	selection "concord/algo/select"
	"concord/decisionlog"
)

// ---------------------------------------------------------------- rules

// AdvisoryRules returns the forum's composition rules, the IGF defaults when
// the secretariat has set none.
func (d *DB) AdvisoryRules(ctx context.Context, forumID int64) (concord.CompositionRules, error) {
	var s string
	err := d.db.QueryRowContext(ctx, `SELECT rules_json FROM advisory_rules WHERE forum_id = $1`, forumID).Scan(&s)
	if noRows(err) {
		return concord.DefaultCompositionRules(), nil
	}
	if err != nil {
		return concord.CompositionRules{}, err
	}
	var r concord.CompositionRules
	err = json.Unmarshal([]byte(s), &r)
	return r, err
}

// SetAdvisoryRules validates and stores the forum's composition rules.
func (d *DB) SetAdvisoryRules(ctx context.Context, f *concord.Forum, r concord.CompositionRules) error {
	if err := r.Validate(f); err != nil {
		return err
	}
	b, _ := json.Marshal(r)
	_, err := d.db.ExecContext(ctx, `INSERT INTO advisory_rules (forum_id, rules_json, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (forum_id) DO UPDATE SET rules_json = excluded.rules_json, updated_at = excluded.updated_at`,
		f.ID, string(b), d.nowMS())
	return err
}

// ---------------------------------------------------------------- calls

const callColumns = `id, forum_id, year, opens_at, closes_at, former_only, description, created_at`

func scanCall(row interface{ Scan(...any) error }) (*concord.NominationCall, error) {
	var c concord.NominationCall
	var opens, closes, created int64
	var former int
	if err := row.Scan(&c.ID, &c.ForumID, &c.Year, &opens, &closes, &former, &c.Description, &created); err != nil {
		return nil, err
	}
	c.Opens, c.Closes, c.CreatedAt, c.FormerMembersOnly = fromMS(opens), fromMS(closes), fromMS(created), former == 1
	return &c, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateNominationCall stores a forum's call for one cycle; one call per year.
func (d *DB) CreateNominationCall(ctx context.Context, c *concord.NominationCall) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.CreatedAt = fromMS(d.nowMS())
	err := d.db.QueryRowContext(ctx, `INSERT INTO nomination_calls (forum_id, year, opens_at, closes_at, former_only, description, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.ForumID, c.Year, c.Opens.UnixMilli(), c.Closes.UnixMilli(),
		boolInt(c.FormerMembersOnly), c.Description, c.CreatedAt.UnixMilli()).Scan(&c.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("year", "the forum already has a nomination call for %d", c.Year)
	}
	return err
}

// UpdateNominationCall saves a call's window, restriction and description.
func (d *DB) UpdateNominationCall(ctx context.Context, c *concord.NominationCall) error {
	if err := c.Validate(); err != nil {
		return err
	}
	res, err := d.db.ExecContext(ctx, `UPDATE nomination_calls SET opens_at = $1, closes_at = $2, former_only = $3, description = $4
		WHERE id = $5 AND forum_id = $6`, c.Opens.UnixMilli(), c.Closes.UnixMilli(), boolInt(c.FormerMembersOnly), c.Description, c.ID, c.ForumID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("nomination call", c.ID)
	}
	return nil
}

// NominationCall finds a forum's call by id.
func (d *DB) NominationCall(ctx context.Context, forumID, id int64) (*concord.NominationCall, error) {
	c, err := scanCall(d.db.QueryRowContext(ctx, `SELECT `+callColumns+` FROM nomination_calls WHERE forum_id = $1 AND id = $2`, forumID, id))
	if noRows(err) {
		return nil, notFound("nomination call", id)
	}
	return c, err
}

// NominationCalls lists a forum's calls, newest cycle first.
func (d *DB) NominationCalls(ctx context.Context, forumID int64) ([]*concord.NominationCall, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+callColumns+` FROM nomination_calls WHERE forum_id = $1 ORDER BY year DESC`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.NominationCall
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ---------------------------------------------------------------- nominations

const nominationColumns = `id, call_id, forum_id, person_id, COALESCE(nominated_by, 0), self, statement, name,
	stakeholder_group, country, region, gender, status, reason, score, created_at`

func scanNomination(row interface{ Scan(...any) error }) (*concord.Nomination, error) {
	var n concord.Nomination
	var self int
	var created int64
	if err := row.Scan(&n.ID, &n.CallID, &n.ForumID, &n.PersonID, &n.NominatedBy, &self, &n.Statement, &n.Name,
		&n.Group, &n.Country, &n.Region, &n.Gender, &n.Status, &n.Reason, &n.Score, &created); err != nil {
		return nil, err
	}
	n.Self, n.CreatedAt = self == 1, fromMS(created)
	return &n, nil
}

func (d *DB) queryNominations(ctx context.Context, q queryer, where string, args ...any) ([]*concord.Nomination, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+nominationColumns+` FROM nominations WHERE `+where+` ORDER BY name, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Nomination
	for rows.Next() {
		n, err := scanNomination(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Nominate stores a nomination while its call is open. The nominee's group,
// country, region and gender are copied from the registry. The window is
// checked in the same transaction as the insert, against the store's clock.
func (d *DB) Nominate(ctx context.Context, n *concord.Nomination) error {
	n.Status, n.Reason = concord.NominationSubmitted, ""
	return d.tx(ctx, func(tx *sql.Tx) error {
		c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM nomination_calls WHERE id = $1`, n.CallID))
		if noRows(err) {
			return notFound("nomination call", n.CallID)
		} else if err != nil {
			return err
		}
		now := d.Now()
		if now.Before(c.Opens) {
			return concord.Errorf(concord.EINVALID, "The call opens at %s; nominations are not accepted yet.", c.Opens.UTC().Format("2006-01-02 15:04 UTC"))
		}
		if !now.Before(c.Closes) {
			return concord.Errorf(concord.EINVALID, "The call closed at %s; nominations are no longer accepted.", c.Closes.UTC().Format("2006-01-02 15:04 UTC"))
		}
		// The window comes first: a late nomination is late, whatever else it lacks.
		if err := n.Validate(); err != nil {
			return err
		}
		p, err := scanPerson(tx.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.forum_id = $1 AND p.id = $2`, c.ForumID, n.PersonID))
		if noRows(err) {
			return concord.FieldError("person", "there is no person %d in this forum's registry", n.PersonID)
		} else if err != nil {
			return err
		}
		n.FillFromPerson(p)
		n.CreatedAt = fromMS(d.nowMS())
		var by any
		if n.NominatedBy != 0 {
			by = n.NominatedBy
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO nominations (call_id, forum_id, person_id, nominated_by, self, statement, name,
			stakeholder_group, country, region, gender, status, reason, score, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			n.CallID, n.ForumID, n.PersonID, by, boolInt(n.Self), n.Statement, n.Name, n.Group, n.Country, string(n.Region),
			string(n.Gender), string(n.Status), n.Reason, n.Score, n.CreatedAt.UnixMilli()).Scan(&n.ID)
		if isUniqueViolation(err) {
			return concord.FieldError("person", "%s is already nominated in this call", p.Name)
		}
		return err
	})
}

// Nomination finds a forum's nomination by id.
func (d *DB) Nomination(ctx context.Context, forumID, id int64) (*concord.Nomination, error) {
	n, err := scanNomination(d.db.QueryRowContext(ctx, `SELECT `+nominationColumns+` FROM nominations WHERE forum_id = $1 AND id = $2`, forumID, id))
	if noRows(err) {
		return nil, notFound("nomination", id)
	}
	return n, err
}

// Nominations lists a call's nominations by nominee name.
func (d *DB) Nominations(ctx context.Context, callID int64) ([]*concord.Nomination, error) {
	return d.queryNominations(ctx, d.db, `call_id = $1`, callID)
}

// AccountNominations lists the nominations an account made in a forum, and
// those of the registry person with the account's email.
func (d *DB) AccountNominations(ctx context.Context, forumID int64, a *concord.Account) ([]*concord.Nomination, error) {
	return d.queryNominations(ctx, d.db, `forum_id = $1 AND (nominated_by = $2 OR person_id IN
		(SELECT id FROM people WHERE forum_id = $1 AND email = $3 AND email <> ''))`, forumID, a.ID, a.Email)
}

// PersonByEmail finds the registry entry with an email in a forum.
func (d *DB) PersonByEmail(ctx context.Context, forumID int64, email string) (*concord.Person, error) {
	p, err := scanPerson(d.db.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.forum_id = $1 AND p.email = $2 AND p.email <> ''`,
		forumID, strings.ToLower(strings.TrimSpace(email))))
	if noRows(err) {
		return nil, notFound("person with email", email)
	}
	return p, err
}

// ReviewNomination sets a nomination's status, reason and score.
func (d *DB) ReviewNomination(ctx context.Context, n *concord.Nomination) error {
	if n.Status != concord.NominationIneligible {
		n.Reason = ""
	}
	if err := n.Validate(); err != nil {
		return err
	}
	res, err := d.db.ExecContext(ctx, `UPDATE nominations SET status = $1, reason = $2, score = $3 WHERE id = $4 AND forum_id = $5`,
		string(n.Status), n.Reason, n.Score, n.ID, n.ForumID)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return notFound("nomination", n.ID)
	}
	return nil
}

// CheckEligibility applies the rules to every submitted nomination of a call
// and marks it eligible or ineligible with the reason; it returns how many
// it decided. Nominations already reviewed are left as they are.
func (d *DB) CheckEligibility(ctx context.Context, f *concord.Forum, callID int64) (int, error) {
	c, err := d.NominationCall(ctx, f.ID, callID)
	if err != nil {
		return 0, err
	}
	rules, err := d.AdvisoryRules(ctx, f.ID)
	if err != nil {
		return 0, err
	}
	terms, err := d.termsByPerson(ctx, f.ID)
	if err != nil {
		return 0, err
	}
	ns, err := d.Nominations(ctx, callID)
	if err != nil {
		return 0, err
	}
	done := 0
	err = d.tx(ctx, func(tx *sql.Tx) error {
		for _, n := range ns {
			if n.Status != concord.NominationSubmitted {
				continue
			}
			ok, reason := rules.Eligibility(c, n, terms[n.PersonID])
			status := concord.NominationEligible
			if !ok {
				status = concord.NominationIneligible
			}
			if _, err := tx.ExecContext(ctx, `UPDATE nominations SET status = $1, reason = $2 WHERE id = $3 AND status = $4`,
				string(status), reason, n.ID, string(concord.NominationSubmitted)); err != nil {
				return err
			}
			done++
		}
		return nil
	})
	return done, err
}

// ---------------------------------------------------------------- terms

const termColumns = `id, forum_id, person_id, first_year, last_year, role, starts_at, ends_at, decision`

func scanTerm(row interface{ Scan(...any) error }) (concord.Term, error) {
	var t concord.Term
	var start, end int64
	err := row.Scan(&t.ID, &t.ForumID, &t.PersonID, &t.FirstYear, &t.LastYear, &t.Role, &start, &end, &t.Decision)
	t.Start, t.End = fromMS(start), fromMS(end)
	return t, err
}

// AddTerm stores an appointment, such as a member from before Concord.
func (d *DB) AddTerm(ctx context.Context, t *concord.Term) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return d.insertTerm(ctx, d.db, t)
}

func (d *DB) insertTerm(ctx context.Context, q queryer, t *concord.Term) error {
	err := q.QueryRowContext(ctx, `INSERT INTO advisory_terms (forum_id, person_id, first_year, last_year, role, starts_at, ends_at, decision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, t.ForumID, t.PersonID, t.FirstYear, t.LastYear, string(t.Role),
		t.Start.UnixMilli(), t.End.UnixMilli(), t.Decision).Scan(&t.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("person", "person %d already has a term starting in %d", t.PersonID, t.FirstYear)
	}
	return err
}

// Terms lists every term of a forum's advisory group, latest first.
func (d *DB) Terms(ctx context.Context, forumID int64) ([]concord.Term, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+termColumns+` FROM advisory_terms WHERE forum_id = $1 ORDER BY first_year DESC, id`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.Term
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (d *DB) termsByPerson(ctx context.Context, forumID int64) (map[int64][]concord.Term, error) {
	ts, err := d.Terms(ctx, forumID)
	out := map[int64][]concord.Term{}
	for _, t := range ts {
		out[t.PersonID] = append(out[t.PersonID], t)
	}
	return out, err
}

// AdvisoryMember is a seat of a composition with the person and term behind it.
type AdvisoryMember struct {
	Seat   concord.Seat
	Person *concord.Person
	Term   concord.Term
}

// AdvisoryGroup returns the members sitting in a cycle year, from the
// registry as it is now, with the composition the validator checks.
func (d *DB) AdvisoryGroup(ctx context.Context, forumID int64, year int) ([]AdvisoryMember, concord.Composition, error) {
	byPerson, err := d.termsByPerson(ctx, forumID)
	if err != nil {
		return nil, concord.Composition{}, err
	}
	comp := concord.Composition{Year: year}
	var out []AdvisoryMember
	for pid, ts := range byPerson {
		for _, t := range ts {
			if !t.Sits(year) {
				continue
			}
			p, err := d.Person(ctx, forumID, pid)
			if err != nil {
				return nil, comp, err
			}
			s := seatOf(p, t.Role, ts, year)
			out = append(out, AdvisoryMember{Seat: s, Person: p, Term: t})
		}
	}
	slices.SortFunc(out, func(a, b AdvisoryMember) int { return strings.Compare(a.Person.Name, b.Person.Name) })
	for _, m := range out {
		comp.Seats = append(comp.Seats, m.Seat)
	}
	return out, comp, nil
}

// seatOf describes a person's seat in year given all their terms.
func seatOf(p *concord.Person, role concord.AdvisoryRole, terms []concord.Term, year int) concord.Seat {
	s := concord.Seat{PersonID: p.ID, Name: p.Name, Group: p.StakeholderGroup, Country: p.Country, Region: p.Region(), Gender: p.Gender, Role: role}
	for _, t := range terms {
		s.Returning = s.Returning || t.Sits(year-1)
	}
	// Terms that run through year already count it; a new one adds itself.
	s.Consecutive = concord.ConsecutiveTerms(terms, year) + 1
	for _, t := range terms {
		if t.Sits(year) && t.FirstYear < year {
			s.Consecutive = concord.ConsecutiveTerms(terms, t.FirstYear) + 1
		}
	}
	return s
}

// ---------------------------------------------------------------- selection inputs

// AdvisoryInputs are the public inputs of a selection: everything needed to
// re-run it with `concord panel select`. Its canonical JSON is what the
// decision log's inputs hash covers.
type AdvisoryInputs struct {
	Forum    string                   `json:"forum"`
	Year     int                      `json:"year"`
	Method   string                   `json:"method"`
	Seats    int                      `json:"seats"`
	People   []InputPerson            `json:"people"`
	Quotas   []selection.Quota        `json:"quotas"`
	Balances []selection.Balance      `json:"balances"`
	Forced   []string                 `json:"forced"`
	Rules    concord.CompositionRules `json:"rules"`
}

// InputPerson is one nominee or continuing member: the registry person id
// and the features the quotas look at.
type InputPerson struct {
	ID       string            `json:"id"`
	Features map[string]string `json:"features"`
	Score    float64           `json:"score"`
}

// Categories of the selection, in the column order of people.csv.
const (
	catGroup    = "group"
	catRegion   = "region"
	catGender   = "gender"
	catRenewal  = "renewal"
	catReserved = "reserved"
)

// BuildAdvisoryInputs turns eligible nominees, continuing members and the
// rules into a selection problem. Observer groups sit outside the pool; the
// renewal rule becomes a quota on returning members.
func BuildAdvisoryInputs(f *concord.Forum, year int, method string, rules concord.CompositionRules,
	nominees []*concord.Nomination, continuing []concord.Seat, returning map[int64]bool) *AdvisoryInputs {
	in := &AdvisoryInputs{Forum: f.Slug, Year: year, Method: method, Seats: rules.Size, Rules: rules, Forced: []string{}, Balances: []selection.Balance{}}
	reserved := map[string]bool{}
	for _, r := range rules.Reserved {
		reserved[r.Country] = true
	}
	features := func(group, country string, region concord.Region, gender concord.Gender, back bool) map[string]string {
		m := map[string]string{catGroup: group, catRegion: string(region), catGender: string(gender), catRenewal: "new"}
		if back {
			m[catRenewal] = "returning"
		}
		if len(rules.Reserved) > 0 {
			m[catReserved] = "other"
			if reserved[country] {
				m[catReserved] = country
			}
		}
		return m
	}
	for _, s := range continuing {
		id := strconv.FormatInt(s.PersonID, 10)
		in.People = append(in.People, InputPerson{ID: id, Features: features(s.Group, s.Country, s.Region, s.Gender, true)})
		in.Forced = append(in.Forced, id)
	}
	for _, n := range nominees {
		if n.Status != concord.NominationEligible || slices.Contains(rules.ObserverGroups, n.Group) {
			continue
		}
		in.People = append(in.People, InputPerson{ID: strconv.FormatInt(n.PersonID, 10),
			Features: features(n.Group, n.Country, n.Region, n.Gender, returning[n.PersonID]), Score: n.Score})
	}
	k := rules.Size
	for _, g := range f.Groups {
		if slices.Contains(rules.ObserverGroups, g.Slug) {
			continue
		}
		q := selection.Quota{Category: catGroup, Feature: g.Slug, Min: 0, Max: k}
		if g.Slug == rules.GovernmentGroup {
			q.Max = concord.MaxSeats(k, rules.GovernmentMaxPercent)
		}
		in.Quotas = append(in.Quotas, q)
	}
	for _, r := range concord.Regions {
		in.Quotas = append(in.Quotas, selection.Quota{Category: catRegion, Feature: string(r), Min: rules.RegionMin, Max: concord.MaxSeats(k, rules.RegionMaxPercent)})
	}
	for _, g := range concord.Genders {
		in.Quotas = append(in.Quotas, selection.Quota{Category: catGender, Feature: string(g), Min: 0, Max: concord.MaxSeats(k, rules.GenderMaxPercent)})
	}
	fresh := concord.MinSeats(k, rules.RenewalMinPercent)
	in.Quotas = append(in.Quotas, selection.Quota{Category: catRenewal, Feature: "new", Min: fresh, Max: k},
		selection.Quota{Category: catRenewal, Feature: "returning", Min: 0, Max: k - fresh})
	if len(rules.Reserved) > 0 {
		for _, r := range rules.Reserved {
			in.Quotas = append(in.Quotas, selection.Quota{Category: catReserved, Feature: r.Country, Min: r.Seats, Max: k})
		}
		in.Quotas = append(in.Quotas, selection.Quota{Category: catReserved, Feature: "other", Min: 0, Max: k})
	}
	if len(rules.BalancedGroups) > 1 {
		in.Balances = append(in.Balances, selection.Balance{Category: catGroup, Features: slices.Clone(rules.BalancedGroups), MaxDiff: rules.BalanceWithin})
	}
	return in
}

// Instance is the selection problem the inputs describe.
func (in *AdvisoryInputs) Instance() *selection.Instance {
	inst := &selection.Instance{Quotas: in.Quotas, Seats: in.Seats, Forced: in.Forced, Balances: in.Balances}
	for _, p := range in.People {
		inst.People = append(inst.People, selection.Person{ID: p.ID, Features: p.Features, Score: p.Score})
	}
	return inst
}

func (in *AdvisoryInputs) categories() []string {
	var out []string
	for _, q := range in.Quotas {
		if !slices.Contains(out, q.Category) {
			out = append(out, q.Category)
		}
	}
	return out
}

// PeopleCSV writes the pool in the layout `concord panel select --people` reads.
func (in *AdvisoryInputs) PeopleCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	cats := in.categories()
	w.Write(append(append([]string{"id"}, cats...), "score"))
	for _, p := range in.People {
		row := []string{p.ID}
		for _, c := range cats {
			row = append(row, p.Features[c])
		}
		w.Write(append(row, strconv.FormatFloat(p.Score, 'g', -1, 64)))
	}
	w.Flush()
	return b.Bytes()
}

// CategoriesCSV writes the quotas in the layout `concord panel select --quotas` reads.
func (in *AdvisoryInputs) CategoriesCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"category", "feature", "min", "max"})
	for _, q := range in.Quotas {
		w.Write([]string{q.Category, q.Feature, strconv.Itoa(q.Min), strconv.Itoa(q.Max)})
	}
	w.Flush()
	return b.Bytes()
}

// Command is the command line that re-runs the selection on the two CSV files.
func (in *AdvisoryInputs) Command(seed string) string {
	args := []string{"concord panel select --people people.csv --quotas categories.csv",
		"--seats " + strconv.Itoa(in.Seats), "--method " + in.Method, "--seed " + seed}
	if len(in.Forced) > 0 {
		args = append(args, "--forced "+strings.Join(in.Forced, ","))
	}
	for _, b := range in.Balances {
		args = append(args, fmt.Sprintf(`--balance "%s=%s:%d"`, b.Category, strings.Join(b.Features, ","), b.MaxDiff))
	}
	return strings.Join(append(args, "--json"), " ")
}

// ---------------------------------------------------------------- selections

// AdvisorySelection is one run of the selection, as recorded.
type AdvisorySelection struct {
	ID         int64
	ForumID    int64
	Year       int
	Method     string
	Seed       string
	InputsHash string
	Inputs     *AdvisoryInputs
	InputsJSON []byte // canonical: its SHA-256 is InputsHash
	Result     SelectionResult
	Decision   int64
	Actor      string
	CreatedAt  time.Time
	// Published is zero until the secretariat publishes the composition.
	Published         time.Time
	PublishedDecision int64
}

// SelectionResult is what a selection produced, as written to the decision log.
type SelectionResult struct {
	Panel          []string           `json:"panel"`
	Probabilities  map[string]float64 `json:"probabilities"`
	MinProbability float64            `json:"min_probability"`
	Compositions   int                `json:"compositions"`
	Score          *float64           `json:"score,omitempty"`
}

// Selection methods.
const (
	MethodLeximin = "leximin"
	MethodOptimal = "optimal"
)

// round6 keeps probabilities readable in the log; the panel is exact.
func round6(p float64) float64 { return math.Round(p*1e6) / 1e6 }

// RunAdvisorySelection selects the cycle's advisory group among the call's
// eligible nominees, with continuing members seated, by the leximin lottery
// drawn with seed or by the optimal score, and records it in the decision
// log. Rules that no composition can satisfy come back as an EINVALID error
// listing the conflicts.
func (d *DB) RunAdvisorySelection(ctx context.Context, f *concord.Forum, callID int64, method string, seed uint64, actor string) (*AdvisorySelection, error) {
	if method != MethodLeximin && method != MethodOptimal {
		return nil, concord.FieldError("method", "%q is not leximin or optimal", method)
	}
	call, err := d.NominationCall(ctx, f.ID, callID)
	if err != nil {
		return nil, err
	}
	if pub, err := d.PublishedSelection(ctx, f.ID, call.Year); err != nil {
		return nil, err
	} else if pub != nil {
		return nil, concord.Errorf(concord.ECONFLICT, "The advisory group for %d is published already (decision %d).", call.Year, pub.PublishedDecision)
	}
	rules, err := d.AdvisoryRules(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	nominees, err := d.Nominations(ctx, callID)
	if err != nil {
		return nil, err
	}
	byPerson, err := d.termsByPerson(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	members, _, err := d.AdvisoryGroup(ctx, f.ID, call.Year)
	if err != nil {
		return nil, err
	}
	var continuing []concord.Seat
	for _, m := range members {
		if m.Seat.Role.Voting() {
			continuing = append(continuing, m.Seat)
		}
	}
	returning := map[int64]bool{}
	for pid, ts := range byPerson {
		for _, t := range ts {
			returning[pid] = returning[pid] || t.Sits(call.Year-1)
		}
	}
	in := BuildAdvisoryInputs(f, call.Year, method, rules, nominees, continuing, returning)
	sel := &AdvisorySelection{ForumID: f.ID, Year: call.Year, Method: method, Seed: strconv.FormatUint(seed, 10), Inputs: in, Actor: actor}
	if len(in.People) < in.Seats {
		return nil, concord.Errorf(concord.EINVALID, "There are %d eligible nominees and continuing members for %d seats: check eligibility first, or lower the size.", len(in.People), in.Seats)
	}
	res, err := runSelection(ctx, in, seed)
	if err != nil {
		return nil, err
	}
	sel.Result = *res
	raw, _ := json.Marshal(in)
	if sel.InputsJSON, err = decisionlog.CanonicalJSON(raw); err != nil {
		return nil, err
	}
	if sel.InputsHash, err = decisionlog.InputsHash(in); err != nil {
		return nil, err
	}
	result, _ := json.Marshal(sel.Result)
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return nil, err
	}
	subject := fmt.Sprintf("Advisory group %d: %s selection of %d from %d", call.Year, method, in.Seats, len(in.People))
	e, _, err := log.Append(ctx, decisionlog.Entry{Forum: f.Slug, Kind: "advisory.selection", Actor: actor, Time: d.Now(),
		Subject: subject, InputsHash: sel.InputsHash, Seed: sel.Seed, Result: result})
	if err != nil {
		return nil, err
	}
	sel.Decision, sel.CreatedAt = e.Index, e.Time
	// The log entry is the record; this row keeps the inputs for the pages.
	err = d.db.QueryRowContext(ctx, `INSERT INTO advisory_selections (forum_id, year, method, seed, inputs_hash, inputs_json, result_json, decision, actor, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, f.ID, sel.Year, method, sel.Seed, sel.InputsHash,
		string(sel.InputsJSON), string(result), sel.Decision, actor, sel.CreatedAt.UnixMilli()).Scan(&sel.ID)
	return sel, err
}

// runSelection solves the inputs' problem; seed drives the leximin draw.
func runSelection(ctx context.Context, in *AdvisoryInputs, seed uint64) (*SelectionResult, error) {
	inst := in.Instance()
	res := &SelectionResult{Probabilities: map[string]float64{}}
	var err error
	switch in.Method {
	case MethodLeximin:
		var dist *selection.Distribution
		if dist, err = selection.Leximin(ctx, inst, selection.Options{}); err == nil {
			res.Panel = selection.Draw(dist, selection.NewRand(seed))
			for i, id := range dist.People {
				res.Probabilities[id] = round6(dist.Probabilities[i])
			}
			res.MinProbability, res.Compositions = round6(dist.MinProbability), len(dist.Panels)
		}
	default:
		var s *selection.Selection
		if s, err = selection.Optimal(ctx, inst); err == nil {
			res.Panel, res.Score, res.Compositions = s.Members, &s.Score, 1
			for _, p := range in.People {
				res.Probabilities[p.ID] = 0
			}
			for _, id := range s.Members {
				res.Probabilities[id] = 1
			}
			res.MinProbability = 1
			for _, p := range res.Probabilities {
				res.MinProbability = min(res.MinProbability, p)
			}
		}
	}
	var inf *selection.InfeasibleError
	var bad *selection.InvalidError
	switch {
	case errors.As(err, &inf):
		var ps []*concord.Error
		for _, r := range inf.Reasons {
			ps = append(ps, concord.FieldError("rules", "%s", r))
		}
		return nil, &concord.Error{Code: concord.EINVALID, Field: "rules",
			Message: "No composition satisfies the rules: " + strings.Join(inf.Reasons, "; "), Fields: ps}
	case errors.As(err, &bad):
		return nil, concord.FieldError("rules", "%s", bad.Reason)
	case err != nil:
		return nil, err
	}
	return res, nil
}

const selectionColumns = `id, forum_id, year, method, seed, inputs_hash, inputs_json, result_json, decision, actor, created_at,
	published_at, published_decision`

func scanSelection(row interface{ Scan(...any) error }) (*AdvisorySelection, error) {
	var s AdvisorySelection
	var inputs, result string
	var created int64
	var published sql.NullInt64
	if err := row.Scan(&s.ID, &s.ForumID, &s.Year, &s.Method, &s.Seed, &s.InputsHash, &inputs, &result, &s.Decision,
		&s.Actor, &created, &published, &s.PublishedDecision); err != nil {
		return nil, err
	}
	s.InputsJSON, s.CreatedAt, s.Published = []byte(inputs), fromMS(created), fromNullMS(published)
	s.Inputs = &AdvisoryInputs{}
	if err := json.Unmarshal(s.InputsJSON, s.Inputs); err != nil {
		return nil, err
	}
	return &s, json.Unmarshal([]byte(result), &s.Result)
}

// AdvisorySelectionByID finds a forum's selection.
func (d *DB) AdvisorySelectionByID(ctx context.Context, forumID, id int64) (*AdvisorySelection, error) {
	s, err := scanSelection(d.db.QueryRowContext(ctx, `SELECT `+selectionColumns+` FROM advisory_selections WHERE forum_id = $1 AND id = $2`, forumID, id))
	if noRows(err) {
		return nil, notFound("selection", id)
	}
	return s, err
}

// AdvisorySelections lists a forum's selections for a year, or for every
// year when year is 0, newest first.
func (d *DB) AdvisorySelections(ctx context.Context, forumID int64, year int) ([]*AdvisorySelection, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+selectionColumns+` FROM advisory_selections
		WHERE forum_id = $1 AND (year = $2 OR $3 = 0) ORDER BY id DESC`, forumID, year, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*AdvisorySelection
	for rows.Next() {
		s, err := scanSelection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// PublishedSelection returns the selection published for a year, nil if none.
func (d *DB) PublishedSelection(ctx context.Context, forumID int64, year int) (*AdvisorySelection, error) {
	s, err := scanSelection(d.db.QueryRowContext(ctx, `SELECT `+selectionColumns+` FROM advisory_selections
		WHERE forum_id = $1 AND year = $2 AND published_at IS NOT NULL`, forumID, year))
	if noRows(err) {
		return nil, nil
	}
	return s, err
}

// ProposedGroup is the composition a selection would give: its panel,
// continuing members included, and the call's eligible observers.
func (d *DB) ProposedGroup(ctx context.Context, f *concord.Forum, sel *AdvisorySelection) (concord.Composition, error) {
	comp := concord.Composition{Year: sel.Year}
	byPerson, err := d.termsByPerson(ctx, f.ID)
	if err != nil {
		return comp, err
	}
	seats, err := d.proposedSeats(ctx, f, sel)
	if err != nil {
		return comp, err
	}
	for _, s := range seats {
		p, err := d.Person(ctx, f.ID, s.PersonID)
		if err != nil {
			return comp, err
		}
		seat := seatOf(p, s.Role, byPerson[p.ID], sel.Year)
		comp.Seats = append(comp.Seats, seat)
	}
	return comp, nil
}

type proposedSeat struct {
	PersonID int64
	Role     concord.AdvisoryRole
	New      bool // not a continuing member: gets a new term
}

// proposedSeats assigns roles: reserved seats go to the first panel members
// from each reserved country, observers are the eligible nominees of the
// observer groups.
func (d *DB) proposedSeats(ctx context.Context, f *concord.Forum, sel *AdvisorySelection) ([]proposedSeat, error) {
	rules := sel.Inputs.Rules
	left := map[string]int{}
	for _, r := range rules.Reserved {
		left[r.Country] = r.Seats
	}
	var out []proposedSeat
	for _, id := range sel.Result.Panel {
		pid, _ := strconv.ParseInt(id, 10, 64)
		role := concord.AdvisoryMember
		p := slices.IndexFunc(sel.Inputs.People, func(x InputPerson) bool { return x.ID == id })
		if p >= 0 {
			if c := sel.Inputs.People[p].Features[catReserved]; left[c] > 0 {
				left[c]--
				role = concord.AdvisoryReserved
			}
		}
		out = append(out, proposedSeat{PersonID: pid, Role: role, New: !slices.Contains(sel.Inputs.Forced, id)})
	}
	calls, err := d.NominationCalls(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range calls {
		if c.Year != sel.Year {
			continue
		}
		ns, err := d.Nominations(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if slices.Contains(rules.ObserverGroups, n.Group) && (n.Status == concord.NominationEligible || n.Status == concord.NominationSelected) {
				out = append(out, proposedSeat{PersonID: n.PersonID, Role: concord.AdvisoryObserver, New: true})
			}
		}
	}
	return out, nil
}

// PublishAdvisorySelection appoints the selection's composition: a term for
// every new member and observer, nomination statuses set to selected or not
// selected, and an "advisory.composition" decision-log entry. One selection
// per forum and year can be published; a unique index holds that.
func (d *DB) PublishAdvisorySelection(ctx context.Context, f *concord.Forum, id int64, actor string) (*AdvisorySelection, error) {
	sel, err := d.AdvisorySelectionByID(ctx, f.ID, id)
	if err != nil {
		return nil, err
	}
	seats, err := d.proposedSeats(ctx, f, sel)
	if err != nil {
		return nil, err
	}
	rules := sel.Inputs.Rules
	y := sel.Year
	start := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(y+rules.TermYears-1, time.December, 31, 0, 0, 0, 0, time.UTC)
	now := d.nowMS()
	var terms []*concord.Term
	err = d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE advisory_selections SET published_at = $1 WHERE id = $2 AND published_at IS NULL`, now, sel.ID)
		if isUniqueViolation(err) {
			return concord.Errorf(concord.ECONFLICT, "A composition for %d is published already.", y)
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return concord.Errorf(concord.ECONFLICT, "This selection is published already.")
		}
		chosen := map[int64]bool{}
		for _, s := range seats {
			chosen[s.PersonID] = true
			if !s.New {
				continue
			}
			t := &concord.Term{ForumID: f.ID, PersonID: s.PersonID, FirstYear: y, LastYear: y + rules.TermYears - 1,
				Role: s.Role, Start: start, End: end, Decision: -1}
			if err := d.insertTerm(ctx, tx, t); err != nil {
				return err
			}
			terms = append(terms, t)
		}
		rows, err := tx.QueryContext(ctx, `SELECT n.id, n.person_id FROM nominations n JOIN nomination_calls c ON c.id = n.call_id
			WHERE c.forum_id = $1 AND c.year = $2 AND n.status IN ($3, $4)`, f.ID, y, string(concord.NominationEligible), string(concord.NominationSelected))
		if err != nil {
			return err
		}
		type nom struct{ id, person int64 }
		var ns []nom
		for rows.Next() {
			var n nom
			if err := rows.Scan(&n.id, &n.person); err != nil {
				rows.Close()
				return err
			}
			ns = append(ns, n)
		}
		rows.Close()
		for _, n := range ns {
			st := concord.NominationNotSelected
			if chosen[n.person] {
				st = concord.NominationSelected
			}
			if _, err := tx.ExecContext(ctx, `UPDATE nominations SET status = $1 WHERE id = $2`, string(st), n.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	type member struct {
		Person int64  `json:"person"`
		Role   string `json:"role"`
		New    bool   `json:"new"`
	}
	var ms []member
	for _, s := range seats {
		ms = append(ms, member{s.PersonID, string(s.Role), s.New})
	}
	result, _ := json.Marshal(map[string]any{"selection_decision": sel.Decision, "year": y, "first_year": y,
		"last_year": y + rules.TermYears - 1, "members": ms})
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return nil, err
	}
	e, _, err := log.Append(ctx, decisionlog.Entry{Forum: f.Slug, Kind: "advisory.composition", Actor: actor, Time: d.Now(),
		Subject:    fmt.Sprintf("Advisory group %d published: %d seats from selection %d", y, len(seats), sel.Decision),
		InputsHash: sel.InputsHash, Seed: sel.Seed, Result: result})
	if err != nil {
		return nil, err
	}
	sel.Published, sel.PublishedDecision = fromMS(now), e.Index
	if _, err := d.db.ExecContext(ctx, `UPDATE advisory_selections SET published_decision = $1 WHERE id = $2`, e.Index, sel.ID); err != nil {
		return nil, err
	}
	_, err = d.db.ExecContext(ctx, `UPDATE advisory_terms SET decision = $1 WHERE forum_id = $2 AND first_year = $3 AND decision = -1`, e.Index, f.ID, y)
	return sel, err
}

// ProposedComposition is the composition of the given registry people for a
// year, for the validator: observer groups sit as observers, others as members.
func (d *DB) ProposedComposition(ctx context.Context, f *concord.Forum, year int, personIDs []int64) (concord.Composition, error) {
	comp := concord.Composition{Year: year}
	rules, err := d.AdvisoryRules(ctx, f.ID)
	if err != nil {
		return comp, err
	}
	byPerson, err := d.termsByPerson(ctx, f.ID)
	if err != nil {
		return comp, err
	}
	for _, id := range personIDs {
		p, err := d.Person(ctx, f.ID, id)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			return comp, concord.FieldError("people", "there is no person %d in this forum's registry", id)
		} else if err != nil {
			return comp, err
		}
		role := concord.AdvisoryMember
		if slices.Contains(rules.ObserverGroups, p.StakeholderGroup) {
			role = concord.AdvisoryObserver
		}
		comp.Seats = append(comp.Seats, seatOf(p, role, byPerson[p.ID], year))
	}
	return comp, nil
}

// ---------------------------------------------------------------- terms edited by hand

// Term finds one of a forum's terms.
func (d *DB) Term(ctx context.Context, forumID, id int64) (concord.Term, error) {
	t, err := scanTerm(d.db.QueryRowContext(ctx, `SELECT `+termColumns+` FROM advisory_terms WHERE forum_id = $1 AND id = $2`, forumID, id))
	if noRows(err) {
		return t, notFound("term", id)
	}
	return t, err
}

// groupComposition is the composition sitting in year according to
// byPerson, which may hold a change not yet stored; people caches the
// registry across years.
func (d *DB) groupComposition(ctx context.Context, forumID int64, byPerson map[int64][]concord.Term, year int, people map[int64]*concord.Person) (concord.Composition, error) {
	comp := concord.Composition{Year: year}
	for pid, ts := range byPerson {
		for _, t := range ts {
			if !t.Sits(year) {
				continue
			}
			p := people[pid]
			if p == nil {
				var err error
				if p, err = d.Person(ctx, forumID, pid); err != nil {
					return comp, err
				}
				people[pid] = p
			}
			comp.Seats = append(comp.Seats, seatOf(p, t.Role, ts, year))
		}
	}
	// Map order must not reach the messages, which name people.
	slices.SortFunc(comp.Seats, func(a, b concord.Seat) int { return cmp.Compare(a.PersonID, b.PersonID) })
	return comp, nil
}

// checkTermEdit validates an edit against the registry and the stored
// terms and returns the term it replaces (nil for a new one) and the rules
// it would break, year by year.
func (d *DB) checkTermEdit(ctx context.Context, f *concord.Forum, e *concord.TermEdit) (*concord.Term, []concord.Warning, error) {
	e.Term.ForumID = f.ID
	ps := concord.Problems(e.Validate())
	var before *concord.Term
	if e.Term.ID != 0 {
		old, err := d.Term(ctx, f.ID, e.Term.ID)
		if err != nil {
			return nil, nil, err
		}
		before = &old
		if e.Term.PersonID != old.PersonID {
			ps = append(ps, concord.FieldError("person", "a term cannot move to another person: end it and add a new one"))
		}
	}
	if e.Term.PersonID > 0 {
		if _, err := d.Person(ctx, f.ID, e.Term.PersonID); concord.ErrorCode(err) == concord.ENOTFOUND {
			ps = append(ps, concord.FieldError("person", "there is no person %d in this forum's registry", e.Term.PersonID))
		} else if err != nil {
			return nil, nil, err
		}
	}
	if err := concord.Invalid(ps); err != nil {
		return nil, nil, err
	}
	all, err := d.termsByPerson(ctx, f.ID)
	if err != nil {
		return nil, nil, err
	}
	if o, ok := concord.Overlapping(all[e.Term.PersonID], e.Term); ok {
		field := "first_year"
		if e.Term.FirstYear < o.FirstYear {
			field = "last_year"
		}
		return nil, nil, concord.FieldError(field, "overlaps this person's %s term for %s: one person holds one term at a time", o.Role, o.Years())
	}
	rules, err := d.AdvisoryRules(ctx, f.ID)
	if err != nil {
		return nil, nil, err
	}
	after := map[int64][]concord.Term{}
	for pid, ts := range all {
		after[pid] = slices.DeleteFunc(slices.Clone(ts), func(t concord.Term) bool { return t.ID == e.Term.ID && e.Term.ID != 0 })
	}
	after[e.Term.PersonID] = append(after[e.Term.PersonID], e.Term)
	lo, hi := e.Term.FirstYear, e.Term.LastYear
	if before != nil {
		lo, hi = min(lo, before.FirstYear), max(hi, before.LastYear)
	}
	people := map[int64]*concord.Person{}
	var warnings []concord.Warning
	// A term's years also decide who returns and who served back to back
	// the year after it, so that year is checked too.
	for y := lo; y <= hi+1; y++ {
		was, err := d.groupComposition(ctx, f.ID, all, y, people)
		if err != nil {
			return nil, nil, err
		}
		will, err := d.groupComposition(ctx, f.ID, after, y, people)
		if err != nil {
			return nil, nil, err
		}
		warnings = append(warnings, rules.CompositionWarnings(f, was, will)...)
	}
	return before, warnings, nil
}

// PreviewTermEdit checks an edit without saving it: an EINVALID error for
// fields at fault, otherwise the composition rules the edit would break.
func (d *DB) PreviewTermEdit(ctx context.Context, f *concord.Forum, e concord.TermEdit) ([]concord.Warning, error) {
	_, ws, err := d.checkTermEdit(ctx, f, &e)
	return ws, err
}

// WarningsError refuses an edit that breaks the composition rules and was
// not confirmed: field "override", one problem per warning.
func WarningsError(ws []concord.Warning) error {
	err := &concord.Error{Code: concord.EINVALID, Field: "override",
		Message: fmt.Sprintf("The change breaks %d composition rule(s); confirm it to save it anyway.", len(ws))}
	for _, w := range ws {
		err.Fields = append(err.Fields, concord.FieldError("override", "%s", w.Message()))
	}
	return err
}

// TermEditResult is a saved edit: the term as stored, the rules it broke
// (saved anyway) and its decision-log entry.
type TermEditResult struct {
	Term     concord.Term
	Before   *concord.Term
	Warnings []concord.Warning
	Decision int64
}

// SaveTermEdit stores a term added or changed by hand and records it, with
// its reason, as an "advisory.term" decision-log entry. An edit that
// overlaps another term of the person, names no one in the registry, or
// breaks the composition rules without Override is refused.
func (d *DB) SaveTermEdit(ctx context.Context, f *concord.Forum, e concord.TermEdit, actor string) (*TermEditResult, error) {
	before, ws, err := d.checkTermEdit(ctx, f, &e)
	if err != nil {
		return nil, err
	}
	if len(ws) > 0 && !e.Override {
		return nil, WarningsError(ws)
	}
	t := e.Term
	t.Start = time.Date(t.FirstYear, time.January, 1, 0, 0, 0, 0, time.UTC)
	t.End = time.Date(t.LastYear, time.December, 31, 0, 0, 0, 0, time.UTC)
	if before == nil {
		t.Decision = -1
	} else {
		t.Decision = before.Decision
	}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		// The overlap was checked above; checked again under a lock on the
		// person so that two concurrent edits cannot both pass.
		if d.Dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT id FROM people WHERE id = $1 FOR UPDATE`, t.PersonID); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+termColumns+` FROM advisory_terms WHERE forum_id = $1 AND person_id = $2`, f.ID, t.PersonID)
		if err != nil {
			return err
		}
		var mine []concord.Term
		for rows.Next() {
			o, err := scanTerm(rows)
			if err != nil {
				rows.Close()
				return err
			}
			mine = append(mine, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if o, ok := concord.Overlapping(mine, t); ok {
			return concord.FieldError("first_year", "overlaps this person's %s term for %s: one person holds one term at a time", o.Role, o.Years())
		}
		if before == nil {
			return d.insertTerm(ctx, tx, &t)
		}
		res, err := tx.ExecContext(ctx, `UPDATE advisory_terms SET first_year = $1, last_year = $2, role = $3, starts_at = $4, ends_at = $5
			WHERE forum_id = $6 AND id = $7 AND first_year = $8 AND last_year = $9 AND role = $10`,
			t.FirstYear, t.LastYear, string(t.Role), t.Start.UnixMilli(), t.End.UnixMilli(), f.ID, t.ID,
			before.FirstYear, before.LastYear, string(before.Role))
		if isUniqueViolation(err) {
			return concord.FieldError("first_year", "this person already has a term starting in %d", t.FirstYear)
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return concord.Errorf(concord.ECONFLICT, "Term %d changed while you edited it; reload it and try again.", t.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p, err := d.Person(ctx, f.ID, t.PersonID)
	if err != nil {
		return nil, err
	}
	type years struct {
		FirstYear int    `json:"first_year"`
		LastYear  int    `json:"last_year"`
		Role      string `json:"role"`
	}
	rec := map[string]any{"term": t.ID, "person": t.PersonID, "reason": e.Reason,
		"after": years{t.FirstYear, t.LastYear, string(t.Role)}, "warnings": []string{}}
	if before != nil {
		rec["before"] = years{before.FirstYear, before.LastYear, string(before.Role)}
	}
	var msgs []string
	for _, w := range ws {
		msgs = append(msgs, w.Message())
	}
	if msgs != nil {
		rec["warnings"] = msgs
	}
	result, _ := json.Marshal(rec)
	// The inputs are the edit as asked for: the hash pins the reason too.
	hash, err := decisionlog.InputsHash(map[string]any{"forum": f.Slug, "term": t.ID, "person": t.PersonID,
		"after": rec["after"], "before": rec["before"], "reason": e.Reason, "override": e.Override})
	if err != nil {
		return nil, err
	}
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return nil, err
	}
	entry, _, err := log.Append(ctx, decisionlog.Entry{Forum: f.Slug, Kind: "advisory.term", Actor: actor, Time: d.Now(),
		Subject: "Advisory group: " + concord.DescribeEdit(p.Name, before, t), InputsHash: hash, Result: result})
	if err != nil {
		return nil, err
	}
	// A term added by hand is appointed by this entry; a changed one keeps
	// the decision that appointed it, and the log links the two by term id.
	if before == nil {
		t.Decision = entry.Index
		if _, err := d.db.ExecContext(ctx, `UPDATE advisory_terms SET decision = $1 WHERE id = $2`, entry.Index, t.ID); err != nil {
			return nil, err
		}
	}
	return &TermEditResult{Term: t, Before: before, Warnings: ws, Decision: entry.Index}, nil
}
