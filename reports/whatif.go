package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WhatIfRow is one family's projected cutoffs at one point of a what-if
// sweep, and the candidate's odds at that point (NaN without a
// candidate).
type WhatIfRow struct {
	Sweep  string // "draw-size cec", "cadence", "mix"
	Unit   string // what Value measures
	Value  float64
	Family string
	// P10, P50, P90 are quantiles of the family's cutoffs over its rounds
	// in the horizon and the runs (NaN when no round invited anyone).
	P10, P50, P90 float64
	N             int // observations (rounds × runs that invited someone)
	Rounds        int // rounds of the family in the schedule
	Runs          int
	// PInvited is the candidate's probability of an invitation within the
	// horizon, with its 95% Monte Carlo interval.
	PInvited, PLo, PHi float64
}

// WriteWhatIfCSV writes whatif.csv: sweep, value, unit, family, p10, p50,
// p90 (CRS points; empty when no round of the family invited anyone),
// observations, rounds, runs, p_invited and its 95% interval
// p_invited_lo95, p_invited_hi95 (4 decimals; empty without a candidate).
func WriteWhatIfCSV(w io.Writer, rows []WhatIfRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"sweep", "value", "unit", "family", "p10", "p50", "p90", "observations", "rounds", "runs",
		"p_invited", "p_invited_lo95", "p_invited_hi95"})
	for _, r := range rows {
		cw.Write([]string{r.Sweep, strconv.FormatFloat(r.Value, 'f', -1, 64), r.Unit, r.Family,
			formatCutoff(r.P10), formatCutoff(r.P50), formatCutoff(r.P90),
			strconv.Itoa(r.N), strconv.Itoa(r.Rounds), strconv.Itoa(r.Runs),
			formatP(r.PInvited), formatP(r.PLo), formatP(r.PHi)})
	}
	cw.Flush()
	return cw.Error()
}

// formatCutoff prints a cutoff quantile as it is (empirical quantiles are
// observed, whole cutoffs), "" for NaN.
func formatCutoff(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// WhatIfSweeps returns the sweeps of rows in order of first appearance.
func WhatIfSweeps(rows []WhatIfRow) []string {
	var out []string
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1] != r.Sweep {
			out = append(out, r.Sweep)
		}
	}
	return out
}

// WhatIfFileName is the chart file of a sweep: "whatif-<sweep>.png", lower
// case, characters other than a-z, 0-9 and "-" replaced by "-"
// ("draw-size cec" gives "whatif-draw-size-cec.png").
func WhatIfFileName(sweep string) string {
	return "whatif-" + strings.TrimPrefix(FanFileName(sweep), "fan-")
}

// nomineeCutoff separates nominee rounds from the rest in the charts: a
// provincial nomination is worth 600 points (IRCC, "Comprehensive Ranking
// System (CRS) criteria", section D), so PNP cutoffs sit above it and
// would flatten every other curve.
const nomineeCutoff = 600

