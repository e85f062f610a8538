package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/password"
	"concord/server"
	"concord/sqlstore"
)

// Sign-in limits: failures per account email and per client address in a window.
const (
	signinWindow      = 15 * time.Minute
	maxFailsPerEmail  = 5
	maxFailsPerClient = 20
)

type formPage struct {
	Page
	Form *Form
	Next string
	Done bool
}

func (h *Handler) formPage(r *http.Request, title string, f *Form) formPage {
	return formPage{Page: h.page(r, title), Form: f}
}

func (h *Handler) signupForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "signup.html", h.formPage(r, "Create an account", newForm(nil)))
}

func (h *Handler) signup(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	name, email, pw := strings.TrimSpace(f.Get("name")), strings.ToLower(strings.TrimSpace(f.Get("email"))), f.Get("password")
	err := concord.ValidateSignup(name, email, pw)
	var a *concord.Account
	if err == nil {
		a, err = h.s.DB.CreateAccount(r.Context(), name, email, password.Hash(pw))
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "signup.html", h.formPage(r, "Create an account", f))
		return
	}
	if err := h.sendConfirmation(r.Context(), a); err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.formPage(r, "Check your email", f)
	p.Done = true
	h.render(w, r, http.StatusOK, "signup.html", p)
}

func (h *Handler) sendConfirmation(ctx context.Context, a *concord.Account) error {
	tok, err := h.s.DB.CreateToken(ctx, a.ID, sqlstore.TokenConfirm, "", 48*time.Hour)
	if err != nil {
		return err
	}
	return h.s.SendEmail(ctx, &concord.Email{To: a.Email, Subject: "Confirm your Concord account",
		Body: fmt.Sprintf("Hello %s,\n\nPlease confirm your email address by opening this link within 48 hours:\n\n%s/confirm/%s\n\n"+
			"If you did not create an account, ignore this message; nothing will happen.\n", a.Name, h.s.BaseURL, tok)})
}

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	id, err := h.s.DB.UseToken(r.Context(), r.PathValue("token"), sqlstore.TokenConfirm)
	if err == nil {
		err = h.s.DB.ConfirmAccount(r.Context(), id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.signInAs(r, id)
	h.flash(r, "Your email is confirmed. Welcome to Concord.")
	h.redirect(w, r, "/account")
}

func (h *Handler) signInAs(r *http.Request, id int64) {
	h.s.Sessions.RenewToken(r.Context()) // a new session id on privilege change
	h.s.Sessions.Put(r.Context(), server.SessionAccountKey, id)
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/account"
	}
	return next
}

func (h *Handler) signinForm(w http.ResponseWriter, r *http.Request) {
	p := h.formPage(r, "Sign in", newForm(nil))
	p.Next = safeNext(r.URL.Query().Get("next"))
	h.render(w, r, http.StatusOK, "signin.html", p)
}

func clientKey(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return "addr:" + host
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	email := strings.ToLower(strings.TrimSpace(f.Get("email")))
	p := h.formPage(r, "Sign in", f)
	p.Next = safeNext(f.Get("next"))
	ctx := r.Context()
	emailKey := "email:" + email
	nEmail, err := h.s.DB.SigninFailures(ctx, emailKey, signinWindow)
	var nAddr int
	if err == nil {
		nAddr, err = h.s.DB.SigninFailures(ctx, clientKey(r), signinWindow)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if nEmail >= maxFailsPerEmail || nAddr >= maxFailsPerClient {
		w.Header().Set("Retry-After", fmt.Sprint(int(signinWindow.Seconds())))
		f.Errors["form"] = p.T("Too many failed sign-ins. Wait 15 minutes, or reset your password.")
		f.Order = append(f.Order, "form")
		h.render(w, r, http.StatusTooManyRequests, "signin.html", p)
		return
	}
	a, hash, err := h.s.DB.AccountByEmail(ctx, email)
	ok := false
	if err == nil {
		ok, _ = password.Verify(f.Get("password"), hash)
	} else if concord.ErrorCode(err) != concord.ENOTFOUND {
		h.fail(w, r, err)
		return
	} else {
		password.Verify(f.Get("password"), dummyHash) // same work whether or not the account exists
	}
	if !ok {
		h.s.DB.RecordSigninFailure(ctx, emailKey)
		h.s.DB.RecordSigninFailure(ctx, clientKey(r))
		f.Errors["email"] = p.T("The email or the password is wrong.")
		f.Order = append(f.Order, "email")
		h.render(w, r, http.StatusUnprocessableEntity, "signin.html", p)
		return
	}
	if !a.Confirmed {
		if err := h.sendConfirmation(ctx, a); err != nil {
			h.fail(w, r, err)
			return
		}
		f.Errors["email"] = p.T("Confirm your email first: we have sent you a new link.")
		f.Order = append(f.Order, "email")
		h.render(w, r, http.StatusForbidden, "signin.html", p)
		return
	}
	h.s.DB.ClearSigninFailures(ctx, emailKey)
	h.signInAs(r, a.ID)
	h.redirect(w, r, p.Next)
}

var dummyHash = password.Hash("not a real password, only for timing")

func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	h.s.Sessions.Destroy(r.Context())
	h.redirect(w, r, "/")
}

