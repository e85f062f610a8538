package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"concord"
	"concord/decisionlog"
	"concord/server"
)

type decisionsPage struct {
	Page
	Forum       *concord.Forum
	Entries     []decisionlog.Entry
	Total       int
	Offset      int
	Next, Prev  string
	VerifierKey string
	Checkpoint  string
	SiteURL     string
}

func (h *Handler) decisions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := decisionsPage{Page: h.page(r, "Decision log"), SiteURL: h.s.BaseURL}
	if slug := q.Get("forum"); slug != "" {
		f, err := h.s.DB.Forum(ctx, slug)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Forum = f
		server.ViewerFrom(ctx).Forum = f
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			h.fail(w, r, concord.FieldError("offset", "%q is not a non-negative number", s))
			return
		}
		p.Offset = n
	}
	slug := ""
	if p.Forum != nil {
		slug = p.Forum.Slug
	}
	var err error
	if p.Entries, p.Total, err = h.s.DB.Decisions(ctx, slug, p.Offset, pageSize); err != nil {
		h.fail(w, r, err)
		return
	}
	if p.VerifierKey, err = h.s.DB.DecisionVerifierKey(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	cp, err := h.s.DB.DecisionSource().Latest(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Checkpoint = string(cp)
	p.Next, p.Prev = pager(q, p.Offset, p.Total)
	h.render(w, r, http.StatusOK, "decisions.html", p)
}

type decisionPage struct {
	Page
	Entry       *decisionlog.Entry
	Result      string
	Leaf        string
	VerifierKey string
	JSONURL     string
}

func (h *Handler) decision(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("index"), 10, 64)
	if err != nil || n < 0 {
		h.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no decision %q.", r.PathValue("index")))
		return
	}
	e, err := h.s.DB.Decision(r.Context(), n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := decisionPage{Page: h.page(r, "Decision"), Entry: e}
	p.Title = p.T("Decision") + " " + strconv.FormatInt(n, 10)
	p.JSONURL = fmt.Sprintf("/api/log/entries?start=%d&end=%d", n, n+1)
	var buf bytes.Buffer
	if json.Indent(&buf, e.Result, "", "  ") == nil {
		p.Result = buf.String()
	}
	if leaf, err := e.LeafHash(); err == nil {
		p.Leaf = leaf.String()
	}
	if p.VerifierKey, err = h.s.DB.DecisionVerifierKey(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "decision.html", p)
}
