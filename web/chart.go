package web

import (
	"fmt"

	"concord"
	"concord/sqlstore"
)

// Chart is a horizontal bar chart drawn as SVG by the "barchart" template,
// with the same figures in a table for screen readers and copy-paste.
type Chart struct {
	ID     string
	Title  string
	Desc   string
	Bars   []Bar
	Height int
	Total  int
	// Column headings of the table beside the chart.
	Cols [3]string
}

// Bar is one row of a chart, with its geometry precomputed.
type Bar struct {
	Label   string
	N       int
	Percent string
	Y       int
	Width   int // of the bar, in user units out of barSpace
	TextX   int
	TextY   int
}

const (
	barHeight = 22
	barGap    = 8
	labelW    = 212
	barSpace  = 190
)

// NewChart lays out counts as bars scaled to the largest.
func NewChart(id, title string, counts []sqlstore.Count, label func(string) string) Chart {
	c := Chart{ID: id, Title: title}
	most := 0
	for _, n := range counts {
		c.Total += n.N
		most = max(most, n.N)
	}
	for i, n := range counts {
		b := Bar{Label: label(n.Key), N: n.N, Y: i * (barHeight + barGap)}
		if most > 0 {
			b.Width = max(1, n.N*barSpace/most)
		}
		if c.Total > 0 {
			b.Percent = fmt.Sprintf("%.1f%%", 100*float64(n.N)/float64(c.Total))
		}
		b.TextX, b.TextY = labelW+b.Width+6, b.Y+barHeight-6
		c.Bars = append(c.Bars, b)
	}
	c.Height = len(counts)*(barHeight+barGap) + 4
	c.Desc = fmt.Sprintf("%d in all", c.Total)
	return c
}

// statCharts draws the group, region and gender breakdowns.
func (h *Handler) statCharts(p Page, f *concord.Forum, st *sqlstore.PeopleStats) []Chart {
	cs := []Chart{
		NewChart("by-group", p.T("By stakeholder group"), st.ByGroup, func(k string) string { return p.T(f.GroupName(k)) }),
		NewChart("by-region", p.T("By UN regional group"), st.ByRegion, func(k string) string { return p.T(k) }),
		NewChart("by-gender", p.T("By gender"), st.ByGender, func(k string) string { return p.T("gender." + k) }),
	}
	for i := range cs {
		cs[i].Cols = [3]string{p.T("Group"), p.T("Count"), p.T("Share")}
		cs[i].Desc = p.T("{{.A0}} in all", cs[i].Total)
	}
	return cs
}
