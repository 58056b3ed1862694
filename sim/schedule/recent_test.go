package schedule

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// recentRounds is a hand-built history. Its six-month window (the last
// round is Wed 2025-12-17, so the window is (2025-06-17, 2025-12-17], 183
// days) holds 12 draw weeks, each a PNP round on Monday, a CEC round on
// Tuesday and, alternately, a French (even weeks) or Healthcare (odd weeks)
// round on Wednesday. The weeks start on Mondays 2025-07-21, 07-28, 08-11,
// 08-25, 09-15, 09-22, 10-06, 10-20, 11-10, 11-17, 12-01, 12-15: gaps 7,
// 14, 14, 21, 7, 14, 14, 21, 7, 14, 14 days, plus the wrap-around gap
// (12-17 - 12-15) + (07-21 - 06-17) = 2 + 34 = 36 days; the 12 gaps sum to
// the window's 183 days.
//
// By hand: 36 rounds in 6 months = 6.0 rounds per month; shares PNP 12/36
// = 1/3, CEC 1/3, French 6/36 = 1/6, Healthcare 1/6. Sizes: PNP {300, 400,
// 500}, CEC {1000, 3000, 5000}, French {4500, 6000}, Healthcare {1000,
// 2500}. Hours (UTC): PNP 15, CEC 14, French 12, Healthcare 16.
//
// Outside the window, and so never projected: an FST round on 2025-06-10, a
// general round on 2025-03-04 and a STEM round on 2030-01-08 (after
// every start used).
func recentRounds() []data.Round {
	mondays := []time.Time{}
	for _, md := range [][2]int{{7, 21}, {7, 28}, {8, 11}, {8, 25}, {9, 15}, {9, 22}, {10, 6}, {10, 20}, {11, 10}, {11, 17}, {12, 1}, {12, 15}} {
		mondays = append(mondays, time.Date(2025, time.Month(md[0]), md[1], 0, 0, 0, 0, time.UTC))
	}
	var rs []data.Round
	add := func(d time.Time, h, m int, typ data.RoundType, p data.Programs, cat, ver string, size int) {
		rs = append(rs, data.Round{Date: d, Instant: d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute),
			Type: typ, Programs: p, Category: cat, CategoryVersion: ver, Invitations: size})
	}
	// Out of the window, listed first and last to check the sorting too.
	add(time.Date(2030, 1, 8, 0, 0, 0, 0, time.UTC), 14, 0, data.Category, data.Federal, "stem", "1", 4000)
	add(time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), 14, 0, data.General, data.AllPrograms, "", "", 700)
	add(time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC), 14, 0, data.Program, data.FST, "", "", 250)
	for i, mon := range mondays {
		add(mon, 15, 5, data.Program, data.PNP, "", "", []int{300, 400, 500}[i%3])
		add(mon.AddDate(0, 0, 1), 14, 20, data.Program, data.CEC, "", "", []int{1000, 3000, 5000, 3000}[i%4])
		wed := mon.AddDate(0, 0, 2)
		switch {
		case i%2 == 1:
			add(wed, 16, 10, data.Category, data.Federal, "healthcare", "2", []int{2500, 1000}[i/2%2])
		case i == 10: // the last French round: its version is projected
			add(wed, 12, 30, data.Category, data.Federal, "french", "2026-2", 4500)
		default:
			add(wed, 12, 30, data.Category, data.Federal, "french", "1", 6000)
		}
	}
	return rs
}

var recentStart = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday

func recentRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

const year = 36525 * day / 100

func TestRecentScheduleMatchesWindow(t *testing.T) {
	horizon := 20 * year // 240 months, about 480 draw weeks
	s := RecentSchedule(recentRounds(), recentStart, horizon, RecentConfig{}, recentRNG(1))
	counts := map[string]int{}
	for _, r := range s {
		counts[r.Family()]++
	}
	// Rate: by hand 6.0 rounds per month (see recentRounds). The number of
	// draw weeks in the horizon is a renewal count: gaps of mean 15.25 and
	// variance 59.2 days^2 give about 480 weeks with a standard deviation of
	// sqrt(7305 * 59.2 / 15.25^3) = 11 weeks, 2.3%; 7.5% is over 3 sd.
	perMonth := float64(len(s)) / 240
	t.Logf("%d rounds, %.3f per month; counts %v", len(s), perMonth, counts)
	if perMonth < 6.0*0.925 || perMonth > 6.0*1.075 {
		t.Errorf("rounds per month %.3f, want 6.0 +- 7.5%%", perMonth)
	}
	// Shares: every week has one PNP and one CEC round, so their shares are
	// 1/3 but for the weeks cut by start and stop (0.01 covers two of
	// ~480). French vs Healthcare is a fair coin per week: the French share
	// has sd sqrt(480/4)/1440 = 0.0076 around 1/6; 0.025 is over 3 sd.
	share := func(f string) float64 { return float64(counts[f]) / float64(len(s)) }
	for _, c := range []struct {
		fam       string
		want, tol float64
	}{{"pnp", 1.0 / 3, 0.01}, {"cec", 1.0 / 3, 0.01}, {"french", 1.0 / 6, 0.025}, {"healthcare", 1.0 / 6, 0.025}} {
		if got := share(c.fam); got < c.want-c.tol || got > c.want+c.tol {
			t.Errorf("share of %s %.4f, want %.4f +- %.3f", c.fam, got, c.want, c.tol)
		}
	}
	if len(counts) != 4 {
		t.Errorf("families %v, want exactly pnp, cec, french, healthcare", counts)
	}
}

