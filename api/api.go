// Package api is Concord's JSON API: the forums' registries of people and
// organisations, read by anyone and written by a forum's secretariat with a
// bearer token. Every endpoint is described by the OpenAPI document served at
// /api/openapi.json, and the tests check every response against it.
package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"concord"
	"concord/server"
)

//go:embed openapi.json
var openAPIDocument []byte

// endpoints holds what the API's handlers need.
type endpoints struct {
	s *server.Server
}

// Routes lists every API endpoint with who may use it. Each must appear in
// openapi.json with the same access (x-concord-access); a test checks.
func Routes(s *server.Server) []server.Route {
	e := &endpoints{s: s}
	// rt wraps a handler so that a query parameter it does not take is refused.
	rt := func(method, pattern string, a server.Access, fn http.HandlerFunc, query ...string) server.Route {
		return server.Route{Method: method, Pattern: pattern, Access: a, Handler: e.strictQuery(query, fn)}
	}
	const (
		pub = server.Public
		sec = server.Secretariat
	)
	filter := []string{"group", "region", "country", "organisation", "gender", "q"}
	page := append(slices.Clone(filter), "offset", "limit")
	return []server.Route{
		rt("GET", "/api/openapi.json", pub, e.openAPI),
		rt("GET", "/api/forums", pub, e.listForums),
		rt("GET", "/api/forums/{forum}", pub, e.showForum),
		rt("GET", "/api/forums/{forum}/people", pub, e.listPeople, page...),
		rt("POST", "/api/forums/{forum}/people", sec, e.createPerson),
		rt("GET", "/api/forums/{forum}/people/{id}", pub, e.showPerson),
		rt("PUT", "/api/forums/{forum}/people/{id}", sec, e.updatePerson),
		rt("DELETE", "/api/forums/{forum}/people/{id}", sec, e.deletePerson),
		rt("GET", "/api/forums/{forum}/organisations", pub, e.listOrganisations),
		rt("GET", "/api/forums/{forum}/stats", pub, e.stats, filter...),
		rt("POST", "/api/forums/{forum}/consultations/{id}/votes", server.SignedIn, e.castVotes),
		rt("GET", "/api/forums/{forum}/programme/calls", pub, e.listProposalCalls),
		rt("GET", "/api/forums/{forum}/programme/calls/{id}", pub, e.showProposalCall),
		rt("GET", "/api/forums/{forum}/programme/calls/{id}/proposals", pub, e.listProposals, "offset", "limit"),
		rt("POST", "/api/forums/{forum}/programme/calls/{id}/proposals", server.SignedIn, e.createProposal),
		rt("GET", "/api/forums/{forum}/programme/proposals/{id}", pub, e.showProposal),
		rt("PUT", "/api/forums/{forum}/programme/proposals/{id}", server.SignedIn, e.updateProposal),
		rt("POST", "/api/forums/{forum}/programme/proposals/{id}/submit", server.SignedIn, e.submitProposal),
		rt("GET", "/api/forums/{forum}/programme/calls/{id}/evaluations", server.Advisor, e.listEvaluations),
		rt("PUT", "/api/forums/{forum}/programme/proposals/{id}/evaluation", server.Advisor, e.saveEvaluation),
		rt("POST", "/api/forums/{forum}/programme/proposals/{id}/conflict", server.Advisor, e.declareConflict),
		rt("GET", "/api/forums/{forum}/programme/calls/{id}/ranking", sec, e.ranking, "normalise"),
		rt("GET", "/api/forums/{forum}/programme/calls/{id}/accepted", pub, e.acceptedProposals),
		rt("GET", "/api/forums/{forum}/sessions/{id}/reports", pub, e.sessionReports),
		rt("PUT", "/api/forums/{forum}/sessions/{id}/reports/{kind}", server.SignedIn, e.fileSessionReport),
		rt("GET", "/api/forums/{forum}/reports", sec, e.meetingReports),
		rt("GET", "/api/forums/{forum}/advisory-group", pub, e.advisoryGroup, "year"),
		rt("GET", "/api/forums/{forum}/advisory-group/calls", pub, e.listNominationCalls),
		rt("GET", "/api/forums/{forum}/advisory-group/calls/{id}", pub, e.showNominationCall),
		rt("GET", "/api/forums/{forum}/advisory-group/selections", pub, e.listSelections, "year"),
		rt("GET", "/api/forums/{forum}/advisory-group/selections/{id}", pub, e.showSelection),
		rt("POST", "/api/forums/{forum}/advisory-group/terms", sec, e.createTerm),
		rt("PUT", "/api/forums/{forum}/advisory-group/terms/{id}", sec, e.updateTerm),
		rt("GET", "/api/forums/{forum}/rules", pub, e.forumRules),
		rt("PUT", "/api/forums/{forum}/rules", sec, e.saveForumRules),
		rt("GET", "/api/log", pub, e.logHead),
		rt("GET", "/api/log/entries", pub, e.logEntries, "start", "end"),
		rt("GET", "/api/log/hashes", pub, e.logHashes, "indexes"),
		rt("GET", "/api/log/checkpoints", pub, e.logCheckpoints, "min", "limit"),
		rt("GET", "/api/log/entries/{index}/proof", pub, e.logProof, "size"),
	}
}

