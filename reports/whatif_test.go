package reports

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

func whatIfRows(odds bool) []WhatIfRow {
	p := func(v float64) float64 {
		if odds {
			return v
		}
		return math.NaN()
	}
	u := "invitations per cec round"
	return []WhatIfRow{
		{"draw-size cec", u, 1000, "cec", 520, 527, 531, 40, 4, 10, p(0.1), p(0.02), p(0.4)},
		{"draw-size cec", u, 1000, "pnp", 700, 720, 760, 30, 3, 10, p(0.1), p(0.02), p(0.4)},
		{"draw-size cec", u, 3000, "cec", 500, 505, 510, 40, 4, 10, p(0.9), p(0.6), p(0.98)},
		{"draw-size cec", u, 3000, "pnp", 701, 721, 761, 30, 3, 10, p(0.9), p(0.6), p(0.98)},
		{"mix", "share", 0, "stem", math.NaN(), math.NaN(), math.NaN(), 0, 2, 10, p(0.5), p(0.2), p(0.8)},
	}
}

func TestWriteWhatIfCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteWhatIfCSV(&b, whatIfRows(true)[:1]); err != nil {
		t.Fatal(err)
	}
	want := "sweep,value,unit,family,p10,p50,p90,observations,rounds,runs,p_invited,p_invited_lo95,p_invited_hi95\n" +
		"draw-size cec,1000,invitations per cec round,cec,520,527,531,40,4,10,0.1000,0.0200,0.4000\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	WriteWhatIfCSV(&b, whatIfRows(false)[4:])
	if want := "sweep,value,unit,family,p10,p50,p90,observations,rounds,runs,p_invited,p_invited_lo95,p_invited_hi95\n" +
		"mix,0,share,stem,,,,0,2,10,,,\n"; b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWhatIfChart(t *testing.T) {
	if got := WhatIfSweeps(whatIfRows(false)); len(got) != 2 || got[0] != "draw-size cec" || got[1] != "mix" {
		t.Errorf("sweeps %v", got)
	}
	if got := WhatIfFileName("draw-size cec"); got != "whatif-draw-size-cec.png" {
		t.Errorf("file name %q", got)
	}
	// The mix sweep has no cutoff at all: no chart.
	if WhatIfChart(whatIfRows(false), "mix", "") != nil {
		t.Errorf("chart of a sweep without cutoffs")
	}
	for _, odds := range []bool{false, true} {
		fig := WhatIfChart(whatIfRows(odds), "draw-size cec", "a CRS of 510 in CEC")
		if fig == nil {
			t.Fatal("no chart")
		}
		if want := 1 + b2i(odds); len(fig.Cells) != want {
			t.Errorf("odds %v: %d panels, want %d", odds, len(fig.Cells), want)
		}
		var b bytes.Buffer
		if err := WritePNG(&b, fig, Width, Height); err != nil {
			t.Fatal(err)
		}
		checkChartPNG(t, fmt.Sprintf("what-if chart, odds %v", odds), &b)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
