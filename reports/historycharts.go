package reports

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// pnpSplit is the CRS score above which a cutoff goes to the upper panel of
// the cutoffs chart: a provincial nomination adds 600 points (CRS criteria,
// section D), so PNP cutoffs sit at 600+ and the rest below.
const pnpSplit = 600

// cutoffFloor is the bottom of the lower panel of the cutoffs chart. Only a
// handful of rounds fall below it (FST rounds of 2017-18 at 199-288, CEC
// #176 at 75 on 2021-02-13); they are marked on the bottom edge instead of
// stretching the axis over scores where nothing else happens.
const cutoffFloor = 300

// bubbleRadius is the marker radius of a round of n invitations: the area
// is proportional to n (10 pt at 10,000), clamped to 2.5-14 pt.
func bubbleRadius(n int) vg.Length {
	r := 10 * math.Sqrt(float64(n)/10000)
	return vg.Points(math.Min(14, math.Max(2.5, r)))
}

// dateRange returns an x range covering times with a margin of days.
func dateRange(ts []time.Time, days int) (min, max float64) {
	min, max = math.Inf(1), math.Inf(-1)
	for _, t := range ts {
		min, max = math.Min(min, TimeX(t)), math.Max(max, TimeX(t))
	}
	m := float64(days * 86400)
	return min - m, max + m
}

// familyLegend adds a header and one swatch per family present.
func familyLegend(l *plot.Legend, header string, families []string) {
	l.Add(header)
	for _, f := range families {
		l.Add(f, Swatch{Color: FamilyColor(f)})
	}
}

// CutoffsChart plots each round's cutoff over time, coloured by display
// family, with marker area proportional to the invitations. Cutoffs above
// 600 (PNP rounds, and the first 2015 rounds when a job offer was worth
// 600 points) get their own upper panel, so that the 400-560 range where
// general, CEC and category rounds compete is not squeezed by them.
func CutoffsChart(rounds []data.Round) *Layout {
	var dates []time.Time
	present := map[string]bool{}
	high := false
	ymax := 0
	for _, r := range rounds {
		dates = append(dates, r.Date)
		present[DisplayFamily(r)] = true
		if r.Cutoff > pnpSplit {
			high = true
			ymax = max(ymax, r.Cutoff)
		}
	}
	xmin, xmax := dateRange(dates, 30)
	lower := NewPlot("", "Round date (UTC)", "CRS cutoff (points)")
	upper := NewPlot("", "", "CRS cutoff (points)")
	for _, f := range Families {
		if !present[f] {
			continue
		}
		b := &Bubbles{Color: FamilyColor(f)}
		for _, r := range rounds {
			if DisplayFamily(r) == f {
				b.X = append(b.X, TimeX(r.Date))
				b.Y = append(b.Y, float64(r.Cutoff))
				b.Radius = append(b.Radius, bubbleRadius(r.Invitations))
			}
		}
		lower.Add(b)
		upper.Add(&Bubbles{X: b.X, Y: b.Y, Radius: b.Radius, Color: b.Color})
		b.MarkBelow = true
	}
	for _, p := range []*plot.Plot{lower, upper} {
		p.X.Min, p.X.Max = xmin, xmax
		p.Add(plotter.NewGrid())
	}
	l := &Layout{
		Title:  "Express Entry round cutoffs by round family (marker area proportional to invitations)",
		Legend: NewLegend(),
	}
	var fams []string
	for _, f := range Families {
		if present[f] {
			fams = append(fams, f)
		}
	}
	familyLegend(&l.Legend, "Round family", fams)
	l.Legend.Add("")
	l.Legend.Add("Invitations")
	for _, n := range []int{1000, 3000, 7000} {
		l.Legend.Add(Thousands(n), Swatch{Color: color.Gray{Y: 0x80}, Radius: bubbleRadius(n)})
	}
	if !high {
		lower.Title.Text = "Cutoff of each round"
		l.Cells = []Cell{{Plot: lower, X0: 0, Y0: 0, X1: 1, Y1: 1}}
		return l
	}
	lower.Title.Text = fmt.Sprintf("Cutoffs %d-%d (rounds below %d marked ▼ on the bottom edge)", cutoffFloor, pnpSplit, cutoffFloor)
	lower.Y.Min, lower.Y.Max = cutoffFloor, pnpSplit
	upper.Title.Text = fmt.Sprintf("Cutoffs above %d: PNP rounds (a nomination adds 600 points) and the first 2015 rounds", pnpSplit)
	upper.Y.Min, upper.Y.Max = pnpSplit, math.Ceil(float64(ymax+10)/50)*50
	l.Cells = []Cell{
		{Plot: upper, X0: 0, Y0: 0.6, X1: 1, Y1: 1},
		{Plot: lower, X0: 0, Y0: 0, X1: 1, Y1: 0.58},
	}
	return l
}

