package concord

import "time"

// DefaultCallLength is how long a call opened by hand stays open when it has
// no later close time.
const DefaultCallLength = 30 * 24 * time.Hour

// OpenCall opens an open/close window now, keeping a close time still to come.
func OpenCall(opens, closes *time.Time, now time.Time) {
	*opens = now
	if !closes.After(now) {
		*closes = now.Add(DefaultCallLength)
	}
}

// CloseCall closes an open/close window now; a window not yet open opens a
// minute earlier so that it stays well formed.
func CloseCall(opens, closes *time.Time, now time.Time) {
	*closes = now
	if !opens.Before(now) {
		*opens = now.Add(-time.Minute)
	}
}
