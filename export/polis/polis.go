// Package polis reads and writes Pol.is's export format (votes.csv,
// comments.csv, participants-votes.csv, summary.csv), so consultations can be
// moved between Pol.is and Concord and Pol.is's open data can be analysed.
// Reading is all or nothing: a malformed file yields a *ParseError naming the
// file and line, and no partial result.
package polis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// File names inside an export folder.
const (
	VotesFile             = "votes.csv"
	CommentsFile          = "comments.csv"
	ParticipantsVotesFile = "participants-votes.csv"
	SummaryFile           = "summary.csv"
)

// Vote is one row of votes.csv. Vote is 1 agree, -1 disagree, 0 pass.
type Vote struct {
	Timestamp int64  // milliseconds since 1970
	Datetime  string // as Pol.is printed it; kept for round trips
	CommentID int
	VoterID   int
	Vote      int8
}

// Comment is one row of comments.csv. Moderated is -1 (moderated out),
// 0 (unmoderated) or 1 (accepted).
type Comment struct {
	Timestamp int64
	Datetime  string
	CommentID int
	AuthorID  int
	Agrees    int
	Disagrees int
	Moderated int
	Body      string
}

// ParticipantsVotes is participants-votes.csv: one row per participant with
// Pol.is's group at export time and a column per comment.
type ParticipantsVotes struct {
	CommentIDs []int // comment columns, in file order
	HasXID     bool  // the file has an xid column
	Rows       []ParticipantRow
}

// ParticipantRow is one participant. GroupID is -1 when the participant was
// not clustered ("in conversation") by Pol.is; Votes maps comment-id to vote
// and omits comments the participant did not vote on.
type ParticipantRow struct {
	Participant int
	XID         string
	GroupID     int
	NComments   int
	NVotes      int
	NAgree      int
	NDisagree   int
	Votes       map[int]int8
}

// Summary is summary.csv, a list of key,value lines.
type Summary struct {
	Topic        string
	URL          string
	Views        int
	Voters       int
	VotersInConv int
	Commenters   int
	Comments     int
	Groups       int
	Description  string
	Extra        [][2]string // unknown keys, kept in order
}

// Export is a whole export folder; files that were absent are nil.
type Export struct {
	Summary           *Summary
	Comments          []Comment
	Votes             []Vote // nil when votes.csv was absent
	ParticipantsVotes *ParticipantsVotes
}

// ParseError locates a problem in an export file.
type ParseError struct {
	File string
	Line int // 1-based; 0 when the problem is with the whole file
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ReadDir reads an export folder. comments.csv is required, and either
// votes.csv or participants-votes.csv; summary.csv is optional.
func ReadDir(dir string) (*Export, error) {
	var e Export
	open := func(name string, required bool, read func(io.Reader, string) error) error {
		f, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) && !required {
			return nil
		}
		if err != nil {
			return err
		}
		defer f.Close()
		return read(f, filepath.Join(dir, name))
	}
	err := errors.Join(
		open(CommentsFile, true, func(r io.Reader, n string) (err error) { e.Comments, err = ReadComments(r, n); return }),
		open(VotesFile, false, func(r io.Reader, n string) (err error) { e.Votes, err = ReadVotes(r, n); return }),
		open(ParticipantsVotesFile, false, func(r io.Reader, n string) (err error) {
			e.ParticipantsVotes, err = ReadParticipantsVotes(r, n)
			return
		}),
		open(SummaryFile, false, func(r io.Reader, n string) (err error) { e.Summary, err = ReadSummary(r, n); return }),
	)
	if err != nil {
		return nil, err
	}
	if e.Votes == nil && e.ParticipantsVotes == nil {
		return nil, &ParseError{File: dir, Err: fmt.Errorf("neither %s nor %s found", VotesFile, ParticipantsVotesFile)}
	}
	return &e, nil
}

