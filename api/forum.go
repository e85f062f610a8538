package api

import (
	"net/http"
	"time"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

// forumJSON is a forum as the API shows it; forums are named by slug.
type forumJSON struct {
	Slug        string      `json:"slug"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Groups      []groupJSON `json:"groups"`
	CreatedAt   time.Time   `json:"created_at"`
}

type groupJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func newForumJSON(f *concord.Forum) forumJSON {
	out := forumJSON{Slug: f.Slug, Name: f.Name, Description: f.Description,
		Groups: []groupJSON{}, CreatedAt: f.CreatedAt.UTC()}
	for _, g := range f.Groups {
		out.Groups = append(out.Groups, groupJSON{g.Slug, g.Name})
	}
	return out
}

func (e *endpoints) listForums(w http.ResponseWriter, r *http.Request) {
	forums, err := e.s.DB.Forums(r.Context())
	if err != nil {
		e.fail(w, r, err)
		return
	}
	items := []forumJSON{}
	for _, f := range forums {
		items = append(items, newForumJSON(f))
	}
	server.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (e *endpoints) showForum(w http.ResponseWriter, r *http.Request) {
	server.WriteJSON(w, http.StatusOK, newForumJSON(server.ViewerFrom(r.Context()).Forum))
}

// statsJSON breaks a forum's people down by group, region and gender. Every
// group, region and gender appears, in its customary order, even at zero.
type statsJSON struct {
	Total     int         `json:"total"`
	Countries int         `json:"countries"`
	ByGroup   []countJSON `json:"by_group"`
	ByRegion  []countJSON `json:"by_region"`
	ByGender  []countJSON `json:"by_gender"`
}

type countJSON struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

func (e *endpoints) stats(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	flt, err := server.PersonFilter(v.Forum, r.URL.Query(), false, DefaultLimit, MaxLimit)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	st, err := e.s.DB.PeopleStats(r.Context(), v.Forum.ID, flt)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	var groups, regions, genders []string
	for _, g := range v.Forum.Groups {
		groups = append(groups, g.Slug)
	}
	for _, x := range concord.Regions {
		regions = append(regions, string(x))
	}
	for _, x := range concord.Genders {
		genders = append(genders, string(x))
	}
	server.WriteJSON(w, http.StatusOK, statsJSON{Total: st.Total, Countries: st.Countries,
		ByGroup: counts(groups, st.ByGroup), ByRegion: counts(regions, st.ByRegion), ByGender: counts(genders, st.ByGender)})
}

// counts lists the keys in order with their counts, then any counted key
// not among them (a group since removed from the forum, say).
func counts(keys []string, got []sqlstore.Count) []countJSON {
	n := map[string]int{}
	for _, c := range got {
		n[c.Key] = c.N
	}
	out := []countJSON{}
	for _, k := range keys {
		out = append(out, countJSON{k, n[k]})
		delete(n, k)
	}
	for _, c := range got {
		if _, left := n[c.Key]; left {
			out = append(out, countJSON{c.Key, c.N})
		}
	}
	return out
}
