package reports

import (
	"bytes"
	"fmt"
	"io"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// WriteSVG renders f as a w x h SVG document to out: the same figure as
// WritePNG draws, as vector graphics for a web page. Fonts are not
// embedded: the text names the chart's typeface (Liberation Sans) and the
// browser substitutes a sans face when it lacks it.
func WriteSVG(out io.Writer, f Figure, w, h vg.Length) error {
	c := vgsvg.NewWith(vgsvg.UseWH(w, h))
	f.Draw(draw.New(c))
	if _, err := c.WriteTo(out); err != nil {
		return fmt.Errorf("encode svg: %w", err)
	}
	return nil
}

// InlineSVG renders f as an <svg> element to embed in an HTML document:
// WriteSVG without the XML declaration and the generator comment.
func InlineSVG(f Figure, w, h vg.Length) ([]byte, error) {
	var b bytes.Buffer
	if err := WriteSVG(&b, f, w, h); err != nil {
		return nil, err
	}
	s := b.Bytes()
	if i := bytes.Index(s, []byte("<svg")); i >= 0 {
		s = s[i:]
	}
	return s, nil
}
