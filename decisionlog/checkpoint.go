package decisionlog

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is a signed tree head: the log's origin, its size and the root
// hash of its first Size entries, in the usual transparency-log text
//
//	<origin>
//	<size>
//	<base64 root hash>
//
// signed as a note by the log's key. The origin is the key's name, so a
// checkpoint of another log cannot pass for this one.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
	Note   []byte // the signed note, as stored and served; nil for an unsigned empty tree
}

func (c Checkpoint) text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:]))
}

// signCheckpoint returns the checkpoint of a tree, signed.
func signCheckpoint(s note.Signer, size int64, root tlog.Hash) (Checkpoint, error) {
	c := Checkpoint{Origin: s.Name(), Size: size, Hash: root}
	msg, err := note.Sign(&note.Note{Text: c.text()}, s)
	if err != nil {
		return Checkpoint{}, err
	}
	c.Note = msg
	return c, nil
}

// parseCheckpoint reads the text of a signed note without checking its
// signature; verification uses it to name a checkpoint by its size.
func parseCheckpoint(msg []byte) (Checkpoint, error) {
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 {
		return Checkpoint{}, errors.New("malformed: not a signed note")
	}
	lines := strings.Split(string(msg[:i+1]), "\n")
	if len(lines) != 4 || lines[3] != "" {
		return Checkpoint{}, errors.New("malformed: want origin, size and root hash lines")
	}
	c := Checkpoint{Origin: lines[0], Note: msg}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("malformed: size %q", lines[1])
	}
	c.Size = size
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != len(c.Hash) {
		return Checkpoint{}, fmt.Errorf("malformed: root hash %q", lines[2])
	}
	copy(c.Hash[:], h)
	return c, nil
}

// OpenCheckpoint checks the signature on a checkpoint with the log's
// verifier and parses it.
func OpenCheckpoint(msg []byte, v note.Verifier) (Checkpoint, error) {
	c, err := parseCheckpoint(msg)
	if err != nil {
		return Checkpoint{}, err
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		return c, fmt.Errorf("signature invalid: %v", err)
	}
	if c.Origin != v.Name() {
		return c, fmt.Errorf("origin %q is not this log (%q)", c.Origin, v.Name())
	}
	return c, nil
}

// emptyCheckpoint is the unsigned checkpoint of a log with no entries.
func emptyCheckpoint(origin string) Checkpoint {
	root, _ := tlog.TreeHash(0, nil) // reads nothing for size 0
	return Checkpoint{Origin: origin, Hash: root}
}
