package browsertest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A Violation is one axe-core rule that a page breaks, with the elements
// that break it.
type Violation struct {
	ID      string          `json:"id"`     // the rule, such as "image-alt"
	Impact  string          `json:"impact"` // minor, moderate, serious or critical
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// A ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	// Target holds the CSS selectors of the element; more than one when
	// it sits in an iframe or a shadow root.
	Target         []string `json:"target"`
	HTML           string   `json:"html"`
	FailureSummary string   `json:"failureSummary"`
}

func (v Violation) String() string {
	var targets []string
	for _, n := range v.Nodes {
		targets = append(targets, strings.Join(n.Target, " "))
	}
	return fmt.Sprintf("%s (%s): %s: %s", v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
}

// IDs returns the rule IDs of the violations, sorted and without repeats.
func IDs(vs []Violation) []string {
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// axeTags select the axe-core rules of WCAG 2.0 and 2.1 at levels A and AA.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]`

// axeRun runs axe-core on the page, and keeps of its result only what a
// Violation holds.
const axeRun = `axe.run(document, {
	runOnly: {type: "tag", values: ` + axeTags + `},
	resultTypes: ["violations"],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || "",
	help: v.help,
	helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : String(t)),
		html: n.html,
		failureSummary: n.failureSummary || "",
	})),
})))`

// axeSource reads axe.min.js once for the whole test binary.
var axeSource = sync.OnceValues(func() (string, error) {
	p, err := toolFile("axe-core", "axe.min.js")
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(p)
	// The trailing expression keeps Evaluate from returning the value of
	// the script's last statement by value.
	return string(b) + "\n;void 0", err
})

// Axe loads url, runs axe-core's WCAG 2.1 A and AA rules on it, and returns
// the violations; none means that axe found no problem. The page's Content
// Security Policy is bypassed so that axe can be injected.
func Axe(ctx context.Context, url string) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	bypassCSP := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	})
	if err := chromedp.Do(ctx, bypassCSP, chromedp.Navigate(url), chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return nil, fmt.Errorf("axe: load %s: %w", url, err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe: run on %s: %w", url, err)
	}
	return vs, nil
}

// CheckAccessible runs Axe on url and reports each violation as a test
// error.
func CheckAccessible(tb testing.TB, ctx context.Context, url string) {
	tb.Helper()
	vs, err := Axe(ctx, url)
	if err != nil {
		tb.Fatal(err)
	}
	for _, v := range vs {
		tb.Errorf("%s: %v", url, v)
	}
}
