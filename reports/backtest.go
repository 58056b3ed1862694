package reports

import (
	"fmt"
	"image/color"
	"math"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BacktestCharts adds one PNG per round family to fs, backtest-<family>.png:
// the real cutoffs, the predicted median, and the 80% interval shaded,
// over time, with DataLine(rounds) under the title. It returns the file
// names, sorted.
func BacktestCharts(rows []data.BacktestRow, mode string, rounds []data.Round, fs *data.FileSet) ([]string, error) {
	fams, by := data.ByFamily(rows)
	var names []string
	for _, f := range fams {
		p := backtestPlot(f, mode, by[f])
		name := "backtest-" + f + ".png"
		if err := AddPNG(fs, name, WithDataLine(p, rounds), Width, Height); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

func backtestPlot(fam, mode string, rows []data.BacktestRow) *Layout {
	p := NewPlot("", "Round date (UTC)", "CRS cutoff (points)")
	leg := NewLegend()
	var band, med, real plotter.XYs
	for _, r := range rows {
		x := TimeX(r.Date)
		real = append(real, plotter.XY{X: x, Y: float64(r.Real)})
		if !math.IsNaN(r.Predicted) {
			med = append(med, plotter.XY{X: x, Y: r.Predicted})
			band = append(band, plotter.XY{X: x, Y: r.Lo80})
		}
	}
	c := FamilyColor(fam)
	if len(med) > 0 {
		// The 80% interval as a polygon: lo forward, hi backward.
		poly := make(plotter.XYs, 0, 2*len(med))
		poly = append(poly, band...)
		for i := len(rows) - 1; i >= 0; i-- {
			if !math.IsNaN(rows[i].Predicted) {
				poly = append(poly, plotter.XY{X: TimeX(rows[i].Date), Y: rows[i].Hi80})
			}
		}
		if pg, err := plotter.NewPolygon(poly); err == nil {
			pg.Color = withAlpha(c, 60.0/255)
			pg.LineStyle.Width = 0
			p.Add(pg)
			leg.Add("80% interval", Swatch{Color: pg.Color})
		}
		if l, pts, err := plotter.NewLinePoints(med); err == nil {
			l.Color = c
			l.Width = vg.Points(1.5)
			pts.Color = c
			pts.Shape = draw.CircleGlyph{}
			pts.Radius = vg.Points(2.5)
			p.Add(l, pts)
			leg.Add("predicted (median)", l, pts)
		}
	}
	if sc, err := plotter.NewScatter(real); err == nil {
		sc.Color = color.Black
		sc.Shape = draw.CrossGlyph{}
		sc.Radius = vg.Points(4)
		p.Add(sc)
		leg.Add("real cutoff", sc)
	}
	// A little room above and below the interval.
	if pad := (p.Y.Max - p.Y.Min) * 0.04; pad > 0 {
		p.Y.Min -= pad
		p.Y.Max += pad
	}
	title := fmt.Sprintf("Backtest (%s): %s rounds, predicted vs real cutoff", mode, fam)
	return &Layout{Title: title, Cells: []Cell{{Plot: p, X0: 0, Y0: 0, X1: 1, Y1: 1}}, Legend: leg}
}
