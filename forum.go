package concord

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Forum is one community that runs cycles: the global IGF, a national IGF, a youth IGF.
type Forum struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Groups      []StakeholderGroup
	CreatedAt   time.Time
}

// StakeholderGroup is one of a forum's groups, identified by its slug within the forum.
type StakeholderGroup struct {
	Slug string
	Name string
}

// DefaultGroups are the IGF's five stakeholder groups.
var DefaultGroups = []StakeholderGroup{
	{"government", "Government"},
	{"igo", "Intergovernmental Organization"},
	{"civil-society", "Civil Society"},
	{"technical", "Technical Community"},
	{"private-sector", "Private Sector"},
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a lowercase, hyphenated URL slug of at most 60 bytes.
func ValidSlug(s string) bool { return len(s) <= 60 && slugPattern.MatchString(s) }

// HasGroup reports whether slug names one of the forum's stakeholder groups.
func (f *Forum) HasGroup(slug string) bool {
	for _, g := range f.Groups {
		if g.Slug == slug {
			return true
		}
	}
	return false
}

// GroupName returns the display name of a group slug, or the slug itself.
func (f *Forum) GroupName(slug string) string {
	for _, g := range f.Groups {
		if g.Slug == slug {
			return g.Name
		}
	}
	return slug
}

// Validate checks the forum and fills in default groups.
func (f *Forum) Validate() error {
	var ps []*Error
	f.Name = strings.TrimSpace(f.Name)
	if !ValidSlug(f.Slug) {
		ps = append(ps, FieldError("slug", "%q must be lowercase letters, digits and single hyphens, at most 60 characters", f.Slug))
	}
	if f.Name == "" {
		ps = append(ps, FieldError("name", "is required"))
	} else if utf8.RuneCountInString(f.Name) > 200 {
		ps = append(ps, FieldError("name", "is longer than 200 characters"))
	}
	if len(f.Groups) == 0 {
		f.Groups = append([]StakeholderGroup(nil), DefaultGroups...)
	}
	seen := map[string]bool{}
	for _, g := range f.Groups {
		if !ValidSlug(g.Slug) || strings.TrimSpace(g.Name) == "" {
			ps = append(ps, FieldError("groups", "group %q needs a slug and a name", g.Slug))
		} else if seen[g.Slug] {
			ps = append(ps, FieldError("groups", "group %q appears twice", g.Slug))
		}
		seen[g.Slug] = true
	}
	return Invalid(ps)
}

// Cycle is a forum's year: its meeting dates, timezone, subthemes and policy questions.
type Cycle struct {
	ID              int64
	ForumID         int64
	Year            int
	Theme           string
	StartDate       time.Time // the meeting's first day (date only)
	EndDate         time.Time // its last day
	Timezone        string    // IANA name, e.g. "Asia/Riyadh"
	Subthemes       []string
	PolicyQuestions []string
}

// Validate checks the cycle's fields.
func (c *Cycle) Validate() error {
	var ps []*Error
	if c.Year < 2000 || c.Year > 2200 {
		ps = append(ps, FieldError("year", "%d is not a year between 2000 and 2200", c.Year))
	}
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		ps = append(ps, FieldError("timezone", "%q is not an IANA time zone such as Europe/Oslo", c.Timezone))
	}
	if !c.StartDate.IsZero() && !c.EndDate.IsZero() && c.EndDate.Before(c.StartDate) {
		ps = append(ps, FieldError("end_date", "is before the start date"))
	}
	return Invalid(ps)
}
