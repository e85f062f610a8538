package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

const pageSize = 50

type peoplePage struct {
	Page
	Forum        *concord.Forum
	People       []*concord.Person
	Total        int
	Offset       int
	Next, Prev   string
	Filter       sqlstore.PersonFilter
	Stats        *sqlstore.PeopleStats
	Charts       []Chart
	Organisation *concord.Organisation // the organisation filtered on
	Countries    []concord.Country
	Regions      []concord.Region
	Genders      []concord.Gender
	ShowEmail    bool
	Filtered     bool
}

func (h *Handler) people(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	flt, err := server.PersonFilter(v.Forum, r.URL.Query(), true, pageSize, pageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	people, total, err := h.s.DB.People(ctx, v.Forum.ID, flt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.s.DB.PeopleStats(ctx, v.Forum.ID, flt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var org *concord.Organisation
	if flt.OrganisationID != 0 {
		if org, err = h.s.DB.Organisation(ctx, v.Forum.ID, flt.OrganisationID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	p := peoplePage{Page: h.page(r, "People"), Forum: v.Forum, People: people, Total: total, Offset: flt.Offset,
		Filter: flt, Stats: st, Organisation: org, Countries: concord.Countries(), Regions: concord.Regions,
		Genders: concord.Genders, ShowEmail: v.Can(concord.RoleSecretariat)}
	p.Scripts = true
	p.Filtered = flt.Group != "" || flt.Region != "" || flt.Country != "" || flt.OrganisationID != 0 || flt.Gender != "" || flt.Query != ""
	p.Charts = h.statCharts(p.Page, v.Forum, st)
	p.Next, p.Prev = pager(r.URL.Query(), flt.Offset, total)
	block := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" {
		block = "results"
	}
	h.renderBlock(w, r, http.StatusOK, "people.html", block, p)
}

func (h *Handler) peopleCSV(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	flt, err := server.PersonFilter(v.Forum, r.URL.Query(), false, 0, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	people, _, err := h.s.DB.People(r.Context(), v.Forum.ID, flt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !v.Can(concord.RoleSecretariat) {
		for _, p := range people {
			p.Email = "" // personal data stays with the secretariat
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-people.csv"`, v.Forum.Slug))
	concord.WritePeopleCSV(w, people)
}

type personPage struct {
	Page
	Forum     *concord.Forum
	Person    *concord.Person
	ShowEmail bool
	CanEdit   bool
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	var p *concord.Person
	if err == nil {
		p, err = h.s.DB.Person(r.Context(), v.Forum.ID, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := personPage{Page: h.page(r, p.Name), Forum: v.Forum, Person: p, ShowEmail: v.Can(concord.RoleSecretariat), CanEdit: v.Can(concord.RoleSecretariat)}
	pg.Title = p.Name
	h.render(w, r, http.StatusOK, "person.html", pg)
}

type personFormPage struct {
	Page
	Forum     *concord.Forum
	Form      *Form
	Person    *concord.Person // nil: new
	Countries []concord.Country
	Genders   []concord.Gender
}

func (h *Handler) personForm(r *http.Request, f *Form, p *concord.Person) personFormPage {
	v := server.ViewerFrom(r.Context())
	title := "Add a person"
	if p != nil {
		title = "Edit person"
	}
	return personFormPage{Page: h.page(r, title), Forum: v.Forum, Form: f, Person: p, Countries: concord.Countries(), Genders: concord.Genders}
}

func personValues(p *concord.Person) url.Values {
	return url.Values{"name": {p.Name}, "email": {p.Email}, "country": {p.Country}, "gender": {string(p.Gender)},
		"organisation": {p.Organisation}, "stakeholder_group": {p.StakeholderGroup}, "languages": {strings.Join(p.Languages, " ")}}
}

func personFromForm(f *Form) *concord.Person {
	return &concord.Person{Name: f.Get("name"), Email: f.Get("email"), Country: f.Get("country"),
		Gender: concord.Gender(f.Get("gender")), Organisation: strings.TrimSpace(f.Get("organisation")),
		StakeholderGroup: f.Get("stakeholder_group"), Languages: strings.Fields(strings.ToLower(strings.ReplaceAll(f.Get("languages"), ",", " ")))}
}

func (h *Handler) newPersonForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "person_form.html", h.personForm(r, newForm(url.Values{"gender": {string(concord.NotStated)}}), nil))
}

func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	v := server.ViewerFrom(r.Context())
	p := personFromForm(f)
	if err := h.s.DB.CreatePerson(r.Context(), v.Forum, p); err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "person_form.html", h.personForm(r, f, nil))
		return
	}
	h.flash(r, "Person added.")
	h.redirect(w, r, fmt.Sprintf("/forums/%s/people/%d", v.Forum.Slug, p.ID))
}

func (h *Handler) editPersonForm(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	var p *concord.Person
	if err == nil {
		p, err = h.s.DB.Person(r.Context(), v.Forum.ID, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "person_form.html", h.personForm(r, newForm(personValues(p)), p))
}

func (h *Handler) updatePerson(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	var old *concord.Person
	if err == nil {
		old, err = h.s.DB.Person(r.Context(), v.Forum.ID, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	p := personFromForm(f)
	p.ID = id
	if err := h.s.DB.UpdatePerson(r.Context(), v.Forum, p); err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "person_form.html", h.personForm(r, f, old))
		return
	}
	h.flash(r, "Changes saved.")
	h.redirect(w, r, fmt.Sprintf("/forums/%s/people/%d", v.Forum.Slug, id))
}

func (h *Handler) deletePerson(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	if err == nil {
		err = h.s.DB.DeletePerson(r.Context(), v.Forum.ID, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "Person removed.")
	h.redirect(w, r, "/forums/"+v.Forum.Slug+"/people")
}

type importPage struct {
	Page
	Forum    *concord.Forum
	Form     *Form
	Problems []concord.RowProblem
	Imported int
	Header   string
}

func (h *Handler) importPage(r *http.Request, f *Form) importPage {
	v := server.ViewerFrom(r.Context())
	return importPage{Page: h.page(r, "Import people"), Forum: v.Forum, Form: f, Header: strings.Join(concord.PeopleCSVHeader, ",")}
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "import.html", h.importPage(r, newForm(nil)))
}

const maxUpload = 10 << 20

func (h *Handler) importPeople(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	p := h.importPage(r, newForm(nil))
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	file, _, err := r.FormFile("file")
	if err != nil {
		p.Form.Fail(concord.FieldError("file", "choose a CSV file of at most 10 MB"))
		h.render(w, r, http.StatusUnprocessableEntity, "import.html", p)
		return
	}
	defer file.Close()
	rows, problems, err := concord.ParsePeopleCSV(file)
	if err != nil {
		p.Form.Fail(err)
		h.render(w, r, http.StatusUnprocessableEntity, "import.html", p)
		return
	}
	if len(problems) == 0 {
		problems, err = h.s.DB.ImportPeople(r.Context(), v.Forum, rows)
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if len(problems) > 0 {
		p.Problems = problems
		h.render(w, r, http.StatusUnprocessableEntity, "import.html", p)
		return
	}
	h.flash(r, p.T("Imported {{.A0}} people.", len(rows)))
	h.redirect(w, r, "/forums/"+v.Forum.Slug+"/people")
}

type organisationsPage struct {
	Page
	Forum         *concord.Forum
	Organisations []sqlstore.OrganisationSummary
	Filter        sqlstore.OrganisationFilter
	Total         int
	Next, Prev    string
}

func (h *Handler) organisations(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	q := r.URL.Query()
	flt := sqlstore.OrganisationFilter{Group: q.Get("group"), Query: q.Get("q"), Limit: pageSize}
	if flt.Group != "" && !v.Forum.HasGroup(flt.Group) {
		h.fail(w, r, concord.FieldError("group", "%q is not one of this forum's stakeholder groups", flt.Group))
		return
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			h.fail(w, r, concord.FieldError("offset", "%q is not a non-negative number", s))
			return
		}
		flt.Offset = n
	}
	orgs, total, err := h.s.DB.SearchOrganisations(r.Context(), v.Forum.ID, flt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := organisationsPage{Page: h.page(r, "Organisations"), Forum: v.Forum, Organisations: orgs, Filter: flt, Total: total}
	p.Next, p.Prev = pager(q, flt.Offset, total)
	h.render(w, r, http.StatusOK, "organisations.html", p)
}

// pager builds the links to the next and previous pages of a listing.
func pager(q url.Values, offset, total int) (next, prev string) {
	q = maps.Clone(q)
	if offset+pageSize < total {
		q.Set("offset", strconv.Itoa(offset+pageSize))
		next = "?" + q.Encode()
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(max(0, offset-pageSize)))
		prev = "?" + q.Encode()
	}
	return next, prev
}

type organisationPage struct {
	Page
	Forum        *concord.Forum
	Organisation *concord.Organisation
	People       []*concord.Person
}

func (h *Handler) organisation(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	var o *concord.Organisation
	if err == nil {
		o, err = h.s.DB.Organisation(r.Context(), v.Forum.ID, id)
	}
	var people []*concord.Person
	if err == nil {
		people, _, err = h.s.DB.People(r.Context(), v.Forum.ID, sqlstore.PersonFilter{OrganisationID: id, Limit: 500})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := organisationPage{Page: h.page(r, o.Name), Forum: v.Forum, Organisation: o, People: people}
	p.Title = o.Name
	h.render(w, r, http.StatusOK, "organisation.html", p)
}