// WriteDir writes the non-nil parts of e into dir (which must exist).
func WriteDir(dir string, e *Export) error {
	write := func(name string, fn func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	var errs []error
	if e.Comments != nil {
		errs = append(errs, write(CommentsFile, func(w io.Writer) error { return WriteComments(w, e.Comments) }))
	}
	if e.Votes != nil {
		errs = append(errs, write(VotesFile, func(w io.Writer) error { return WriteVotes(w, e.Votes) }))
	}
	if e.ParticipantsVotes != nil {
		errs = append(errs, write(ParticipantsVotesFile, func(w io.Writer) error { return WriteParticipantsVotes(w, e.ParticipantsVotes) }))
	}
	if e.Summary != nil {
		errs = append(errs, write(SummaryFile, func(w io.Writer) error { return WriteSummary(w, e.Summary) }))
	}
	return errors.Join(errs...)
}

// table reads a CSV file with a header, checking the wanted columns exist.
type table struct {
	name string
	r    *csv.Reader
	col  map[string]int
	line int
	rec  []string
}

func newTable(r io.Reader, name string, want ...string) (*table, error) {
	t := &table{name: name, r: csv.NewReader(r)}
	t.r.ReuseRecord = false
	hdr, err := t.r.Read()
	if err == io.EOF {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty file, want a header")}
	}
	if err != nil {
		return nil, t.csvErr(err)
	}
	if len(hdr) > 0 {
		hdr[0] = strings.TrimPrefix(hdr[0], "\ufeff")
	}
	t.col = make(map[string]int, len(hdr))
	for i, h := range hdr {
		t.col[h] = i
	}
	for _, w := range want {
		if _, ok := t.col[w]; !ok {
			return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("missing column %q", w)}
		}
	}
	return t, nil
}

func (t *table) csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: t.name, Line: pe.Line, Err: pe.Err}
	}
	return &ParseError{File: t.name, Err: err}
}

// next reads a record; it returns false at the end.
func (t *table) next() (bool, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, t.csvErr(err)
	}
	t.rec = rec
	t.line, _ = t.r.FieldPos(0)
	return true, nil
}

func (t *table) errf(format string, args ...any) error {
	return &ParseError{File: t.name, Line: t.line, Err: fmt.Errorf(format, args...)}
}

func (t *table) str(col string) string { return t.rec[t.col[col]] }

func (t *table) int(col string) (int, error) {
	s := t.str(col)
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, t.errf("%s %q: not an integer", col, s)
	}
	return v, nil
}

func (t *table) int64(col string) (int64, error) {
	s := t.str(col)
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		// some exports write timestamps as floats
		f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if ferr != nil {
			return 0, t.errf("%s %q: not a number", col, s)
		}
		v = int64(f)
	}
	return v, nil
}

func parseVote(s string) (int8, bool) {
	switch strings.TrimSpace(s) {
	case "1", "1.0":
		return 1, true
	case "0", "0.0", "-0":
		return 0, true
	case "-1", "-1.0":
		return -1, true
	}
	return 0, false
}

// ReadVotes reads votes.csv; name is used in errors.
func ReadVotes(r io.Reader, name string) ([]Vote, error) {
	t, err := newTable(r, name, "timestamp", "comment-id", "voter-id", "vote")
	if err != nil {
		return nil, err
	}
	_, hasDT := t.col["datetime"]
	votes := []Vote{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return votes, nil
		}
		var v Vote
		if v.Timestamp, err = t.int64("timestamp"); err != nil {
			return nil, err
		}
		if hasDT {
			v.Datetime = t.str("datetime")
		}
		if v.CommentID, err = t.int("comment-id"); err != nil {
			return nil, err
		}
		if v.VoterID, err = t.int("voter-id"); err != nil {
			return nil, err
		}
		var good bool
		if v.Vote, good = parseVote(t.str("vote")); !good {
			return nil, t.errf("vote %q: want -1, 0 or 1", t.str("vote"))
		}
		votes = append(votes, v)
	}
}