func TestRecentScheduleInvariants(t *testing.T) {
	sizes := map[string][]int{"pnp": {300, 400, 500}, "cec": {1000, 3000, 5000}, "french": {4500, 6000}, "healthcare": {1000, 2500}}
	weekday := map[string]time.Weekday{"pnp": time.Monday, "cec": time.Tuesday, "french": time.Wednesday, "healthcare": time.Wednesday}
	hour := map[string]int{"pnp": 15, "cec": 14, "french": 12, "healthcare": 16}
	for _, start := range []time.Time{recentStart, time.Date(2026, 1, 6, 14, 30, 0, 0, time.UTC), time.Date(2027, 5, 20, 0, 0, 0, 0, time.UTC)} {
		for seed := uint64(0); seed < 20; seed++ {
			horizon := 180 * day
			s := RecentSchedule(recentRounds(), start, horizon, RecentConfig{Months: 6}, recentRNG(seed))
			if len(s) == 0 {
				t.Fatalf("start %v seed %d: empty schedule", start, seed)
			}
			seen := map[string]bool{}
			for i, r := range s {
				f := r.Family()
				seen[f] = true
				if r.Instant.Before(start) || !r.Instant.Before(start.Add(horizon)) {
					t.Errorf("start %v seed %d: round %d at %v outside [start, start+horizon)", start, seed, i, r.Instant)
				}
				if i > 0 && r.Instant.Before(s[i-1].Instant) {
					t.Errorf("seed %d: round %d not sorted", seed, i)
				}
				if !slices.Contains(sizes[f], r.Size) {
					t.Errorf("seed %d: %s size %d not an observed size %v", seed, f, r.Size, sizes[f])
				}
				if r.Instant.Weekday() != weekday[f] || r.Instant.Hour() != hour[f] || r.Instant.Minute() != 0 {
					t.Errorf("seed %d: %s at %v, want %v at %02d:00 UTC", seed, f, r.Instant.Format(time.RFC1123), weekday[f], hour[f])
				}
				if f == "french" && r.Version != "2026-2" || f == "healthcare" && r.Version != "2" || r.Type != data.Category && r.Version != "" {
					t.Errorf("seed %d: %s version %q", seed, f, r.Version)
				}
				if r.Type == data.Category && r.Programs != data.Federal {
					t.Errorf("seed %d: %s programs %v", seed, f, r.Programs)
				}
			}
			// Six months hold ~12 weeks; each family is in at least half of
			// them, so missing one has probability below 2^-10 per seed.
			for f := range sizes {
				if !seen[f] {
					t.Errorf("start %v seed %d: family %s of the window never projected", start, seed, f)
				}
			}
		}
	}
}

func TestRecentScheduleDeterministic(t *testing.T) {
	a := RecentSchedule(recentRounds(), recentStart, 2*year, RecentConfig{}, recentRNG(42))
	b := RecentSchedule(recentRounds(), recentStart, 2*year, RecentConfig{}, recentRNG(42))
	c := RecentSchedule(recentRounds(), recentStart, 2*year, RecentConfig{}, recentRNG(43))
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different schedules")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 42 and 43 gave the same two-year schedule")
	}
}

