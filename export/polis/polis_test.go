package polis

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"concord/internal/shareddata"
)

var openData = []string{
	"15-per-hour-seattle",
	"american-assembly.bowling-green",
	"brexit-consensus",
	"canadian-electoral-reform",
	"vtaiwan.uberx",
}

func TestReadDirOpenData(t *testing.T) {
	for _, name := range openData {
		t.Run(name, func(t *testing.T) {
			dir := shareddata.Path(t, "polis", "opendata", name)
			e, err := ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if e.Summary == nil || e.ParticipantsVotes == nil || len(e.Comments) == 0 {
				t.Fatalf("missing parts: %+v", e.Summary)
			}
			if got, want := len(e.ParticipantsVotes.Rows), e.Summary.Voters; got != want {
				t.Errorf("%d participant rows, summary says %d voters", got, want)
			}
			// n-votes agrees with the matrix; it counts passes too.
			for _, r := range e.ParticipantsVotes.Rows[:min(50, len(e.ParticipantsVotes.Rows))] {
				var a, d int
				for _, v := range r.Votes {
					switch v {
					case 1:
						a++
					case -1:
						d++
					}
				}
				if a != r.NAgree || d != r.NDisagree {
					t.Errorf("participant %d: %d agree %d disagree in the matrix, row says %d and %d", r.Participant, a, d, r.NAgree, r.NDisagree)
					break
				}
			}
			// Writing and reading back gives the same export.
			out := t.TempDir()
			if err := WriteDir(out, e); err != nil {
				t.Fatal(err)
			}
			back, err := ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(e, back); diff != "" {
				t.Errorf("round trip (-read +reread):\n%s", diff)
			}
			in := e.OpinionInput()
			if len(in.Votes) == 0 {
				t.Error("no votes for analysis")
			}
		})
	}
}

func TestVotesRoundTripBytes(t *testing.T) {
	src := "timestamp,datetime,comment-id,voter-id,vote\n1403054214196,Wed Jun 18 08:16:54 WIB 2014,0,0,0\n1403057082753,Wed Jun 18 09:04:42 WIB 2014,0,1,-1\n"
	v, err := ReadVotes(strings.NewReader(src), "votes.csv")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteVotes(&b, v); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != src {
		t.Errorf("got\n%s\nwant\n%s", got, src)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"bad vote", VotesFile, "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,2\n", "votes.csv:3: vote \"2\""},
		{"bad id", VotesFile, "timestamp,datetime,comment-id,voter-id,vote\n1,x,zero,0,1\n", "votes.csv:2: comment-id \"zero\""},
		{"missing column", VotesFile, "timestamp,datetime,comment-id,vote\n", "votes.csv:1: missing column \"voter-id\""},
		{"short row", VotesFile, "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0\n", "votes.csv:2: wrong number of fields"},
		{"bad quote", CommentsFile, "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,1,1,\"ok\"\n2,x,1,0,1,1,1,\"bad \"quote\n", "comments.csv:3"},
		{"moderated", CommentsFile, "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,1,5,hi\n", "comments.csv:2: moderated 5"},
		{"duplicate comment", CommentsFile, "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,1,1,hi\n1,x,0,0,1,1,1,\"multi\nline\"\n1,x,0,0,1,1,1,hi\n", "comments.csv:3: comment-id 0 repeated"},
		{"pv vote", ParticipantsVotesFile, "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,0,0,1,1,0,1,\n1,,0,1,1,0,x,\n", "participants-votes.csv:3: comment 0: vote \"x\""},
		{"pv header", ParticipantsVotesFile, "participant,group-id,n-comments,n-votes,n-agree,n-disagree,zero\n", "participants-votes.csv:1: column \"zero\""},
		{"summary", SummaryFile, "topic,x\nviews,many\n", "summary.csv:2: views \"many\""},
	}
	good := map[string]string{
		VotesFile:    "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n",
		CommentsFile: "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,0,1,hi\n",
		SummaryFile:  "topic,x\n",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for f, c := range good {
				if err := os.WriteFile(filepath.Join(dir, f), []byte(c), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			e, err := ReadDir(dir)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if e != nil {
				t.Error("partial result returned with an error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T %v is not a *ParseError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestReadDirNeedsVotes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, CommentsFile), []byte("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"), 0o644)
	if _, err := ReadDir(dir); err == nil {
		t.Error("no error for a folder without votes")
	}
}
