package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"concord"
	"concord/sqlstore"
)

// PersonFilter reads the people filters from a query, and with paged the
// offset and limit (default defLimit, at most maxLimit). Every bad value is
// reported by its parameter name.
func PersonFilter(f *concord.Forum, q url.Values, paged bool, defLimit, maxLimit int) (sqlstore.PersonFilter, error) {
	var ps []*concord.Error
	flt := sqlstore.PersonFilter{Group: q.Get("group"), Region: concord.Region(q.Get("region")),
		Country: strings.ToUpper(q.Get("country")), Gender: concord.Gender(q.Get("gender")), Query: q.Get("q")}
	if flt.Group != "" && !f.HasGroup(flt.Group) {
		ps = append(ps, concord.FieldError("group", "%q is not one of this forum's stakeholder groups (%s)", truncate(flt.Group), groupSlugs(f)))
	}
	if flt.Region != "" && !slices.Contains(concord.Regions, flt.Region) {
		ps = append(ps, concord.FieldError("region", "%q is not a UN regional group (%s)", truncate(string(flt.Region)), regionNames()))
	}
	if flt.Country != "" {
		if _, ok := concord.CountryByCode(flt.Country); !ok {
			ps = append(ps, concord.FieldError("country", "%q is not an ISO 3166-1 alpha-2 country code", truncate(flt.Country)))
		}
	}
	if flt.Gender != "" && !flt.Gender.Valid() {
		ps = append(ps, concord.FieldError("gender", "%q is not one of woman, man, another, not_stated", truncate(string(flt.Gender))))
	}
	if utf8.RuneCountInString(flt.Query) > 200 {
		ps = append(ps, concord.FieldError("q", "is longer than 200 characters"))
	}
	if s := q.Get("organisation"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			ps = append(ps, concord.FieldError("organisation", "%q is not an organisation id (a positive integer)", truncate(s)))
		}
		flt.OrganisationID = id
	}
	if !paged {
		return flt, concord.Invalid(ps)
	}
	flt.Limit = defLimit
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			ps = append(ps, concord.FieldError("offset", "%q is not a whole number of at least 0", truncate(s)))
		}
		flt.Offset = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			ps = append(ps, concord.FieldError("limit", "%q is not a whole number from 1 to %d", truncate(s), maxLimit))
		}
		flt.Limit = n
	}
	return flt, concord.Invalid(ps)
}

func groupSlugs(f *concord.Forum) string {
	var s []string
	for _, g := range f.Groups {
		s = append(s, g.Slug)
	}
	return strings.Join(s, ", ")
}

func regionNames() string {
	var s []string
	for _, r := range concord.Regions {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// truncate shortens echoed input in messages.
func truncate(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
