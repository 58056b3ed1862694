package reports

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// DPI is the resolution of every PNG chart. At 96 DPI one point is 4/3
// pixels, so the 11-16 pt fonts below are 15-21 px tall: readable at 100%.
const DPI = 96

// Px converts a size in pixels (at DPI) to a vg.Length.
func Px(n int) vg.Length { return vg.Length(n) * vg.Inch / DPI }

// The default chart size: 1400 x 800 px.
var (
	Width  = Px(1400)
	Height = Px(800)
)

// Font sizes of the charts, in points.
const (
	titleSize  = 16
	labelSize  = 13
	tickSize   = 12
	legendSize = 12
)

// chartFont is the typeface of every chart: a sans face reads better than
// gonum's default serif at screen resolution.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Figure is anything that draws itself on a canvas: a *plot.Plot, or a
// *Layout of several plots with a shared legend.
type Figure interface {
	Draw(c draw.Canvas)
}

// NewPlot returns a plot with eesim's chart style: a sans font of readable
// size, a light grid-free look, and a date x axis (values are Unix seconds,
// see TimeX) whose ticks fall on month starts and are labelled "2006-01".
// The legend is empty; charts with several plots put theirs in a Layout.
func NewPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(chartFont, titleSize)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(chartFont, labelSize)
		a.Tick.Label.Font = font.From(chartFont, tickSize)
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Tick.Marker = DateTicks{}
	p.Y.Tick.Marker = commaTicks{}
	p.Legend.TextStyle.Font = font.From(chartFont, legendSize)
	p.Legend.Top = true
	p.Legend.Left = true
	return p
}

// NewLegend returns an empty legend in the chart style, for a Layout.
func NewLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(chartFont, legendSize)
	l.Top = true
	l.Left = true
	l.Padding = vg.Points(3)
	l.ThumbnailWidth = vg.Points(18)
	return l
}

// TimeX is the x coordinate of t on a date axis: Unix seconds.
func TimeX(t time.Time) float64 { return float64(t.Unix()) }

// xTime is the inverse of TimeX.
func xTime(x float64) time.Time { return time.Unix(int64(math.Round(x)), 0).UTC() }

// DateTicks marks a date axis (Unix seconds) on month starts. The step is
// the smallest of 1, 2, 3, 6, 12, 24 months that gives at most 12 labels;
// labels use Format ("2006-01" when empty). Minor ticks mark each month,
// or each year when the step is longer than a year.
type DateTicks struct {
	Format string
}

// Ticks implements plot.Ticker.
func (d DateTicks) Ticks(min, max float64) []plot.Tick {
	format := d.Format
	if format == "" {
		format = "2006-01"
	}
	lo, hi := xTime(min), xTime(max)
	months := (hi.Year()-lo.Year())*12 + int(hi.Month()-lo.Month()) + 1
	step := 24
	for _, s := range []int{1, 2, 3, 6, 12, 24} {
		if months/s <= 12 {
			step = s
			break
		}
	}
	minor := 1
	if step > 12 {
		minor = 12
	}
	// Start at the first month start at or after lo that is a multiple of
	// minor months from January.
	t := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC)
	if t.Before(lo) {
		t = t.AddDate(0, 1, 0)
	}
	var ticks []plot.Tick
	for ; !t.After(hi); t = t.AddDate(0, 1, 0) {
		m := t.Year()*12 + int(t.Month()) - 1
		switch {
		case m%step == 0:
			ticks = append(ticks, plot.Tick{Value: TimeX(t), Label: t.Format(format)})
		case m%minor == 0:
			ticks = append(ticks, plot.Tick{Value: TimeX(t)})
		}
	}
	return ticks
}

// commaTicks labels about 5 to 10 round values (steps of 1, 2, 2.5 or 5
// times a power of ten) with thousands separators, with an unlabelled
// tick half way between.
type commaTicks struct{}

