package server

import (
	"context"
	"net"
	"net/textproto"
	"strings"
	"testing"

	"concord"
)

// smtpSink is a minimal SMTP server that records one message.
func smtpSink(t *testing.T) (addr string, got chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		tp := textproto.NewConn(c)
		tp.PrintfLine("220 sink ESMTP")
		var data strings.Builder
		for {
			line, err := tp.ReadLine()
			if err != nil {
				return
			}
			switch cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0]); cmd {
			case "EHLO", "HELO":
				tp.PrintfLine("250 sink")
			case "MAIL", "RCPT", "RSET", "NOOP":
				data.WriteString(line + "\n")
				tp.PrintfLine("250 ok")
			case "DATA":
				tp.PrintfLine("354 go on")
				body, _ := tp.ReadDotLines()
				data.WriteString(strings.Join(body, "\n"))
				tp.PrintfLine("250 queued")
			case "QUIT":
				tp.PrintfLine("221 bye")
				got <- data.String()
				return
			default:
				tp.PrintfLine("502 no")
			}
		}
	}()
	return ln.Addr().String(), got
}

func TestSMTPSendsOneMessage(t *testing.T) {
	addr, got := smtpSink(t)
	m := &SMTP{Addr: addr, From: "concord@example.org"}
	err := m.Send(context.Background(), &concord.Email{To: "ama@example.org", Subject: "Réinitialiser", Body: "Line one\nLine two"})
	if err != nil {
		t.Fatal(err)
	}
	msg := <-got
	for _, want := range []string{"MAIL FROM:<concord@example.org>", "RCPT TO:<ama@example.org>", "Subject: =?utf-8?q?R=C3=A9initialiser?=", "Line one", "Line two"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}
