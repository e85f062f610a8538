package sqlstore

import (
	"context"
	"time"
)

// SessionStore keeps web sessions in the database so that any server process
// can serve any request. It implements scs.Store and scs.CtxStore.
type SessionStore struct{ DB *DB }

func (s SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.DB.db.QueryRowContext(ctx, `SELECT data FROM web_sessions WHERE token = $1 AND expiry > $2`,
		token, s.DB.nowMS()).Scan(&data)
	if noRows(err) {
		return nil, false, nil
	}
	return data, err == nil, err
}

func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.DB.db.ExecContext(ctx, `INSERT INTO web_sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UnixMilli())
	return err
}

func (s SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.DB.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE token = $1`, token)
	return err
}

func (s SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpiredSessions removes sessions past their expiry.
func (d *DB) DeleteExpiredSessions(ctx context.Context) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE expiry <= $1`, d.nowMS())
	return err
}
