package reports

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// OddsBacktestHeader is the header of odds-backtest.csv.
var OddsBacktestHeader = []string{"start", "month", "by", "family", "programs", "categories", "nominated", "score",
	"score_offset", "anchor_cutoff", "submitted", "p", "invited_runs", "runs", "decided", "naive", "invited", "invited_at"}

// WriteOddsBacktestCSV writes rows as odds-backtest.csv: one row per
// candidate, start and month, with the columns of docs/datasets.md. Dates
// are YYYY-MM-DD; by is the last day counted (rounds on or before it, UTC:
// the day before the exclusive data.OddsBacktestRow.By), as in odds.csv;
// instants are data.CSVTime (UTC). nominated and decided are true/false;
// naive and invited are the numbers 0 or 1 (a forecast and its outcome, so
// that a Brier score is mean((p - invited)^2)). score_offset is empty for
// a candidate given an absolute score, anchor_cutoff (the family's last
// cutoff before the start) when the family had none, invited_at when the
// record did not invite the candidate by then.
func WriteOddsBacktestCSV(w io.Writer, rows []data.OddsBacktestRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(OddsBacktestHeader); err != nil {
		return err
	}
	b01 := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	for _, r := range rows {
		off, anchor, invAt := "", "", ""
		if r.Relative {
			off = strconv.Itoa(r.Offset)
		}
		if r.Anchor >= 0 {
			anchor = strconv.Itoa(r.Anchor)
		}
		if !r.InvitedAt.IsZero() {
			invAt = data.CSVTime(r.InvitedAt)
		}
		rec := []string{data.CSVDate(r.Start), strconv.Itoa(r.Month), data.CSVDate(r.By.AddDate(0, 0, -1)), r.Family,
			r.Programs.String(), strings.Join(r.Categories, "+"), strconv.FormatBool(r.Nominated), strconv.Itoa(r.Score), off, anchor,
			data.CSVTime(r.Submitted), strconv.FormatFloat(r.P, 'f', -1, 64), strconv.Itoa(r.RunsInvited),
			strconv.Itoa(r.Runs), strconv.FormatBool(r.Decided), strconv.FormatFloat(r.Naive, 'f', -1, 64), b01(r.Invited), invAt}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReliabilityHeader is the header of reliability.csv.
var ReliabilityHeader = []string{"forecast", "bin_lo", "bin_hi", "n", "mean_predicted", "observed"}

// WriteReliabilityCSV writes the reliability tables of the named
// forecasts (e.g. "eesim" and "naive"), in order, as reliability.csv;
// empty bins have empty means.
func WriteReliabilityCSV(w io.Writer, names []string, tables [][]data.ReliabilityBin) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ReliabilityHeader); err != nil {
		return err
	}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
	for i, bins := range tables {
		for _, b := range bins {
			rec := []string{names[i], num(b.Lo), num(b.Hi), strconv.Itoa(b.N), num(b.MeanP), num(b.Observed)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReliabilityInfo labels a reliability diagram.
type ReliabilityInfo struct {
	FirstStart, LastStart time.Time // the forecasts' starts
	RecordEnd             time.Time // months are scored up to here
	Source                string    // e.g. "IRCC rounds feed (embedded)"
}

// Colour-blind-safe colours (Okabe and Ito, "Color Universal Design",
// 2008): blue for eesim, vermillion for the naive rule.
var (
	colEesim = color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xff}
	colNaive = color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xff}
)

// ReliabilityChart draws the reliability diagram of eesim's forecasts
// against the naive rule's: mean predicted probability against observed
// frequency per bin, with the diagonal of perfect reliability (top), and
// the number of forecasts per bin (bottom).
func ReliabilityChart(eesim, naive []data.ReliabilityBin, info ReliabilityInfo) *Layout {
	top := NewPlot("", "", "Observed frequency (share invited)")
	top.X.Tick.Marker = tenthTicks{}
	top.Y.Tick.Marker = tenthTicks{}
	top.X.Min, top.X.Max, top.Y.Min, top.Y.Max = 0, 1, 0, 1
	leg := NewLegend()

	diag, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	diag.Color = color.Gray{Y: 0x80}
	diag.Dashes = []vg.Length{vg.Points(5), vg.Points(4)}
	top.Add(diag)
	leg.Add("perfect reliability", diag)
	series := []struct {
		name  string
		bins  []data.ReliabilityBin
		col   color.Color
		shape draw.GlyphDrawer
		line  bool // join the bins: not for the naive rule, whose forecasts are only 0 or 1
	}{
		{"eesim (per bin)", eesim, colEesim, draw.CircleGlyph{}, true},
		{"naive rule (per bin)", naive, colNaive, draw.PyramidGlyph{}, false},
	}
	for _, s := range series {
		var xy plotter.XYs
		for _, b := range s.bins {
			if b.N > 0 {
				xy = append(xy, plotter.XY{X: b.MeanP, Y: b.Observed})
			}
		}
		if len(xy) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			continue
		}
		l.Color, l.Width = s.col, vg.Points(1.2)
		pts.Color, pts.Shape, pts.Radius = s.col, s.shape, vg.Points(5)
		if s.line {
			top.Add(l, pts)
			leg.Add(s.name, l, pts)
		} else {
			top.Add(pts)
			leg.Add(s.name, pts)
		}
	}

	bottom := NewPlot("", "Predicted probability of an invitation by start + m months (10 bins)", "Forecasts")
	bottom.X.Tick.Marker = tenthTicks{}
	bottom.X.Min, bottom.X.Max = 0, 1
	var labXY plotter.XYs
	var labs []string
	for i, s := range series {
		bars := &StackedBars{Colors: []color.Color{s.col}, Layers: [][]float64{nil}}
		for _, b := range s.bins {
			w := (b.Hi - b.Lo) / 2
			x0 := b.Lo + float64(i)*w
			bars.X0 = append(bars.X0, x0+0.1*w)
			bars.X1 = append(bars.X1, x0+0.9*w)
			bars.Layers[0] = append(bars.Layers[0], float64(b.N))
			if b.N > 0 {
				labXY = append(labXY, plotter.XY{X: x0 + w/2, Y: float64(b.N)})
				labs = append(labs, Thousands(b.N))
			}
		}
		bottom.Add(bars)
		leg.Add(strings.Replace(s.name, "(per bin)", "forecasts per bin", 1), Swatch{Color: s.col})
	}
	if lb, err := plotter.NewLabels(plotter.XYLabels{XYs: labXY, Labels: labs}); err == nil {
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font = font.From(chartFont, 10)
			lb.TextStyle[i].XAlign = draw.XCenter
			lb.TextStyle[i].YAlign = draw.YBottom
		}
		bottom.Add(lb)
	}
	if _, _, _, ymax := bottomRange(eesim, naive); ymax > 0 {
		bottom.Y.Min, bottom.Y.Max = 0, ymax*1.18 // room for the labels
	}

	title := fmt.Sprintf("Odds backtest: reliability of invitation probabilities, starts %s to %s, months scored to %s\n"+
		"Source: %s. Each forecast: one synthetic candidate, start and month.",
		info.FirstStart.Format("2006-01"), info.LastStart.Format("2006-01"), info.RecordEnd.Format(time.DateOnly), info.Source)
	return &Layout{Title: title, Legend: leg, Cells: []Cell{
		{Plot: top, X0: 0, Y0: 0.34, X1: 1, Y1: 1},
		{Plot: bottom, X0: 0, Y0: 0, X1: 1, Y1: 0.3},
	}}
}

func bottomRange(tables ...[]data.ReliabilityBin) (xmin, xmax, ymin, ymax float64) {
	for _, t := range tables {
		for _, b := range t {
			ymax = math.Max(ymax, float64(b.N))
		}
	}
	return 0, 1, 0, ymax
}

// tenthTicks labels a probability axis at 0, 0.1, ..., 1.
type tenthTicks struct{}

// Ticks implements plot.Ticker.
func (tenthTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for i := 0; i <= 10; i++ {
		v := float64(i) / 10
		if v >= min-1e-9 && v <= max+1e-9 {
			out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 1, 64)})
		}
	}
	return out
}
