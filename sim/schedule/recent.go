package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
)

// RecentConfig configures RecentSchedule. The zero value is
// DefaultRecentConfig.
type RecentConfig struct {
	// Months is the length of the window of real rounds to repeat, ending
	// at the last real round before the start. 0 means 6.
	Months int `json:"months"`
}

// DefaultRecentConfig is the default window: six months of rounds, about
// twelve draw weeks (docs/domain.md, "Cadence and sizes": a draw week every 14 days
// in 2023-2025).
var DefaultRecentConfig = RecentConfig{Months: 6}

// drawWeekDays is the largest gap, in days, between two draw days of the
// same draw week (docs/domain.md, "Cadence and sizes": "clusters" are draw days within 3
// days of each other; IRCC runs PNP on Monday and CEC and category rounds
// Tuesday to Thursday as one week of draws).
const drawWeekDays = 3

const day = 24 * time.Hour

// RecentSchedule projects rounds from start to start+horizon by repeating
// the cadence, type mix and sizes of the real rounds of the last
// cfg.Months months.
//
// Method:
//  1. The window is the cfg.Months months ending on the day of the last
//     real round before start: (end - Months, end]. If the feed ends before
//     start, the window still holds Months months of rounds.
//  2. The window's rounds (by drawDate) are grouped into draw weeks: a round
//     more than 3 days after the previous one starts a new week. A week is
//     kept as a template: its rounds' families, programs and category keys,
//     their day offsets from the week's first day, and the weekday of that
//     first day.
//  3. The gaps between the first days of consecutive weeks are collected,
//     plus one wrap-around gap (from the last week's first day to the end of
//     the window, plus from the start of the window to the first week's
//     first day), as if the window were circular: the gaps then sum to the
//     window's length, so the projected rate of draw weeks, and of rounds,
//     is the window's.
//  4. From the last real week's first day, the schedule repeatedly draws a
//     gap and a week template at random with rng, without replacement: each
//     is drawn from a shuffled bag that is refilled once empty, so every
//     stretch of the projection as long as the window holds the window's
//     weeks, and so its pace per family. (Drawing with replacement let a
//     six-month projection hold twice the window's French or healthcare
//     invitations, and run the synthetic category pool dry.) The week is placed at the previous week's first day plus the
//     gap, moved by at most 3 days to the weekday the template started on
//     (so PNP stays on Monday), and later by whole weeks if it would come
//     within 3 days of the previous week. Weeks before start are generated
//     and dropped so that the cadence continues from the real rounds.
//  5. Each round's size is drawn, from a shuffled bag as above, from the
//     sizes of that family's rounds in the window (a bootstrap, not a fitted
//     distribution: sizes stay within the observed min-max and keep IRCC's
//     round numbers). Its time of day is the family's median UTC hour in
//     the window (14:00 when no round of the family published a time); a
//     category round gets the family's latest occupation-list version.
//  6. A PNP round invites every nominee in the pool (AllNominees), at least
//     its drawn size: in 2024-2025 IRCC's PNP rounds invited about as many
//     as the 601-1200 band held (e.g. 399 with 390 in the band on
//     2025-12-15, 1,123 with 1,110 on 2025-12-08), so their size follows the
//     nominee inflow, which a size drawn apart from it would not.
//  7. Rounds in [start, start+horizon) are returned sorted by instant.
//
// The result is nil when no real round precedes start or horizon is not
// positive. RecentSchedule panics if rng is nil.
func RecentSchedule(rounds []data.Round, start time.Time, horizon time.Duration, cfg RecentConfig, rng *rand.Rand) []ScheduledRound {
	if rng == nil {
		panic("sim: RecentSchedule with a nil rng")
	}
	if horizon <= 0 {
		return nil
	}
	// 1. The window.
	win, winStart, end := recentWindow(rounds, start, cfg)
	if len(win) == 0 {
		return nil
	}

	// 2. Draw weeks; 3. gaps.
	type item struct {
		offset int // days after the week's first day
		proto  ScheduledRound
	}
	type week struct {
		first   time.Time
		weekday time.Weekday
		items   []item
	}
	var weeks []week
	prev := time.Time{}
	for _, r := range win {
		d := roundDay(r)
		if len(weeks) == 0 || d.Sub(prev) > drawWeekDays*day {
			weeks = append(weeks, week{first: d, weekday: d.Weekday()})
		}
		w := &weeks[len(weeks)-1]
		w.items = append(w.items, item{offset: days(d.Sub(w.first)),
			proto: ScheduledRound{Type: r.Type, Programs: r.Programs, CategoryKey: r.Category}})
		prev = d
	}
	gaps := make([]int, 0, len(weeks))
	for i := 1; i < len(weeks); i++ {
		gaps = append(gaps, days(weeks[i].first.Sub(weeks[i-1].first)))
	}
	gaps = append(gaps, days(end.Sub(weeks[len(weeks)-1].first))+days(weeks[0].first.Sub(winStart)))

	// 5. Per-family sizes, hours and versions.
	type famStats struct {
		sizes   []int
		hours   []int
		version string
	}
	fams := map[string]*famStats{}
	for _, r := range win {
		f := fams[r.Family()]
		if f == nil {
			f = &famStats{}
			fams[r.Family()] = f
		}
		f.sizes = append(f.sizes, r.Invitations)
		if t := r.Instant.UTC(); !r.Instant.IsZero() && t.Truncate(day).Equal(roundDay(r)) && !t.Equal(roundDay(r)) {
			f.hours = append(f.hours, t.Hour())
		}
		if r.CategoryVersion != "" {
			f.version = r.CategoryVersion
		}
	}
	hour := map[string]int{}
	for name, f := range fams {
		hour[name] = DefaultRoundHour
		if len(f.hours) > 0 {
			slices.Sort(f.hours)
			hour[name] = f.hours[(len(f.hours)-1)/2] // lower median
		}
	}

	// 4. and 6. Generate.
	stop := start.Add(horizon)
	var out []ScheduledRound
	nominal := weeks[len(weeks)-1].first
	last := nominal.AddDate(0, 0, weeks[len(weeks)-1].items[len(weeks[len(weeks)-1].items)-1].offset)
	gapBag, weekBag := newBag(len(gaps)), newBag(len(weeks))
	sizeBag := map[string]*bag{}
	for name, f := range fams {
		sizeBag[name] = newBag(len(f.sizes))
	}
	for {
		nominal = nominal.AddDate(0, 0, gaps[gapBag.next(rng)])
		w := weeks[weekBag.next(rng)]
		shift := (int(w.weekday) - int(nominal.Weekday()) + 7) % 7
		if shift > 3 {
			shift -= 7
		}
		first := nominal.AddDate(0, 0, shift)
		for first.Sub(last) <= drawWeekDays*day {
			first = first.AddDate(0, 0, 7)
		}
		if !first.Before(stop) {
			break
		}
		for _, it := range w.items {
			fam := it.proto.Family()
			f := fams[fam]
			sr := it.proto
			sr.Instant = first.AddDate(0, 0, it.offset).Add(time.Duration(hour[fam]) * time.Hour)
			sr.Size = f.sizes[sizeBag[fam].next(rng)]
			sr.AllNominees = fam == "pnp"
			if sr.Type == data.Category {
				sr.Version = f.version
			}
			if !sr.Instant.Before(start) && sr.Instant.Before(stop) {
				out = append(out, sr)
			}
		}
		last = first.AddDate(0, 0, w.items[len(w.items)-1].offset)
	}
	slices.SortStableFunc(out, func(a, b ScheduledRound) int { return a.Instant.Compare(b.Instant) })
	return out
}

