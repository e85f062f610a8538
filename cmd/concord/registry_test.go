package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRegistryCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if code, out, errs := runCmd(t, "forum", "create", "--db", db, "--slug", "kenya-igf", "--name", "Kenya IGF"); code != 0 {
		t.Fatalf("forum create: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "forum", "create", "--db", db, "--slug", "Kenya IGF", "--name", "x"); code != exitUsage || !strings.Contains(errs, "slug") {
		t.Errorf("bad slug: %d %s", code, errs)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("name,country,stakeholder_group\nAmina,KE,civil-society\nNobody,ZZ,civil-society\n"), 0o644)
	code, _, errs := runCmd(t, "people", "import", "--db", db, "--forum", "kenya-igf", "--file", bad)
	if code != exitUsage || !strings.Contains(errs, `line 3: country: "ZZ" is not an ISO 3166-1 alpha-2 country code`) {
		t.Fatalf("bad import: %d %s", code, errs)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("name,country,stakeholder_group,email\nAmina,KE,civil-society,amina@example.org\nOtieno,KE,government,\n"), 0o644)
	if code, out, errs := runCmd(t, "people", "import", "--db", db, "--forum", "kenya-igf", "--file", good); code != 0 || !strings.Contains(out, "imported 2") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, out, _ := runCmd(t, "people", "export", "--db", db, "--forum", "kenya-igf")
	if code != 0 || !strings.Contains(out, "Amina,amina@example.org,KE") || strings.Count(out, "\n") != 3 {
		t.Errorf("export: %d\n%s", code, out)
	}
	t.Setenv("CONCORD_PASSWORD", "a long passphrase")
	if code, _, errs := runCmd(t, "account", "create", "--db", db, "--email", "sec@example.org", "--name", "Sec", "--admin"); code != 0 {
		t.Fatalf("account create: %s", errs)
	}
	if code, out, errs := runCmd(t, "account", "role", "--db", db, "--email", "sec@example.org", "--forum", "kenya-igf", "--role", "secretariat"); code != 0 || !strings.Contains(out, "secretariat") {
		t.Fatalf("account role: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "account", "role", "--db", db, "--email", "sec@example.org", "--forum", "kenya-igf", "--role", "king"); code != exitUsage || !strings.Contains(errs, "role") {
		t.Errorf("bad role: %d %s", code, errs)
	}
	if code, out, _ := runCmd(t, "forum", "list", "--db", db); code != 0 || !strings.Contains(out, "kenya-igf") {
		t.Errorf("forum list: %s", out)
	}
	if code, _, _ := runCmd(t, "nonsense"); code != exitUsage {
		t.Errorf("unknown command exit %d", code)
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	export := func(name string) string {
		db := filepath.Join(dir, name)
		if code, _, errs := runCmd(t, "demo", "--db", db, "--seed", "7", "--no-serve"); code != 0 {
			t.Fatalf("demo: %s", errs)
		}
		_, out, _ := runCmd(t, "people", "export", "--db", db, "--forum", "igf")
		return out
	}
	a, b := export("a.db"), export("b.db")
	if a != b {
		t.Fatal("two demo runs with one seed differ")
	}
	if n := strings.Count(a, "\n") - 1; n < 2000 {
		t.Errorf("demo forum has %d people, want at least 2,000", n)
	}
}
