// Package browsertest drives pages that the tests serve with httptest in a
// real headless Chromium, checks them for WCAG 2.1 A and AA problems with
// axe-core, and checks iCalendar text with ical.js, a real consumer. The
// browser comes from CONCORD_CHROMIUM (default /usr/bin/chromium) and the
// npm tools from CONCORD_TESTTOOLS (default testtools/node_modules at the
// module root); scripts/test.sh installs both and sets the variables. A test
// that lacks one skips, except in CI (CI=true) or with
// CONCORD_REQUIRE_BROWSER=1, where it fails.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Environment variables that scripts/test.sh sets.
const (
	EnvChromium  = "CONCORD_CHROMIUM"
	EnvTestTools = "CONCORD_TESTTOOLS"
)

// Required reports whether a missing browser or tool must fail the test
// rather than skip it: in CI, or when CONCORD_REQUIRE_BROWSER=1.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("CONCORD_REQUIRE_BROWSER") == "1"
}

// missing skips the test, or fails it where the tools are required.
func missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := "browsertest: " + fmt.Sprintf(format, args...)
	if Required() {
		tb.Fatal(msg)
	}
	tb.Skip(msg + " (scripts/test.sh installs it)")
}

// chromiumPath returns the browser to run.
func chromiumPath() string {
	if p := os.Getenv(EnvChromium); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// New starts a headless Chromium for the test and returns a chromedp context
// for its first tab. Run actions with chromedp.Run on it; a child from
// chromedp.NewContext opens another tab in the same browser. The browser
// stops, and its temporary profile is removed, when the test ends.
func New(tb testing.TB) context.Context {
	tb.Helper()
	path, err := exec.LookPath(chromiumPath())
	if err != nil {
		missing(tb, "no Chromium at %s (set %s): %v", chromiumPath(), EnvChromium, err)
	}

	var output syncBuffer
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// This machine has no network beyond loopback: without these,
		// Chromium keeps trying to reach Google's hosts.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		// /dev/shm is small in containers, and Chromium crashes when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(1280, 800),
		// With no user-data-dir flag, chromedp makes a temporary profile
		// directory and removes it when the browser exits.
		chromedp.CombinedOutput(&output),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first Run starts the browser and ties it to ctx, so ctx must have
	// no deadline.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		tb.Fatalf("browsertest: start %s: %v\n%s", path, err, output.String())
	}
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return ctx
}

// syncBuffer collects the browser's output, which it writes from another
// goroutine, to show when the start fails.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Screenshot loads url and saves a PNG of the whole page, not only the
// window, at path, for a person to look at.
func Screenshot(ctx context.Context, url, path string) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("screenshot of %s: %w", url, err)
	}
	png, err := chromedp.Run(ctx, fullPage)
	if err != nil {
		return fmt.Errorf("screenshot of %s: %w", url, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// fullPage captures the whole page by growing the viewport to the size of
// the content, as Puppeteer does. chromedp.FullScreenshot captures beyond the
// viewport instead, which in Chromium 156 shifts right-to-left pages off the
// right edge.
func fullPage(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	var w, h int64 = 1280, 800
	if v := m.CSSLayoutViewport; v != nil {
		w, h = v.ClientWidth, v.ClientHeight
	}
	if c := m.CSSContentSize; c != nil {
		w, h = max(w, int64(math.Ceil(c.Width))), max(h, int64(math.Ceil(c.Height)))
	}
	if _, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: w, Height: h, DeviceScaleFactor: 1,
	}); err != nil {
		return nil, err
	}
	defer cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
	r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

// toolsDir returns the node_modules folder of testtools.
func toolsDir() (string, error) {
	if d := os.Getenv(EnvTestTools); d != "" {
		return d, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "testtools", "node_modules"), nil
}

// moduleRoot finds the folder of go.mod above the working directory, which
// go test sets to the folder of the package under test.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// toolFile returns the path of a file inside an installed npm package, with
// an error that says how to install it when it is missing.
func toolFile(pkg, file string) (string, error) {
	dir, err := toolsDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, pkg, file)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s is not installed at %s: run scripts/test.sh or npm ci in testtools, or set %s", pkg, dir, EnvTestTools)
	}
	return p, nil
}
