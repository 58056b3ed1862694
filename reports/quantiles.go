package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/stat"
)

// QuantileLevels are the probabilities of RoundQuantiles.Cutoff and
// RoundQuantiles.TieBreak: p5, p10, p25, p50, p75, p90, p95.
var QuantileLevels = [7]float64{0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95}

// QuantileNames are the CSV column names of QuantileLevels.
var QuantileNames = [7]string{"p5", "p10", "p25", "p50", "p75", "p90", "p95"}

// Indexes into RoundQuantiles.Cutoff and RoundQuantiles.TieBreak.
const (
	Q5 = iota
	Q10
	Q25
	Q50
	Q75
	Q90
	Q95
)

// RoundQuantiles summarises one projected round across Monte Carlo runs.
type RoundQuantiles struct {
	Round   int       // projected round index, from 0 (QuantilesByMonth: the group's row number)
	ByMonth bool      // a family-and-month group of QuantilesByMonth, not one projected round
	Instant time.Time // when the round runs, UTC
	Family  string    // round family, as data.Round.Family
	Size    int       // invitations requested
	Runs    int       // runs that simulated the round
	// OfRuns is the number of runs in the dataset: more than Runs for a
	// family and month some runs had no round of (QuantilesByMonth).
	OfRuns int
	// NewFamily says the family had no real round before the start: the
	// cutoffs are the prior of new families, not the pool's.
	NewFamily bool

	// NoCutoff is the number of runs in which nobody was invited (cutoff
	// -1): they are left out of the cutoff quantiles.
	NoCutoff int

	// Cutoff holds the cutoff quantiles at QuantileLevels, in CRS points;
	// NaN when no run invited anyone.
	Cutoff [7]float64

	// TieBreak holds the tie-break instant quantiles at QuantileLevels,
	// over the runs that have a tie-break instant; zero times when none has.
	TieBreak [7]time.Time
}

// Quantiles summarises the runs dataset per projected round, in round
// order.
//
// Rows are grouped by round index (and family, should a schedule ever vary
// between runs; an entry per family then). Instant, Family and Size are
// those of the group's row with the lowest run index. Use it when every
// run has the same rounds (a user's schedule); QuantilesByMonth when runs
// draw their own. The quantile
// estimator is gonum's stat.Empirical: the p-quantile of n sorted values is
// the ceil(p·n)-th smallest, an actual simulated value, so that the median
// cutoff is a cutoff some run produced and a tie-break quantile is a whole
// second. Rows with cutoff -1 are counted in NoCutoff and left out of the
// cutoff quantiles; rows with a zero tie-break are left out of the
// tie-break quantiles.
func Quantiles(rows []data.RunRow) []RoundQuantiles { return quantiles(rows, false) }

// QuantilesByMonth summarises the runs dataset per family and calendar
// month (UTC), in order of month then family, for runs that draw their own
// schedules (the recent schedule), where the k-th round of one run is not
// the k-th of another. Round numbers the groups; Instant is the group's
// median round instant and Size its median size (empirical quantiles);
// Runs counts the runs with a round of the family that month (the others
// had none), and NoCutoff the group's rounds that invited nobody. The
// cutoff and tie-break quantiles are over all the group's rounds, as in
// Quantiles.
func QuantilesByMonth(rows []data.RunRow) []RoundQuantiles { return quantiles(rows, true) }

func quantiles(rows []data.RunRow, monthly bool) []RoundQuantiles {
	acc := NewQuantileAccumulator(monthly)
	acc.Add(rows)
	return acc.Quantiles()
}

// QuantileAccumulator computes Quantiles (or QuantilesByMonth) of a runs
// dataset that arrives a run at a time, without keeping the rows: per
// group it keeps the cutoffs and tie-break instants (and, by month, the
// instants and sizes), 12 to 24 bytes per row instead of the whole row.
// Rows must come run by run, as eesim simulate emits them.
type QuantileAccumulator struct {
	monthly bool
	groups  map[quantileKey]*quantileGroup
	keys    []quantileKey
	runs    map[int32]struct{}
}

type quantileKey struct {
	round  int32
	family string
}

type quantileGroup struct {
	first    data.RunRow
	runs     int
	cutoffs  []int32
	tiebreak []int64 // Unix seconds
	// instants (Unix seconds) and sizes of the rows, when monthly
	instants []int64
	sizes    []int32
	lastRun  int32
}

// NewQuantileAccumulator returns an empty accumulator; monthly groups by
// family and month (QuantilesByMonth), else by round (Quantiles).
func NewQuantileAccumulator(monthly bool) *QuantileAccumulator {
	return &QuantileAccumulator{monthly: monthly, groups: map[quantileKey]*quantileGroup{}, runs: map[int32]struct{}{}}
}

// BytesPerRow bounds the memory a QuantileAccumulator keeps per row, with
// the spare capacity of growing slices: twice the 24 bytes of a row by
// month.
const BytesPerRow = 48

