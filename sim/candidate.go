package sim

import (
	"slices"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool/crs"
)

// ProfileOverrides replace what a profile says about a candidate's
// eligibility (eesim odds --programs, --categories, --nominated).
type ProfileOverrides struct {
	Programs   *data.Programs // nil: the profile's programs on each date (crs.Eligibility)
	Categories []string       // nil: the profile's categories on each date
	Nominated  bool           // true: nominated even if the profile is not
}

// CandidateFromProfile returns the candidate of profile p from start to
// end: its score and eligibility at start, and a change on every date in
// (start, end] on which its score or eligibility changes (birthdays,
// language results turning two years old: crs.Changes). Programs are the
// federal ones only (data.Federal): a nomination is Nominated. Submitted
// is the profile's, zero when it gives none. An error is crs.Score's, on
// the first date the profile does not score.
func CandidateFromProfile(p *crs.Profile, start, end time.Time, o ProfileOverrides) (Candidate, error) {
	c := Candidate{Nominated: p.ProvincialNomination || o.Nominated, Submitted: p.Submitted}
	state := func(on time.Time) (int, data.Programs, []string, error) {
		b, err := crs.Score(p, on)
		if err != nil {
			return 0, 0, nil, err
		}
		ps, cats := crs.Eligibility(p, on)
		if o.Programs != nil {
			ps = *o.Programs
		}
		if o.Categories != nil {
			cats = o.Categories
		}
		return b.Total, ps & data.Federal, cats, nil
	}
	var err error
	if c.Score, c.Programs, c.Categories, err = state(start); err != nil {
		return c, err
	}
	prev := CandidateChange{Score: c.Score, Programs: c.Programs, Categories: c.Categories}
	for _, ch := range crs.Changes(p, start, end) {
		sc, ps, cats, err := state(ch.Date)
		if err != nil {
			return c, err
		}
		if sc == prev.Score && ps == prev.Programs && slices.Equal(cats, prev.Categories) {
			continue
		}
		prev = CandidateChange{From: ch.Date, Score: sc, Programs: ps, Categories: cats}
		c.Changes = append(c.Changes, prev)
	}
	return c, nil
}
