package server

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strings"
	"time"

	"concord"
)

// SMTP sends email through a relay; addr is host:port.
type SMTP struct {
	Addr     string
	From     string
	Username string
	Password string
}

// Send delivers one plain-text message.
func (m *SMTP) Send(ctx context.Context, e *concord.Email) error {
	host, _, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return err
	}
	var auth smtp.Auth
	if m.Username != "" {
		auth = smtp.PlainAuth("", m.Username, m.Password, host)
	}
	msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s",
		m.From, e.To, mime.QEncoding.Encode("utf-8", e.Subject), time.Now().UTC().Format(time.RFC1123Z),
		strings.ReplaceAll(e.Body, "\n", "\r\n"))
	return smtp.SendMail(m.Addr, auth, m.From, []string{e.To}, []byte(msg))
}
