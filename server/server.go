// Package server is the HTTP edge: routing, who the viewer is, authorization
// decided in one place, sessions, cross-origin protection, locale, logging.
// Pages (package web) and the JSON API (package api) hand it their routes.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"concord"
	"concord/sqlstore"
)

// Access is who may use a route. Forum-scoped levels need a {forum} in the
// pattern and are judged by the viewer's role in that forum only.
type Access int

const (
	Public      Access = iota // anyone
	SignedIn                  // any signed-in account
	Delegate                  // role delegate or higher in the route's forum
	Advisor                   // advisory-group member or secretariat
	Secretariat               // the forum's secretariat
	Admin                     // instance administrator
)

var accessNames = map[Access]string{Public: "public", SignedIn: "signed-in", Delegate: "delegate",
	Advisor: "advisor", Secretariat: "secretariat", Admin: "admin"}

func (a Access) String() string { return accessNames[a] }

func (a Access) forumRole() concord.Role {
	switch a {
	case Delegate:
		return concord.RoleDelegate
	case Advisor:
		return concord.RoleAdvisor
	case Secretariat:
		return concord.RoleSecretariat
	}
	return ""
}

// Route is one endpoint.
type Route struct {
	Method  string
	Pattern string // Go 1.22 mux pattern without the method
	Access  Access
	Handler http.HandlerFunc
}

// Viewer is who is making a request, and in which forum.
type Viewer struct {
	Account *concord.Account // nil: anonymous
	Forum   *concord.Forum   // nil: route is not forum-scoped
	Role    concord.Role     // role in Forum; RolePublic when none
	ViaAPI  bool             // authenticated by bearer token
	Locale  string
	ReqID   string
}

// Can reports whether the viewer has at least role min in the current forum.
// Instance administrators act as secretariat everywhere.
func (v *Viewer) Can(min concord.Role) bool {
	if v.Account != nil && v.Account.IsAdmin {
		return true
	}
	return v.Role.AtLeast(min)
}

type ctxKey int

const viewerKey ctxKey = 0

// ViewerFrom returns the request's viewer.
func ViewerFrom(ctx context.Context) *Viewer {
	if v, ok := ctx.Value(viewerKey).(*Viewer); ok {
		return v
	}
	return &Viewer{Role: concord.RolePublic, Locale: "en"}
}

// Mailer sends email; nil means outbox only.
type Mailer interface {
	Send(ctx context.Context, e *concord.Email) error
}

// Server holds what every handler needs.
type Server struct {
	DB       *sqlstore.DB
	Sessions *scs.SessionManager
	Mailer   Mailer
	Log      *slog.Logger
	BaseURL  string // e.g. https://forum.example.org, for links in emails
	// RenderError draws an HTML error page; set by package web.
	RenderError func(w http.ResponseWriter, r *http.Request, status int, message string)
	routes      []Route
}

// New prepares a server over db with database-backed sessions.
func New(db *sqlstore.DB, log *slog.Logger, baseURL string) *Server {
	sm := scs.New()
	sm.Store = sqlstore.SessionStore{DB: db}
	sm.Lifetime = 14 * 24 * time.Hour
	sm.IdleTimeout = 3 * 24 * time.Hour
	sm.Cookie.Name = "concord_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = strings.HasPrefix(baseURL, "https://")
	return &Server{DB: db, Sessions: sm, Log: log, BaseURL: strings.TrimRight(baseURL, "/")}
}

// Add registers routes.
func (s *Server) Add(routes ...Route) { s.routes = append(s.routes, routes...) }

// Routes lists every registered route, for the authorization matrix test.
func (s *Server) Routes() []Route { return s.routes }

// Handler builds the complete HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.authorize(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, concord.Errorf(concord.ENOTFOUND, "There is no page at %s.", r.URL.Path))
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, concord.Errorf(concord.EFORBIDDEN, "Cross-origin request refused: submit the form from this site."))
	}))
	var h http.Handler = mux
	h = s.identify(h)
	h = cop.Handler(h)
	h = s.Sessions.LoadAndSave(h) // outside the others: error pages read the session too
	h = s.locale(h)
	h = s.logAndRecover(h)
	return h
}

// authorize resolves the forum and decides access; handlers run only when allowed.
func (s *Server) authorize(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := ViewerFrom(r.Context())
		v.Role = concord.RolePublic
		if slug := r.PathValue("forum"); slug != "" {
			f, err := s.DB.Forum(r.Context(), slug)
			if err != nil {
				s.Error(w, r, err)
				return
			}
			v.Forum = f
			if v.Account != nil {
				if v.Role, err = s.DB.Role(r.Context(), v.Account.ID, f.ID); err != nil {
					s.Error(w, r, err)
					return
				}
			}
		}
		if err := allowed(rt.Access, v); err != nil {
			s.Error(w, r, err)
			return
		}
		rt.Handler(w, r)
	})
}