// MonthlyChart plots the invitations of each month as bars stacked by
// display family.
func MonthlyChart(m Monthly) *Layout {
	p := NewPlot("", "Month of the round (UTC)", "Invitations per month")
	bars := &StackedBars{}
	for _, t := range m.Months {
		bars.X0 = append(bars.X0, TimeX(t.AddDate(0, 0, 3)))
		bars.X1 = append(bars.X1, TimeX(t.AddDate(0, 1, -3)))
	}
	for j, f := range m.Families {
		layer := make([]float64, len(m.Months))
		for i := range m.Months {
			layer[i] = float64(m.Invitations[i][j])
		}
		bars.Layers = append(bars.Layers, layer)
		bars.Colors = append(bars.Colors, FamilyColor(f))
	}
	p.Add(plotter.NewGrid(), bars)
	p.Y.Min = 0
	p.Y.Max *= 1.04 // headroom, so the tallest month does not touch the frame
	if n := len(m.Months); n > 0 {
		// A margin so that the first and last month starts get a tick.
		p.X.Min = TimeX(m.Months[0].AddDate(0, 0, -10))
		p.X.Max = TimeX(m.Months[n-1].AddDate(0, 1, 10))
	}
	l := &Layout{Title: "Invitations to apply per month, stacked by round family", Legend: NewLegend(),
		Cells: []Cell{{Plot: p, X1: 1, Y1: 1}}}
	// List the families top of the stack first, as they appear in the bars.
	l.Legend.Add("Round family")
	for j := len(m.Families) - 1; j >= 0; j-- {
		l.Legend.Add(m.Families[j], Swatch{Color: FamilyColor(m.Families[j])})
	}
	return l
}

// poolColors colour PoolGroups from high scores (dark red) to low (dark
// blue): ColorBrewer RdBu, 7 classes.
var poolColors = []color.Color{
	color.RGBA{0x67, 0x00, 0x1f, 0xff},
	color.RGBA{0xd6, 0x60, 0x4d, 0xff},
	color.RGBA{0xf4, 0xa5, 0x82, 0xff},
	color.RGBA{0x92, 0xc5, 0xde, 0xff},
	color.RGBA{0x43, 0x93, 0xc3, 0xff},
	color.RGBA{0x21, 0x66, 0xac, 0xff},
	color.RGBA{0x05, 0x30, 0x61, 0xff},
}

// PoolChart plots the published pool distribution over time: the upper
// panel stacks the bands (PoolGroups) to the pool size, the lower one draws
// each band as a line on a log scale, where the small top bands that decide
// cutoffs (601-1200, 501-600) can be read.
func PoolChart(snaps []data.Snapshot) *Layout {
	stack := NewPlot("Profiles in the pool by CRS band (stacked)", "", "Profiles")
	lines := NewPlot("Profiles per CRS band (log scale)", "Snapshot date (UTC)", "Profiles")
	lines.Y.Scale = plot.LogScale{}
	lines.Y.Tick.Marker = logTicks{}
	area := &StackedArea{}
	var dates []time.Time
	for _, s := range snaps {
		area.X = append(area.X, TimeX(s.Date))
		dates = append(dates, s.Date)
	}
	counts := make([][]int, len(snaps))
	for i := range snaps {
		counts[i] = GroupCounts(&snaps[i])
	}
	l := &Layout{Title: "Express Entry pool: published CRS distribution over time", Legend: NewLegend()}
	l.Legend.Add("CRS band")
	// Stack from the lowest band up, so that the chart reads like the score
	// scale; the legend lists the highest first, as stacked.
	for g := len(PoolGroups) - 1; g >= 0; g-- {
		layer := make([]float64, len(snaps))
		pts := make(plotter.XYs, 0, len(snaps))
		for i := range snaps {
			layer[i] = float64(counts[i][g])
			if counts[i][g] > 0 {
				pts = append(pts, plotter.XY{X: TimeX(snaps[i].Date), Y: layer[i]})
			}
		}
		area.Layers = append(area.Layers, layer)
		area.Colors = append(area.Colors, poolColors[g])
		if len(pts) > 0 {
			ln, err := plotter.NewLine(pts)
			if err == nil {
				ln.Color = poolColors[g]
				ln.Width = vg.Points(2.5)
				lines.Add(ln)
			}
		}
	}
	for _, g := range PoolGroups {
		l.Legend.Add(g.Label, Swatch{Color: poolColors[indexOfGroup(g.Label)]})
	}
	stack.Add(plotter.NewGrid(), area)
	stack.Y.Min = 0
	lines.Add(plotter.NewGrid())
	xmin, xmax := dateRange(dates, 10)
	for _, p := range []*plot.Plot{stack, lines} {
		p.X.Min, p.X.Max = xmin, xmax
	}
	l.Cells = []Cell{
		{Plot: stack, X0: 0, Y0: 0.5, X1: 1, Y1: 1},
		{Plot: lines, X0: 0, Y0: 0, X1: 1, Y1: 0.48},
	}
	return l
}