// recentWindow returns the real rounds RecentSchedule repeats (step 1):
// those of the cfg.Months months up to the last real round before start,
// in day order; the window's start and its last round's day.
func recentWindow(rounds []data.Round, start time.Time, cfg RecentConfig) (win []data.Round, winStart, end time.Time) {
	months := cfg.Months
	if months <= 0 {
		months = DefaultRecentConfig.Months
	}
	var past []data.Round
	for _, r := range rounds {
		if roundInstant(r).Before(start) {
			past = append(past, r)
		}
	}
	if len(past) == 0 {
		return nil, time.Time{}, time.Time{}
	}
	slices.SortStableFunc(past, func(a, b data.Round) int {
		if c := roundDay(a).Compare(roundDay(b)); c != 0 {
			return c
		}
		return roundInstant(a).Compare(roundInstant(b))
	})
	end = roundDay(past[len(past)-1])
	winStart = end.AddDate(0, -months, 0)
	for _, r := range past {
		if roundDay(r).After(winStart) {
			win = append(win, r)
		}
	}
	return win, winStart, end
}

// recentFamilyRounds returns, for each family of the rounds RecentSchedule
// repeats from start, a round of it as RecentSchedule makes them (type,
// programs, category, version, AllNominees), at start, of size 1, in order
// of the family's first round in the window.
func recentFamilyRounds(rounds []data.Round, start time.Time, cfg RecentConfig) []ScheduledRound {
	win, _, _ := recentWindow(rounds, start, cfg)
	var out []ScheduledRound
	idx := map[string]int{}
	for _, r := range win {
		sr := ScheduledRound{Instant: start, Type: r.Type, Programs: r.Programs, CategoryKey: r.Category, Size: 1}
		sr.AllNominees = sr.Family() == "pnp"
		i, ok := idx[sr.Family()]
		if !ok {
			i = len(out)
			idx[sr.Family()] = i
			out = append(out, sr)
		}
		if r.CategoryVersion != "" && r.Type == data.Category {
			out[i].Version = r.CategoryVersion
		}
	}
	return out
}

