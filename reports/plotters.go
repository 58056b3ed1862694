package reports

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// StackedBars draws bars spanning [X0[i], X1[i]] stacked from 0, one layer
// per colour: a bar per month of stacked invitations, say.
type StackedBars struct {
	X0, X1 []float64
	Layers [][]float64 // [layer][bar]
	Colors []color.Color
}

// Plot implements plot.Plotter.
func (s *StackedBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for b := range s.X0 {
		base := 0.0
		for l, layer := range s.Layers {
			v := layer[b]
			if v == 0 {
				continue
			}
			x0, x1 := trX(s.X0[b]), trX(s.X1[b])
			y0, y1 := trY(base), trY(base+v)
			pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
			c.FillPolygon(s.Colors[l], c.ClipPolygonXY(pts))
			base += v
		}
	}
}

// DataRange implements plot.DataRanger.
func (s *StackedBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for b := range s.X0 {
		xmin = math.Min(xmin, s.X0[b])
		xmax = math.Max(xmax, s.X1[b])
		t := 0.0
		for _, layer := range s.Layers {
			t += layer[b]
		}
		ymax = math.Max(ymax, t)
	}
	return xmin, xmax, 0, ymax
}

// StackedArea draws layers stacked from 0 at the points X, each filled
// between its lower and upper boundary, the first layer at the bottom.
type StackedArea struct {
	X      []float64
	Layers [][]float64 // [layer][point]
	Colors []color.Color
}

// Plot implements plot.Plotter.
func (s *StackedArea) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	base := make([]float64, len(s.X))
	for l, layer := range s.Layers {
		pts := make([]vg.Point, 0, 2*len(s.X))
		for i, x := range s.X {
			pts = append(pts, vg.Point{X: trX(x), Y: trY(base[i] + layer[i])})
		}
		for i := len(s.X) - 1; i >= 0; i-- {
			pts = append(pts, vg.Point{X: trX(s.X[i]), Y: trY(base[i])})
		}
		c.FillPolygon(s.Colors[l], c.ClipPolygonXY(pts))
		for i := range base {
			base[i] += layer[i]
		}
	}
}

// DataRange implements plot.DataRanger.
func (s *StackedArea) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for i, x := range s.X {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		t := 0.0
		for _, layer := range s.Layers {
			t += layer[i]
		}
		ymax = math.Max(ymax, t)
	}
	return xmin, xmax, 0, ymax
}

// Bubbles draws filled circles of individual radii. Points outside the y
// axis range are not drawn, except that with MarkBelow a point below the
// minimum is written as "▼<y>" just above the bottom edge, so that an
// outlier stays visible without stretching the axis.
type Bubbles struct {
	X, Y      []float64
	Radius    []vg.Length
	Color     color.Color
	MarkBelow bool
}

// Plot implements plot.Plotter.
func (b *Bubbles) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	fill := withAlpha(b.Color, 0.45)
	ring := draw.GlyphStyle{Color: b.Color, Radius: 0, Shape: draw.RingGlyph{}}
	lab := draw.TextStyle{Color: b.Color, Font: font.From(chartFont, 11),
		XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
	for i := range b.X {
		x := trX(b.X[i])
		if b.Y[i] > p.Y.Max || b.Y[i] < p.Y.Min && !b.MarkBelow {
			continue
		}
		if b.Y[i] < p.Y.Min {
			c.FillText(lab, vg.Point{X: x, Y: c.Min.Y + vg.Points(2)}, "▼"+Thousands(int(b.Y[i])))
			continue
		}
		pt := vg.Point{X: x, Y: trY(b.Y[i])}
		c.DrawGlyph(draw.GlyphStyle{Color: fill, Radius: b.Radius[i], Shape: draw.CircleGlyph{}}, pt)
		ring.Radius = b.Radius[i]
		c.DrawGlyph(ring, pt)
	}
}

// DataRange implements plot.DataRanger.
func (b *Bubbles) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range b.X {
		xmin, xmax = math.Min(xmin, b.X[i]), math.Max(xmax, b.X[i])
		ymin, ymax = math.Min(ymin, b.Y[i]), math.Max(ymax, b.Y[i])
	}
	return
}
