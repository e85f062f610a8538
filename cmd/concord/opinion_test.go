package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"concord/export/polis"
	"concord/internal/shareddata"
)

func TestOpinionAnalyseJSON(t *testing.T) {
	dir := shareddata.Path(t, "polis", "opendata", "brexit-consensus")
	var out, errb bytes.Buffer
	// flags after the folder work too
	code := run(context.Background(), []string{"opinion", "analyse", dir, "--json", "--seed", "3"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	dec := json.NewDecoder(&out)
	var got struct {
		K         int            `json:"k"`
		Groups    map[string]int `json:"groups"`
		GroupInfo []struct {
			Size           int `json:"size"`
			Representative []struct {
				Statement int `json:"statement"`
			} `json:"representative"`
		} `json:"group_info"`
		Consensus struct {
			Agree []struct {
				Statement int `json:"statement"`
			} `json:"agree"`
		} `json:"consensus"`
	}
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("stdout holds more than one JSON value")
	}
	if got.K < 2 || len(got.GroupInfo) != got.K {
		t.Errorf("k = %d with %d groups", got.K, len(got.GroupInfo))
	}
	total := 0
	for _, g := range got.GroupInfo {
		total += g.Size
		if len(g.Representative) == 0 {
			t.Error("a group without representative statements")
		}
	}
	if len(got.Groups) != total || total == 0 {
		t.Errorf("%d participants in groups map, %d in groups", len(got.Groups), total)
	}
	for p, g := range got.Groups {
		if g < 0 || g >= got.K {
			t.Errorf("participant %s in group %d", p, g)
		}
	}
	if len(got.Consensus.Agree) == 0 {
		t.Error("no consensus statements")
	}
	// Same seed, same output.
	var again bytes.Buffer
	run(context.Background(), []string{"opinion", "analyse", "--seed", "3", "--json", dir}, &again, &errb)
	var first bytes.Buffer
	run(context.Background(), []string{"opinion", "analyse", dir, "--json", "--seed", "3"}, &first, &errb)
	if again.String() != first.String() {
		t.Error("two runs with the same seed differ")
	}
}

func TestOpinionAnalyseText(t *testing.T) {
	dir := shareddata.Path(t, "polis", "opendata", "15-per-hour-seattle")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"opinion", "analyse", dir}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	for _, want := range []string{"opinion groups", "Group 0", "Consensus", "Bridging"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestOpinionAnalyseStakeholders(t *testing.T) {
	src := shareddata.Path(t, "polis", "opendata", "brexit-consensus")
	e, err := polis.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("participant,stakeholder\n")
	for _, r := range e.ParticipantsVotes.Rows {
		g := []string{"Government", "Civil Society", "Technical Community"}[r.Participant%3]
		b.WriteString(strconv.Itoa(r.Participant) + "," + g + "\n")
	}
	sh := filepath.Join(t.TempDir(), "sh.csv")
	os.WriteFile(sh, []byte(b.String()), 0o644)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"opinion", "analyse", src, "--stakeholders", sh}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Stakeholder groups") {
		t.Errorf("no stakeholder section:\n%s", out.String())
	}
}

func TestOpinionAnalyseErrors(t *testing.T) {
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "comments.csv"), []byte("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,0,1,hi\n"), 0o644)
	os.WriteFile(filepath.Join(bad, "votes.csv"), []byte("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,yes\n"), 0o644)
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"opinion"}, exitUsage, "usage"},
		{[]string{"opinion", "analyse"}, exitUsage, "usage"},
		{[]string{"opinion", "analyse", "a", "b"}, exitUsage, "usage"},
		{[]string{"opinion", "analyse", "--nope", bad}, exitUsage, "nope"},
		{[]string{"opinion", "analyse", bad}, exitUsage, "votes.csv:3"},
		{[]string{"opinion", "analyse", "-h"}, exitOK, "DIR"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tt.args, &out, &errb)
		if code != tt.code || !strings.Contains(errb.String(), tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errb.String(), tt.code, tt.stderr)
		}
		if tt.code != exitOK && out.Len() != 0 {
			t.Errorf("%v: stdout %q on error", tt.args, out.String())
		}
	}
}
