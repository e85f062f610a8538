package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/server"
)

// personJSON is a person as the API shows it. Email is personal data: only
// the forum's secretariat sees it, and then always (even when empty).
type personJSON struct {
	ID               int64     `json:"id"`
	Name             string    `json:"name"`
	Email            *string   `json:"email,omitempty"`
	Country          string    `json:"country"`
	Region           string    `json:"region"`
	Gender           string    `json:"gender"`
	OrganisationID   *int64    `json:"organisation_id"`
	Organisation     string    `json:"organisation"`
	StakeholderGroup string    `json:"stakeholder_group"`
	Languages        []string  `json:"languages"`
	CreatedAt        time.Time `json:"created_at"`
}

func newPersonJSON(v *server.Viewer, p *concord.Person) personJSON {
	out := personJSON{ID: p.ID, Name: p.Name, Country: p.Country, Region: string(p.Region()),
		Gender: string(p.Gender), Organisation: p.Organisation, StakeholderGroup: p.StakeholderGroup,
		Languages: p.Languages, CreatedAt: p.CreatedAt.UTC()}
	if v.Can(concord.RoleSecretariat) {
		out.Email = &p.Email
	}
	if p.OrganisationID != 0 {
		out.OrganisationID = &p.OrganisationID
	}
	if out.Languages == nil {
		out.Languages = []string{}
	}
	return out
}

// personInput is the body of a create or a full update.
type personInput struct {
	Name             string   `json:"name"`
	Email            string   `json:"email"`
	Country          string   `json:"country"`
	Gender           string   `json:"gender"`
	Organisation     string   `json:"organisation"`
	StakeholderGroup string   `json:"stakeholder_group"`
	Languages        []string `json:"languages"`
}

func (in *personInput) fields() []jsonField {
	return []jsonField{
		{"name", &in.Name, "a string"},
		{"email", &in.Email, "a string"},
		{"country", &in.Country, "a string (an ISO 3166-1 alpha-2 code)"},
		{"gender", &in.Gender, "a string (woman, man, another or not_stated)"},
		{"organisation", &in.Organisation, "a string (the organisation's name)"},
		{"stakeholder_group", &in.StakeholderGroup, "a string (a stakeholder group's slug)"},
		{"languages", &in.Languages, "an array of strings"},
	}
}

// readPerson decodes a personInput body into a person; the store validates it.
func readPerson(w http.ResponseWriter, r *http.Request) (*concord.Person, error) {
	var in personInput
	if err := decodeObject(w, r, in.fields()); err != nil {
		return nil, err
	}
	return &concord.Person{Name: in.Name, Email: in.Email, Country: in.Country, Gender: concord.Gender(in.Gender),
		Organisation: strings.TrimSpace(in.Organisation), StakeholderGroup: in.StakeholderGroup, Languages: in.Languages}, nil
}

// Page sizes of the people listing.
const (
	DefaultLimit = 100
	MaxLimit     = 500
)

// personPage is one page of the people listing.
type personPage struct {
	Items  []personJSON `json:"items"`
	Total  int          `json:"total"`
	Offset int          `json:"offset"`
	Limit  int          `json:"limit"`
}

func (e *endpoints) listPeople(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	flt, err := server.PersonFilter(v.Forum, r.URL.Query(), true, DefaultLimit, MaxLimit)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	people, total, err := e.s.DB.People(r.Context(), v.Forum.ID, flt)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	page := personPage{Items: []personJSON{}, Total: total, Offset: flt.Offset, Limit: flt.Limit}
	for _, p := range people {
		page.Items = append(page.Items, newPersonJSON(v, p))
	}
	server.WriteJSON(w, http.StatusOK, page)
}

func (e *endpoints) showPerson(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := pathID(r, "id", "person")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	p, err := e.s.DB.Person(r.Context(), v.Forum.ID, id)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, newPersonJSON(v, p))
}

func (e *endpoints) createPerson(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	p, err := readPerson(w, r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	if err := e.s.DB.CreatePerson(r.Context(), v.Forum, p); err != nil {
		e.fail(w, r, err)
		return
	}
	w.Header().Set("Location", personURL(v.Forum, p.ID))
	server.WriteJSON(w, http.StatusCreated, newPersonJSON(v, p))
}

func (e *endpoints) updatePerson(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := pathID(r, "id", "person")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	p, err := readPerson(w, r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	p.ID = id
	if err := e.s.DB.UpdatePerson(r.Context(), v.Forum, p); err != nil {
		e.fail(w, r, err)
		return
	}
	// Read back, for the creation time and the organisation's stored name.
	if p, err = e.s.DB.Person(r.Context(), v.Forum.ID, id); err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, newPersonJSON(v, p))
}

func (e *endpoints) deletePerson(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := pathID(r, "id", "person")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	if err := e.s.DB.DeletePerson(r.Context(), v.Forum.ID, id); err != nil {
		e.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func personURL(f *concord.Forum, id int64) string {
	return fmt.Sprintf("/api/forums/%s/people/%d", f.Slug, id)
}
