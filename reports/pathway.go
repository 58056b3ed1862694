package reports

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Pathway charts and tables. The calculators (pathway/...) stay out of
// reports' imports: the command converts their timelines to these rows.

// Colours of the pathway charts.
var (
	pathwayLine      = color.RGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff}  // credited days
	pathwayProjected = color.RGBA{R: 0x7f, G: 0x9f, B: 0xcf, A: 0xff}  // projection
	pathwayThreshold = color.RGBA{R: 0xc0, G: 0x30, B: 0x20, A: 0xff}  // 730 / 1,095
	pathwayAbsent    = color.NRGBA{R: 0xf0, G: 0xb0, B: 0x40, A: 0xb0} // days abroad
	pathwayMark      = color.RGBA{R: 0x30, G: 0x30, B: 0x30, A: 0xff}
	pathwayReach     = color.RGBA{R: 0x2a, G: 0x9d, B: 0x5c, A: 0xff} // reachable by the deadline
)

// PresenceDay is one day of a presence timeline.
type PresenceDay struct {
	Date time.Time // midnight UTC
	// InCanada is true if the day counts as a day in Canada (for residency,
	// also days abroad under an exception); Excepted marks the latter.
	InCanada, Excepted bool
	// WindowStart and Credited are the window ending on Date and its
	// credited days (for citizenship: from the period start, in days, with
	// halves).
	WindowStart time.Time
	Credited    float64
	Complies    bool
	// Projected marks days after the assessment date (a projection).
	Projected bool
	// Reachable, when positive, is the most the window could still hold
	// by a deadline (residency before the 5th anniversary of landing:
	// Credited plus the days left); it is drawn as its own line.
	Reachable float64
}

// WritePresenceCSV writes a timeline as CSV with a header row: date,
// in_canada, excepted, window_start, credited, complies, projected,
// rule_source (the rules applied, on every row: a CSV has no other
// header). Days
// are calendar days, written YYYY-MM-DD.
func WritePresenceCSV(w io.Writer, source string, days []PresenceDay) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "in_canada", "excepted", "window_start", "credited", "complies", "projected", "rule_source"})
	for _, d := range days {
		cw.Write([]string{d.Date.UTC().Format(time.DateOnly), strconv.FormatBool(d.InCanada), strconv.FormatBool(d.Excepted),
			d.WindowStart.UTC().Format(time.DateOnly), strconv.FormatFloat(d.Credited, 'f', -1, 64),
			strconv.FormatBool(d.Complies), strconv.FormatBool(d.Projected), source})
	}
	cw.Flush()
	return cw.Error()
}

// CitizenshipDay is one day of the citizenship timeline
// (citizenship_credit.csv). Days are calendar days, written YYYY-MM-DD.
type CitizenshipDay struct {
	Date time.Time // midnight UTC
	// Kind is how the day itself counts: pr, pre-pr, crown-service,
	// abroad, sentence or none.
	Kind string
	// HasRunning marks the days of the assessed eligibility period;
	// Running is then the credit from its first day to Date.
	HasRunning bool
	Running    float64
	// WindowStart, WindowEnd and Window are the eligibility period of an
	// application signed on Date (the 5 years ending the day before) and
	// its credit; Meets is Window >= 1,095.
	WindowStart, WindowEnd time.Time
	Window                 float64
	Meets                  bool
	Projected              bool // after the assessed signing date
}

// WriteCitizenshipCSV writes the citizenship timeline with a header row:
// date, day, credited_running, window_start, window_end, credited_window,
// meets, projected, rule_source (the rules applied, on every row: a CSV
// has no other header). Dates are YYYY-MM-DD; credited_running is empty
// outside the assessed period.
func WriteCitizenshipCSV(w io.Writer, source string, days []CitizenshipDay) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "day", "credited_running", "window_start", "window_end", "credited_window", "meets", "projected", "rule_source"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, d := range days {
		run := ""
		if d.HasRunning {
			run = f(d.Running)
		}
		cw.Write([]string{d.Date.UTC().Format(time.DateOnly), d.Kind, run, d.WindowStart.UTC().Format(time.DateOnly),
			d.WindowEnd.UTC().Format(time.DateOnly), f(d.Window), strconv.FormatBool(d.Meets), strconv.FormatBool(d.Projected), source})
	}
	cw.Flush()
	return cw.Error()
}

// PresenceChart describes a pathway chart.
type PresenceChart struct {
	Title     string
	YLabel    string
	Threshold float64 // the horizontal requirement line (730 or 1,095)
	// ThresholdLabel names the line in the legend.
	ThresholdLabel string
	LineLabel      string
	ProjLabel      string
	ReachLabel     string // legend of the Reachable line, if any
	Days           []PresenceDay
	// Marks are labelled vertical lines (e.g. the assessment date).
	Marks []DateMark
}

// DateMark is a labelled date on a pathway chart.
type DateMark struct {
	Date  time.Time
	Label string
}

