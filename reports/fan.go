package reports

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FanFileName returns the file name of the fan chart of a round family:
// "fan-<family>.png", with the family lower-cased and every character
// other than a-z, 0-9 and "-" replaced by "-" ("program:fsw+fst" gives
// "fan-program-fsw-fst.png").
func FanFileName(family string) string {
	b := []byte(strings.ToLower(family))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			b[i] = '-'
		}
	}
	return "fan-" + string(b) + ".png"
}

// FanFamilies returns the families of q in order of their first projected
// round.
func FanFamilies(q []RoundQuantiles) []string {
	seen := map[string]bool{}
	var fams []string
	for _, r := range q {
		if !seen[r.Family] {
			seen[r.Family] = true
			fams = append(fams, r.Family)
		}
	}
	return fams
}

// FanCharts stages one fan chart per round family of q in fs, named by
// FanFileName, and returns the names in FanFamilies order. Families whose
// projected rounds never invited anyone (every cutoff quantile NaN) get no
// chart. real is the rounds record; its rounds of the same family in the 12
// months before start are drawn as points for context.
func FanCharts(q []RoundQuantiles, real []data.Round, start time.Time, fs *data.FileSet) ([]string, error) {
	var names []string
	for _, fam := range FanFamilies(q) {
		fig := FanChart(q, real, fam, start)
		if fig == nil {
			continue
		}
		name := FanFileName(fam)
		if err := AddPNG(fs, name, fig, Width, Height); err != nil {
			return names, fmt.Errorf("fan chart %s: %w", fam, err)
		}
		names = append(names, name)
	}
	return names, nil
}

// FanChart draws the projected cutoffs of one family: the median across
// runs as a line with a marker per round, the 50% (p25-p75) and 90%
// (p5-p95) bands shaded in the family's colour, the real cutoffs of the
// family in the 12 months before start as grey points, and a dashed line
// at start. It returns nil when no projected round of the family has a
// cutoff.
func FanChart(q []RoundQuantiles, real []data.Round, family string, start time.Time) *Layout {
	d := newFanData(q, real, family, start)
	if d == nil {
		return nil
	}
	col := FamilyColor(family)
	p := NewPlot("", "Round date (UTC)", "CRS cutoff (points)")
	p.Add(plotter.NewGrid())
	leg := NewLegend()

	outerFill, innerFill := withAlpha(col, 0.18), withAlpha(col, 0.38)
	for _, b := range []struct {
		ring plotter.XYs
		fill color.Color
	}{{d.outer, outerFill}, {d.inner, innerFill}} {
		poly, err := plotter.NewPolygon(b.ring)
		if err != nil {
			panic(fmt.Sprintf("reports: fan band: %v", err)) // finite values: NaN rounds were left out
		}
		poly.Color = b.fill
		poly.LineStyle.Width = 0
		p.Add(poly)
	}

	line, pts, err := plotter.NewLinePoints(d.median)
	if err != nil {
		panic(fmt.Sprintf("reports: fan median: %v", err)) // finite values: NaN rounds were left out
	}
	line.Color, line.Width = col, vg.Points(2)
	pts.Color, pts.Shape, pts.Radius = col, draw.CircleGlyph{}, vg.Points(3)
	p.Add(line, pts)

	// Vertical dashed line at the start of the projection.
	startLine, _ := plotter.NewLine(plotter.XYs{{X: TimeX(start), Y: d.ymin}, {X: TimeX(start), Y: d.ymax}})
	startLine.Color = color.Gray{Y: 0x60}
	startLine.Width = vg.Points(1)
	startLine.Dashes = []vg.Length{vg.Points(5), vg.Points(4)}
	p.Add(startLine)

	leg.Add(fmt.Sprintf("Projected %s rounds", family))
	leg.Add("median", line, pts)
	leg.Add("50% predictive band", Swatch{Color: innerFill})
	leg.Add("(p25-p75)")
	leg.Add("90% predictive band", Swatch{Color: outerFill})
	leg.Add("(p5-p95)")
	if len(d.past) > 0 {
		sc, _ := plotter.NewScatter(d.past)
		sc.Color, sc.Shape, sc.Radius = color.Gray{Y: 0x30}, draw.CircleGlyph{}, vg.Points(3.5)
		p.Add(sc)
		leg.Add("")
		leg.Add("Real rounds")
		leg.Add("cutoffs in the 12", sc)
		leg.Add("months before start")
	}
	leg.Add("")
	leg.Add("projection start", startLine)

	p.X.Min, p.X.Max = d.xmin, d.xmax
	p.Y.Min, p.Y.Max = d.ymin, d.ymax
	title := fmt.Sprintf("Projected CRS cutoffs of %s rounds from %s (%d runs; bands include the model's measured error)",
		family, start.UTC().Format("2006-01-02"), d.runs)
	if d.newFamily {
		title = fmt.Sprintf("%s rounds from %s: NEW FAMILY, cutoffs from earlier categories' first rounds (%d runs)",
			family, start.UTC().Format("2006-01-02"), d.runs)
	}
	var before []data.Round
	for _, r := range real {
		if r.Instant.Before(start) {
			before = append(before, r)
		}
	}
	if line := DataLine(before); line != "" {
		title += "\n" + line
	}
	return &Layout{Title: title, Cells: []Cell{{Plot: p, X0: 0, Y0: 0, X1: 1, Y1: 1}}, Legend: leg}
}

