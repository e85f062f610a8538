package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"concord/decisionlog"
	"concord/sqlstore"
)

func init() {
	commands["verify"] = command{"check a decision log, on a server or in a database, for edited, deleted or forked decisions", runVerify}
}

const verifyUsage = "usage: concord verify <https://server | SQLite file | postgres://…> [--key VERIFIER_KEY] [--trusted FILE] [--save FILE] [--json] [--timeout D]"

// verifyReport is the --json output.
type verifyReport struct {
	OK            bool          `json:"ok"`
	Source        string        `json:"source"`
	Key           string        `json:"key,omitempty"` // the key's name
	KeyFromSource bool          `json:"key_from_source"`
	Size          int64         `json:"size"`
	TreeHead      string        `json:"tree_head,omitempty"`
	Checkpoint    string        `json:"checkpoint,omitempty"`
	TrustedSize   *int64        `json:"trusted_size,omitempty"`
	Tampered      *tamperedJSON `json:"tampered,omitempty"`
	Error         string        `json:"error,omitempty"`
}

// tamperedJSON is a decisionlog.VerifyError: what the evidence blames.
type tamperedJSON struct {
	Part   string `json:"part"` // entry, hash, checkpoint or consistency
	Index  int64  `json:"index"`
	Old    int64  `json:"old,omitempty"` // for consistency: the trusted size
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, verifyUsage+`

Reads the whole decision log from a Concord server (its public /api/log
endpoints) or straight from its database (read-only, never migrated), and
checks every entry, stored hash and signed checkpoint. Exit status: 0 the log
verifies, 1 it was tampered with, 2 bad arguments or the log could not be read.`)
		fs.PrintDefaults()
	}
	key := fs.String("key", "", "the log's verifier `KEY` as the forum publishes it (default: the key the source reports, which proves only that the log is consistent with itself)")
	trustedFile := fs.String("trusted", "", "a `FILE` holding a checkpoint saved by an earlier run (--save); the log must still extend it")
	saveFile := fs.String("save", "", "write the verified latest checkpoint to `FILE`, for --trusted next time")
	asJSON := fs.Bool("json", false, "write one JSON object to stdout")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for each HTTP request")
	// Flags may come before or after the source.
	var targets []string
	for rest := args; ; {
		if code, ok := parseFlags(fs, rest); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		targets = append(targets, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "concord verify: "+format+"\n", a...)
		return exitUsage
	}
	if len(targets) != 1 {
		fmt.Fprintln(stderr, verifyUsage)
		return exitUsage
	}
	if *timeout <= 0 {
		return bad("--timeout must be positive")
	}
	target := targets[0]
	rep := verifyReport{Source: target}
	// unreadable reports a source that could not be read, exit 2.
	unreadable := func(err error) int {
		if *asJSON {
			rep.Error = err.Error()
			writeVerifyJSON(stdout, rep)
		}
		return bad("%v", err)
	}

	src, reportedKey, closeSrc, err := openLogSource(ctx, target, *timeout)
	if err != nil {
		return unreadable(err)
	}
	defer closeSrc()

	vkey := *key
	if vkey == "" {
		if reportedKey == "" {
			return bad("%s has no decision log key yet (no decision was ever logged); give the forum's key with --key", target)
		}
		vkey, rep.KeyFromSource = reportedKey, true
		fmt.Fprintln(stderr, "WARNING: no --key given, so the key the source itself reports is used. That proves only that the\n"+
			"log is consistent with itself, not that it is the log the forum published: pass the key shown on\n"+
			"the forum's decision log page with --key.")
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return bad("--key %q is not a verifier key: %v", vkey, err)
	}
	rep.Key = v.Name()
	// tampered reports evidence against the log, exit 1.
	tampered := func(ve *decisionlog.VerifyError) int {
		if *asJSON {
			rep.Tampered = &tamperedJSON{Part: ve.Part, Index: ve.Index, Old: ve.Old, Field: ve.Field, Reason: ve.Reason}
			rep.Error = ve.Error()
			writeVerifyJSON(stdout, rep)
		} else {
			fmt.Fprintf(stdout, "TAMPERED: %v\n", ve)
		}
		if ve.Part == decisionlog.PartCheckpoint && !rep.KeyFromSource && reportedKey != "" && reportedKey != vkey {
			fmt.Fprintf(stderr, "note: the source reports another key, %s: if --key is not this log's key, every checkpoint fails.\n", reportedKey)
		}
		return exitFailure
	}

	var trusted *decisionlog.Checkpoint
	if *trustedFile != "" {
		msg, err := os.ReadFile(*trustedFile)
		if err != nil {
			return bad("--trusted: %v", err)
		}
		c, err := decisionlog.OpenCheckpoint(msg, v)
		switch {
		case err != nil && c.Note == nil: // not even a checkpoint
			return bad("--trusted %s: not a saved checkpoint: %v", *trustedFile, err)
		case err != nil:
			// A checkpoint this log once signed that its key no longer opens:
			// the log was replaced under a new key, unless --key is wrong.
			return tampered(&decisionlog.VerifyError{Part: decisionlog.PartConsistency, Old: c.Size, Index: -1,
				Reason: fmt.Sprintf("the trusted checkpoint in %s does not open with key %s (%v): the log's key changed, or --key is wrong", *trustedFile, v.Name(), err)})
		}
		trusted = &c
		rep.TrustedSize = &c.Size
	}

	latest, err := decisionlog.Audit(ctx, withProgress(src, stderr), v, trusted)
	var ve *decisionlog.VerifyError
	if errors.As(err, &ve) {
		return tampered(ve)
	} else if err != nil {
		return unreadable(fmt.Errorf("could not read the log from %s: %w", target, err))
	}
	head := base64.StdEncoding.EncodeToString(latest.Hash[:])
	rep.OK, rep.Size, rep.TreeHead, rep.Checkpoint = true, latest.Size, head, string(latest.Note)

	if *saveFile != "" {
		if latest.Note == nil {
			fmt.Fprintln(stderr, "concord verify: the log is empty; no checkpoint to save")
		} else if err := writeFileAtomic(*saveFile, latest.Note); err != nil {
			return bad("--save: %v", err)
		}
	}
	if *asJSON {
		writeVerifyJSON(stdout, rep)
		return exitOK
	}
	fmt.Fprintf(stdout, "OK: %d decisions verified; tree head %s at size %d signed by %s\n", latest.Size, head, latest.Size, v.Name())
	if trusted != nil {
		fmt.Fprintf(stdout, "The log extends the trusted checkpoint at size %d.\n", trusted.Size)
	}
	return exitOK
}

