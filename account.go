package concord

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Account lets a person sign in. Roles attach per forum.
type Account struct {
	ID        int64
	Email     string
	Name      string
	Confirmed bool
	IsAdmin   bool // instance administrator: may create forums and read every outbox
	CreatedAt time.Time
}

// MinPasswordLength follows NIST SP 800-63B's floor for user-chosen secrets.
const MinPasswordLength = 10

// ValidateSignup checks a sign-up form.
func ValidateSignup(name, email, password string) error {
	var ps []*Error
	if strings.TrimSpace(name) == "" {
		ps = append(ps, FieldError("name", "is required"))
	} else if utf8.RuneCountInString(name) > 200 {
		ps = append(ps, FieldError("name", "is longer than 200 characters"))
	}
	if err := ValidateEmail(strings.ToLower(strings.TrimSpace(email))); err != nil {
		ps = append(ps, err.(*Error))
	}
	if err := ValidatePassword(password); err != nil {
		ps = append(ps, err.(*Error))
	}
	return Invalid(ps)
}

// ValidatePassword checks a new password's length.
func ValidatePassword(password string) error {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength {
		return FieldError("password", "must be at least %d characters (it has %d)", MinPasswordLength, n)
	} else if len(password) > 1024 {
		return FieldError("password", "is longer than 1024 bytes")
	}
	return nil
}

// Email is a message to send, through SMTP or to the outbox.
type Email struct {
	ID        int64
	ForumID   int64 // 0: not about one forum
	To        string
	Subject   string
	Body      string
	CreatedAt time.Time
	SentAt    time.Time
	Error     string
}
