package sqlstore

import (
	"context"
	"database/sql"

	"concord"
)

// QueueEmail stores a message in the outbox.
func (d *DB) QueueEmail(ctx context.Context, e *concord.Email) error {
	var forum any
	if e.ForumID != 0 {
		forum = e.ForumID
	}
	e.CreatedAt = fromMS(d.nowMS())
	return d.db.QueryRowContext(ctx,
		`INSERT INTO outbox (forum_id, to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		forum, e.To, e.Subject, e.Body, e.CreatedAt.UnixMilli()).Scan(&e.ID)
}

// MarkEmailSent records the outcome of one delivery attempt.
func (d *DB) MarkEmailSent(ctx context.Context, id int64, sendErr error) error {
	if sendErr != nil {
		_, err := d.db.ExecContext(ctx, `UPDATE outbox SET error = $1 WHERE id = $2`, sendErr.Error(), id)
		return err
	}
	_, err := d.db.ExecContext(ctx, `UPDATE outbox SET sent_at = $1, error = '' WHERE id = $2`, d.nowMS(), id)
	return err
}

// Outbox lists the newest messages; forumID 0 lists every forum's and none's.
func (d *DB) Outbox(ctx context.Context, forumID int64, limit int) ([]*concord.Email, error) {
	q := `SELECT id, COALESCE(forum_id, 0), to_addr, subject, body, created_at, sent_at, error FROM outbox`
	args := []any{limit}
	if forumID != 0 {
		q += ` WHERE forum_id = $2`
		args = append(args, forumID)
	}
	rows, err := d.db.QueryContext(ctx, q+` ORDER BY id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Email
	for rows.Next() {
		var e concord.Email
		var created int64
		var sent sql.NullInt64
		if err := rows.Scan(&e.ID, &e.ForumID, &e.To, &e.Subject, &e.Body, &created, &sent, &e.Error); err != nil {
			return nil, err
		}
		e.CreatedAt, e.SentAt = fromMS(created), fromNullMS(sent)
		out = append(out, &e)
	}
	return out, rows.Err()
}
