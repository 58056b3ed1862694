package reports

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// OddsPoint is the probability of an invitation before By, estimated over
// Runs runs, with its 95% Monte Carlo interval [Lo, Hi].
type OddsPoint struct {
	Month   int       // for a calendar month end (odds.csv): the k-th month end after the start, from 1
	Months  float64   // months from the start to By (a month is 365.25/12 days)
	By      time.Time // exclusive: rounds before this instant count
	P       float64
	Lo, Hi  float64
	Invited int
	Runs    int
}

// OddsShare is the share of the invitations that came from one round
// family.
type OddsShare struct {
	Family   string
	Eligible bool // the candidate could be ranked in the family's rounds
	Count    int
	Share    float64 // NaN when no run invited
}

// monthDays is the length of a month in days: 365.25/12.
const monthDays = 365.25 / 12

// MonthsBetween returns the months from a to b, a month being 365.25/12
// days.
func MonthsBetween(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 / monthDays }

// WriteOddsCSV writes odds.csv, one row per calendar month end of the
// horizon (pts from sim.MonthEnds, By the first instant of the next
// month), with the columns of docs/datasets.md: month (Month, a whole
// number), by (the month's last day, YYYY-MM-DD: rounds on or before it,
// UTC, count), p_invited_by and its 95% interval p_invited_by_lo95,
// p_invited_by_hi95 (4 decimals), invited_runs, runs.
func WriteOddsCSV(w io.Writer, pts []OddsPoint) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"month", "by", "p_invited_by", "p_invited_by_lo95", "p_invited_by_hi95", "invited_runs", "runs"})
	for _, p := range pts {
		cw.Write([]string{strconv.Itoa(p.Month), data.CSVDate(p.By.AddDate(0, 0, -1)),
			formatP(p.P), formatP(p.Lo), formatP(p.Hi), strconv.Itoa(p.Invited), strconv.Itoa(p.Runs)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteOddsSharesCSV writes odds-families.csv: family, eligible,
// invited_runs (runs whose invitation came from the family), share (4
// decimals, empty when no run invited).
func WriteOddsSharesCSV(w io.Writer, sh []OddsShare) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"family", "eligible", "invited_runs", "share"})
	for _, s := range sh {
		cw.Write([]string{s.Family, strconv.FormatBool(s.Eligible), strconv.Itoa(s.Count), formatP(s.Share)})
	}
	cw.Flush()
	return cw.Error()
}

func formatP(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

// OddsChart draws the cumulative probability of an invitation against the
// date: curve is the probability just after each projected round (a step
// line from start, at 0), with its 95% Monte Carlo band shaded, and months
// the reporting dates, marked and labelled with their percentage. title
// describes the candidate.
func OddsChart(curve, months []OddsPoint, start time.Time, title string) *Layout {
	p := NewPlot("", "Date (UTC)", "Probability of an invitation by the date (%)")
	p.Add(plotter.NewGrid())
	col := FamilyColor(FamCEC)
	if len(curve) == 0 || !curve[0].By.Equal(start) {
		curve = append([]OddsPoint{{By: start}}, curve...)
	}
	var line, lo, hi plotter.XYs
	for i, c := range curve {
		x := TimeX(c.By)
		if i > 0 {
			// Steps: the probability holds until the next round.
			prev := curve[i-1]
			line = append(line, plotter.XY{X: x, Y: 100 * prev.P})
			lo = append(lo, plotter.XY{X: x, Y: 100 * prev.Lo})
			hi = append(hi, plotter.XY{X: x, Y: 100 * prev.Hi})
		}
		line = append(line, plotter.XY{X: x, Y: 100 * c.P})
		lo = append(lo, plotter.XY{X: x, Y: 100 * c.Lo})
		hi = append(hi, plotter.XY{X: x, Y: 100 * c.Hi})
	}
	end := start
	if n := len(months); n > 0 {
		end = months[n-1].By
	}
	if last := curve[len(curve)-1]; end.After(last.By) {
		line = append(line, plotter.XY{X: TimeX(end), Y: 100 * last.P})
		lo = append(lo, plotter.XY{X: TimeX(end), Y: 100 * last.Lo})
		hi = append(hi, plotter.XY{X: TimeX(end), Y: 100 * last.Hi})
	}
	ring := append(plotter.XYs{}, hi...)
	for i := len(lo) - 1; i >= 0; i-- {
		ring = append(ring, lo[i])
	}
	band := withAlpha(col, 0.25)
	leg := NewLegend()
	if poly, err := plotter.NewPolygon(nanFree(ring)); err == nil {
		poly.Color = band
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	l, err := plotter.NewLine(nanFree(line))
	if err != nil {
		panic(fmt.Sprintf("reports: odds curve: %v", err)) // nanFree leaves finite values only
	}
	l.Color, l.Width = col, vg.Points(2.5)
	p.Add(l)
	var marks plotter.XYs
	var labels []string
	for _, m := range months {
		if math.IsNaN(m.P) {
			continue
		}
		marks = append(marks, plotter.XY{X: TimeX(m.By), Y: 100 * m.P})
		labels = append(labels, fmt.Sprintf("%.0f%%", 100*m.P))
	}
	leg.Add("Invitation odds")
	leg.Add("P(invited by date)", l)
	leg.Add("95% Monte Carlo band of P", Swatch{Color: band})
	leg.Add("(P itself carries the model's error)")
	if len(marks) > 0 {
		sc, _ := plotter.NewScatter(marks)
		sc.Color, sc.Shape, sc.Radius = color.Black, draw.CircleGlyph{}, vg.Points(3.5)
		lb, _ := plotter.NewLabels(plotter.XYLabels{XYs: marks, Labels: labels})
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font = font.From(chartFont, tickSize)
			lb.TextStyle[i].XAlign = draw.XCenter
		}
		lb.Offset = vg.Point{Y: vg.Points(7)}
		p.Add(sc, lb)
		leg.Add("month points", sc)
	}
	p.Y.Min, p.Y.Max = 0, 108
	p.X.Min = TimeX(start.AddDate(0, 0, -7))
	p.X.Max = TimeX(end.AddDate(0, 0, 7))
	runs := 0
	if len(months) > 0 {
		runs = months[0].Runs
	}
	return &Layout{Title: fmt.Sprintf("%s (%d runs)", title, runs), Legend: leg,
		Cells: []Cell{{Plot: p, X1: 1, Y1: 1}}}
}

// nanFree drops points with a NaN coordinate.
func nanFree(xy plotter.XYs) plotter.XYs {
	out := xy[:0:0]
	for _, v := range xy {
		if !math.IsNaN(v.X) && !math.IsNaN(v.Y) {
			out = append(out, v)
		}
	}
	return out
}