func writeVerifyJSON(w io.Writer, rep verifyReport) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(rep)
}

// openLogSource opens target read-only: an http(s) URL of a Concord server,
// or a database. It returns the verifier key the source reports, "" if none.
func openLogSource(ctx context.Context, target string, timeout time.Duration) (decisionlog.Source, string, func(), error) {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		u, err := url.Parse(target)
		if err != nil || u.Host == "" {
			return nil, "", nil, fmt.Errorf("%q is not a server URL", target)
		}
		// Accept the server's root or its /api/log address.
		base := strings.TrimSuffix(strings.TrimRight(target, "/"), "/api/log")
		src := &httpLogSource{base: base, client: &http.Client{Timeout: timeout}}
		h, err := src.head(ctx)
		if err != nil {
			return nil, "", nil, err
		}
		return src, h.VerifierKey, func() {}, nil
	}
	if !sqlstore.IsPostgres(target) {
		// Opening a missing SQLite file would create it.
		path := strings.TrimPrefix(strings.TrimPrefix(target, "sqlite:"), "file:")
		if _, err := os.Stat(path); err != nil {
			return nil, "", nil, fmt.Errorf("no database at %s: %w", target, err)
		}
	}
	db, err := sqlstore.OpenNoMigrate(target)
	if err != nil {
		return nil, "", nil, err
	}
	vkey, err := db.DecisionVerifierKey(ctx)
	if err != nil {
		db.Close()
		return nil, "", nil, fmt.Errorf("%s is not a Concord database, or cannot be read: %w", target, err)
	}
	return sqlstore.DecisionStore{DB: db}, vkey, func() { db.Close() }, nil
}

// httpLogSource reads a log through a Concord server's /api/log endpoints.
type httpLogSource struct {
	base   string // the server's root URL, without a trailing slash
	client *http.Client
}

var _ decisionlog.Source = (*httpLogSource)(nil)

// logPage is the most entries, hashes or checkpoints the server gives at once.
const logPage = 1000

// maxLogResponse bounds one answer: a page of entries of at most 1 MiB each.
const maxLogResponse = logPage<<20 + 1<<20

type logHead struct {
	VerifierKey string `json:"verifier_key"`
	Size        int64  `json:"size"`
	Checkpoint  string `json:"checkpoint"`
}

// get fetches path with query q and decodes the JSON answer into v.
func (s *httpLogSource) get(ctx context.Context, path string, q url.Values, v any) error {
	u := s.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", s.base+path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxLogResponse+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", s.base+path, err)
	}
	if len(body) > maxLogResponse {
		return fmt.Errorf("GET %s: the answer is larger than %d bytes", s.base+path, maxLogResponse)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
			return fmt.Errorf("GET %s: %s: %s", s.base+path, resp.Status, e.Error.Message)
		}
		return fmt.Errorf("GET %s: %s (is this a Concord server?)", s.base+path, resp.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: not the JSON a Concord server sends (%v)", s.base+path, err)
	}
	return nil
}