// Figure draws the chart: the credited days (solid), the projection
// (dashed), the requirement line, the days abroad as a band along the
// bottom, and the marks as thin vertical lines listed in the legend.
func (pc PresenceChart) Figure() (*Layout, error) {
	if len(pc.Days) == 0 {
		return nil, fmt.Errorf("presence chart: no days")
	}
	p := NewPlot("", "Date (UTC)", pc.YLabel)
	p.Add(plotter.NewGrid())
	var hist, proj plotter.XYs
	ymax := pc.Threshold
	for i, d := range pc.Days {
		pt := plotter.XY{X: TimeX(d.Date), Y: d.Credited}
		ymax = max(ymax, d.Credited, d.Reachable)
		if d.Projected {
			if len(proj) == 0 && i > 0 {
				proj = append(proj, hist[len(hist)-1])
			}
			proj = append(proj, pt)
		} else {
			hist = append(hist, pt)
		}
	}
	ymax = ymax*1.08 + 10
	p.Y.Min, p.Y.Max = 0, ymax
	x0, x1 := TimeX(pc.Days[0].Date), TimeX(pc.Days[len(pc.Days)-1].Date)
	p.X.Min, p.X.Max = x0, x1+86400

	leg := NewLegend()
	// Days abroad: a band along the bottom, 4% of the height.
	band := &StackedBars{Layers: [][]float64{{}}, Colors: []color.Color{pathwayAbsent}}
	band.X0, band.X1 = absenceRuns(pc.Days)
	for range band.X0 {
		band.Layers[0] = append(band.Layers[0], ymax*0.04)
	}
	if len(band.X0) > 0 {
		p.Add(band)
	}
	thr, err := plotter.NewLine(plotter.XYs{{X: x0, Y: pc.Threshold}, {X: x1 + 86400, Y: pc.Threshold}})
	if err != nil {
		return nil, err
	}
	thr.Color, thr.Width = pathwayThreshold, vg.Points(1.5)
	thr.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
	p.Add(thr)
	if len(hist) > 0 {
		l, err := plotter.NewLine(hist)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = pathwayLine, vg.Points(2)
		p.Add(l)
		leg.Add(pc.LineLabel, l)
	}
	if len(proj) > 0 {
		l, err := plotter.NewLine(proj)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = pathwayProjected, vg.Points(2)
		l.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(l)
		leg.Add(pc.ProjLabel, l)
	}
	var reach plotter.XYs
	for _, d := range pc.Days {
		if d.Reachable > 0 {
			reach = append(reach, plotter.XY{X: TimeX(d.Date), Y: d.Reachable})
		}
	}
	if len(reach) > 0 {
		l, err := plotter.NewLine(reach)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = pathwayReach, vg.Points(1.5)
		p.Add(l)
		leg.Add(pc.ReachLabel, l)
	}
	leg.Add(pc.ThresholdLabel, thr)
	if len(band.X0) > 0 {
		leg.Add("days outside Canada", Swatch{Color: pathwayAbsent})
	}
	for i, m := range pc.Marks {
		ml, err := plotter.NewLine(plotter.XYs{{X: TimeX(m.Date), Y: 0}, {X: TimeX(m.Date), Y: ymax}})
		if err != nil {
			return nil, err
		}
		ml.Color, ml.Width = pathwayMark, vg.Points(1)
		ml.Dashes = [][]vg.Length{{vg.Points(1), vg.Points(3)}, {vg.Points(8), vg.Points(3)}, {vg.Points(4), vg.Points(2), vg.Points(1), vg.Points(2)}}[i%3]
		p.Add(ml)
		leg.Add(m.Label+" "+m.Date.Format("2006-01-02"), ml)
	}
	return &Layout{Title: pc.Title, Legend: leg, Cells: []Cell{{Plot: p, X1: 1, Y1: 1}}}, nil
}

var _ plot.Thumbnailer = Swatch{}

// absenceRuns returns the runs of consecutive days abroad (not InCanada,
// not Projected) as x ranges [x0, x1) on a date axis: one bar per run.
func absenceRuns(days []PresenceDay) (x0, x1 []float64) {
	for i, d := range days {
		if d.InCanada || d.Projected {
			continue
		}
		x := TimeX(d.Date)
		if n := len(x1); n > 0 && i > 0 && !days[i-1].InCanada && !days[i-1].Projected {
			x1[n-1] = x + 86400
			continue
		}
		x0 = append(x0, x)
		x1 = append(x1, x+86400)
	}
	return x0, x1
}

// ProbabilityRow is one year of the PGP lottery odds.
type ProbabilityRow struct {
	Year                       int
	Conditional, Cumulative    float64
	SimFocal, SimSE, SimCohort float64
}

// WriteLotteryCSV writes the lottery odds by year with a header row; the
// last column, rule_source, names the rules applied on every row.
func WriteLotteryCSV(w io.Writer, source string, rows []ProbabilityRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"year", "conditional", "cumulative", "sim_focal", "sim_focal_se", "sim_cohort", "rule_source"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }
	for _, r := range rows {
		cw.Write([]string{strconv.Itoa(r.Year), f(r.Conditional), f(r.Cumulative), f(r.SimFocal), f(r.SimSE), f(r.SimCohort), source})
	}
	cw.Flush()
	return cw.Error()
}
