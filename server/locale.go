package server

import (
	"net/http"
	"net/url"
	"strings"
)

// Locales are the languages the interface offers, English first.
var Locales = []string{"en", "ar", "fr", "es", "ru", "zh"}

// RTL reports whether a locale is written right to left.
func RTL(locale string) bool { return locale == "ar" }

func supported(l string) bool {
	for _, x := range Locales {
		if l == x {
			return true
		}
	}
	return false
}

// locale picks the language: ?lang= (remembered in a cookie), the cookie,
// then Accept-Language.
func (s *Server) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := ViewerFrom(r.Context())
		if l := r.URL.Query().Get("lang"); supported(l) {
			v.Locale = l
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		} else if c, err := r.Cookie("lang"); err == nil && supported(c.Value) {
			v.Locale = c.Value
		} else {
			v.Locale = fromAcceptLanguage(r.Header.Get("Accept-Language"))
		}
		next.ServeHTTP(w, r)
	})
}

func fromAcceptLanguage(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		base := strings.ToLower(strings.SplitN(tag, "-", 2)[0])
		if supported(base) {
			return base
		}
	}
	return "en"
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