func (commaTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	raw := (max - min) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []plot.Tick
	half := step / 2
	for v := math.Ceil(min/half) * half; v <= max+half*1e-9; v += half {
		t := plot.Tick{Value: v}
		if k := v / step; math.Abs(k-math.Round(k)) < 1e-9 {
			if v == math.Trunc(v) {
				t.Label = Thousands(int(v))
			} else {
				t.Label = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// DataLine is the line that dates and sources a chart drawn from rounds:
// "Data: IRCC, Express Entry rounds of invitations to #388 of 2025-12-17".
// It is "" when there are none.
func DataLine(rounds []data.Round) string {
	if len(rounds) == 0 {
		return ""
	}
	last := rounds[0]
	for _, r := range rounds[1:] {
		if r.Instant.After(last.Instant) {
			last = r
		}
	}
	return fmt.Sprintf("Data: IRCC, Express Entry rounds of invitations to #%s of %s", last.Number, last.Date.Format(time.DateOnly))
}

// WithDataLine adds DataLine(rounds) to the title of f, a Layout, as its
// last line.
func WithDataLine(f Figure, rounds []data.Round) Figure {
	if l, ok := f.(*Layout); ok && l != nil {
		if line := DataLine(rounds); line != "" {
			l.Title += "\n" + line
		}
	}
	return f
}

// Thousands formats n with comma thousands separators: 27332 is "27,332".
func Thousands(n int) string { return data.Thousands(n) }

// WritePNG renders f as a w x h PNG at DPI to out.
func WritePNG(out io.Writer, f Figure, w, h vg.Length) error {
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	f.Draw(draw.New(c))
	if _, err := c.WriteTo(out); err != nil {
		return fmt.Errorf("encode png: %w", err)
	}
	return nil
}

// SavePNG renders f as a w x h PNG to path, atomically: a failed render
// leaves no file.
func SavePNG(f Figure, path string, w, h vg.Length) error {
	return data.WriteFileAtomic(path, func(out io.Writer) error { return WritePNG(out, f, w, h) })
}

// AddPNG renders f as a w x h PNG and stages it as name in fs.
func AddPNG(fs *data.FileSet, name string, f Figure, w, h vg.Length) error {
	return fs.Add(name, func(out io.Writer) error { return WritePNG(out, f, w, h) })
}

// Swatch is a legend thumbnail: a filled square, or a circle of Radius when
// Radius > 0.
type Swatch struct {
	Color  color.Color
	Radius vg.Length
}

// Thumbnail implements plot.Thumbnailer.
func (s Swatch) Thumbnail(c *draw.Canvas) {
	if s.Radius > 0 {
		c.DrawGlyph(draw.GlyphStyle{Color: s.Color, Radius: s.Radius, Shape: draw.CircleGlyph{}}, c.Center())
		return
	}
	r := c.Rectangle
	inset := (r.Max.Y - r.Min.Y) * 0.1
	c.FillPolygon(s.Color, []vg.Point{
		{X: r.Min.X, Y: r.Min.Y + inset}, {X: r.Max.X, Y: r.Min.Y + inset},
		{X: r.Max.X, Y: r.Max.Y - inset}, {X: r.Min.X, Y: r.Max.Y - inset},
	})
}

// Cell places a plot in a Layout: X0, Y0, X1, Y1 are fractions of the
// layout's plotting area, (0, 0) bottom left.
type Cell struct {
	Plot           *plot.Plot
	X0, Y0, X1, Y1 float64
}

// Layout is a figure of several plots and one legend column on the right.
// Plots in cells with the same X0 and X1 (a column) get their data areas
// aligned, so that stacked panels share their x positions.
type Layout struct {
	Title  string
	Cells  []Cell
	Legend plot.Legend // drawn in a column on the right; omitted when empty
}

// Draw implements Figure.
func (l *Layout) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	pad := vg.Points(8)
	c = draw.Crop(c, pad, -pad, pad, -pad)
	if l.Title != "" {
		sty := draw.TextStyle{Color: color.Black, Font: font.From(chartFont, titleSize),
			XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, l.Title)
		c.Max.Y -= sty.Rectangle(l.Title).Size().Y + vg.Points(8)
	}
	leg := l.Legend
	if r := leg.Rectangle(c); r.Max.X > r.Min.X {
		w := r.Max.X - r.Min.X + vg.Points(12)
		lc := c
		lc.Min.X = c.Max.X - w + vg.Points(12)
		lc.Max.Y -= vg.Points(24)
		leg.Top, leg.Left = true, true
		leg.Draw(lc)
		c.Max.X -= w
	}
	size := c.Max.Sub(c.Min)
	subs := make([]draw.Canvas, len(l.Cells))
	for i, cell := range l.Cells {
		s := c
		s.Min = vg.Point{X: c.Min.X + size.X*vg.Length(cell.X0), Y: c.Min.Y + size.Y*vg.Length(cell.Y0)}
		s.Max = vg.Point{X: c.Min.X + size.X*vg.Length(cell.X1), Y: c.Min.Y + size.Y*vg.Length(cell.Y1)}
		subs[i] = s
	}
	// Align the data areas of each column (after plot.Align).
	for i, ci := range l.Cells {
		var left, right vg.Length
		for j, cj := range l.Cells {
			if cj.X0 != ci.X0 || cj.X1 != ci.X1 {
				continue
			}
			dc := cj.Plot.DataCanvas(subs[j])
			left = max(left, dc.Min.X-subs[j].Min.X)
			right = max(right, subs[j].Max.X-dc.Max.X)
		}
		dc := ci.Plot.DataCanvas(subs[i])
		s := subs[i]
		s.Min.X += left - (dc.Min.X - subs[i].Min.X)
		s.Max.X -= right - (subs[i].Max.X - dc.Max.X)
		ci.Plot.Draw(s)
	}
}
