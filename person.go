package concord

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Gender is self-declared; NotStated is the default.
type Gender string

const (
	Woman     Gender = "woman"
	Man       Gender = "man"
	Another   Gender = "another"
	NotStated Gender = "not_stated"
)

// Genders lists the accepted genders.
var Genders = []Gender{Woman, Man, Another, NotStated}

// Valid reports whether g is one of Genders.
func (g Gender) Valid() bool {
	for _, x := range Genders {
		if g == x {
			return true
		}
	}
	return false
}

// Person is a member of a forum's community, with or without an account.
type Person struct {
	ID               int64
	ForumID          int64
	Name             string
	Email            string
	Country          string // ISO 3166-1 alpha-2
	Gender           Gender
	OrganisationID   int64 // 0: none
	Organisation     string
	StakeholderGroup string // slug of one of the forum's groups
	Languages        []string
	CreatedAt        time.Time
}

// Region is the person's UN regional group, "" if the country is unknown.
func (p *Person) Region() Region { return RegionOf(p.Country) }

// Validate checks the person's own fields; group membership is checked
// against the forum by the caller (see Forum.HasGroup).
func (p *Person) Validate() error {
	var ps []*Error
	p.Name = strings.TrimSpace(p.Name)
	p.Email = strings.TrimSpace(strings.ToLower(p.Email))
	p.Country = strings.ToUpper(strings.TrimSpace(p.Country))
	if p.Gender == "" {
		p.Gender = NotStated
	}
	switch {
	case p.Name == "":
		ps = append(ps, FieldError("name", "is required"))
	case utf8.RuneCountInString(p.Name) > 200:
		ps = append(ps, FieldError("name", "is longer than 200 characters"))
	}
	if p.Email != "" {
		if err := ValidateEmail(p.Email); err != nil {
			ps = append(ps, err.(*Error))
		}
	}
	if p.Country == "" {
		ps = append(ps, FieldError("country", "is required"))
	} else if _, ok := CountryByCode(p.Country); !ok {
		ps = append(ps, FieldError("country", "%q is not an ISO 3166-1 alpha-2 country code", p.Country))
	}
	if !p.Gender.Valid() {
		ps = append(ps, FieldError("gender", "%q is not one of woman, man, another, not_stated", p.Gender))
	}
	if p.StakeholderGroup == "" {
		ps = append(ps, FieldError("stakeholder_group", "is required"))
	}
	if utf8.RuneCountInString(p.Organisation) > 200 {
		ps = append(ps, FieldError("organisation", "is longer than 200 characters"))
	}
	for _, l := range p.Languages {
		if !validLanguageTag(l) {
			ps = append(ps, FieldError("languages", "%q is not a language code such as en or ar", l))
			break
		}
	}
	return Invalid(ps)
}

// ValidateEmail checks that s is a bare address.
func ValidateEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.IndexByte(s, '@'):], ".") {
		return FieldError("email", "%q is not an email address", s)
	}
	if len(s) > 254 {
		return FieldError("email", "is longer than 254 characters")
	}
	return nil
}

func validLanguageTag(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// Organisation is a body people belong to.
type Organisation struct {
	ID               int64
	ForumID          int64
	Name             string
	Country          string
	StakeholderGroup string
	Website          string
}

// Validate checks the organisation's fields.
func (o *Organisation) Validate() error {
	var ps []*Error
	o.Name = strings.TrimSpace(o.Name)
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if o.Name == "" {
		ps = append(ps, FieldError("name", "is required"))
	} else if utf8.RuneCountInString(o.Name) > 200 {
		ps = append(ps, FieldError("name", "is longer than 200 characters"))
	}
	if o.Country != "" {
		if _, ok := CountryByCode(o.Country); !ok {
			ps = append(ps, FieldError("country", "%q is not an ISO 3166-1 alpha-2 country code", o.Country))
		}
	}
	if o.Website != "" && !strings.HasPrefix(o.Website, "https://") && !strings.HasPrefix(o.Website, "http://") {
		ps = append(ps, FieldError("website", "must start with https:// or http://"))
	}
	return Invalid(ps)
}