func (h *Handler) resetRequestForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "reset_request.html", h.formPage(r, "Reset your password", newForm(nil)))
}

// resetRequest always answers the same way, so it does not reveal who has an account.
func (h *Handler) resetRequest(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	email := strings.ToLower(strings.TrimSpace(f.Get("email")))
	if err := concord.ValidateEmail(email); err != nil {
		f.Fail(err)
		h.render(w, r, http.StatusUnprocessableEntity, "reset_request.html", h.formPage(r, "Reset your password", f))
		return
	}
	if a, _, err := h.s.DB.AccountByEmail(r.Context(), email); err == nil {
		tok, err := h.s.DB.CreateToken(r.Context(), a.ID, sqlstore.TokenReset, "", time.Hour)
		if err == nil {
			err = h.s.SendEmail(r.Context(), &concord.Email{To: a.Email, Subject: "Reset your Concord password",
				Body: fmt.Sprintf("Hello %s,\n\nSomeone (we hope you) asked to reset your password. Open this link within one hour to choose a new one:\n\n%s/reset/%s\n\n"+
					"If it was not you, ignore this message: your password stays as it is.\n", a.Name, h.s.BaseURL, tok)})
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	} else if concord.ErrorCode(err) != concord.ENOTFOUND {
		h.fail(w, r, err)
		return
	}
	p := h.formPage(r, "Reset your password", f)
	p.Done = true
	h.render(w, r, http.StatusOK, "reset_request.html", p)
}

func (h *Handler) resetForm(w http.ResponseWriter, r *http.Request) {
	if _, err := h.s.DB.CheckToken(r.Context(), r.PathValue("token"), sqlstore.TokenReset); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "reset.html", h.formPage(r, "Choose a new password", newForm(nil)))
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	pw := f.Get("password")
	if err := concord.ValidatePassword(pw); err != nil {
		f.Fail(err)
		h.render(w, r, http.StatusUnprocessableEntity, "reset.html", h.formPage(r, "Choose a new password", f))
		return
	}
	id, err := h.s.DB.UseToken(r.Context(), r.PathValue("token"), sqlstore.TokenReset)
	if err == nil {
		err = h.s.DB.SetPassword(r.Context(), id, password.Hash(pw))
	}
	if err == nil {
		err = h.s.DB.ConfirmAccount(r.Context(), id) // the emailed link proves the address
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.s.DB.ClearSigninFailures(r.Context(), "email:"+h.mustEmail(r.Context(), id))
	h.signInAs(r, id)
	h.flash(r, "Your password has been changed.")
	h.redirect(w, r, "/account")
}

func (h *Handler) mustEmail(ctx context.Context, id int64) string {
	if a, err := h.s.DB.Account(ctx, id); err == nil {
		return a.Email
	}
	return ""
}

type accountPage struct {
	Page
	Roles    []forumRole
	Tokens   []sqlstore.APIToken
	NewToken string
}

type forumRole struct {
	Forum *concord.Forum
	Role  concord.Role
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, "")
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, newToken string) {
	v := server.ViewerFrom(r.Context())
	p := accountPage{Page: h.page(r, "Your account"), NewToken: newToken}
	forums, err := h.s.DB.Forums(r.Context())
	if err == nil {
		for _, f := range forums {
			role, err := h.s.DB.Role(r.Context(), v.Account.ID, f.ID)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if role != concord.RolePublic {
				p.Roles = append(p.Roles, forumRole{f, role})
			}
		}
		p.Tokens, err = h.s.DB.APITokens(r.Context(), v.Account.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "account.html", p)
}

func (h *Handler) createAPIToken(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	label := strings.TrimSpace(r.PostForm.Get("label"))
	if label == "" || len(label) > 100 {
		h.fail(w, r, concord.FieldError("label", "give the token a name of 1 to 100 characters"))
		return
	}
	v := server.ViewerFrom(r.Context())
	tok, err := h.s.DB.CreateToken(r.Context(), v.Account.ID, sqlstore.TokenAPI, label, 365*24*time.Hour)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The token is shown once, in this response, and never stored in clear.
	h.renderAccount(w, r, tok)
}

func (h *Handler) revokeAPIToken(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	v := server.ViewerFrom(r.Context())
	if err := h.s.DB.RevokeToken(r.Context(), v.Account.ID, r.PostForm.Get("hash")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "The token has been revoked.")
	h.redirect(w, r, "/account")
}
