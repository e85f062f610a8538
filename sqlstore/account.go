package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"concord"
)

const accountColumns = `id, email, name, confirmed_at, is_admin, created_at`

func scanAccount(row interface{ Scan(...any) error }, extra ...any) (*concord.Account, error) {
	var a concord.Account
	var confirmed sql.NullInt64
	var admin int
	var created int64
	if err := row.Scan(append([]any{&a.ID, &a.Email, &a.Name, &confirmed, &admin, &created}, extra...)...); err != nil {
		return nil, err
	}
	a.Confirmed, a.IsAdmin, a.CreatedAt = confirmed.Valid, admin == 1, fromMS(created)
	return &a, nil
}

// CreateAccount stores an unconfirmed account with an already hashed password.
func (d *DB) CreateAccount(ctx context.Context, name, email, passwordHash string) (*concord.Account, error) {
	a := &concord.Account{Name: strings.TrimSpace(name), Email: strings.ToLower(strings.TrimSpace(email)), CreatedAt: fromMS(d.nowMS())}
	err := d.db.QueryRowContext(ctx,
		`INSERT INTO accounts (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		a.Email, a.Name, passwordHash, a.CreatedAt.UnixMilli()).Scan(&a.ID)
	if isUniqueViolation(err) {
		return nil, concord.FieldError("email", "an account with this email exists already; sign in or reset the password")
	}
	return a, err
}

// Account finds an account by id.
func (d *DB) Account(ctx context.Context, id int64) (*concord.Account, error) {
	a, err := scanAccount(d.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if noRows(err) {
		return nil, notFound("account", id)
	}
	return a, err
}

// AccountByEmail finds an account and its password hash by email.
func (d *DB) AccountByEmail(ctx context.Context, email string) (*concord.Account, string, error) {
	var hash string
	a, err := scanAccount(d.db.QueryRowContext(ctx,
		`SELECT `+accountColumns+`, password_hash FROM accounts WHERE email = $1`, strings.ToLower(strings.TrimSpace(email))), &hash)
	if noRows(err) {
		return nil, "", notFound("account", email)
	}
	return a, hash, err
}

// ConfirmAccount marks the account's email as confirmed.
func (d *DB) ConfirmAccount(ctx context.Context, id int64) error {
	_, err := d.db.ExecContext(ctx, `UPDATE accounts SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL`, d.nowMS(), id)
	return err
}

// SetPassword replaces an account's password hash and ends its other tokens of
// the reset purpose.
func (d *DB) SetPassword(ctx context.Context, id int64, passwordHash string) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, passwordHash, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE account_id = $1 AND purpose = $2`, id, TokenReset)
		return err
	})
}

// SetAdmin makes an account an instance administrator (or not).
func (d *DB) SetAdmin(ctx context.Context, id int64, admin bool) error {
	v := 0
	if admin {
		v = 1
	}
	_, err := d.db.ExecContext(ctx, `UPDATE accounts SET is_admin = $1 WHERE id = $2`, v, id)
	return err
}

// SetRole gives an account a role in a forum; RolePublic removes it.
func (d *DB) SetRole(ctx context.Context, accountID, forumID int64, role concord.Role) error {
	if !role.Valid() {
		return concord.FieldError("role", "%q is not one of public, delegate, advisor, secretariat", role)
	}
	if role == concord.RolePublic {
		_, err := d.db.ExecContext(ctx, `DELETE FROM roles WHERE account_id = $1 AND forum_id = $2`, accountID, forumID)
		return err
	}
	_, err := d.db.ExecContext(ctx,
		`INSERT INTO roles (account_id, forum_id, role) VALUES ($1, $2, $3)
		 ON CONFLICT (account_id, forum_id) DO UPDATE SET role = excluded.role`, accountID, forumID, string(role))
	return err
}

// Role returns the account's role in a forum; RolePublic when it has none.
func (d *DB) Role(ctx context.Context, accountID, forumID int64) (concord.Role, error) {
	var r string
	err := d.db.QueryRowContext(ctx, `SELECT role FROM roles WHERE account_id = $1 AND forum_id = $2`, accountID, forumID).Scan(&r)
	if noRows(err) {
		return concord.RolePublic, nil
	}
	return concord.Role(r), err
}

