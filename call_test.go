package concord

import (
	"testing"
	"time"
)

func TestOpenAndCloseCall(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	opens, closes := now.Add(48*time.Hour), now.Add(-time.Hour)
	OpenCall(&opens, &closes, now)
	if !opens.Equal(now) || !closes.Equal(now.Add(DefaultCallLength)) {
		t.Errorf("opened a closed call: %v – %v", opens, closes)
	}
	later := now.Add(5 * 24 * time.Hour)
	closes = later
	OpenCall(&opens, &closes, now)
	if !closes.Equal(later) {
		t.Errorf("opening moved a future close time to %v", closes)
	}
	opens = now.Add(time.Hour)
	CloseCall(&opens, &closes, now)
	if !closes.Equal(now) || !opens.Before(closes) {
		t.Errorf("closed call: %v – %v", opens, closes)
	}
}
