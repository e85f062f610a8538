// Package shareddata locates the read-only data sets in ../shared/data beside
// the project, for tests and benchmarks.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns ../shared/data relative to the module root; it skips the test
// when the folder is absent (a clone without its shared data beside it).
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if os.Getenv("CONCORD_SHARED_DATA") != "" {
		data = os.Getenv("CONCORD_SHARED_DATA")
	}
	if _, err := os.Stat(data); err != nil {
		tb.Skipf("shared data not found at %s", data)
	}
	return data
}

// Path joins elements below the shared data folder.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, elem...)...)
}
