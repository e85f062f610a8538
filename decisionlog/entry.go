// Package decisionlog keeps Concord's decisions (advisory-group selections,
// evaluator assignments, timetables, proposal decisions) in an append-only,
// publicly verifiable log: a Merkle tree of entries with signed checkpoints, as
// in Certificate Transparency and the Go checksum database. Anyone holding the
// log's public key can recompute every entry, check every checkpoint, and prove
// that a later log extends an earlier one, so an edited or deleted row shows.
package decisionlog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"concord"
	"golang.org/x/mod/sumdb/tlog"
)

// Limits on an entry's fields; they keep a row printable on one page.
const (
	MaxActorBytes   = 200
	MaxSubjectRunes = 500
	MaxSeedBytes    = 200
	MaxResultBytes  = 1 << 20
)

// Entry is one decision: who took it, what, when, over which inputs, with
// which random seed, and what came out.
type Entry struct {
	Index      int64           `json:"index"`       // position in the log, from 0; the tlog record id
	Forum      string          `json:"forum"`       // forum slug
	Kind       string          `json:"kind"`        // e.g. "advisory.selection", "proposal.decision"
	Actor      string          `json:"actor"`       // account or person id, a name, or "system"
	Time       time.Time       `json:"time"`        // UTC, millisecond precision; set by the caller
	Subject    string          `json:"subject"`     // what was decided, one line
	InputsHash string          `json:"inputs_hash"` // hex SHA-256 of the canonical inputs
	Seed       string          `json:"seed"`        // random seed, if the decision drew lots
	Result     json.RawMessage `json:"result"`      // canonical JSON (see CanonicalJSON)
}