// roundDay is the day of a real round: drawDate, midnight UTC.
func roundDay(r data.Round) time.Time {
	if !r.Date.IsZero() {
		return r.Date.UTC().Truncate(day)
	}
	return r.Instant.UTC().Truncate(day)
}

// roundInstant is when a real round ran: drawDateTime when it is on the
// drawDate (the feed has one that is not), else DefaultRoundHour that day.
func roundInstant(r data.Round) time.Time {
	d := roundDay(r)
	if t := r.Instant.UTC(); !r.Instant.IsZero() && t.Truncate(day).Equal(d) && !t.Equal(d) {
		return t
	}
	return d.Add(DefaultRoundHour * time.Hour)
}

// days is a whole number of days; d is a difference of midnights.
func days(d time.Duration) int { return int((d + day/2) / day) }

// ParseDrawSizes parses --draw-size arguments FAMILY=N ("CEC=3000",
// "french=6,000") into sizes by family, the family in lower case as
// ScheduledRound.Family returns it. N is a positive integer up to
// MaxScheduleSize; a family given twice is an error.
func ParseDrawSizes(args []string) (map[string]int, error) {
	sizes := make(map[string]int, len(args))
	for _, a := range args {
		fam, n, ok := strings.Cut(a, "=")
		fam = strings.ToLower(strings.TrimSpace(fam))
		if !ok || fam == "" {
			return nil, fmt.Errorf("draw size %q: want FAMILY=N, e.g. CEC=3000", a)
		}
		size, ferr := parseSize(strings.TrimSpace(n))
		if ferr != nil {
			return nil, fmt.Errorf("draw size %q: %s", a, ferr.msg)
		}
		if _, dup := sizes[fam]; dup {
			return nil, fmt.Errorf("draw size %q: family %s given twice", a, fam)
		}
		sizes[fam] = size
	}
	return sizes, nil
}

// ApplySizeOverrides sets the size of every round of s whose family (as
// ScheduledRound.Family) is a key of sizes. A family with no round in s is
// an error listing the families present; s is then left unchanged.
func ApplySizeOverrides(s []ScheduledRound, sizes map[string]int) error {
	present := map[string]bool{}
	for _, r := range s {
		present[r.Family()] = true
	}
	var bad []string
	for fam, n := range sizes {
		if !present[strings.ToLower(fam)] {
			bad = append(bad, fam)
		}
		if n <= 0 {
			return fmt.Errorf("draw size %s=%d: size must be positive", fam, n)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		names := make([]string, 0, len(present))
		for f := range present {
			names = append(names, f)
		}
		slices.Sort(names)
		return fmt.Errorf("draw size: no %s round in the schedule (families present: %s)",
			strings.Join(bad, ", "), strings.Join(names, ", "))
	}
	lower := make(map[string]int, len(sizes))
	for fam, n := range sizes {
		lower[strings.ToLower(fam)] = n
	}
	for i := range s {
		if n, ok := lower[s[i].Family()]; ok {
			s[i].Size = n
			s[i].AllNominees = false
		}
	}
	return nil
}

// bag draws indexes 0..n-1 in shuffled order, reshuffling once all are
// drawn: sampling without replacement, cycle after cycle.
type bag struct {
	order []int
	i     int
}

func newBag(n int) *bag { return &bag{i: n, order: make([]int, n)} }

func (b *bag) next(rng *rand.Rand) int {
	if b.i == len(b.order) {
		for i := range b.order {
			b.order[i] = i
		}
		rng.Shuffle(len(b.order), func(i, j int) { b.order[i], b.order[j] = b.order[j], b.order[i] })
		b.i = 0
	}
	b.i++
	return b.order[b.i-1]
}
