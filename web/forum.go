package web

import (
	"net/http"
	"strings"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

type homePage struct {
	Page
	Forums []*concord.Forum
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	forums, err := h.s.DB.Forums(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "home.html", homePage{h.page(r, "Forums"), forums})
}

type forumPage struct {
	Page
	Forum  *concord.Forum
	Cycles []*concord.Cycle
	Stats  *sqlstore.PeopleStats
	Charts []Chart
}

func (h *Handler) forum(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	cycles, err := h.s.DB.Cycles(r.Context(), v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.s.DB.PeopleStats(r.Context(), v.Forum.ID, sqlstore.PersonFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := forumPage{Page: h.page(r, v.Forum.Name), Forum: v.Forum, Cycles: cycles, Stats: st}
	p.Title = v.Forum.Name
	p.Charts = h.statCharts(p.Page, v.Forum, st)
	h.render(w, r, http.StatusOK, "forum.html", p)
}

func (h *Handler) newForumForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "forum_new.html", h.formPage(r, "New forum", newForm(nil)))
}

func (h *Handler) createForum(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	forum := &concord.Forum{Slug: strings.TrimSpace(f.Get("slug")), Name: f.Get("name"), Description: strings.TrimSpace(f.Get("description"))}
	// One group per line, "slug: Name"; empty keeps the defaults.
	for _, line := range strings.Split(f.Get("groups"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		slug, name, ok := strings.Cut(line, ":")
		if !ok {
			f.Fail(concord.FieldError("groups", "write each group as \"slug: Name\" (line %q)", line))
			h.render(w, r, http.StatusUnprocessableEntity, "forum_new.html", h.formPage(r, "New forum", f))
			return
		}
		forum.Groups = append(forum.Groups, concord.StakeholderGroup{Slug: strings.TrimSpace(slug), Name: strings.TrimSpace(name)})
	}
	err := h.s.DB.CreateForum(r.Context(), forum)
	if err == nil {
		v := server.ViewerFrom(r.Context())
		err = h.s.DB.SetRole(r.Context(), v.Account.ID, forum.ID, concord.RoleSecretariat)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "forum_new.html", h.formPage(r, "New forum", f))
		return
	}
	h.redirect(w, r, "/forums/"+forum.Slug)
}

type membersPage struct {
	Page
	Forum   *concord.Forum
	Members []sqlstore.Member
	Form    *Form
	Roles   []concord.Role
}

func (h *Handler) members(w http.ResponseWriter, r *http.Request) {
	h.renderMembers(w, r, http.StatusOK, newForm(nil))
}

func (h *Handler) renderMembers(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	v := server.ViewerFrom(r.Context())
	ms, err := h.s.DB.Members(r.Context(), v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := membersPage{Page: h.page(r, "Roles"), Forum: v.Forum, Members: ms, Form: f, Roles: concord.Roles}
	h.render(w, r, status, "members.html", p)
}

// setMember gives the account with an email a role in this forum.
func (h *Handler) setMember(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	v := server.ViewerFrom(r.Context())
	role := concord.Role(f.Get("role"))
	a, _, err := h.s.DB.AccountByEmail(r.Context(), f.Get("email"))
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		err = concord.FieldError("email", "no account has this email; ask the person to sign up first")
	}
	if err == nil && a.ID == v.Account.ID && role != concord.RoleSecretariat && !v.Account.IsAdmin {
		err = concord.FieldError("role", "you cannot remove your own secretariat role; ask another secretariat member")
	}
	if err == nil {
		err = h.s.DB.SetRole(r.Context(), a.ID, v.Forum.ID, role)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderMembers(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Role saved.")
	h.redirect(w, r, "/forums/"+v.Forum.Slug+"/members")
}

type outboxPage struct {
	Page
	Forum  *concord.Forum
	Emails []*concord.Email
}

func (h *Handler) outbox(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	h.renderOutbox(w, r, v.Forum)
}

func (h *Handler) outboxAll(w http.ResponseWriter, r *http.Request) { h.renderOutbox(w, r, nil) }

func (h *Handler) renderOutbox(w http.ResponseWriter, r *http.Request, f *concord.Forum) {
	var id int64
	if f != nil {
		id = f.ID
	}
	es, err := h.s.DB.Outbox(r.Context(), id, 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "outbox.html", outboxPage{h.page(r, "Outbox"), f, es})
}
