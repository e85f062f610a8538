package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"concord"
	"concord/sqlstore"
)

// reportTakeaways and reportActions are the stock phrases of the demo's
// short reports; the session's topic fills the blank.
var (
	reportTakeaways = []string{
		"Participants agreed that %s needs rules made with every stakeholder group at the table.",
		"Several speakers said local communities should shape %s, not only national regulators.",
		"Evidence on %s is thin in developing countries; better data was asked for.",
		"Speakers disagreed on whether %s is best handled by law or by industry codes.",
	}
	reportActions = []string{
		"Governments should publish impact assessments before acting on %s.",
		"The technical community should document good practice on %s and share it through the NRIs.",
		"Donors should fund research on %s led from the Global South.",
	}
)

// loadReports files the reports of most demo sessions as their organisers
// would: the short one within a day (some after the 12-hour deadline), the
// long one within the fortnight for about a third. Filing times are fixed
// by the seed, not the clock, so the demo is the same on every load.
func loadReports(ctx context.Context, db *sqlstore.DB, f *concord.Forum, seed uint64) error {
	m, err := db.CurrentMeeting(ctx, f.ID)
	if err != nil {
		return err
	}
	md, err := db.LoadMeeting(ctx, m)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x7265706f))
	clock := db.Now
	defer func() { db.Now = clock }()
	for _, pl := range md.Placements {
		s := md.SessionByID(pl.SessionID)
		if len(s.People) == 0 || rng.IntN(5) == 0 {
			continue
		}
		topic := strings.ToLower(s.Title[:strings.Index(s.Title+":", ":")])
		short := &concord.SessionReport{SessionID: s.ID, Kind: concord.ShortReport, SubmittedBy: s.People[0]}
		for _, i := range rng.Perm(len(reportTakeaways))[:1+rng.IntN(3)] {
			short.Takeaways = append(short.Takeaways, fmt.Sprintf(reportTakeaways[i], topic))
		}
		for _, i := range rng.Perm(len(reportActions))[:rng.IntN(3)] {
			short.CallsToAction = append(short.CallsToAction, fmt.Sprintf(reportActions[i], topic))
		}
		at := pl.End.Add(time.Duration(30+rng.IntN(20*60)) * time.Minute)
		db.Now = func() time.Time { return at }
		if err := db.FileReport(ctx, f.ID, short); err != nil {
			return fmt.Errorf("demo report of session %d: %w", s.ID, err)
		}
		if rng.IntN(3) != 0 {
			continue
		}
		onsite, online := s.Attendance/2+rng.IntN(s.Attendance/2+1), rng.IntN(s.Attendance/2+1)
		long := &concord.SessionReport{SessionID: s.ID, Kind: concord.LongReport, SubmittedBy: s.People[0],
			Discussion: fmt.Sprintf("The session opened with short statements on %s from each stakeholder group, followed by questions from the room and from online participants. %s %s",
				topic, short.Takeaways[0], "The moderators closed by listing the points of agreement and the open questions."),
			ParticipantsOn: onsite, ParticipantsOff: online, Women: (onsite + online) * (35 + rng.IntN(30)) / 100}
		if rng.IntN(2) == 0 {
			long.GenderDiscussion = "Speakers discussed how " + topic + " affects women and girls differently, with examples from two regions."
		}
		at = pl.End.Add(time.Duration(2+rng.IntN(12)) * 24 * time.Hour)
		if err := db.FileReport(ctx, f.ID, long); err != nil {
			return fmt.Errorf("demo report of session %d: %w", s.ID, err)
		}
	}
	return nil
}