func (s *httpLogSource) head(ctx context.Context) (logHead, error) {
	var h logHead
	err := s.get(ctx, "/api/log", nil, &h)
	return h, err
}

func (s *httpLogSource) Latest(ctx context.Context) ([]byte, error) {
	h, err := s.head(ctx)
	if err != nil || h.Checkpoint == "" {
		return nil, err
	}
	return []byte(h.Checkpoint), nil
}

func (s *httpLogSource) ReadEntries(ctx context.Context, start, end int64) ([]decisionlog.Entry, error) {
	var out []decisionlog.Entry
	for from := start; from < end; {
		to := min(end, from+logPage)
		var page struct {
			Entries []decisionlog.Entry `json:"entries"`
		}
		q := url.Values{"start": {strconv.FormatInt(from, 10)}, "end": {strconv.FormatInt(to, 10)}}
		if err := s.get(ctx, "/api/log/entries", q, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Entries...)
		if int64(len(page.Entries)) < to-from {
			break
		}
		from = to
	}
	return out, nil
}

func (s *httpLogSource) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, 0, len(indexes))
	for len(indexes) > 0 {
		n := min(len(indexes), logPage)
		chunk := indexes[:n]
		indexes = indexes[n:]
		var page struct {
			Hashes []string `json:"hashes"`
		}
		if err := s.get(ctx, "/api/log/hashes", url.Values{"indexes": {indexList(chunk)}}, &page); err != nil {
			return nil, err
		}
		if len(page.Hashes) != n {
			return nil, fmt.Errorf("GET %s/api/log/hashes: %d hashes for %d indexes", s.base, len(page.Hashes), n)
		}
		for i, h64 := range page.Hashes {
			var h tlog.Hash
			b, err := base64.StdEncoding.DecodeString(h64)
			if err != nil || len(b) != len(h) {
				return nil, fmt.Errorf("GET %s/api/log/hashes: stored hash %d is not base64 of %d bytes", s.base, chunk[i], len(h))
			}
			copy(h[:], b)
			out = append(out, h)
		}
	}
	return out, nil
}

// indexList writes indexes as the hashes endpoint reads them, runs of
// consecutive indexes as ranges: "0-999" rather than a 4 KB list.
func indexList(indexes []int64) string {
	var b strings.Builder
	for i := 0; i < len(indexes); {
		j := i
		for j+1 < len(indexes) && indexes[j+1] == indexes[j]+1 {
			j++
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(indexes[i], 10))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.FormatInt(indexes[j], 10))
		}
		i = j + 1
	}
	return b.String()
}

func (s *httpLogSource) ReadCheckpoints(ctx context.Context, minSize int64, limit int) ([][]byte, error) {
	var out [][]byte
	for len(out) < limit {
		n := min(limit-len(out), logPage)
		var page struct {
			Checkpoints []string `json:"checkpoints"`
		}
		q := url.Values{"min": {strconv.FormatInt(minSize, 10)}, "limit": {strconv.Itoa(n)}}
		if err := s.get(ctx, "/api/log/checkpoints", q, &page); err != nil {
			return nil, err
		}
		for _, c := range page.Checkpoints {
			out = append(out, []byte(c))
		}
		if len(page.Checkpoints) < n {
			break
		}
		// The next page starts past the last size seen; a checkpoint too
		// garbled to give one ends the reading, and verification names it.
		last, ok := noteSize(out[len(out)-1])
		if !ok || last < minSize {
			break
		}
		minSize = last + 1
	}
	return out, nil
}

// noteSize reads a checkpoint's size line without checking anything else.
func noteSize(msg []byte) (int64, bool) {
	lines := strings.SplitN(string(msg), "\n", 3)
	if len(lines) < 3 {
		return 0, false
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	return n, err == nil
}

// withProgress counts the entries read on a bar when stderr is a terminal.
func withProgress(src decisionlog.Source, stderr io.Writer) decisionlog.Source {
	f, ok := stderr.(*os.File)
	if !ok {
		return src
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return src
	}
	return &progressSource{Source: src, bar: progressbar.NewOptions64(-1, progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("reading entries"), progressbar.OptionClearOnFinish())}
}

type progressSource struct {
	decisionlog.Source
	bar  *progressbar.ProgressBar
	size bool
}

func (p *progressSource) Latest(ctx context.Context) ([]byte, error) {
	msg, err := p.Source.Latest(ctx)
	if n, ok := noteSize(msg); ok && !p.size {
		p.bar.ChangeMax64(n)
		p.size = true
	}
	return msg, err
}

func (p *progressSource) ReadEntries(ctx context.Context, start, end int64) ([]decisionlog.Entry, error) {
	es, err := p.Source.ReadEntries(ctx, start, end)
	p.bar.Add(len(es))
	return es, err
}

// writeFileAtomic replaces path with data, never leaving half a file.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".concord-checkpoint-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
