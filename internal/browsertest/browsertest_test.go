package browsertest

import (
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const accessiblePage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign up for the forum</title></head>
<body>
<header><a href="#main">Skip to content</a></header>
<main id="main">
<h1>Sign up for the forum</h1>
<img src="/logo.png" alt="Concord logo" width="64" height="64">
<form method="post" action="/signup">
<label for="name">Name</label>
<input id="name" name="name" autocomplete="name">
<button type="submit">Sign up</button>
</form>
</main>
</body>
</html>`

// This page breaks two rules on purpose: an image with no text alternative,
// and a field with no label.
const inaccessiblePage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<main>
<h1>Broken</h1>
<img id="logo" src="/logo.png" width="64" height="64">
<form method="post" action="/signup">
<input id="name" name="name" type="text">
<button type="submit">Sign up</button>
</form>
</main>
</body>
</html>`

// arabicPage is a right-to-left page in Arabic with n paragraphs, to look at
// in a screenshot.
func arabicPage(n int) string {
	return `<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>منتدى حوكمة الإنترنت</title></head>
<body><main><h1>منتدى حوكمة الإنترنت</h1>` +
		strings.Repeat("<p>مرحبا بكم في المنتدى.</p>", n) +
		`</main></body>
</html>`
}

// onePixelPNG is a valid 1×1 PNG, so that the image loads.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func newServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			// A strict policy, as Concord sends: Axe must still work.
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
			w.Write([]byte(body))
		}
	}
	mux.HandleFunc("GET /accessible", page(accessiblePage))
	mux.HandleFunc("GET /inaccessible", page(inaccessiblePage))
	mux.HandleFunc("GET /arabic", page(arabicPage(1)))
	mux.HandleFunc("GET /arabic-long", page(arabicPage(40)))
	mux.HandleFunc("GET /logo.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(onePixelPNG)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestAxe(t *testing.T) {
	srv := newServer(t)
	ctx := New(t)

	t.Run("accessible page", func(t *testing.T) {
		vs, err := Axe(ctx, srv.URL+"/accessible")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			t.Errorf("unexpected violation: %v", v)
		}
	})

	t.Run("inaccessible page", func(t *testing.T) {
		vs, err := Axe(ctx, srv.URL+"/inaccessible")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"image-alt", "label"}, IDs(vs)); diff != "" {
			t.Errorf("violated rules (-want +got):\n%s\nall: %v", diff, vs)
		}
		targets := map[string][]string{}
		for _, v := range vs {
			for _, n := range v.Nodes {
				targets[v.ID] = append(targets[v.ID], strings.Join(n.Target, " "))
			}
			if v.Help == "" || v.Impact == "" {
				t.Errorf("violation %s has no help or impact: %+v", v.ID, v)
			}
		}
		want := map[string][]string{"image-alt": {"#logo"}, "label": {"#name"}}
		if diff := cmp.Diff(want, targets); diff != "" {
			t.Errorf("targets (-want +got):\n%s", diff)
		}
	})
}

func TestScreenshot(t *testing.T) {
	srv := newServer(t)
	ctx := New(t)
	for _, tt := range []struct {
		page      string
		minHeight int
	}{
		{"arabic", 600},       // shorter than the window
		{"arabic-long", 1000}, // taller than the window
	} {
		t.Run(tt.page, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "shots", tt.page+".png")
			if err := Screenshot(ctx, srv.URL+"/"+tt.page, path); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatalf("%s is not a PNG: %v", path, err)
			}
			b := img.Bounds()
			if b.Dx() != 1280 || b.Dy() < tt.minHeight {
				t.Errorf("screenshot is %dx%d, want 1280 wide and at least %d high", b.Dx(), b.Dy(), tt.minHeight)
			}
			// The text is right-aligned: it must reach near the right edge,
			// and stop at the body's margin rather than run off it.
			right := -1
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 && x > right {
						right = x
					}
				}
			}
			if right < b.Max.X-40 || right > b.Max.X-4 {
				t.Errorf("rightmost dark pixel at x=%d, want it inside the 8px margin of the right edge at %d", right, b.Max.X)
			}
		})
	}
}

func TestParseICal(t *testing.T) {
	const valid = "BEGIN:VCALENDAR\r\n" +
		"VERSION:2.0\r\n" +
		"PRODID:-//Concord//Test//EN\r\n" +
		"BEGIN:VEVENT\r\n" +
		"UID:session-1@concord.test\r\n" +
		"DTSTAMP:20261127T080000Z\r\n" +
		"DTSTART:20261208T090000Z\r\n" +
		"DTEND:20261208T103000Z\r\n" +
		"SUMMARY:Opening session\\, main hall\r\n" +
		"END:VEVENT\r\n" +
		"BEGIN:VEVENT\r\n" +
		"UID:session-2@concord.test\r\n" +
		"DTSTAMP:20261127T080000Z\r\n" +
		"DTSTART:20261208T110000Z\r\n" +
		"DURATION:PT1H\r\n" +
		"SUMMARY:جلسة عامة\r\n" +
		"END:VEVENT\r\n" +
		"END:VCALENDAR\r\n"

	summary, err := ParseICal(t, valid)
	if err != nil {
		t.Fatalf("valid calendar: %v", err)
	}
	if got, want := summary, "VEVENT=2"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}

	broken := []struct {
		name, ics, wantErr string
	}{
		{
			name:    "line without a colon",
			ics:     strings.Replace(valid, "SUMMARY:Opening", "SUMMARY Opening", 1),
			wantErr: "invalid line",
		},
		{
			name:    "event without UID",
			ics:     strings.Replace(valid, "UID:session-1@concord.test\r\n", "", 1),
			wantErr: "has no UID",
		},
		{
			name:    "calendar without PRODID",
			ics:     strings.Replace(valid, "PRODID:-//Concord//Test//EN\r\n", "", 1),
			wantErr: "VCALENDAR has no PRODID",
		},
		{
			name:    "event that ends before it starts",
			ics:     strings.Replace(valid, "DTEND:20261208T103000Z", "DTEND:20261208T083000Z", 1),
			wantErr: "before it starts",
		},
		{
			name:    "not a calendar",
			ics:     "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n",
			wantErr: "want VCALENDAR",
		},
	}
	for _, tt := range broken {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseICal(t, tt.ics)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