// WriteVotes writes votes.csv.
func WriteVotes(w io.Writer, votes []Vote) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"timestamp", "datetime", "comment-id", "voter-id", "vote"})
	for _, v := range votes {
		cw.Write([]string{strconv.FormatInt(v.Timestamp, 10), v.Datetime, strconv.Itoa(v.CommentID), strconv.Itoa(v.VoterID), strconv.Itoa(int(v.Vote))})
	}
	cw.Flush()
	return cw.Error()
}

// ReadComments reads comments.csv.
func ReadComments(r io.Reader, name string) ([]Comment, error) {
	t, err := newTable(r, name, "timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body")
	if err != nil {
		return nil, err
	}
	_, hasDT := t.col["datetime"]
	out := []Comment{}
	seen := map[int]int{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		var c Comment
		if c.Timestamp, err = t.int64("timestamp"); err != nil {
			return nil, err
		}
		if hasDT {
			c.Datetime = t.str("datetime")
		}
		for _, f := range []struct {
			col string
			dst *int
		}{{"comment-id", &c.CommentID}, {"author-id", &c.AuthorID}, {"agrees", &c.Agrees}, {"disagrees", &c.Disagrees}, {"moderated", &c.Moderated}} {
			if *f.dst, err = t.int(f.col); err != nil {
				return nil, err
			}
		}
		if c.Moderated < -1 || c.Moderated > 1 {
			return nil, t.errf("moderated %d: want -1, 0 or 1", c.Moderated)
		}
		if l, dup := seen[c.CommentID]; dup {
			return nil, t.errf("comment-id %d repeated (first on line %d)", c.CommentID, l)
		}
		seen[c.CommentID] = t.line
		c.Body = t.str("comment-body")
		out = append(out, c)
	}
}

// WriteComments writes comments.csv.
func WriteComments(w io.Writer, cs []Comment) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"})
	for _, c := range cs {
		cw.Write([]string{strconv.FormatInt(c.Timestamp, 10), c.Datetime, strconv.Itoa(c.CommentID), strconv.Itoa(c.AuthorID),
			strconv.Itoa(c.Agrees), strconv.Itoa(c.Disagrees), strconv.Itoa(c.Moderated), c.Body})
	}
	cw.Flush()
	return cw.Error()
}

var pvFixed = []string{"participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}

// ReadParticipantsVotes reads participants-votes.csv.
func ReadParticipantsVotes(r io.Reader, name string) (*ParticipantsVotes, error) {
	t, err := newTable(r, name, pvFixed...)
	if err != nil {
		return nil, err
	}
	pv := &ParticipantsVotes{}
	_, pv.HasXID = t.col["xid"]
	// Every other column is a comment id.
	type ccol struct{ idx, id int }
	var ccols []ccol
	hdr := make([]string, len(t.col))
	for h, i := range t.col {
		hdr[i] = h
	}
	fixed := map[string]bool{"xid": true}
	for _, f := range pvFixed {
		fixed[f] = true
	}
	for i, h := range hdr {
		if fixed[h] {
			continue
		}
		id, err := strconv.Atoi(h)
		if err != nil {
			return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("column %q: want a comment id", h)}
		}
		ccols = append(ccols, ccol{i, id})
		pv.CommentIDs = append(pv.CommentIDs, id)
	}
	seen := map[int]int{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return pv, nil
		}
		row := ParticipantRow{GroupID: -1, Votes: map[int]int8{}}
		if row.Participant, err = t.int("participant"); err != nil {
			return nil, err
		}
		if l, dup := seen[row.Participant]; dup {
			return nil, t.errf("participant %d repeated (first on line %d)", row.Participant, l)
		}
		seen[row.Participant] = t.line
		if pv.HasXID {
			row.XID = t.str("xid")
		}
		if strings.TrimSpace(t.str("group-id")) != "" {
			if row.GroupID, err = t.int("group-id"); err != nil {
				return nil, err
			}
			if row.GroupID < 0 {
				return nil, t.errf("group-id %d: negative", row.GroupID)
			}
		}
		for _, f := range []struct {
			col string
			dst *int
		}{{"n-comments", &row.NComments}, {"n-votes", &row.NVotes}, {"n-agree", &row.NAgree}, {"n-disagree", &row.NDisagree}} {
			if *f.dst, err = t.int(f.col); err != nil {
				return nil, err
			}
		}
		for _, c := range ccols {
			s := t.rec[c.idx]
			if strings.TrimSpace(s) == "" {
				continue
			}
			v, good := parseVote(s)
			if !good {
				return nil, t.errf("comment %d: vote %q: want -1, 0, 1 or empty", c.id, s)
			}
			row.Votes[c.id] = v
		}
		pv.Rows = append(pv.Rows, row)
	}
}

