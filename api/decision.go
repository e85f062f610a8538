package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"concord"
	"concord/decisionlog"
	"concord/server"
	"concord/sqlstore"
)

// The decision log is public so that anyone can verify it from outside
// (concord verify https://…): these endpoints serve its rows exactly as
// stored, tampered or not, and leave every judgement to the verifier.

// MaxLogPage bounds the entries, hashes or checkpoints of one request.
const MaxLogPage = 1000

// logHeadJSON is the log's key and latest signed checkpoint.
type logHeadJSON struct {
	VerifierKey string `json:"verifier_key"`
	Size        int64  `json:"size"`
	Checkpoint  string `json:"checkpoint"`
}

func (e *endpoints) logHead(w http.ResponseWriter, r *http.Request) {
	vkey, err := e.s.DB.DecisionVerifierKey(r.Context())
	if err != nil {
		e.fail(w, r, err)
		return
	}
	cp, err := sqlstore.DecisionStore{DB: e.s.DB}.Latest(r.Context())
	if err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, logHeadJSON{VerifierKey: vkey, Size: checkpointSize(cp), Checkpoint: string(cp)})
}

// checkpointSize reads the size line of a checkpoint without checking its
// signature, 0 if there is none: a convenience for readers, who must open
// the checkpoint itself before trusting it.
func checkpointSize(note []byte) int64 {
	lines := strings.SplitN(string(note), "\n", 3)
	if len(lines) < 3 {
		return 0
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (e *endpoints) logEntries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ps []*concord.Error
	start, perr := intParam(q.Get("start"), "start", 0)
	if perr != nil {
		ps = append(ps, perr)
	}
	end, perr := intParam(q.Get("end"), "end", start+100)
	if perr != nil {
		ps = append(ps, perr)
	} else if len(ps) == 0 && (end < start || end-start > MaxLogPage) {
		ps = append(ps, concord.FieldError("end", "must be from start (%d) to start+%d", start, MaxLogPage))
	}
	if err := concord.Invalid(ps); err != nil {
		e.fail(w, r, err)
		return
	}
	es, err := sqlstore.DecisionStore{DB: e.s.DB}.ReadEntries(r.Context(), start, end)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"entries":[`)
	for i := range es {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeEntry(&b, &es[i]); err != nil {
			e.fail(w, r, err)
			return
		}
	}
	b.WriteString("]}\n")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b.Bytes())
}

// writeEntry writes e as json.Marshal does, except that Result goes out byte
// for byte: encoding/json would compact and re-escape it, hiding an edit to
// its spacing from the verifier. A Result that is not JSON at all (only an
// edit in storage makes one) goes out as a string, which can never match
// the canonical JSON that was logged.
func writeEntry(b *bytes.Buffer, e *decisionlog.Entry) error {
	head := *e
	head.Result = json.RawMessage("0")
	data, err := json.Marshal(head)
	if err != nil {
		return err
	}
	data, ok := bytes.CutSuffix(data, []byte(`"result":0}`))
	if !ok {
		return fmt.Errorf("decision log: entry %d: unexpected JSON %s", e.Index, data)
	}
	b.Write(data)
	b.WriteString(`"result":`)
	if json.Valid(e.Result) {
		b.Write(e.Result)
	} else {
		s, _ := json.Marshal(string(e.Result))
		b.Write(s)
	}
	b.WriteByte('}')
	return nil
}

func (e *endpoints) logHashes(w http.ResponseWriter, r *http.Request) {
	indexes, perr := parseIndexes(r.URL.Query().Get("indexes"))
	if perr != nil {
		e.fail(w, r, perr)
		return
	}
	st := sqlstore.DecisionStore{DB: e.s.DB}
	latest, err := st.Latest(r.Context())
	if err != nil {
		e.fail(w, r, err)
		return
	}
	count := tlog.StoredHashCount(checkpointSize(latest))
	for _, x := range indexes {
		if x >= count {
			e.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no stored hash %d: the log has %d.", x, count))
			return
		}
	}
	hs, err := st.ReadHashes(r.Context(), indexes)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, map[string]any{"hashes": encodeHashes(hs)})
}

// parseIndexes reads a list of stored-hash indexes: numbers and inclusive
// ranges separated by commas, as "0-999,1500". Ranges keep the long runs of
// consecutive indexes a verifier asks for inside the URL lengths proxies take.
func parseIndexes(s string) ([]int64, *concord.Error) {
	if s == "" {
		return nil, concord.FieldError("indexes", "is required: stored-hash indexes or ranges (as 0-999) separated by commas")
	}
	var out []int64
	for _, p := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(p, "-")
		a, err := strconv.ParseInt(lo, 10, 64)
		b := a
		if err == nil && isRange {
			b, err = strconv.ParseInt(hi, 10, 64)
		}
		if err != nil || a < 0 || b < a {
			return nil, concord.FieldError("indexes", "%q is neither a whole number of at least 0 nor a range such as 0-999", truncate(p))
		}
		if b-a >= MaxLogPage || len(out)+int(b-a+1) > MaxLogPage {
			return nil, concord.FieldError("indexes", "lists more than %d indexes; ask for at most %d at a time", MaxLogPage, MaxLogPage)
		}
		for x := a; x <= b; x++ {
			out = append(out, x)
		}
	}
	return out, nil
}

func encodeHashes(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

func (e *endpoints) logCheckpoints(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ps []*concord.Error
	minSize, perr := intParam(q.Get("min"), "min", 0)
	if perr != nil {
		ps = append(ps, perr)
	}
	limit, perr := intParam(q.Get("limit"), "limit", 100)
	if perr != nil || limit < 1 || limit > MaxLogPage {
		ps = append(ps, concord.FieldError("limit", "%q is not a whole number from 1 to %d", truncate(q.Get("limit")), MaxLogPage))
	}
	if err := concord.Invalid(ps); err != nil {
		e.fail(w, r, err)
		return
	}
	cps, err := sqlstore.DecisionStore{DB: e.s.DB}.ReadCheckpoints(r.Context(), minSize, int(limit))
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := make([]string, len(cps))
	for i, c := range cps {
		out[i] = string(c)
	}
	server.WriteJSON(w, http.StatusOK, map[string]any{"checkpoints": out})
}

// inclusionProofJSON proves that entry Index is in the tree of Size entries;
// check it with decisionlog.CheckInclusion against a checkpoint of that size.
type inclusionProofJSON struct {
	Index  int64    `json:"index"`
	Size   int64    `json:"size"`
	Hashes []string `json:"hashes"`
}

func (e *endpoints) logProof(w http.ResponseWriter, r *http.Request) {
	index, err := strconv.ParseInt(r.PathValue("index"), 10, 64)
	if err != nil || index < 0 {
		e.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no entry %q in the decision log.", truncate(r.PathValue("index"))))
		return
	}
	latest, err := sqlstore.DecisionStore{DB: e.s.DB}.Latest(r.Context())
	if err != nil {
		e.fail(w, r, err)
		return
	}
	n := checkpointSize(latest)
	if index >= n {
		e.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no entry %d: the decision log has %d.", index, n))
		return
	}
	size, ferr := intParam(r.URL.Query().Get("size"), "size", n)
	if ferr == nil && (size <= index || size > n) {
		ferr = concord.FieldError("size", "%d must be from %d (the entry's index + 1) to %d (the log's size)", size, index+1, n)
	}
	if ferr != nil {
		e.fail(w, r, ferr)
		return
	}
	log, err := e.s.DB.DecisionLog(r.Context())
	if err != nil {
		e.fail(w, r, err)
		return
	}
	p, err := log.InclusionProof(r.Context(), index, size)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, inclusionProofJSON{Index: index, Size: size, Hashes: encodeHashes(p)})
}

// intParam reads a whole number of at least 0 from a query parameter, def
// when it is absent.
func intParam(s, name string, def int64) (int64, *concord.Error) {
	if s == "" {
		return def, nil
	}
	x, err := strconv.ParseInt(s, 10, 64)
	if err != nil || x < 0 {
		return 0, concord.FieldError(name, "%q is not a whole number of at least 0", truncate(s))
	}
	return x, nil
}