var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$`)

// Validate normalises the entry (time to UTC milliseconds, surrounding spaces
// trimmed, result in canonical JSON) and checks every field. Index is not
// checked: the log assigns it.
func (e *Entry) Validate() error {
	e.Time = e.Time.UTC().Truncate(time.Millisecond)
	e.Actor = strings.TrimSpace(e.Actor)
	e.Subject = strings.TrimSpace(e.Subject)
	e.Seed = strings.TrimSpace(e.Seed)
	var ps []*concord.Error
	if len(e.Result) > 0 && len(e.Result) <= MaxResultBytes {
		if c, err := CanonicalJSON(e.Result); err != nil {
			ps = append(ps, concord.FieldError("result", "%v", err))
		} else {
			e.Result = c
		}
	}
	for _, f := range e.check() {
		if f.field == "result" && len(ps) > 0 {
			continue // already reported above
		}
		ps = append(ps, concord.FieldError(f.field, "%s", f.problem))
	}
	return concord.Invalid(ps)
}

type fieldProblem struct{ field, problem string }

// check lists what is wrong with the entry as stored; it changes nothing, so
// that Encode and verification see a row exactly as it was read.
func (e *Entry) check() []fieldProblem {
	var ps []fieldProblem
	add := func(field, format string, args ...any) {
		ps = append(ps, fieldProblem{field, fmt.Sprintf(format, args...)})
	}
	if e.Index < 0 {
		add("index", "%d is negative", e.Index)
	}
	if !concord.ValidSlug(e.Forum) {
		add("forum", "%q is not a forum slug", e.Forum)
	}
	if len(e.Kind) > 100 || !kindPattern.MatchString(e.Kind) {
		add("kind", "%q must be lowercase words joined by dots, such as advisory.selection", e.Kind)
	}
	if p := lineProblem(e.Actor, true); p != "" {
		add("actor", "%s", p)
	} else if len(e.Actor) > MaxActorBytes {
		add("actor", "is longer than %d bytes", MaxActorBytes)
	}
	if y := e.Time.Year(); e.Time.IsZero() || y < 1970 || y > 9999 {
		add("time", "%v is not a time between 1970 and 9999", e.Time)
	} else if e.Time.Nanosecond()%int(time.Millisecond) != 0 {
		add("time", "%v has more than millisecond precision", e.Time)
	}
	if p := lineProblem(e.Subject, true); p != "" {
		add("subject", "%s", p)
	} else if utf8.RuneCountInString(e.Subject) > MaxSubjectRunes {
		add("subject", "is longer than %d characters", MaxSubjectRunes)
	}
	if !isHexHash(e.InputsHash) {
		add("inputs_hash", "%q is not 64 lowercase hex digits (a SHA-256 hash)", e.InputsHash)
	}
	if p := lineProblem(e.Seed, false); p != "" {
		add("seed", "%s", p)
	} else if len(e.Seed) > MaxSeedBytes {
		add("seed", "is longer than %d bytes", MaxSeedBytes)
	}
	if len(e.Result) == 0 {
		add("result", "is required")
	} else if len(e.Result) > MaxResultBytes {
		add("result", "is larger than %d bytes", MaxResultBytes)
	} else if c, err := CanonicalJSON(e.Result); err != nil {
		add("result", "%v", err)
	} else if !bytes.Equal(c, e.Result) {
		add("result", "is not canonical JSON (sorted keys, no spaces)")
	}
	return ps
}

// lineProblem says why s cannot be one line of the encoding, or "".
func lineProblem(s string, required bool) string {
	switch {
	case s == "" && required:
		return "is required"
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "contains a control character such as a line break"
	case strings.TrimSpace(s) != s:
		return "has leading or trailing spaces"
	}
	return ""
}

func isHexHash(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// encodingHeader names the format; a new format gets a new header.
const encodingHeader = "concord decision v1\n"

// Encode returns the entry's record data, the bytes the Merkle tree hashes:
//
//	concord decision v1
//	index 17
//	forum igf-2026
//	kind advisory.selection
//	actor account:42
//	time 2026-06-01T12:00:00.000Z
//	subject Advisory group 2027
//	inputs_hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//	seed 42
//	result {"panel":[3,1,4]}
//
// Every line is a name, one space, the value and a newline; the seed line is
// present even when the seed is empty. Encode refuses an entry that Validate
// would have changed or rejected, so a row edited in storage cannot encode to
// the bytes that were logged.
func (e *Entry) Encode() ([]byte, error) {
	if ps := e.check(); len(ps) > 0 {
		return nil, &fieldError{Field: ps[0].field, Problem: ps[0].problem}
	}
	var b bytes.Buffer
	b.Grow(len(encodingHeader) + 300 + len(e.Result))
	b.WriteString(encodingHeader)
	line := func(name, value string) {
		b.WriteString(name)
		b.WriteByte(' ')
		b.WriteString(value)
		b.WriteByte('\n')
	}
	line("index", strconv.FormatInt(e.Index, 10))
	line("forum", e.Forum)
	line("kind", e.Kind)
	line("actor", e.Actor)
	line("time", e.Time.UTC().Format("2006-01-02T15:04:05.000Z"))
	line("subject", e.Subject)
	line("inputs_hash", e.InputsHash)
	line("seed", e.Seed)
	line("result", string(e.Result))
	return b.Bytes(), nil
}

// LeafHash returns the entry's leaf hash in the tree: tlog.RecordHash(Encode()).
func (e *Entry) LeafHash() (tlog.Hash, error) {
	data, err := e.Encode()
	if err != nil {
		return tlog.Hash{}, err
	}
	return tlog.RecordHash(data), nil
}

// fieldError says which field keeps an entry from being encoded.
type fieldError struct {
	Field   string
	Problem string
}

func (e *fieldError) Error() string { return e.Field + ": " + e.Problem }

// InputsHash returns the hex SHA-256 of v marshalled to canonical JSON: the
// value for Entry.InputsHash when the inputs are Go values.
func InputsHash(v any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	c, err := CanonicalJSON(raw)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// CanonicalJSON rewrites one JSON value in the log's canonical form: no
// insignificant space, object keys sorted bytewise, strings as encoding/json
// writes them (with <, > and & escaped, so the default json.Marshal of an Entry
// leaves Result unchanged), numbers exactly as written. Duplicate keys and
// invalid UTF-8 are errors rather than silently resolved.
func CanonicalJSON(raw []byte) ([]byte, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out bytes.Buffer
	out.Grow(len(raw))
	if err := canonValue(dec, &out, 0); err != nil {
		return nil, fmt.Errorf("is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("is not valid JSON: text after the value")
	}
	return out.Bytes(), nil
}

// maxDepth bounds nesting, and so the recursion, for hostile input.
const maxDepth = 100

func canonValue(dec *json.Decoder, out *bytes.Buffer, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return fmt.Errorf("nests deeper than %d levels", maxDepth)
		}
		if t == '[' {
			out.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				if err := canonValue(dec, out, depth+1); err != nil {
					return err
				}
			}
			out.WriteByte(']')
		} else {
			if err := canonObject(dec, out, depth+1); err != nil {
				return err
			}
		}
		_, err := dec.Token() // the closing delimiter
		return err
	case string:
		writeString(out, t)
	case json.Number:
		out.WriteString(string(t))
	case bool:
		out.WriteString(strconv.FormatBool(t))
	case nil:
		out.WriteString("null")
	}
	return nil
}

func canonObject(dec *json.Decoder, out *bytes.Buffer, depth int) error {
	type member struct {
		key   string
		value []byte
	}
	var ms []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string) // the decoder only yields strings in key position
		var v bytes.Buffer
		if err := canonValue(dec, &v, depth); err != nil {
			return err
		}
		ms = append(ms, member{key, v.Bytes()})
	}
	slices.SortFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
	out.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			if ms[i-1].key == m.key {
				return fmt.Errorf("key %q appears twice", m.key)
			}
			out.WriteByte(',')
		}
		writeString(out, m.key)
		out.WriteByte(':')
		out.Write(m.value)
	}
	out.WriteByte('}')
	return nil
}

func writeString(out *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // cannot fail for a string
	out.Write(b)
}
