package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"concord"
)

// OrganisationSummary is an organisation with the number of its people.
type OrganisationSummary struct {
	concord.Organisation
	People int
}

// Organisations lists all of a forum's organisations by name with head counts.
func (d *DB) Organisations(ctx context.Context, forumID int64) ([]OrganisationSummary, error) {
	out, _, err := d.SearchOrganisations(ctx, forumID, OrganisationFilter{})
	return out, err
}

// OrganisationFilter selects organisations; zero values match all.
type OrganisationFilter struct {
	Group         string
	Query         string // part of the name, case-insensitive
	Offset, Limit int
}

// SearchOrganisations lists one page of matching organisations and the total.
func (d *DB) SearchOrganisations(ctx context.Context, forumID int64, flt OrganisationFilter) ([]OrganisationSummary, int, error) {
	where := ` WHERE o.forum_id = $1`
	args := []any{forumID}
	if flt.Group != "" {
		args = append(args, flt.Group)
		where += fmt.Sprintf(` AND o.stakeholder_group = $%d`, len(args))
	}
	if q := strings.TrimSpace(flt.Query); q != "" {
		args = append(args, likePattern(q))
		where += fmt.Sprintf(` AND LOWER(o.name) LIKE '%%' || $%d || '%%' ESCAPE '\'`, len(args))
	}
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations o`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := flt.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	args = append(args, limit, flt.Offset)
	rows, err := d.db.QueryContext(ctx, `SELECT o.id, o.forum_id, o.name, o.country, o.stakeholder_group, o.website,
		(SELECT COUNT(*) FROM people p WHERE p.organisation_id = o.id)
		FROM organisations o`+where+fmt.Sprintf(` ORDER BY o.name, o.id LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []OrganisationSummary
	for rows.Next() {
		var o OrganisationSummary
		if err := rows.Scan(&o.ID, &o.ForumID, &o.Name, &o.Country, &o.StakeholderGroup, &o.Website, &o.People); err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// Organisation finds one of a forum's organisations.
func (d *DB) Organisation(ctx context.Context, forumID, id int64) (*concord.Organisation, error) {
	var o concord.Organisation
	err := d.db.QueryRowContext(ctx, `SELECT id, forum_id, name, country, stakeholder_group, website
		FROM organisations WHERE forum_id = $1 AND id = $2`, forumID, id).
		Scan(&o.ID, &o.ForumID, &o.Name, &o.Country, &o.StakeholderGroup, &o.Website)
	if noRows(err) {
		return nil, notFound("organisation", id)
	}
	return &o, err
}

// CreateOrganisation stores an organisation; names are unique per forum.
func (d *DB) CreateOrganisation(ctx context.Context, o *concord.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	err := d.db.QueryRowContext(ctx, `INSERT INTO organisations (forum_id, name, country, stakeholder_group, website)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, o.ForumID, o.Name, o.Country, o.StakeholderGroup, o.Website).Scan(&o.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("name", "%q exists already in this forum", o.Name)
	}
	return err
}

// ImportOrganisations stores many organisations in one transaction, skipping
// names the forum has already.
func (d *DB) ImportOrganisations(ctx context.Context, forumID int64, orgs []concord.Organisation) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		for i := range orgs {
			o := &orgs[i]
			o.ForumID = forumID
			if err := o.Validate(); err != nil {
				return fmt.Errorf("organisation %q: %w", o.Name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO organisations (forum_id, name, country, stakeholder_group, website)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (forum_id, name) DO NOTHING`,
				o.ForumID, o.Name, o.Country, o.StakeholderGroup, o.Website); err != nil {
				return err
			}
		}
		return nil
	})
}
