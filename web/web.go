// Package web serves Concord's HTML pages: server-rendered, usable without
// JavaScript, accessible, translatable and right-to-left ready.
package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"concord"
	"concord/server"
)

//go:embed templates static locales
var assets embed.FS

// Handler serves the pages; its methods are the handlers.
type Handler struct {
	s      *server.Server
	pages  map[string]*template.Template
	bundle *i18n.Bundle
	mu     sync.Mutex
	loc    map[string]*i18n.Localizer
}

// catalogueFiles are a locale's message files: locales/<locale>.json and
// one locales/<area>.<locale>.json per area of the app, so that the
// catalogue of a large area does not crowd the main file.
func catalogueFiles(locale string) []string {
	areas, _ := fs.Glob(assets, "locales/*."+locale+".json")
	return append([]string{"locales/" + locale + ".json"}, areas...)
}

// New parses the templates and message catalogues.
func New(s *server.Server) (*Handler, error) {
	h := &Handler{s: s, pages: map[string]*template.Template{}, loc: map[string]*i18n.Localizer{}}
	h.bundle = i18n.NewBundle(language.English)
	h.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range server.Locales {
		for _, f := range catalogueFiles(l) {
			if _, err := h.bundle.LoadMessageFileFS(assets, f); err != nil {
				return nil, fmt.Errorf("web: locale %s: %w", l, err)
			}
		}
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	files, _ := fs.Glob(assets, "templates/*.html")
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" || name == "partials.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(assets, f)
		if err != nil {
			return nil, err
		}
		h.pages[name] = t
	}
	s.RenderError = h.renderError
	return h, nil
}

func (h *Handler) localizer(locale string) *i18n.Localizer {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.loc[locale]
	if !ok {
		l = i18n.NewLocalizer(h.bundle, locale, "en")
		h.loc[locale] = l
	}
	return l
}

// Page is what every page's view model embeds.
type Page struct {
	Title   string
	Viewer  *server.Viewer
	Path    string
	Query   url.Values
	Flash   string
	Scripts bool // include htmx
	l       *i18n.Localizer
}

// T translates a message id; args fill {{.A0}}, {{.A1}}… in the message.
func (p Page) T(id string, args ...any) string {
	data := map[string]any{}
	for i, a := range args {
		data["A"+strconv.Itoa(i)] = a
	}
	s, err := p.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: pluralCount(args)})
	if err != nil && s == "" {
		// Text that is not in the catalogue (a forum's own group names) shows as is.
		return id
	}
	return s
}

func pluralCount(args []any) any {
	if len(args) > 0 {
		if n, ok := args[0].(int); ok {
			return n
		}
	}
	return nil
}

// Locale, Dir and Locales serve the layout.
func (p Page) Locale() string { return p.Viewer.Locale }

func (p Page) Dir() string {
	if server.RTL(p.Viewer.Locale) {
		return "rtl"
	}
	return "ltr"
}

// LangLink is the current page in another language.
type LangLink struct {
	Code, Name, URL string
	Current         bool
}

var localeNames = map[string]string{"en": "English", "ar": "العربية", "fr": "Français", "es": "Español", "ru": "Русский", "zh": "中文"}

func (p Page) Languages() []LangLink {
	var out []LangLink
	for _, l := range server.Locales {
		q := url.Values{}
		for k, v := range p.Query {
			q[k] = v
		}
		q.Set("lang", l)
		out = append(out, LangLink{l, localeNames[l], p.Path + "?" + q.Encode(), l == p.Viewer.Locale})
	}
	return out
}

// page fills the common part of a view model.
func (h *Handler) page(r *http.Request, title string) Page {
	v := server.ViewerFrom(r.Context())
	p := Page{Viewer: v, Path: r.URL.Path, Query: r.URL.Query(), l: h.localizer(v.Locale)}
	p.Title = p.T(title)
	p.Flash = h.s.Sessions.PopString(r.Context(), "flash")
	return p
}

func (h *Handler) flash(r *http.Request, msg string) { h.s.Sessions.Put(r.Context(), "flash", msg) }

// render executes a page into a buffer first, so a template error never
// leaves half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	h.renderBlock(w, r, status, name, "layout.html", data)
}