// fanData is what a fan chart draws, in plot coordinates (x Unix seconds,
// y CRS points).
type fanData struct {
	median       plotter.XYs // p50 at each projected round
	outer, inner plotter.XYs // band outlines: upper quantile forward, lower back
	past         plotter.XYs // real cutoffs in the 12 months before start
	runs         int
	newFamily    bool // the family had no real round before start
	xmin, xmax   float64
	ymin, ymax   float64
}

// newFanData collects the data of the fan chart of family, nil when no
// projected round of the family has a cutoff.
func newFanData(q []RoundQuantiles, real []data.Round, family string, start time.Time) *fanData {
	var proj []RoundQuantiles
	d := &fanData{}
	for _, r := range q {
		if r.Family == family && !math.IsNaN(r.Cutoff[Q50]) {
			proj = append(proj, r)
			d.runs = max(d.runs, r.OfRuns)
			d.newFamily = d.newFamily || r.NewFamily
		}
	}
	if len(proj) == 0 {
		return nil
	}
	from := start.AddDate(-1, 0, 0)
	for i := range real {
		r := &real[i]
		t := r.Instant
		if t.IsZero() {
			t = r.Date
		}
		if r.Family() == family && !t.Before(from) && t.Before(start) {
			d.past = append(d.past, plotter.XY{X: TimeX(t), Y: float64(r.Cutoff)})
		}
	}
	for _, r := range proj {
		d.median = append(d.median, plotter.XY{X: TimeX(r.Instant), Y: r.Cutoff[Q50]})
	}
	d.outer = fanBand(proj, Q5, Q95)
	d.inner = fanBand(proj, Q25, Q75)

	// x from 12 months before start (two weeks when there is no real round
	// to show) to a week after the last projected round; y holding the 90%
	// band and the real cutoffs, padded by 10 points, on multiples of 10.
	d.xmin = TimeX(start.AddDate(0, 0, -14))
	if len(d.past) > 0 {
		d.xmin = TimeX(from)
	}
	d.xmax = TimeX(proj[len(proj)-1].Instant.AddDate(0, 0, 7))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range proj {
		lo, hi = math.Min(lo, r.Cutoff[Q5]), math.Max(hi, r.Cutoff[Q95])
	}
	for _, xy := range d.past {
		lo, hi = math.Min(lo, xy.Y), math.Max(hi, xy.Y)
	}
	d.ymin, d.ymax = math.Floor(lo/10)*10-10, math.Ceil(hi/10)*10+10
	return d
}

// fanBand returns the outline of the band between quantiles lo and hi of
// proj: the upper quantile forward in time, then the lower one back. A
// single round gets a band 2 days wide either side, so that it shows.
func fanBand(proj []RoundQuantiles, lo, hi int) plotter.XYs {
	type span struct{ x, lo, hi float64 }
	var sp []span
	for _, r := range proj {
		sp = append(sp, span{TimeX(r.Instant), r.Cutoff[lo], r.Cutoff[hi]})
	}
	if len(sp) == 1 {
		s := sp[0]
		sp = []span{{s.x - 2*86400, s.lo, s.hi}, {s.x + 2*86400, s.lo, s.hi}}
	}
	var ring plotter.XYs
	for _, s := range sp {
		ring = append(ring, plotter.XY{X: s.x, Y: s.hi})
	}
	for i := len(sp) - 1; i >= 0; i-- {
		ring = append(ring, plotter.XY{X: sp[i].x, Y: sp[i].lo})
	}
	return ring
}