func TestRecentScheduleWindowLength(t *testing.T) {
	// Months: 2 is the window (2025-10-17, 2025-12-17]: the weeks i = 7..11
	// of recentRounds, whose CEC sizes ([1000, 3000, 5000, 3000][i%4]) are
	// 3000, 1000, 3000, 5000, 3000: the three values, nothing else.
	s := RecentSchedule(recentRounds(), recentStart, 3*year, RecentConfig{Months: 2}, recentRNG(7))
	cecSizes := map[int]bool{}
	for _, r := range s {
		if r.Family() == "cec" {
			cecSizes[r.Size] = true
		}
	}
	if len(cecSizes) != 3 || !cecSizes[1000] || !cecSizes[3000] || !cecSizes[5000] {
		t.Errorf("CEC sizes %v, want {1000, 3000, 5000}", cecSizes)
	}
	// Months: 1 is (2025-11-17, 2025-12-17]: the only French round in it is
	// week 10's (4,500); the 6,000s are older.
	s = RecentSchedule(recentRounds(), recentStart, 3*year, RecentConfig{Months: 1}, recentRNG(7))
	french := 0
	for _, r := range s {
		if r.Family() == "french" {
			french++
			if r.Size != 4500 {
				t.Errorf("1-month window: french size %d, want 4500", r.Size)
			}
		}
	}
	if french == 0 {
		t.Error("1-month window: no french round in three years")
	}
}

func TestRecentScheduleEmpty(t *testing.T) {
	rs := recentRounds()
	if s := RecentSchedule(rs, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), year, RecentConfig{}, recentRNG(1)); s != nil {
		t.Errorf("no round before start: got %d rounds", len(s))
	}
	if s := RecentSchedule(rs, recentStart, 0, RecentConfig{}, recentRNG(1)); s != nil {
		t.Errorf("zero horizon: got %d rounds", len(s))
	}
	defer func() {
		if recover() == nil {
			t.Error("nil rng did not panic")
		}
	}()
	RecentSchedule(rs, recentStart, year, RecentConfig{}, nil)
}

func TestRecentScheduleFeed(t *testing.T) {
	feed, err := data.ParseFeed(bytes.NewReader(data.EmbeddedFeed()), "embedded")
	if err != nil {
		t.Fatal(err)
	}
	start := feed.Rounds[len(feed.Rounds)-1].Date.AddDate(0, 0, 14)
	end := feed.Rounds[len(feed.Rounds)-1].Date
	winFam := map[string]bool{}
	n := 0
	for _, r := range feed.Rounds {
		if r.Date.After(end.AddDate(0, -6, 0)) {
			winFam[r.Family()] = true
			n++
		}
	}
	s := RecentSchedule(feed.Rounds, start, 10*year, DefaultRecentConfig, recentRNG(3))
	got := map[string]bool{}
	for _, r := range s {
		got[r.Family()] = true
	}
	// Every family of the window is projected (the rarest is in 1 of ~13
	// weeks: missed in 260 weeks with probability (12/13)^260 < 1e-9), and
	// nothing else.
	if !reflect.DeepEqual(got, winFam) {
		t.Errorf("families %v, window %v", got, winFam)
	}
	// The window's rate, counted directly, within 10% (about 3 sd of a
	// 10-year renewal count with the feed's irregular gaps).
	want, perMonth := float64(n)/6, float64(len(s))/120
	t.Logf("window: %d rounds, %.2f per month; projected %.2f per month, families %v", n, want, perMonth, got)
	if perMonth < want*0.9 || perMonth > want*1.1 {
		t.Errorf("rounds per month %.2f, window %.2f", perMonth, want)
	}
}

func TestParseDrawSizes(t *testing.T) {
	got, err := ParseDrawSizes([]string{"CEC=3000", " French = 6,000", "program:CEC+FSW=10"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"cec": 3000, "french": 6000, "program:cec+fsw": 10}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"CEC", "=5", "CEC=-1", "CEC=0", "CEC=abc", "CEC=1e3"} {
		if _, err := ParseDrawSizes([]string{"pnp=1", bad}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: error %v does not name the argument", bad, err)
		}
	}
	if _, err := ParseDrawSizes([]string{"cec=1", "CEC=2"}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate: %v", err)
	}
}

func TestApplySizeOverrides(t *testing.T) {
	s := slices.Clone(exampleSchedule)
	if err := ApplySizeOverrides(s, map[string]int{"pnp": 111, "program:cec+fsw": 222}); err != nil {
		t.Fatal(err)
	}
	for i, r := range s {
		want := exampleSchedule[i].Size
		switch r.Family() {
		case "pnp":
			want = 111
		case "program:cec+fsw":
			want = 222
		}
		if r.Size != want {
			t.Errorf("round %d (%s): size %d, want %d", i, r.Family(), r.Size, want)
		}
	}
	s = slices.Clone(exampleSchedule)
	err := ApplySizeOverrides(s, map[string]int{"pnp": 1, "stem": 5})
	if err == nil || !strings.Contains(err.Error(), "no stem round") ||
		!strings.Contains(err.Error(), "arts_occupations, cec, french, general, healthcare, pnp, program:cec+fsw") {
		t.Errorf("unknown family: %v", err)
	}
	if !reflect.DeepEqual(s, exampleSchedule) {
		t.Error("a failed override changed the schedule")
	}
}