func indexOfGroup(label string) int {
	for i, g := range PoolGroups {
		if g.Label == label {
			return i
		}
	}
	return 0
}

// logTicks labels powers of ten (with thousands separators) and marks 2x
// and 5x between them.
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(math.Max(min, 1))); math.Pow(10, e) <= max*10; e++ {
		base := math.Pow(10, e)
		for _, m := range []float64{1, 2, 5} {
			v := base * m
			if v < min || v > max {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || max/min < 100 {
				t.Label = Thousands(int(v))
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// TieBreakChart plots the tie-break lags over time (left) and their
// distribution per display family as box plots (right: median, quartiles,
// whiskers to 1.5 IQR, outliers).
func TieBreakChart(lags []Lag) *Layout {
	scatter := NewPlot("Each round", "Round date (UTC)", "Round instant minus tie-break instant (days)")
	box := NewPlot("By family: median, quartiles, 1.5 IQR whiskers", "Lag (days)", "")
	box.X.Tick.Marker = commaTicks{}
	present := map[string]bool{}
	var dates []time.Time
	ymax := 0.0
	for _, g := range lags {
		present[g.Family] = true
		dates = append(dates, g.Date)
		ymax = math.Max(ymax, g.Days)
	}
	var fams []string
	for _, f := range Families {
		if present[f] {
			fams = append(fams, f)
		}
	}
	scatter.Add(plotter.NewGrid())
	box.Add(plotter.NewGrid())
	var names []string
	for i, f := range fams {
		var pts plotter.XYs
		var vals plotter.Values
		for _, g := range lags {
			if g.Family == f {
				pts = append(pts, plotter.XY{X: TimeX(g.Date), Y: g.Days})
				vals = append(vals, g.Days)
			}
		}
		sc, err := plotter.NewScatter(pts)
		if err == nil {
			sc.GlyphStyle = draw.GlyphStyle{Color: FamilyColor(f), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
			scatter.Add(sc)
		}
		// Families top to bottom in Families order.
		loc := float64(len(fams) - 1 - i)
		bp, err := plotter.NewBoxPlot(vg.Points(14), loc, vals)
		if err == nil {
			bp.Horizontal = true
			bp.FillColor = withAlpha(FamilyColor(f), 0.6)
			bp.GlyphStyle.Color = FamilyColor(f)
			box.Add(bp)
		}
		names = append([]string{fmt.Sprintf("%s (n=%d)", f, len(vals))}, names...)
	}
	box.NominalY(names...)
	xmin, xmax := dateRange(dates, 20)
	scatter.X.Min, scatter.X.Max = xmin, xmax
	top := math.Ceil(ymax/50)*50 + 10
	scatter.Y.Min, scatter.Y.Max = 0, top
	box.X.Min, box.X.Max = 0, top
	l := &Layout{Title: "Tie-break lag: how long before each round the last invited profile at the cutoff was submitted",
		Legend: NewLegend()}
	familyLegend(&l.Legend, "Round family", fams)
	l.Cells = []Cell{
		{Plot: scatter, X0: 0, Y0: 0, X1: 0.6, Y1: 1},
		{Plot: box, X0: 0.62, Y0: 0, X1: 1, Y1: 1},
	}
	return l
}
