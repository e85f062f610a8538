package web

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"concord"
	"concord/server"
)

// The message catalogues live in locales/*.json: one flat object per
// language whose keys are message IDs (the English text, or a symbolic ID
// such as "gender.woman") and whose values are the translations. A value
// is a string, or {"other": "…"} for an ID that go-i18n would otherwise
// read as one of its reserved keys ("Description", "ID", "Hash", "Other"…).

// catalogue reads a locale's message files (catalogueFiles) from the
// embedded assets as ID → text; an ID in two files is an error.
func catalogue(t *testing.T, locale string) map[string]string {
	t.Helper()
	out := map[string]string{}
	from := map[string]string{}
	for _, name := range catalogueFiles(locale) {
		for id, text := range catalogueFile(t, name) {
			if f, dup := from[id]; dup {
				t.Errorf("%q is in both %s and %s", id, f, name)
			}
			out[id], from[id] = text, name
		}
	}
	return out
}

// catalogueFile reads one message file as ID → text.
func catalogueFile(t *testing.T, name string) map[string]string {
	t.Helper()
	b, err := fs.ReadFile(assets, name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := make(map[string]string, len(raw))
	for id, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[id] = s
			continue
		}
		var m struct{ Other *string }
		if err := json.Unmarshal(v, &m); err != nil || m.Other == nil {
			t.Fatalf(`%s: the value of %q must be a string or {"other": "…"}`, name, id)
		}
		out[id] = *m.Other
	}
	return out
}

// usedID is a message ID and where it was found.
type usedID struct {
	id    string
	where string
}

// templateIDRe matches {{.T "literal" …}}, $.T and (.T …) in templates.
var templateIDRe = regexp.MustCompile(`\.T\s+("(?:[^"\\\n]|\\.)*"|` + "`[^`]*`" + `)`)

// templateIDs are the literal message IDs the templates translate.
func templateIDs(t *testing.T) []usedID {
	t.Helper()
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	var out []usedID
	for _, f := range files {
		b, err := fs.ReadFile(assets, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range templateIDRe.FindAllSubmatchIndex(b, -1) {
			id, err := strconv.Unquote(string(b[m[2]:m[3]]))
			if err != nil {
				t.Fatalf("%s: cannot read %s: %v", f, b[m[2]:m[3]], err)
			}
			line := 1 + strings.Count(string(b[:m[0]]), "\n")
			out = append(out, usedID{id, fmt.Sprintf("%s:%d", f, line)})
		}
	}
	return out
}

// goIDs are the literal message IDs in the package's Go files: the first
// argument of .T(…), the title of h.page(r, …) and h.formPage(r, …), the
// message of h.flash(r, …), and literals assigned to a variable named
// title (which handlers then pass to h.page).
func goIDs(t *testing.T) []usedID {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []usedID
	add := func(e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		id, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
		}
		pos := fset.Position(lit.Pos())
		out = append(out, usedID{id, fmt.Sprintf("%s:%d", pos.Filename, pos.Line)})
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				switch sel.Sel.Name {
				case "T":
					if len(n.Args) > 0 {
						add(n.Args[0])
					}
				case "page", "formPage", "flash":
					if len(n.Args) > 1 {
						add(n.Args[1])
					}
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "title" && i < len(n.Rhs) {
						add(n.Rhs[i])
					}
				}
			}
			return true
		})
	}
	return out
}

// errorStatuses are the statuses whose http.StatusText titles error pages
// (see server.Server.Error and web.renderError).
var errorStatuses = []int{
	http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
	http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity,
	http.StatusTooManyRequests, http.StatusInternalServerError,
}

// dynamicIDs are the IDs the pages build at run time: role.*, gender.*,
// the UN regional groups, the default stakeholder groups and HTTP statuses.
func dynamicIDs() []usedID {
	var out []usedID
	for _, r := range concord.Roles {
		out = append(out, usedID{"role." + string(r), "concord.Roles"})
	}
	for _, g := range concord.Genders {
		out = append(out, usedID{"gender." + string(g), "concord.Genders"})
	}
	for _, r := range concord.Regions {
		out = append(out, usedID{string(r), "concord.Regions"})
	}
	for _, g := range concord.DefaultGroups {
		out = append(out, usedID{g.Name, "concord.DefaultGroups"})
	}
	for _, s := range errorStatuses {
		out = append(out, usedID{http.StatusText(s), "http.StatusText(" + strconv.Itoa(s) + ")"})
	}
	return out
}

