package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"concord/demo"
	"concord/internal/browsertest"
)

// phoneWidth is a small phone's viewport in CSS pixels (360 is the most
// common width of Android phones).
const phoneWidth = 360

// slack forgives a few pixels: right-to-left pages come out up to 4 px
// wider than the screen in Chromium with nothing visible past the edge.
const slack = 8

// overflow (with phoneWidth written in) is what sticks out of the viewport
// sideways: the page's own scroll width, and the first few innermost
// elements that reach past the right edge outside a box that scrolls.
const overflow = `(() => {
  const w = 360, slack = 8, out = [];
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  const past = el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > w + slack || r.left < -slack) && !scrolls(el); };
  for (const el of document.body.querySelectorAll("*")) {
    if (!past(el) || [...el.children].some(past)) continue;
    out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "") +
      " " + Math.round(el.getBoundingClientRect().left) + "–" + Math.round(el.getBoundingClientRect().right) + "px: " + (el.textContent || "").trim().slice(0, 40));
    if (out.length >= 5) break;
  }
  return {width: document.documentElement.scrollWidth, out: out};
})()`

type overflowReport struct {
	Width int
	Out   []string
}

// TestPagesFitAPhone loads every public page at a phone's width and checks
// that none has to be scrolled sideways: wide tables and grids scroll
// inside their own box, the rest wraps.
func TestPagesFitAPhone(t *testing.T) {
	s, _ := demoSite(t)
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	check := func(pages []string) {
		for _, p := range pages {
			for _, lang := range []string{"en", "ar"} {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				url := s.ts.URL + p + sep + "lang=" + lang
				if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
					t.Fatal(err)
				}
				rep, err := chromedp.Run(ctx, chromedp.Evaluate[overflowReport](overflow))
				if err != nil {
					t.Fatal(err)
				}
				if rep.Width > phoneWidth+slack || len(rep.Out) > 0 {
					t.Errorf("%s is %d px wide on a %d px phone; past the edge: %s", p+sep+"lang="+lang, rep.Width, phoneWidth, strings.Join(rep.Out, ", "))
				}
			}
		}
	}
	check(pagesToCheck)
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.ts.URL+"/signin?lang=en"),
		chromedp.SendKeys("#f-email", demo.SecretariatEmail),
		chromedp.SendKeys("#f-password", demo.Password),
		chromedp.Submit("#f-password"),
		chromedp.WaitVisible("#f-label"),
	)
	if err != nil {
		t.Fatal(err)
	}
	check(secretariatPages)
}
