package api

import (
	"net/http"

	"concord/server"
)

// organisationJSON is an organisation with the number of its people in the forum.
type organisationJSON struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Country          string `json:"country"`
	StakeholderGroup string `json:"stakeholder_group"`
	Website          string `json:"website"`
	People           int    `json:"people"`
}

func (e *endpoints) listOrganisations(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	orgs, err := e.s.DB.Organisations(r.Context(), v.Forum.ID)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	items := []organisationJSON{}
	for _, o := range orgs {
		items = append(items, organisationJSON{ID: o.ID, Name: o.Name, Country: o.Country,
			StakeholderGroup: o.StakeholderGroup, Website: o.Website, People: o.People})
	}
	server.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}