// WriteParticipantsVotes writes participants-votes.csv.
func WriteParticipantsVotes(w io.Writer, pv *ParticipantsVotes) error {
	cw := csv.NewWriter(w)
	hdr := []string{"participant"}
	if pv.HasXID {
		hdr = append(hdr, "xid")
	}
	hdr = append(hdr, pvFixed[1:]...)
	for _, id := range pv.CommentIDs {
		hdr = append(hdr, strconv.Itoa(id))
	}
	cw.Write(hdr)
	for _, r := range pv.Rows {
		rec := []string{strconv.Itoa(r.Participant)}
		if pv.HasXID {
			rec = append(rec, r.XID)
		}
		g := ""
		if r.GroupID >= 0 {
			g = strconv.Itoa(r.GroupID)
		}
		rec = append(rec, g, strconv.Itoa(r.NComments), strconv.Itoa(r.NVotes), strconv.Itoa(r.NAgree), strconv.Itoa(r.NDisagree))
		for _, id := range pv.CommentIDs {
			if v, ok := r.Votes[id]; ok {
				rec = append(rec, strconv.Itoa(int(v)))
			} else {
				rec = append(rec, "")
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// ReadSummary reads summary.csv (key,value lines, no header).
func ReadSummary(r io.Reader, name string) (*Summary, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	s := &Summary{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{File: name, Line: pe.Line, Err: pe.Err}
			}
			return nil, &ParseError{File: name, Err: err}
		}
		line, _ := cr.FieldPos(0)
		key := strings.TrimPrefix(rec[0], "\ufeff")
		val := strings.Join(rec[1:], ",")
		num := func(dst *int) error {
			v, err := strconv.Atoi(strings.TrimSpace(val))
			if err != nil {
				return &ParseError{File: name, Line: line, Err: fmt.Errorf("%s %q: not an integer", key, val)}
			}
			*dst = v
			return nil
		}
		switch key {
		case "topic":
			s.Topic = val
		case "url":
			s.URL = val
		case "conversation-description", "description":
			s.Description = val
		case "views":
			err = num(&s.Views)
		case "voters":
			err = num(&s.Voters)
		case "voters-in-conv":
			err = num(&s.VotersInConv)
		case "commenters":
			err = num(&s.Commenters)
		case "comments":
			err = num(&s.Comments)
		case "groups":
			err = num(&s.Groups)
		default:
			s.Extra = append(s.Extra, [2]string{key, val})
		}
		if err != nil {
			return nil, err
		}
	}
}

// WriteSummary writes summary.csv.
func WriteSummary(w io.Writer, s *Summary) error {
	cw := csv.NewWriter(w)
	it := strconv.Itoa
	for _, kv := range [][2]string{{"topic", s.Topic}, {"url", s.URL}, {"views", it(s.Views)}, {"voters", it(s.Voters)},
		{"voters-in-conv", it(s.VotersInConv)}, {"commenters", it(s.Commenters)}, {"comments", it(s.Comments)},
		{"groups", it(s.Groups)}, {"conversation-description", s.Description}} {
		cw.Write(kv[:])
	}
	for _, kv := range s.Extra {
		cw.Write(kv[:])
	}
	cw.Flush()
	return cw.Error()
}