// renderBlock executes one named block of a page: htmx requests get only the
// fragment they swap in.
func (h *Handler) renderBlock(w http.ResponseWriter, r *http.Request, status int, name, block string, data any) {
	t, ok := h.pages[name]
	if !ok {
		h.s.Error(w, r, fmt.Errorf("web: no template %s", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		if name == "error.html" { // never recurse through the error page
			h.s.Log.Error("render error page", "err", err)
			http.Error(w, http.StatusText(status), status)
			return
		}
		h.s.Error(w, r, fmt.Errorf("web: render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", server.ViewerFrom(r.Context()).Locale)
	w.Header().Set("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorPage struct {
	Page
	Status  int
	Message string
}

func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := errorPage{Page: h.page(r, http.StatusText(status)), Status: status, Message: msg}
	p.Title = strconv.Itoa(status) + " " + p.T(http.StatusText(status))
	h.render(w, r, status, "error.html", p)
}

// fail shows err; validation errors on a form are rendered by the form itself.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) { h.s.Error(w, r, err) }

func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// Form carries submitted values and per-field errors back to a form.
type Form struct {
	Values url.Values
	Errors map[string]string
	Order  []string // fields in error, in the order found, for the summary
}

func newForm(v url.Values) *Form { return &Form{Values: v, Errors: map[string]string{}} }

func (f *Form) Get(k string) string { return f.Values.Get(k) }

func (f *Form) Has(k, v string) bool {
	for _, x := range f.Values[k] {
		if x == v {
			return true
		}
	}
	return false
}

// Int reads the whole-number field name into to; a value that is not one
// is added to ps against the field.
func (f *Form) Int(name string, to *int, ps *[]*concord.Error) {
	n, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
	if err != nil {
		*ps = append(*ps, concord.FieldError(name, "%q is not a whole number", f.Get(name)))
	}
	*to = n
}

// callAction applies a call form's action to its window: "open" and
// "close" move the window to now, anything else saves the form through
// parse. It returns the message to flash.
func callAction(f *Form, opens, closes *time.Time, now time.Time, parse func() error, saved string) (string, error) {
	switch f.Get("action") {
	case "open":
		concord.OpenCall(opens, closes, now)
		return "The call is open.", nil
	case "close":
		concord.CloseCall(opens, closes, now)
		return "The call is closed.", nil
	}
	return saved, parse()
}

// Fail records err's problems against their fields; it returns false for
// errors that are not about the input.
func (f *Form) Fail(err error) bool {
	if concord.ErrorCode(err) != concord.EINVALID {
		return false
	}
	for _, p := range concord.Problems(err) {
		field := p.Field
		if field == "" {
			field = "form"
		}
		if _, dup := f.Errors[field]; !dup {
			f.Order = append(f.Order, field)
			f.Errors[field] = p.Message
		}
	}
	return true
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2 Jan 2006")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"join": strings.Join,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"add": func(a, b int) int { return a + b },
	"country": func(code string) string {
		if c, ok := concord.CountryByCode(code); ok {
			return c.Name
		}
		return code
	},
	"query": func(q url.Values, kv ...string) string {
		out := url.Values{}
		for k, v := range q {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				out.Del(kv[i])
			} else {
				out.Set(kv[i], kv[i+1])
			}
		}
		return out.Encode()
	},
}

// forumRecord loads the record of the viewer's forum named by the {id} path value.
func forumRecord[T any](r *http.Request, load func(ctx context.Context, forumID, id int64) (T, error)) (T, error) {
	id, err := parseID(r, "id")
	if err != nil {
		var none T
		return none, err
	}
	return load(r.Context(), server.ViewerFrom(r.Context()).Forum.ID, id)
}

// parseID reads a positive integer path value; anything else is a 404.
func parseID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, concord.Errorf(concord.ENOTFOUND, "There is no %s %q.", name, r.PathValue(name))
	}
	return id, nil
}

// static serves embedded assets with a day's caching, and the site's own
// 404 page for names it does not have.
func (h *Handler) static(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if _, err := fs.Stat(assets, "static/"+name); err != nil || name == "" || strings.Contains(name, "..") {
		h.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no file %s.", r.URL.Path))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeFileFS(w, r, assets, "static/"+name)
}