func (e *endpoints) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDocument)
}

// statusError is a refusal that has no concord error code: the status says it all.
type statusError struct {
	status  int
	code    string
	message string
}

func (e *statusError) Error() string { return e.message }

// MaxBody bounds a request body; larger ones are refused with 413.
const MaxBody = 1 << 20

// fail answers with err in the API's error shape.
func (e *endpoints) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	if errors.As(err, &se) {
		server.WriteJSON(w, se.status, map[string]any{"error": map[string]any{"code": se.code, "message": se.message}})
		return
	}
	e.s.Error(w, r, err)
}

// pathID reads a positive integer path value; anything else names nothing, so 404.
func pathID(r *http.Request, name, what string) (int64, error) {
	s := r.PathValue(name)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, concord.Errorf(concord.ENOTFOUND, "There is no %s with id %q.", what, truncate(s))
	}
	return id, nil
}

// jsonField is one member of a request object: where it goes and, for the
// message when it has the wrong type, what it must be.
type jsonField struct {
	name string
	dst  any
	want string
}

// decodeObject reads a JSON object body into fields, strictly: the body must
// be declared and be JSON, at most MaxBody bytes, one object with no
// unknown, repeated or mistyped members. Every problem is reported with the
// member it concerns. Requiring the JSON media type also keeps out bodies
// that a cross-site form or simple fetch could send with the viewer's cookie.
func decodeObject(w http.ResponseWriter, r *http.Request, fields []jsonField) error {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return &statusError{http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("The body must be JSON, sent with Content-Type: application/json (not %q).", truncate(ct))}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &statusError{http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("The body is larger than %d bytes.", MaxBody)}
	} else if err != nil {
		return concord.FieldError("body", "could not be read: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return concord.FieldError("body", "must be a JSON object")
	}
	var ps []*concord.Error
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return concord.FieldError("body", "is not valid JSON: %v", err)
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return concord.FieldError("body", "is not valid JSON: %v", err)
		}
		i := slices.IndexFunc(fields, func(f jsonField) bool { return f.name == key })
		switch {
		case seen[key]:
			ps = append(ps, concord.FieldError(truncate(key), "appears more than once"))
		case i < 0:
			ps = append(ps, concord.FieldError(truncate(key), "is not a known field (known: %s)", fieldNames(fields)))
		default:
			if err := json.Unmarshal(raw, fields[i].dst); err != nil {
				ps = append(ps, concord.FieldError(key, "must be %s", fields[i].want))
			}
		}
		seen[key] = true
	}
	if _, err := dec.Token(); err != nil {
		return concord.FieldError("body", "is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return concord.FieldError("body", "must hold one JSON object and nothing after it")
	}
	return concord.Invalid(ps)
}

func fieldNames(fields []jsonField) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// strictQuery refuses a request whose query has a parameter not in known,
// or one given twice, naming each.
func (e *endpoints) strictQuery(known []string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var ps []*concord.Error
		for _, k := range slices.Sorted(maps.Keys(q)) {
			if !slices.Contains(known, k) {
				ps = append(ps, concord.FieldError(truncate(k), "is not a parameter of this endpoint%s", knownList(known)))
			} else if len(q[k]) > 1 {
				ps = append(ps, concord.FieldError(k, "is given %d times; give it once", len(q[k])))
			}
		}
		if len(ps) > 0 {
			e.fail(w, r, concord.Invalid(ps))
			return
		}
		next(w, r)
	}
}

func knownList(known []string) string {
	if len(known) == 0 {
		return ", which takes none"
	}
	return " (known: " + strings.Join(known, ", ") + ")"
}

// truncate keeps echoed client input short.
func truncate(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
