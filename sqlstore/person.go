package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"concord"
)

const personColumns = `p.id, p.forum_id, p.name, p.email, p.country, p.gender, COALESCE(p.organisation_id, 0),
	COALESCE(o.name, ''), p.stakeholder_group, p.languages_json, p.created_at`

const personFrom = ` FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id`

func scanPerson(row interface{ Scan(...any) error }) (*concord.Person, error) {
	var p concord.Person
	var langs string
	var created int64
	if err := row.Scan(&p.ID, &p.ForumID, &p.Name, &p.Email, &p.Country, &p.Gender, &p.OrganisationID,
		&p.Organisation, &p.StakeholderGroup, &langs, &created); err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(langs), &p.Languages)
	p.CreatedAt = fromMS(created)
	return &p, nil
}

// validatePerson checks p against its forum.
func validatePerson(f *concord.Forum, p *concord.Person) error {
	err := p.Validate()
	ps := concord.Problems(err)
	if p.StakeholderGroup != "" && !f.HasGroup(p.StakeholderGroup) {
		ps = append(ps, concord.FieldError("stakeholder_group", "%q is not one of this forum's stakeholder groups", p.StakeholderGroup))
	}
	return concord.Invalid(ps)
}

// CreatePerson stores a person in forum f. A named organisation that does not
// exist yet is created with the person's country and group.
func (d *DB) CreatePerson(ctx context.Context, f *concord.Forum, p *concord.Person) error {
	p.ForumID = f.ID
	if err := validatePerson(f, p); err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error { return d.insertPerson(ctx, tx, p) })
}

func (d *DB) insertPerson(ctx context.Context, q queryer, p *concord.Person) error {
	if p.Organisation != "" && p.OrganisationID == 0 {
		id, err := d.organisationID(ctx, q, p)
		if err != nil {
			return err
		}
		p.OrganisationID = id
	}
	var org any
	if p.OrganisationID != 0 {
		org = p.OrganisationID
	}
	langs, _ := json.Marshal(nonNil(p.Languages))
	p.CreatedAt = fromMS(d.nowMS())
	err := q.QueryRowContext(ctx,
		`INSERT INTO people (forum_id, name, email, country, region, gender, organisation_id, stakeholder_group, languages_json, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		p.ForumID, p.Name, p.Email, p.Country, string(p.Region()), string(p.Gender), org, p.StakeholderGroup,
		string(langs), p.CreatedAt.UnixMilli()).Scan(&p.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("email", "%q is already registered in this forum", p.Email)
	}
	return err
}

// organisationID finds the person's organisation by name, creating it if new.
func (d *DB) organisationID(ctx context.Context, q queryer, p *concord.Person) (int64, error) {
	o := concord.Organisation{ForumID: p.ForumID, Name: p.Organisation, Country: p.Country, StakeholderGroup: p.StakeholderGroup}
	if err := o.Validate(); err != nil {
		return 0, concord.FieldError("organisation", "%s", concord.ErrorMessage(err))
	}
	var id int64
	err := q.QueryRowContext(ctx,
		`INSERT INTO organisations (forum_id, name, country, stakeholder_group) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (forum_id, name) DO UPDATE SET name = excluded.name RETURNING id`,
		o.ForumID, o.Name, o.Country, o.StakeholderGroup).Scan(&id)
	return id, err
}

// UpdatePerson saves changed fields of an existing person.
func (d *DB) UpdatePerson(ctx context.Context, f *concord.Forum, p *concord.Person) error {
	p.ForumID = f.ID
	if err := validatePerson(f, p); err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		if p.Organisation == "" {
			p.OrganisationID = 0
		} else {
			id, err := d.organisationID(ctx, tx, p)
			if err != nil {
				return err
			}
			p.OrganisationID = id
		}
		var org any
		if p.OrganisationID != 0 {
			org = p.OrganisationID
		}
		langs, _ := json.Marshal(nonNil(p.Languages))
		res, err := tx.ExecContext(ctx,
			`UPDATE people SET name = $1, email = $2, country = $3, region = $4, gender = $5, organisation_id = $6,
			 stakeholder_group = $7, languages_json = $8 WHERE id = $9 AND forum_id = $10`,
			p.Name, p.Email, p.Country, string(p.Region()), string(p.Gender), org, p.StakeholderGroup, string(langs), p.ID, f.ID)
		if isUniqueViolation(err) {
			return concord.FieldError("email", "%q is already registered in this forum", p.Email)
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("person", p.ID)
		}
		return nil
	})
}

// Person finds a person of a forum.
func (d *DB) Person(ctx context.Context, forumID, id int64) (*concord.Person, error) {
	p, err := scanPerson(d.db.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.forum_id = $1 AND p.id = $2`, forumID, id))
	if noRows(err) {
		return nil, notFound("person", id)
	}
	return p, err
}