var placeholderRe = regexp.MustCompile(`\{\{[^{}]*\}\}`)

func placeholders(s string) []string {
	p := placeholderRe.FindAllString(s, -1)
	sort.Strings(p)
	return slices.Compact(p)
}

func TestCatalogueComplete(t *testing.T) {
	en := catalogue(t, "en")

	// Every ID the package uses is in the English catalogue.
	used := append(append(templateIDs(t), goIDs(t)...), dynamicIDs()...)
	missing := map[string][]string{}
	for _, u := range used {
		if _, ok := en[u.id]; !ok && !slices.Contains(missing[u.id], u.where) {
			missing[u.id] = append(missing[u.id], u.where)
		}
	}
	if len(missing) > 0 {
		ids := make([]string, 0, len(missing))
		for id := range missing {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		var b strings.Builder
		fmt.Fprintf(&b, "locales/en.json lacks %d message IDs used by package web.\n"+
			"Add each to en.json (value = the English text; for a symbolic ID, the English wording),\n"+
			"then translate it in every other locale:\n", len(ids))
		for _, id := range ids {
			fmt.Fprintf(&b, "\t%q\t(%s)\n", id, strings.Join(missing[id], ", "))
		}
		t.Error(b.String())
	}

	for id, s := range en {
		if strings.TrimSpace(s) == "" {
			t.Errorf("en.json: %q has an empty text", id)
		}
	}

	// Every other locale translates every English message, keeping its placeholders.
	for _, loc := range server.Locales {
		if loc == "en" {
			continue
		}
		tr := catalogue(t, loc)
		var absent, empty, extra, badArgs []string
		for id, s := range en {
			x, ok := tr[id]
			switch {
			case !ok:
				absent = append(absent, strconv.Quote(id))
			case strings.TrimSpace(x) == "":
				empty = append(empty, strconv.Quote(id))
			case !slices.Equal(placeholders(s), placeholders(x)):
				badArgs = append(badArgs, fmt.Sprintf("%q: want %v, translation has %v", id, placeholders(s), placeholders(x)))
			}
		}
		for id := range tr {
			if _, ok := en[id]; !ok {
				extra = append(extra, strconv.Quote(id))
			}
		}
		report := func(what string, list []string) {
			if len(list) > 0 {
				sort.Strings(list)
				t.Errorf("locales/%s.json: %d %s:\n\t%s", loc, len(list), what, strings.Join(list, "\n\t"))
			}
		}
		report("messages of en.json not translated (add them)", absent)
		report("empty translations", empty)
		report("translations whose {{.A0}}-style placeholders differ from the English", badArgs)
		report("IDs that en.json does not have (remove them, or add them to en.json)", extra)
	}
}

func TestCatalogueLoads(t *testing.T) {
	for _, loc := range server.Locales {
		for _, name := range catalogueFiles(loc) {
			want := catalogueFile(t, name)
			bundle := i18n.NewBundle(language.English)
			bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
			mf, err := bundle.LoadMessageFileFS(assets, name)
			if err != nil {
				t.Errorf("%s does not load: %v\n(an ID that go-i18n reserves, such as \"Description\", must be written \"Description\": {\"other\": \"…\"})", name, err)
				continue
			}
			if got := len(mf.Messages); got != len(want) {
				t.Errorf("%s: go-i18n read %d messages, the file has %d keys", name, got, len(want))
			}
			if mf.Tag != language.Make(loc) {
				t.Errorf("%s: go-i18n read it as language %s", name, mf.Tag)
			}
			// Each message renders as written, with its arguments filled in the
			// way Page.T fills them (an int first argument is a plural count).
			l := i18n.NewLocalizer(bundle, loc)
			for id, text := range want {
				data := map[string]any{"A0": 3, "A1": 7}
				got, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: 3})
				exp := strings.NewReplacer("{{.A0}}", "3", "{{.A1}}", "7").Replace(text)
				if got != exp {
					t.Errorf("%s: %q renders as %q (err %v), want %q", name, id, got, err, exp)
				}
			}
		}
	}
}