// Add accumulates rows.
func (a *QuantileAccumulator) Add(rows []data.RunRow) {
	for _, r := range rows {
		a.runs[r.Run] = struct{}{}
		k := quantileKey{r.Round, r.Family}
		if a.monthly {
			y, m, _ := r.Instant.UTC().Date()
			k.round = int32(y*12 + int(m) - 1)
		}
		g := a.groups[k]
		if g == nil {
			g = &quantileGroup{first: r, lastRun: -1}
			a.groups[k] = g
			a.keys = append(a.keys, k)
		}
		if r.Run < g.first.Run {
			g.first = r
		}
		if a.monthly {
			g.instants = append(g.instants, r.Instant.Unix())
			g.sizes = append(g.sizes, r.Size)
			if r.Run != g.lastRun { // rows come run by run
				g.runs++
				g.lastRun = r.Run
			}
		} else {
			g.runs++
		}
		if r.Cutoff >= 0 {
			g.cutoffs = append(g.cutoffs, r.Cutoff)
		}
		if !r.TieBreak.IsZero() {
			g.tiebreak = append(g.tiebreak, r.TieBreak.Unix())
		}
	}
}

// floats returns x, sorted, as float64s.
func floats[T int32 | int64](x []T) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	slices.Sort(out)
	return out
}

// Quantiles returns the summaries of the rows added so far, as Quantiles
// or QuantilesByMonth would of them all.
func (a *QuantileAccumulator) Quantiles() []RoundQuantiles {
	keys := slices.Clone(a.keys)
	slices.SortFunc(keys, func(a, b quantileKey) int {
		if a.round != b.round {
			return int(a.round - b.round)
		}
		switch {
		case a.family < b.family:
			return -1
		case a.family > b.family:
			return 1
		}
		return 0
	})
	out := make([]RoundQuantiles, 0, len(keys))
	for i, k := range keys {
		g := a.groups[k]
		q := RoundQuantiles{
			Round: int(k.round), Instant: g.first.Instant.UTC(), Family: k.family,
			Size: int(g.first.Size), Runs: g.runs, NoCutoff: g.runs - len(g.cutoffs),
			NewFamily: g.first.NewFamily, OfRuns: len(a.runs),
		}
		if a.monthly {
			instants, sizes := floats(g.instants), floats(g.sizes)
			q.Round, q.ByMonth = i, true
			q.Instant = time.Unix(int64(stat.Quantile(0.5, stat.Empirical, instants, nil)), 0).UTC()
			q.Size = int(stat.Quantile(0.5, stat.Empirical, sizes, nil))
			q.NoCutoff = len(g.instants) - len(g.cutoffs)
		}
		cutoffs, tiebreak := floats(g.cutoffs), floats(g.tiebreak)
		for i, p := range QuantileLevels {
			q.Cutoff[i] = math.NaN()
			if len(cutoffs) > 0 {
				q.Cutoff[i] = stat.Quantile(p, stat.Empirical, cutoffs, nil)
			}
			if len(tiebreak) > 0 {
				s := stat.Quantile(p, stat.Empirical, tiebreak, nil)
				q.TieBreak[i] = time.Unix(int64(s), 0).UTC()
			}
		}
		out = append(out, q)
	}
	return out
}

// WriteQuantilesCSV writes q as CSV, one row per projected round, with the
// header
//
//	round,instant,family,size,runs,no_cutoff_runs,p5,p10,p25,p50,p75,p90,p95,tiebreak_p5,...,tiebreak_p95,new_family
//
// new_family is true for a family with no real round before the start.
// round is the projected round index of runs.arrow, empty in the rows of
// QuantilesByMonth (a family and calendar month, not one round).
// Instants are data.CSVTime (UTC); cutoff quantiles are whole CRS points
// (empirical quantiles are cutoffs some run produced), as in whatif.csv; a
// missing quantile (no run invited anyone, or no tie-break) is an empty
// field.
func WriteQuantilesCSV(w io.Writer, q []RoundQuantiles) error {
	cw := csv.NewWriter(w)
	header := []string{"round", "instant", "family", "size", "runs", "no_cutoff_runs"}
	header = append(header, QuantileNames[:]...)
	for _, n := range QuantileNames {
		header = append(header, "tiebreak_"+n)
	}
	header = append(header, "new_family")
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("quantiles csv: %w", err)
	}
	rec := make([]string, 0, len(header))
	for _, r := range q {
		round := strconv.Itoa(r.Round)
		if r.ByMonth {
			// Not a round index of runs.*: each run draws its own rounds
			// (docs/datasets.md, "quantiles.csv").
			round = ""
		}
		rec = append(rec[:0], round, data.CSVTime(r.Instant), r.Family,
			strconv.Itoa(r.Size), strconv.Itoa(r.Runs), strconv.Itoa(r.NoCutoff))
		for _, v := range r.Cutoff {
			rec = append(rec, formatQuantile(v))
		}
		for _, t := range r.TieBreak {
			if t.IsZero() {
				rec = append(rec, "")
			} else {
				rec = append(rec, data.CSVTime(t))
			}
		}
		rec = append(rec, strconv.FormatBool(r.NewFamily))
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("quantiles csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("quantiles csv: %w", err)
	}
	return nil
}

// formatQuantile formats a cutoff quantile as formatCutoff does: an
// empirical quantile is an observed, whole cutoff.
func formatQuantile(v float64) string { return formatCutoff(v) }
