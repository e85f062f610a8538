package web

import (
	"net/http"

	"concord/server"
)

// Routes lists every page, with who may see it.
func (h *Handler) Routes() []server.Route {
	const (
		pub = server.Public
		in  = server.SignedIn
		sec = server.Secretariat
		adm = server.Admin
	)
	rt := func(method, pattern string, a server.Access, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: pattern, Access: a, Handler: fn}
	}
	return []server.Route{
		rt("GET", "/{$}", pub, h.home),
		rt("GET", "/static/", pub, h.static),
		rt("GET", "/healthz", pub, h.healthz),

		rt("GET", "/signup", pub, h.signupForm),
		rt("POST", "/signup", pub, h.signup),
		rt("GET", "/confirm/{token}", pub, h.confirm),
		rt("GET", "/signin", pub, h.signinForm),
		rt("POST", "/signin", pub, h.signin),
		rt("POST", "/signout", pub, h.signout),
		rt("GET", "/reset", pub, h.resetRequestForm),
		rt("POST", "/reset", pub, h.resetRequest),
		rt("GET", "/reset/{token}", pub, h.resetForm),
		rt("POST", "/reset/{token}", pub, h.reset),
		rt("GET", "/account", in, h.account),
		rt("POST", "/account/tokens", in, h.createAPIToken),
		rt("POST", "/account/tokens/revoke", in, h.revokeAPIToken),

		rt("GET", "/forums/new", adm, h.newForumForm),
		rt("POST", "/forums", adm, h.createForum),
		rt("GET", "/outbox", adm, h.outboxAll),

		rt("GET", "/decisions", pub, h.decisions),
		rt("GET", "/decisions/{index}", pub, h.decision),

		rt("GET", "/forums/{forum}", pub, h.forum),
		rt("GET", "/forums/{forum}/people", pub, h.people),
		rt("GET", "/forums/{forum}/people.csv", pub, h.peopleCSV),
		rt("GET", "/forums/{forum}/people/new", sec, h.newPersonForm),
		rt("POST", "/forums/{forum}/people", sec, h.createPerson),
		rt("GET", "/forums/{forum}/people/import", sec, h.importForm),
		rt("POST", "/forums/{forum}/people/import", sec, h.importPeople),
		rt("GET", "/forums/{forum}/people/{id}", pub, h.person),
		rt("GET", "/forums/{forum}/people/{id}/edit", sec, h.editPersonForm),
		rt("POST", "/forums/{forum}/people/{id}", sec, h.updatePerson),
		rt("POST", "/forums/{forum}/people/{id}/delete", sec, h.deletePerson),
		rt("GET", "/forums/{forum}/organisations", pub, h.organisations),
		rt("GET", "/forums/{forum}/organisations/{id}", pub, h.organisation),
		rt("GET", "/forums/{forum}/members", sec, h.members),
		rt("POST", "/forums/{forum}/members", sec, h.setMember),
		rt("GET", "/forums/{forum}/outbox", sec, h.outbox),
	}
}

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	if err := h.s.DB.SQL().PingContext(r.Context()); err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