// DeletePerson removes a person from a forum.
func (d *DB) DeletePerson(ctx context.Context, forumID, id int64) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM people WHERE forum_id = $1 AND id = $2`, forumID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("person", id)
	}
	return nil
}

// PersonFilter selects people in a directory listing. Zero values match all.
type PersonFilter struct {
	Group          string
	Region         concord.Region
	Country        string
	OrganisationID int64
	Gender         concord.Gender
	Query          string // part of the name, case-insensitive
	Offset, Limit  int
}

func (flt PersonFilter) where(forumID int64) (string, []any) {
	conds := []string{"p.forum_id = $1"}
	args := []any{forumID}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if flt.Group != "" {
		add("p.stakeholder_group = $%d", flt.Group)
	}
	if flt.Region != "" {
		add("p.region = $%d", string(flt.Region))
	}
	if flt.Country != "" {
		add("p.country = $%d", flt.Country)
	}
	if flt.OrganisationID != 0 {
		add("p.organisation_id = $%d", flt.OrganisationID)
	}
	if flt.Gender != "" {
		add("p.gender = $%d", string(flt.Gender))
	}
	if q := strings.TrimSpace(flt.Query); q != "" {
		q = likePattern(q)
		add(`LOWER(p.name) LIKE '%%' || $%d || '%%' ESCAPE '\'`, q)
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// People lists a forum's people matching flt, by name, with the total count.
func (d *DB) People(ctx context.Context, forumID int64, flt PersonFilter) ([]*concord.Person, int, error) {
	where, args := flt.where(forumID)
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*)`+personFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := flt.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	args = append(args, limit, flt.Offset)
	rows, err := d.db.QueryContext(ctx, `SELECT `+personColumns+personFrom+where+
		fmt.Sprintf(` ORDER BY p.name, p.id LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*concord.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// Count is one bar of a breakdown.
type Count struct {
	Key string
	N   int
}

// PeopleStats breaks the people matching flt down by group, region and gender.
type PeopleStats struct {
	Total     int
	ByGroup   []Count
	ByRegion  []Count
	ByGender  []Count
	Countries int
}

// PeopleStats counts the people matching flt.
func (d *DB) PeopleStats(ctx context.Context, forumID int64, flt PersonFilter) (*PeopleStats, error) {
	where, args := flt.where(forumID)
	var st PeopleStats
	for _, b := range []struct {
		col string
		out *[]Count
	}{{"p.stakeholder_group", &st.ByGroup}, {"p.region", &st.ByRegion}, {"p.gender", &st.ByGender}} {
		rows, err := d.db.QueryContext(ctx, `SELECT `+b.col+`, COUNT(*)`+personFrom+where+` GROUP BY `+b.col+` ORDER BY COUNT(*) DESC, `+b.col, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c Count
			if err := rows.Scan(&c.Key, &c.N); err != nil {
				rows.Close()
				return nil, err
			}
			*b.out = append(*b.out, c)
			st.Total += c.N
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	st.Total /= 3
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT p.country)`+personFrom+where, args...).Scan(&st.Countries)
	return &st, err
}

// ImportPeople stores every row or none: if any row is rejected (invalid, or
// an email already registered or repeated in the file) nothing is written and
// the problems are returned per row.
func (d *DB) ImportPeople(ctx context.Context, f *concord.Forum, rows []concord.PersonRow) ([]concord.RowProblem, error) {
	var problems []concord.RowProblem
	seen := map[string]int{}
	for _, r := range rows {
		r.Person.ForumID = f.ID
		for _, e := range concord.Problems(validatePerson(f, r.Person)) {
			problems = append(problems, concord.RowProblem{Line: r.Line, Field: e.Field, Message: e.Message})
		}
		if e := r.Person.Email; e != "" {
			if first, dup := seen[e]; dup {
				problems = append(problems, concord.RowProblem{Line: r.Line, Field: "email",
					Message: fmt.Sprintf("%q repeats line %d", e, first)})
			}
			seen[e] = r.Line
		}
	}
	existing, err := d.forumEmails(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if existing[r.Person.Email] {
			problems = append(problems, concord.RowProblem{Line: r.Line, Field: "email",
				Message: fmt.Sprintf("%q is already registered in this forum", r.Person.Email)})
		}
	}
	if len(problems) > 0 {
		return problems, nil
	}
	// A failed statement aborts a PostgreSQL transaction, so a row rejected
	// here (a concurrent registration) ends the import with that row named.
	var failed concord.RowProblem
	err = d.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if err := d.insertPerson(ctx, tx, r.Person); err != nil {
				if e, ok := err.(*concord.Error); ok {
					failed = concord.RowProblem{Line: r.Line, Field: e.Field, Message: e.Message}
				}
				return err
			}
		}
		return nil
	})
	if failed.Line != 0 {
		return []concord.RowProblem{failed}, nil
	}
	return nil, err
}

func (d *DB) forumEmails(ctx context.Context, forumID int64) (map[string]bool, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT email FROM people WHERE forum_id = $1 AND email <> ''`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out[e] = true
	}
	return out, rows.Err()
}

// likePattern escapes a search text for LIKE ... ESCAPE '\', lowercased.
func likePattern(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q))
}
