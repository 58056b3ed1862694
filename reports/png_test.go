package reports

import (
	"image"
	_ "image/png" // for image.Decode
	"io"
	"os"
	"testing"
)

// checkPNG checks that r holds a PNG of w x h px that decodes. name labels
// it in failures.
func checkPNG(t *testing.T, name string, r io.Reader, w, h int) {
	t.Helper()
	img, format, err := image.Decode(r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if format != "png" {
		t.Errorf("%s: format %q, want png", name, format)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s: %dx%d px, want %dx%d", name, b.Dx(), b.Dy(), w, h)
	}
}

// checkChartPNG is checkPNG for the default chart size, 1400 x 800 px.
func checkChartPNG(t *testing.T, name string, r io.Reader) {
	t.Helper()
	checkPNG(t, name, r, 1400, 800)
}

// checkChartFile is checkChartPNG for the file at path.
func checkChartFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checkChartPNG(t, path, f)
}
