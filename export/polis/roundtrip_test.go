package polis

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestRoundTrip: whatever is written reads back the same, however awkward
// the comment text (commas, quotes, newlines, non-ASCII).
func TestRoundTrip(t *testing.T) {
	text := rapid.StringOfN(rapid.SampledFrom([]rune("ab ,\"\n\r\t'é漢;")), 0, 40, -1)
	rapid.Check(t, func(t *rapid.T) {
		var cs []Comment
		for i := range rapid.IntRange(0, 8).Draw(t, "comments") {
			body := text.Draw(t, "body")
			// encoding/csv turns \r\n inside quotes into \n, as any reader would
			body = string(bytes.ReplaceAll([]byte(body), []byte("\r"), nil))
			cs = append(cs, Comment{Timestamp: rapid.Int64Range(0, 1<<45).Draw(t, "ts"), Datetime: "d", CommentID: i,
				AuthorID: rapid.IntRange(0, 100).Draw(t, "author"), Agrees: rapid.IntRange(0, 9).Draw(t, "a"),
				Disagrees: rapid.IntRange(0, 9).Draw(t, "d"), Moderated: rapid.IntRange(-1, 1).Draw(t, "mod"), Body: body})
		}
		var b bytes.Buffer
		if err := WriteComments(&b, cs); err != nil {
			t.Fatal(err)
		}
		got, err := ReadComments(&b, CommentsFile)
		if err != nil {
			t.Fatal(err)
		}
		if cs == nil {
			cs = []Comment{}
		}
		if diff := cmp.Diff(cs, got); diff != "" {
			t.Fatalf("comments (-wrote +read):\n%s", diff)
		}

		pv := &ParticipantsVotes{HasXID: rapid.Bool().Draw(t, "xid")}
		nc := rapid.IntRange(0, 5).Draw(t, "cols")
		for i := range nc {
			pv.CommentIDs = append(pv.CommentIDs, i*3)
		}
		for p := range rapid.IntRange(0, 6).Draw(t, "rows") {
			row := ParticipantRow{Participant: p, GroupID: rapid.IntRange(-1, 3).Draw(t, "g"), Votes: map[int]int8{}}
			if pv.HasXID {
				row.XID = text.Draw(t, "xid")
				row.XID = string(bytes.ReplaceAll([]byte(row.XID), []byte("\r"), nil))
			}
			for _, id := range pv.CommentIDs {
				if v := rapid.IntRange(-2, 1).Draw(t, "v"); v >= -1 {
					row.Votes[id] = int8(v)
				}
			}
			pv.Rows = append(pv.Rows, row)
		}
		b.Reset()
		if err := WriteParticipantsVotes(&b, pv); err != nil {
			t.Fatal(err)
		}
		back, err := ReadParticipantsVotes(&b, ParticipantsVotesFile)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(pv, back); diff != "" {
			t.Fatalf("participants-votes (-wrote +read):\n%s", diff)
		}
	})
}
