package decisionlog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"concord"
	"github.com/google/go-cmp/cmp"
)

func goldenEntry() Entry {
	sum := sha256.Sum256([]byte("inputs"))
	return Entry{
		Index:      17,
		Forum:      "igf-2026",
		Kind:       "advisory.selection",
		Actor:      "account:42",
		Time:       time.Date(2026, 6, 1, 12, 0, 0, 123e6, time.UTC),
		Subject:    "Advisory group 2027 — renewal of a third",
		InputsHash: hex.EncodeToString(sum[:]),
		Seed:       "42",
		Result:     json.RawMessage(`{"panel":[3,1,4],"quota":{"government":0.4}}`),
	}
}

// The encoding and leaf hash are the log's public format: a change here breaks
// every log already written, and needs a new version line.
func TestEncodeGolden(t *testing.T) {
	e := goldenEntry()
	data, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := "concord decision v1\n" +
		"index 17\n" +
		"forum igf-2026\n" +
		"kind advisory.selection\n" +
		"actor account:42\n" +
		"time 2026-06-01T12:00:00.123Z\n" +
		"subject Advisory group 2027 — renewal of a third\n" +
		"inputs_hash 32381523e63197c929b67f793a8098bed0ae3a6fa902634fdbcc6fa4567f3346\n" +
		"seed 42\n" +
		`result {"panel":[3,1,4],"quota":{"government":0.4}}` + "\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("Encode (-want +got):\n%s", diff)
	}
	h, err := e.LeafHash()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.String(), "7broNl5cUjdZR7ROC5vM3IvJ7zu1/w00Z8EKpTtq/yk="; got != want {
		t.Errorf("LeafHash = %s, want %s", got, want)
	}
	// Same instant in another zone, same bytes.
	e.Time = e.Time.In(time.FixedZone("Riyadh", 3*3600))
	if again, _ := e.Encode(); string(again) != string(data) {
		t.Errorf("Encode depends on the time zone:\n%s", again)
	}
}

func TestCanonicalJSON(t *testing.T) {
	for _, tt := range []struct{ in, want, err string }{
		{in: `{"b": 1, "a": [true, false, null], "c": {"z": "x", "y": 1.50}}`, want: `{"a":[true,false,null],"b":1,"c":{"y":1.50,"z":"x"}}`},
		{in: " \"a<b & c>d\u2028\" ", want: `"a\u003cb \u0026 c\u003ed\u2028"`},
		{in: `"\u00e9\/"`, want: `"é/"`},
		{in: `[1e2, -0, 12345678901234567890]`, want: `[1e2,-0,12345678901234567890]`},
		{in: `{}`, want: `{}`},
		{in: `[]`, want: `[]`},
		{in: `{"a":1,"a":2}`, err: `key "a" appears twice`},
		{in: `{"a":1} {}`, err: "text after the value"},
		{in: `{"a":}`, err: "is not valid JSON"},
		{in: ``, err: "is not valid JSON"},
		{in: "\"\xff\"", err: "UTF-8"},
		{in: strings.Repeat("[", 100) + strings.Repeat("]", 100), want: strings.Repeat("[", 100) + strings.Repeat("]", 100)},
		{in: strings.Repeat(`{"a":`, 101) + "1" + strings.Repeat("}", 101), err: "deeper than 100"},
	} {
		got, err := CanonicalJSON([]byte(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("CanonicalJSON(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("CanonicalJSON(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
		if again, _ := CanonicalJSON(got); string(again) != string(got) {
			t.Errorf("CanonicalJSON is not idempotent on %s: %s", got, again)
		}
	}
}

func TestInputsHash(t *testing.T) {
	got, err := InputsHash(map[string]any{"b": 1, "a": "<x>"})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(`{"a":"\u003cx\u003e","b":1}`))
	if want := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("InputsHash = %s, want %s", got, want)
	}
}

func TestValidateNormalises(t *testing.T) {
	e := goldenEntry()
	e.Time = time.Date(2026, 6, 1, 15, 0, 0, 123456789, time.FixedZone("Riyadh", 3*3600))
	e.Subject = "  Advisory group 2027 — renewal of a third\t"
	e.Result = json.RawMessage("{ \"quota\": {\"government\": 0.4},\n \"panel\": [3, 1, 4] }")
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(goldenEntry(), e); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}

func TestValidateProblems(t *testing.T) {
	for _, tt := range []struct {
		field  string
		change func(*Entry)
	}{
		{"forum", func(e *Entry) { e.Forum = "IGF 2026" }},
		{"kind", func(e *Entry) { e.Kind = "Advisory Selection" }},
		{"kind", func(e *Entry) { e.Kind = "advisory..selection" }},
		{"actor", func(e *Entry) { e.Actor = "" }},
		{"actor", func(e *Entry) { e.Actor = strings.Repeat("a", MaxActorBytes+1) }},
		{"time", func(e *Entry) { e.Time = time.Time{} }},
		{"subject", func(e *Entry) { e.Subject = "two\nlines" }},
		{"subject", func(e *Entry) { e.Subject = " " }},
		{"subject", func(e *Entry) { e.Subject = "bad \xff utf-8" }},
		{"inputs_hash", func(e *Entry) { e.InputsHash = strings.ToUpper(e.InputsHash) }},
		{"inputs_hash", func(e *Entry) { e.InputsHash = "" }},
		{"seed", func(e *Entry) { e.Seed = "a\x00b" }},
		{"result", func(e *Entry) { e.Result = nil }},
		{"result", func(e *Entry) { e.Result = json.RawMessage(`{"a":`) }},
		{"result", func(e *Entry) { e.Result = json.RawMessage(`"` + strings.Repeat("a", MaxResultBytes) + `"`) }},
	} {
		e := goldenEntry()
		tt.change(&e)
		err := e.Validate()
		ps := concord.Problems(err)
		if len(ps) != 1 || ps[0].Field != tt.field || concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("Validate after changing %s = %v, want one problem with %s", tt.field, err, tt.field)
		}
		if _, err := e.Encode(); err == nil {
			t.Errorf("Encode after changing %s succeeded", tt.field)
		}
	}
}

// An HTTP source serves entries with the default json.Marshal; the leaf
// must survive the round trip.
func TestEntryJSONRoundTrip(t *testing.T) {
	e := goldenEntry()
	e.Result = json.RawMessage(`{"note":"a<b & c>d é \u2028 \"q\""}`)
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	before, _ := e.Encode()
	raw, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back Entry
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	after, err := back.Encode()
	if err != nil || string(after) != string(before) {
		t.Errorf("after a JSON round trip, Encode = %q, %v; want %q", after, err, before)
	}
}
