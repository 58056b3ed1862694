package nseoi

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// EOI is one expression of interest in the pool.
type EOI struct {
	ID        string
	Points    int
	Submitted time.Time
	// Replaces is the ID of an earlier EOI of the same candidate, withdrawn
	// when this one enters the pool ("" for none).
	Replaces string
}

// Round is a round of invitations: the top Size EOIs at Date.
type Round struct {
	Date time.Time
	Size int
}

// Config holds the settings of the rounds. The zero value ranks ties at
// the cutoff by submission time, earliest first.
type Config struct {
	TieBreak draws.TieBreak
}

// Result is the outcome of one round.
type Result struct {
	Round Round
	// InPool is the number of EOIs in the pool when the round ran; Expired
	// the number that expired since the previous round; Withdrawn the
	// number replaced by a newer EOI.
	InPool, Expired, Withdrawn int
	Invited                    []string // EOI IDs in rank order
	Cutoff                     int      // points of the lowest invited, draws.NoCutoff if none
	TieBreak                   time.Time
	Short                      bool // fewer EOIs than the size
}

// ErrInput is wrapped by validation errors.
var ErrInput = errors.New("nseoi: bad input")

func inputErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, a...))
}

// Validate checks EOIs and rounds: unique non-empty IDs, points 0-105,
// replaced IDs that exist and were submitted earlier, sizes not negative.
// Positions in messages are 1-based.
func Validate(eois []EOI, rounds []Round) error {
	seen := map[string]int{}
	for i, e := range eois {
		if e.ID == "" {
			return inputErr("eois[%d].id: missing", i+1)
		}
		if j, dup := seen[e.ID]; dup {
			return inputErr("eois[%d].id: %q repeats eois[%d]", i+1, e.ID, j+1)
		}
		seen[e.ID] = i
		if e.Points < 0 || e.Points > MaxPoints {
			return inputErr("eois[%d].points: %d out of range 0-%d", i+1, e.Points, MaxPoints)
		}
		if e.Submitted.IsZero() {
			return inputErr("eois[%d].submitted: missing", i+1)
		}
	}
	for i, e := range eois {
		if e.Replaces == "" {
			continue
		}
		j, ok := seen[e.Replaces]
		if !ok {
			return inputErr("eois[%d].replaces: no EOI %q", i+1, e.Replaces)
		}
		if !eois[j].Submitted.Before(e.Submitted) {
			return inputErr("eois[%d].replaces: %q was not submitted before it", i+1, e.Replaces)
		}
	}
	for i, r := range rounds {
		if r.Size < 0 {
			return inputErr("rounds[%d].size: %d is negative", i+1, r.Size)
		}
		if r.Date.IsZero() {
			return inputErr("rounds[%d].date: missing", i+1)
		}
	}
	return nil
}

// Run runs the rounds, in date order, on the EOIs (package doc). The
// results are in date order.
func Run(eois []EOI, rounds []Round, cfg Config) ([]Result, error) {
	if err := Validate(eois, rounds); err != nil {
		return nil, err
	}
	order := make([]int, len(eois))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return eois[order[a]].Submitted.Before(eois[order[b]].Submitted) })
	rs := append([]Round(nil), rounds...)
	sort.SliceStable(rs, func(a, b int) bool { return rs[a].Date.Before(rs[b].Date) })

	p := pool.New(len(eois))
	idOf := make([]int, 0, len(eois)) // pool.ID -> index in eois
	poolID := map[string]pool.ID{}
	next, expNext := 0, 0
	var out []Result
	for _, r := range rs {
		withdrawn := 0
		for next < len(order) && !eois[order[next]].Submitted.After(r.Date) {
			e := eois[order[next]]
			if e.Replaces != "" {
				if old, ok := poolID[e.Replaces]; ok && p.State(old) == pool.Active {
					p.Remove(old)
					withdrawn++
				}
			}
			id, err := p.Add(pool.Candidate{Score: e.Points, Submitted: e.Submitted.UTC().Truncate(time.Second), Programs: data.Federal})
			if err != nil {
				return nil, err
			}
			poolID[e.ID] = id
			idOf = append(idOf, order[next])
			next++
		}
		// Expiry: a calendar year after receipt (Expires), not the
		// pool's 365-day profile validity, so pool.Advance is not used.
		// Expires keeps submission order, so the EOIs due are a prefix.
		expired := 0
		for ; expNext < len(idOf) && !Expires(eois[idOf[expNext]].Submitted).After(r.Date); expNext++ {
			if id := pool.ID(expNext); p.State(id) == pool.Active {
				p.Remove(id)
				expired++
			}
		}
		res := Result{Round: r, InPool: p.Active(), Expired: expired, Withdrawn: withdrawn}
		dr, err := draws.Run(p, draws.Round{Instant: r.Date, Type: data.General, Size: r.Size}, draws.Rules{TieBreak: cfg.TieBreak})
		if err != nil {
			return nil, fmt.Errorf("round %s: %w", r.Date.Format(time.DateOnly), err)
		}
		for _, id := range dr.Invited {
			res.Invited = append(res.Invited, eois[idOf[id]].ID)
		}
		res.Cutoff, res.TieBreak, res.Short = dr.Cutoff, dr.TieBreak, dr.Short
		out = append(out, res)
	}
	return out, nil
}
