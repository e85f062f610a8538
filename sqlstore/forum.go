package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"concord"
)

const forumColumns = `id, slug, name, description, groups_json, created_at`

func scanForum(row interface{ Scan(...any) error }) (*concord.Forum, error) {
	var f concord.Forum
	var groups string
	var created int64
	if err := row.Scan(&f.ID, &f.Slug, &f.Name, &f.Description, &groups, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(groups), &f.Groups); err != nil {
		return nil, err
	}
	f.CreatedAt = fromMS(created)
	return &f, nil
}

// CreateForum stores a new forum; the slug must be free.
func (d *DB) CreateForum(ctx context.Context, f *concord.Forum) error {
	if err := f.Validate(); err != nil {
		return err
	}
	groups, _ := json.Marshal(f.Groups)
	f.CreatedAt = fromMS(d.nowMS())
	err := d.db.QueryRowContext(ctx,
		`INSERT INTO forums (slug, name, description, groups_json, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		f.Slug, f.Name, f.Description, string(groups), f.CreatedAt.UnixMilli()).Scan(&f.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("slug", "%q is taken by another forum", f.Slug)
	}
	return err
}

// Forum finds a forum by slug.
func (d *DB) Forum(ctx context.Context, slug string) (*concord.Forum, error) {
	f, err := scanForum(d.db.QueryRowContext(ctx, `SELECT `+forumColumns+` FROM forums WHERE slug = $1`, slug))
	if noRows(err) {
		return nil, notFound("forum", slug)
	}
	return f, err
}

// ForumByID finds a forum by id.
func (d *DB) ForumByID(ctx context.Context, id int64) (*concord.Forum, error) {
	f, err := scanForum(d.db.QueryRowContext(ctx, `SELECT `+forumColumns+` FROM forums WHERE id = $1`, id))
	if noRows(err) {
		return nil, notFound("forum", id)
	}
	return f, err
}

// Forums lists every forum by name.
func (d *DB) Forums(ctx context.Context) ([]*concord.Forum, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+forumColumns+` FROM forums ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Forum
	for rows.Next() {
		f, err := scanForum(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

const dateLayout = "2006-01-02"

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func parseDate(s string) time.Time {
	t, _ := time.Parse(dateLayout, s)
	return t
}

// CreateCycle stores a forum's cycle; one per year.
func (d *DB) CreateCycle(ctx context.Context, c *concord.Cycle) error {
	if err := c.Validate(); err != nil {
		return err
	}
	subthemes, _ := json.Marshal(nonNil(c.Subthemes))
	questions, _ := json.Marshal(nonNil(c.PolicyQuestions))
	err := d.db.QueryRowContext(ctx,
		`INSERT INTO cycles (forum_id, year, theme, start_date, end_date, timezone, subthemes_json, policy_questions_json)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		c.ForumID, c.Year, c.Theme, formatDate(c.StartDate), formatDate(c.EndDate), c.Timezone,
		string(subthemes), string(questions)).Scan(&c.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("year", "the forum already has a %d cycle", c.Year)
	}
	return err
}

// Cycles lists a forum's cycles, newest first.
func (d *DB) Cycles(ctx context.Context, forumID int64) ([]*concord.Cycle, error) {
	rows, err := d.db.QueryContext(ctx,
		`SELECT id, forum_id, year, theme, start_date, end_date, timezone, subthemes_json, policy_questions_json
		 FROM cycles WHERE forum_id = $1 ORDER BY year DESC`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Cycle
	for rows.Next() {
		var c concord.Cycle
		var start, end, subthemes, questions string
		if err := rows.Scan(&c.ID, &c.ForumID, &c.Year, &c.Theme, &start, &end, &c.Timezone, &subthemes, &questions); err != nil {
			return nil, err
		}
		c.StartDate, c.EndDate = parseDate(start), parseDate(end)
		json.Unmarshal([]byte(subthemes), &c.Subthemes)
		json.Unmarshal([]byte(questions), &c.PolicyQuestions)
		out = append(out, &c)
	}
	return out, rows.Err()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Setting reads an instance setting; ok is false when it is unset.
func (d *DB) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&value)
	if noRows(err) {
		return "", false, nil
	}
	return value, err == nil, err
}

// SettingOrInit returns the setting, storing init() first if it is unset.
// Concurrent first calls agree on one value.
func (d *DB) SettingOrInit(ctx context.Context, key string, init func() (string, error)) (string, error) {
	if v, ok, err := d.Setting(ctx, key); err != nil || ok {
		return v, err
	}
	v, err := init()
	if err != nil {
		return "", err
	}
	if _, err := d.db.ExecContext(ctx,
		`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, v); err != nil {
		return "", err
	}
	v, _, err = d.Setting(ctx, key)
	return v, err
}
