package reports

import (
	"bytes"
	"math"
	"testing"
	"time"
)

func TestWriteOddsCSV(t *testing.T) {
	// A horizon from 2025-12-18: month 1 ends on 2025-12-31 (By is the
	// exclusive 2026-01-01), month 2 on 2026-01-31.
	pts := []OddsPoint{
		{Month: 1, By: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), P: 0.25, Lo: 0.1, Hi: 0.45, Invited: 5, Runs: 20},
		{Month: 2, By: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), P: 1, Lo: 0.8389, Hi: 1, Invited: 20, Runs: 20},
	}
	var b bytes.Buffer
	if err := WriteOddsCSV(&b, pts); err != nil {
		t.Fatal(err)
	}
	want := "month,by,p_invited_by,p_invited_by_lo95,p_invited_by_hi95,invited_runs,runs\n" +
		"1,2025-12-31,0.2500,0.1000,0.4500,5,20\n" +
		"2,2026-01-31,1.0000,0.8389,1.0000,20,20\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := WriteOddsSharesCSV(&b, []OddsShare{{"cec", true, 3, 0.75}, {"pnp", false, 0, math.NaN()}}); err != nil {
		t.Fatal(err)
	}
	if want := "family,eligible,invited_runs,share\ncec,true,3,0.7500\npnp,false,0,\n"; b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestOddsChartRenders(t *testing.T) {
	start := time.Date(2025, 12, 18, 0, 0, 0, 0, time.UTC)
	curve := []OddsPoint{{By: start.AddDate(0, 0, 12), P: 0.1, Lo: 0.03, Hi: 0.3}, {By: start.AddDate(0, 0, 40), P: 0.6, Lo: 0.4, Hi: 0.75}}
	months := []OddsPoint{{By: start.AddDate(0, 1, 0), P: 0.1, Runs: 20}, {By: start.AddDate(0, 2, 0), P: 0.6, Runs: 20}}
	var b bytes.Buffer
	if err := WritePNG(&b, OddsChart(curve, months, start, "test"), Width, Height); err != nil {
		t.Fatal(err)
	}
	checkChartPNG(t, "odds chart", &b)
}
