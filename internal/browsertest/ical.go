package browsertest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

//go:embed icalcheck.js
var icalCheck string

// ParseICal parses icsText with ical.js under Node.js and checks what
// RFC 5545 requires: one or more VCALENDARs with PRODID and VERSION:2.0, and
// VEVENTs with UID, DTSTAMP and DTSTART that do not end before they start.
// The summary counts the components inside each calendar, sorted by name,
// such as "VEVENT=2 VTIMEZONE=1" (calendars separated by "; "); err lists
// every problem found. A missing node or ical.js skips the test, or fails it
// where Required.
func ParseICal(tb testing.TB, icsText string) (summary string, err error) {
	tb.Helper()
	node, lookErr := exec.LookPath("node")
	if lookErr != nil {
		missing(tb, "no node on PATH: %v", lookErr)
	}
	pkg, toolErr := toolFile("ical.js", "package.json")
	if toolErr != nil {
		missing(tb, "%v", toolErr)
	}

	cmd := exec.CommandContext(tb.Context(), node, "-e", icalCheck)
	// NODE_PATH lets require find ical.js, with its CommonJS build.
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Dir(filepath.Dir(pkg)))
	cmd.Stdin = strings.NewReader(icsText)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	if runErr != nil {
		tb.Fatalf("browsertest: node %s: %v\n%s", filepath.Base(pkg), runErr, stderr.String())
	}
	var res struct {
		Summary  string   `json:"summary"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		tb.Fatalf("browsertest: read the output of ical.js: %v\n%s", err, out)
	}
	if len(res.Problems) > 0 {
		err = errors.New(strings.Join(res.Problems, "; "))
	}
	return res.Summary, err
}