// allowed is the one place where access is decided.
func allowed(a Access, v *Viewer) error {
	if a == Public {
		return nil
	}
	if v.Account == nil {
		return concord.Errorf(concord.EUNAUTHORIZED, "Sign in to see this page.")
	}
	switch a {
	case SignedIn:
		return nil
	case Admin:
		if v.Account.IsAdmin {
			return nil
		}
	default:
		if v.Forum != nil && v.Can(a.forumRole()) {
			return nil
		}
	}
	return concord.Errorf(concord.EFORBIDDEN, "Your account may not do this here.")
}

// identify finds the account behind the session or a bearer token.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := ViewerFrom(r.Context())
		if auth := r.Header.Get("Authorization"); auth != "" {
			tok, ok := strings.CutPrefix(auth, "Bearer ")
			id, err := s.DB.CheckToken(r.Context(), strings.TrimSpace(tok), sqlstore.TokenAPI)
			if !ok || err != nil {
				s.Error(w, r, concord.Errorf(concord.EUNAUTHORIZED, "The API token is invalid or expired."))
				return
			}
			if v.Account, err = s.DB.Account(r.Context(), id); err != nil {
				s.Error(w, r, err)
				return
			}
			v.ViaAPI = true
		} else if id := s.Sessions.GetInt64(r.Context(), SessionAccountKey); id != 0 {
			a, err := s.DB.Account(r.Context(), id)
			if err == nil {
				v.Account = a
			} else if concord.ErrorCode(err) == concord.ENOTFOUND {
				s.Sessions.Remove(r.Context(), SessionAccountKey)
			} else {
				s.Error(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// SessionAccountKey holds the signed-in account id in the session.
const SessionAccountKey = "account_id"

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logAndRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := make([]byte, 6)
		rand.Read(id)
		v := &Viewer{Role: concord.RolePublic, Locale: "en", ReqID: hex.EncodeToString(id)}
		r = r.WithContext(context.WithValue(r.Context(), viewerKey, v))
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Content-Type-Options", "nosniff")
		sw.Header().Set("Referrer-Policy", "same-origin")
		sw.Header().Set("X-Frame-Options", "DENY")
		sw.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'")
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Log.Error("panic", "req", v.ReqID, "panic", p, "path", r.URL.Path)
				if sw.status == 0 {
					s.Error(sw, r, errors.New("panic"))
				}
			}
			s.Log.Info("http", "req", v.ReqID, "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"bytes", sw.bytes, "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

// Status maps an error code to its HTTP status: the one map at the edge.
func Status(code string) int {
	switch code {
	case concord.EINVALID:
		return http.StatusUnprocessableEntity
	case concord.ENOTFOUND:
		return http.StatusNotFound
	case concord.ECONFLICT:
		return http.StatusConflict
	case concord.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case concord.EFORBIDDEN:
		return http.StatusForbidden
	case concord.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// IsAPI reports whether the request is for the JSON API.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// Error answers with err: JSON for the API, a page otherwise. Internal errors
// are logged with the request id and shown generically.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := concord.ErrorCode(err)
	status := Status(code)
	msg := concord.ErrorMessage(err)
	v := ViewerFrom(r.Context())
	if code == concord.EINTERNAL {
		s.Log.Error("internal error", "req", v.ReqID, "err", err, "path", r.URL.Path)
		msg = "Something went wrong on our side (request " + v.ReqID + "). It has been logged."
	}
	if IsAPI(r) {
		body := map[string]any{"error": map[string]any{"code": code, "message": msg}}
		if ps := concord.Problems(err); len(ps) > 1 || (len(ps) == 1 && ps[0].Field != "") {
			var fields []map[string]string
			for _, p := range ps {
				fields = append(fields, map[string]string{"field": p.Field, "message": p.Message})
			}
			body["error"].(map[string]any)["fields"] = fields
		}
		WriteJSON(w, status, body)
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if s.RenderError != nil {
		s.RenderError(w, r, status, msg)
		return
	}
	http.Error(w, msg, status)
}

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// SendEmail records a message in the outbox and, when SMTP is configured,
// Me is the signed-in viewer's own person in the current forum's registry
// (matched by email), nil when anonymous or not in the registry.
func (s *Server) Me(ctx context.Context) (*concord.Person, error) {
	v := ViewerFrom(ctx)
	if v.Account == nil || v.Forum == nil {
		return nil, nil
	}
	p, err := s.DB.PersonByEmail(ctx, v.Forum.ID, v.Account.Email)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil, nil
	}
	return p, err
}

// sends it now, noting the outcome. Without SMTP the outbox is the delivery.
func (s *Server) SendEmail(ctx context.Context, e *concord.Email) error {
	if err := s.DB.QueueEmail(ctx, e); err != nil {
		return err
	}
	if s.Mailer == nil {
		return nil
	}
	sendErr := s.Mailer.Send(ctx, e)
	if sendErr != nil {
		s.Log.Warn("email not sent", "to", e.To, "err", sendErr)
	}
	return s.DB.MarkEmailSent(ctx, e.ID, sendErr)
}
