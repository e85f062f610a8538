package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"concord/api"
	"concord/server"
	"concord/sqlstore"
	"concord/web"
)

func init() {
	commands["serve"] = command{"run the web app, JSON API and background work", runServe}
	commands["migrate"] = command{"apply pending database migrations and print the schema version", runMigrate}
}

// dbFlag is the --db flag every storage command shares.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("CONCORD_DB")
	if def == "" {
		def = "concord.db"
	}
	return fs.String("db", def, "SQLite file path or postgres:// URL (env CONCORD_DB)")
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("concord "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args; it returns an exit code and false when the command must stop.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}

type serveConfig struct {
	addr, baseURL                          string
	smtpAddr, smtpFrom, smtpUser, smtpPass string
}

func serveFlags(fs *flag.FlagSet) *serveConfig {
	c := &serveConfig{}
	addr := os.Getenv("CONCORD_ADDR")
	if addr == "" {
		addr = "localhost:8080"
	}
	fs.StringVar(&c.addr, "addr", addr, "listen address (env CONCORD_ADDR)")
	fs.StringVar(&c.baseURL, "base-url", os.Getenv("CONCORD_BASE_URL"), "public URL for links in emails (default http://<addr>)")
	fs.StringVar(&c.smtpAddr, "smtp", os.Getenv("CONCORD_SMTP"), "SMTP relay host:port; empty keeps email in the outbox only")
	fs.StringVar(&c.smtpFrom, "smtp-from", envOr("CONCORD_SMTP_FROM", "concord@localhost"), "sender address")
	fs.StringVar(&c.smtpUser, "smtp-user", os.Getenv("CONCORD_SMTP_USER"), "SMTP user name")
	c.smtpPass = os.Getenv("CONCORD_SMTP_PASSWORD") // never a flag: flags show in ps
	return c
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", stderr)
	dsn := dbFlag(fs)
	cfg := serveFlags(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(stderr, "concord serve:", err)
		return exitFailure
	}
	defer db.Close()
	return serveDB(ctx, db, cfg, stdout, stderr, nil)
}

// newApp wires pages and API onto a server over db.
func newApp(db *sqlstore.DB, log *slog.Logger, baseURL string) (*server.Server, error) {
	s := server.New(db, log, baseURL)
	h, err := web.New(s)
	if err != nil {
		return nil, err
	}
	s.Add(h.Routes()...)
	s.Add(api.Routes(s)...)
	return s, nil
}

// serveDB listens and serves until ctx ends; ready, if set, is told the URL.
func serveDB(ctx context.Context, db *sqlstore.DB, cfg *serveConfig, stdout, stderr io.Writer, ready func(url string)) int {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "concord serve:", err)
		return exitFailure
	}
	url := listenURL(cfg.addr, ln.Addr())
	if cfg.baseURL == "" {
		cfg.baseURL = url
	}
	s, err := newApp(db, log, cfg.baseURL)
	if err != nil {
		fmt.Fprintln(stderr, "concord serve:", err)
		return exitFailure
	}
	if cfg.smtpAddr != "" {
		s.Mailer = &server.SMTP{Addr: cfg.smtpAddr, From: cfg.smtpFrom, Username: cfg.smtpUser, Password: cfg.smtpPass}
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	go housekeeping(ctx, db, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(url)
	} else {
		fmt.Fprintf(stdout, "Concord is serving on %s (database: %s)\n", url, db.Dialect)
	}
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "concord serve:", err)
		return exitFailure
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	return exitOK
}

// housekeeping drops expired sessions; any server process may do it.
func housekeeping(ctx context.Context, db *sqlstore.DB, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if err := db.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("session cleanup", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("migrate", stderr)
	dsn := dbFlag(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(stderr, "concord migrate:", err)
		return exitFailure
	}
	defer db.Close()
	v, err := db.MigrationVersion(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "concord migrate:", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "%s database at schema version %d\n", db.Dialect, v)
	return exitOK
}

// listenURL is the address to print: the configured host name (localhost
// rather than its resolved 127.0.0.1) with the port actually bound.
func listenURL(addr string, bound net.Addr) string {
	host, _, _ := net.SplitHostPort(addr)
	_, port, _ := net.SplitHostPort(bound.String())
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
