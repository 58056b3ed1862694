package reports

import (
	"fmt"
	"sort"
	"time"

	"github.com/eesim/eesim/data"
)

// Monthly is the number of invitations and rounds per calendar month (of
// the round date, UTC) and display family.
type Monthly struct {
	Months      []time.Time // month starts, every month from the first round's to the last's
	Families    []string    // the display families present, in Families order
	Invitations [][]int     // [month][family]
	Rounds      [][]int     // [month][family]
}

// MonthlyInvitations sums the invitations of rounds by month and display
// family. Months without a round are present with zeros, so that the
// months are evenly spaced.
func MonthlyInvitations(rounds []data.Round) Monthly {
	var m Monthly
	if len(rounds) == 0 {
		return m
	}
	first, last := rounds[0].Date, rounds[0].Date
	present := map[string]bool{}
	for _, r := range rounds {
		if r.Date.Before(first) {
			first = r.Date
		}
		if r.Date.After(last) {
			last = r.Date
		}
		present[DisplayFamily(r)] = true
	}
	col := map[string]int{}
	for _, f := range Families {
		if present[f] {
			col[f] = len(m.Families)
			m.Families = append(m.Families, f)
		}
	}
	start := monthStart(first)
	for t := start; !t.After(last); t = t.AddDate(0, 1, 0) {
		m.Months = append(m.Months, t)
		m.Invitations = append(m.Invitations, make([]int, len(m.Families)))
		m.Rounds = append(m.Rounds, make([]int, len(m.Families)))
	}
	for _, r := range rounds {
		i := monthIndex(start, r.Date)
		j := col[DisplayFamily(r)]
		m.Invitations[i][j] += r.Invitations
		m.Rounds[i][j]++
	}
	return m
}

func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func monthIndex(start, t time.Time) int {
	t = t.UTC()
	return (t.Year()-start.Year())*12 + int(t.Month()-start.Month())
}

// Year is the number of rounds and invitations of a calendar year.
type Year struct {
	Year        int
	Rounds      int
	Invitations int
}

// Years sums rounds and invitations by calendar year of the round date,
// oldest first.
func Years(rounds []data.Round) []Year {
	by := map[int]*Year{}
	var out []Year
	for _, r := range rounds {
		y := r.Date.UTC().Year()
		if by[y] == nil {
			by[y] = &Year{Year: y}
		}
		by[y].Rounds++
		by[y].Invitations += r.Invitations
	}
	for _, y := range by {
		out = append(out, *y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

// LastRounds returns the latest round of each display family, in Families
// order (families without a round are left out). The latest is the one with
// the latest date, then instant, then the later position in rounds.
func LastRounds(rounds []data.Round) []data.Round {
	last := map[string]data.Round{}
	for _, r := range rounds {
		f := DisplayFamily(r)
		l, ok := last[f]
		if !ok || !r.Date.Before(l.Date) && (r.Date.After(l.Date) || !r.Instant.Before(l.Instant)) {
			last[f] = r
		}
	}
	var out []data.Round
	for _, f := range Families {
		if r, ok := last[f]; ok {
			out = append(out, r)
		}
	}
	return out
}

// Lag is the tie-break lag of one round: how long before the round the
// last invited candidate at the cutoff score had submitted a profile.
type Lag struct {
	Number   string
	Date     time.Time
	Key      string // family key, data.Round.Family
	Family   string // display family
	Instant  time.Time
	TieBreak time.Time
	Days     float64 // (Instant - TieBreak) in days of 24 h
}

// TieBreakLags returns the lag of every round that published both its
// instant and a tie-break instant (from round #77, 2017-11-01; the rule
// itself dates from 2017-06-06), in the order of rounds.
func TieBreakLags(rounds []data.Round) []Lag {
	var out []Lag
	for _, r := range rounds {
		if !r.HasTieBreak() || r.Instant.IsZero() {
			continue
		}
		out = append(out, Lag{
			Number: r.Number, Date: r.Date, Key: r.Family(), Family: DisplayFamily(r),
			Instant: r.Instant, TieBreak: r.TieBreak,
			Days: r.Instant.Sub(r.TieBreak).Hours() / 24,
		})
	}
	return out
}

// PoolGroup is a group of adjacent bands of data.BandEdges: IRCC's own
// subtotals (dd3 451-500 and dd9 401-450) and the other bands as they are.
type PoolGroup struct {
	Label       string // "451-500"
	First, Last int    // band indexes in data.BandEdges, First <= Last
}

// PoolGroups are the 7 groups of the pool chart, highest scores first.
var PoolGroups = func() []PoolGroup {
	spans := [][2]int{{0, 0}, {1, 1}, {2, 6}, {7, 11}, {12, 12}, {13, 13}, {14, 14}}
	var gs []PoolGroup
	for _, s := range spans {
		gs = append(gs, PoolGroup{
			Label: fmt.Sprintf("%d-%d", data.BandEdges[s[1]].Low, data.BandEdges[s[0]].High),
			First: s[0], Last: s[1],
		})
	}
	return gs
}()

// GroupCounts returns the profiles of s in each of PoolGroups.
func GroupCounts(s *data.Snapshot) []int {
	out := make([]int, len(PoolGroups))
	for i, g := range PoolGroups {
		for b := g.First; b <= g.Last; b++ {
			out[i] += s.Counts[b]
		}
	}
	return out
}