// WhatIfChart draws the response curves of one sweep: for each family,
// the median projected cutoff against the swept value as a line with
// points, with the p10-p90 band shaded in the family's colour. Families
// whose median cutoffs are all above 600 (PNP) are left out of the chart
// and named in the legend (their numbers are in the CSV). When the rows
// carry a candidate's odds, a lower panel shows them with their 95% band.
// It returns nil when the sweep has no row with a cutoff below 600.
func WhatIfChart(rows []WhatIfRow, sweep, candidate string) *Layout {
	var fams []string
	by := map[string][]WhatIfRow{}
	var odds []WhatIfRow
	for _, r := range rows {
		if r.Sweep != sweep {
			continue
		}
		if _, ok := by[r.Family]; !ok {
			fams = append(fams, r.Family)
		}
		by[r.Family] = append(by[r.Family], r)
		if !math.IsNaN(r.PInvited) && (len(odds) == 0 || odds[len(odds)-1].Value != r.Value) {
			odds = append(odds, r)
		}
	}
	unit := ""
	runs := 0
	p := NewPlot("", "", "Projected CRS cutoff (points)")
	p.X.Tick.Marker = commaTicks{}
	p.Add(plotter.NewGrid())
	leg := NewLegend()
	leg.Add("Median cutoff")
	leg.Add("(band: p10-p90)")
	var above []string
	drawn := 0
	for _, f := range fams {
		rs := by[f]
		var mid, lo, hi plotter.XYs
		high := true
		for _, r := range rs {
			unit, runs = r.Unit, r.Runs
			if math.IsNaN(r.P50) {
				continue
			}
			high = high && r.P50 > nomineeCutoff
			mid = append(mid, plotter.XY{X: r.Value, Y: r.P50})
			lo = append(lo, plotter.XY{X: r.Value, Y: r.P10})
			hi = append(hi, plotter.XY{X: r.Value, Y: r.P90})
		}
		if len(mid) == 0 {
			continue
		}
		if high {
			above = append(above, f)
			continue
		}
		col := FamilyColor(f)
		if band := bandPolygon(lo, hi); band != nil {
			band.Color = withAlpha(col, 0.2)
			band.LineStyle.Width = 0
			p.Add(band)
		}
		line, pts, err := plotter.NewLinePoints(mid)
		if err != nil {
			panic(fmt.Sprintf("reports: what-if median: %v", err)) // NaN medians were left out
		}
		line.Color, line.Width = col, vg.Points(2)
		pts.Color, pts.Shape, pts.Radius = col, draw.CircleGlyph{}, vg.Points(3)
		p.Add(line, pts)
		leg.Add(f, line, pts)
		drawn++
	}
	if drawn == 0 {
		return nil
	}
	if len(above) > 0 {
		leg.Add("")
		leg.Add("Not drawn (cutoffs")
		leg.Add("above 600): " + strings.Join(above, ", "))
	}
	p.X.Label.Text = sweep + " (" + unit + ")"
	cells := []Cell{{Plot: p, X1: 1, Y1: 1}}
	alignX(p)
	if len(odds) > 0 {
		q := NewPlot("", sweep+" ("+unit+")", "P(invited in horizon) (%)")
		q.X.Tick.Marker = commaTicks{}
		q.Add(plotter.NewGrid())
		var mid, lo, hi plotter.XYs
		for _, r := range odds {
			mid = append(mid, plotter.XY{X: r.Value, Y: 100 * r.PInvited})
			lo = append(lo, plotter.XY{X: r.Value, Y: 100 * r.PLo})
			hi = append(hi, plotter.XY{X: r.Value, Y: 100 * r.PHi})
		}
		col := FamilyColor(FamGeneral)
		if band := bandPolygon(lo, hi); band != nil {
			band.Color = withAlpha(col, 0.2)
			band.LineStyle.Width = 0
			q.Add(band)
		}
		line, pts, _ := plotter.NewLinePoints(mid)
		line.Color, line.Width = col, vg.Points(2)
		pts.Color, pts.Shape, pts.Radius = col, draw.CircleGlyph{}, vg.Points(3)
		q.Add(line, pts)
		q.Y.Min, q.Y.Max = 0, 100
		leg.Add("")
		leg.Add("Candidate")
		leg.Add("P(invited)", line, pts)
		leg.Add("95% MC band", Swatch{Color: withAlpha(col, 0.2)})
		p.X.Label.Text = ""
		cells = []Cell{{Plot: p, Y0: 0.36, X1: 1, Y1: 1}, {Plot: q, X1: 1, Y1: 0.34}}
		alignX(p, q)
	}
	title := fmt.Sprintf("Projected cutoffs by %s (%d runs per point)", sweep, runs)
	if candidate != "" && len(odds) > 0 {
		title += "; odds for " + candidate
	}
	return &Layout{Title: title, Legend: leg, Cells: cells}
}

// bandPolygon is the area between lo and hi (same x values), or nil for
// fewer than two points.
func bandPolygon(lo, hi plotter.XYs) *plotter.Polygon {
	if len(lo) < 2 {
		return nil
	}
	ring := append(plotter.XYs{}, hi...)
	for i := len(lo) - 1; i >= 0; i-- {
		ring = append(ring, lo[i])
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil
	}
	return poly
}

// alignX gives plots the same x range.
func alignX(ps ...*plot.Plot) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		lo, hi = math.Min(lo, p.X.Min), math.Max(hi, p.X.Max)
	}
	pad := (hi - lo) * 0.03
	if pad == 0 {
		pad = 1
	}
	for _, p := range ps {
		p.X.Min, p.X.Max = lo-pad, hi+pad
	}
}