// Member is an account with its role in one forum.
type Member struct {
	Account *concord.Account
	Role    concord.Role
}

// Members lists the accounts holding a role in a forum.
func (d *DB) Members(ctx context.Context, forumID int64) ([]Member, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT a.id, a.email, a.name, a.confirmed_at, a.is_admin, a.created_at, r.role
		FROM roles r JOIN accounts a ON a.id = r.account_id WHERE r.forum_id = $1 ORDER BY r.role DESC, a.name`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var role string
		a, err := scanAccount(rows, &role)
		if err != nil {
			return nil, err
		}
		out = append(out, Member{a, concord.Role(role)})
	}
	return out, rows.Err()
}

// Token purposes.
const (
	TokenConfirm = "confirm"
	TokenReset   = "reset"
	TokenAPI     = "api"
)

func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a random token for an account; only its hash is stored.
func (d *DB) CreateToken(ctx context.Context, accountID int64, purpose, label string, ttl time.Duration) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	raw := base64.RawURLEncoding.EncodeToString(b)
	now := d.Now()
	_, err := d.db.ExecContext(ctx,
		`INSERT INTO tokens (hash, account_id, purpose, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		hashToken(raw), accountID, purpose, label, now.UnixMilli(), now.Add(ttl).UnixMilli())
	return raw, err
}

var errBadToken = concord.Errorf(concord.EINVALID, "this link is invalid, used or expired; ask for a new one")

// UseToken consumes a single-use token and returns its account. Two
// concurrent uses cannot both succeed: the update claims it.
func (d *DB) UseToken(ctx context.Context, raw, purpose string) (int64, error) {
	var id int64
	err := d.db.QueryRowContext(ctx,
		`UPDATE tokens SET used_at = $1 WHERE hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 RETURNING account_id`,
		d.nowMS(), hashToken(raw), purpose).Scan(&id)
	if noRows(err) {
		return 0, errBadToken
	}
	return id, err
}

// CheckToken returns the account of a valid token without consuming it.
func (d *DB) CheckToken(ctx context.Context, raw, purpose string) (int64, error) {
	var id int64
	err := d.db.QueryRowContext(ctx,
		`SELECT account_id FROM tokens WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
		hashToken(raw), purpose, d.nowMS()).Scan(&id)
	if noRows(err) {
		return 0, errBadToken
	}
	return id, err
}

// APIToken describes an issued API token (never the token itself).
type APIToken struct {
	Hash      string
	Label     string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APITokens lists an account's live API tokens.
func (d *DB) APITokens(ctx context.Context, accountID int64) ([]APIToken, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT hash, label, created_at, expires_at FROM tokens
		WHERE account_id = $1 AND purpose = $2 AND expires_at > $3 ORDER BY created_at`, accountID, TokenAPI, d.nowMS())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var c, e int64
		if err := rows.Scan(&t.Hash, &t.Label, &c, &e); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt = fromMS(c), fromMS(e)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken deletes one of an account's tokens by its hash.
func (d *DB) RevokeToken(ctx context.Context, accountID int64, hash string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM tokens WHERE account_id = $1 AND hash = $2`, accountID, hash)
	return err
}

// RecordSigninFailure notes a failed sign-in under key (an email or address).
func (d *DB) RecordSigninFailure(ctx context.Context, key string) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO signin_attempts (key, at) VALUES ($1, $2)`, key, d.nowMS())
	return err
}

// SigninFailures counts failures under key within the window; older ones are dropped.
func (d *DB) SigninFailures(ctx context.Context, key string, window time.Duration) (int, error) {
	since := d.Now().Add(-window).UnixMilli()
	if _, err := d.db.ExecContext(ctx, `DELETE FROM signin_attempts WHERE at < $1`, since); err != nil {
		return 0, err
	}
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM signin_attempts WHERE key = $1 AND at >= $2`, key, since).Scan(&n)
	return n, err
}

// ClearSigninFailures forgets failures under key after a successful sign-in.
func (d *DB) ClearSigninFailures(ctx context.Context, key string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM signin_attempts WHERE key = $1`, key)
	return err
}
