package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// quantileRows is a small runs dataset with quantiles computed by hand.
//
// Round 0 ("general", size 3000), 10 runs, in scrambled run order. Cutoffs
// 500 470 490 480 510 460 520 -1 505 495: run 7 invited nobody, so 9
// values remain, sorted 460 470 480 490 495 500 505 510 520. The empirical
// p-quantile is the ceil(9p)-th smallest:
//
//	p5: ceil(0.45)=1 -> 460   p10: ceil(0.9)=1 -> 460   p25: ceil(2.25)=3 -> 480
//	p50: ceil(4.5)=5 -> 495   p75: ceil(6.75)=7 -> 505  p90: ceil(8.1)=9 -> 520
//	p95: ceil(8.55)=9 -> 520
//
// Tie-breaks, in days after 2026-01-01 (run 7 has none, nor has run 9):
// 8 values 1 2 3 5 8 13 21 34 (already sorted by run). The ceil(8p)-th:
//
//	p5: ceil(0.4)=1 -> 1   p10: ceil(0.8)=1 -> 1   p25: 2 -> 2   p50: 4 -> 5
//	p75: 6 -> 13           p90: ceil(7.2)=8 -> 34  p95: ceil(7.6)=8 -> 34
//
// Round 1 ("cec", size 1500): 3 runs, nobody invited in any.
func quantileRows() []data.RunRow {
	day0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	inst0 := time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)
	cut := []int32{500, 470, 490, 480, 510, 460, 520, -1, 505, 495}
	tie := []int{1, 2, 3, 5, 8, 13, 21, -1, 34, -1}
	var rows []data.RunRow
	for _, run := range []int{4, 9, 0, 7, 2, 1, 8, 3, 6, 5} {
		r := data.RunRow{Run: int32(run), Round: 0, Instant: inst0, Family: "general", Size: 3000, Cutoff: cut[run]}
		if run == 0 {
			// Only the lowest run's instant and size count.
			r.Size = 3000
		} else {
			r.Size = 2999
			r.Instant = inst0.Add(time.Hour)
		}
		if tie[run] >= 0 {
			r.TieBreak = day0.AddDate(0, 0, tie[run])
		}
		rows = append(rows, r)
	}
	for run := range 3 {
		rows = append(rows, data.RunRow{Run: int32(run), Round: 1, Instant: inst0.AddDate(0, 0, 14),
			Family: "cec", Size: 1500, Cutoff: -1})
	}
	return rows
}

func TestQuantiles(t *testing.T) {
	q := Quantiles(quantileRows())
	if len(q) != 2 {
		t.Fatalf("%d rounds, want 2", len(q))
	}
	r0 := q[0]
	if r0.Round != 0 || r0.Family != "general" || r0.Size != 3000 || r0.Runs != 10 || r0.NoCutoff != 1 ||
		!r0.Instant.Equal(time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("round 0 header: %+v", r0)
	}
	wantCut := [7]float64{460, 460, 480, 495, 505, 520, 520}
	if r0.Cutoff != wantCut {
		t.Errorf("round 0 cutoffs %v, want %v", r0.Cutoff, wantCut)
	}
	day0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, d := range []int{1, 1, 2, 5, 13, 34, 34} {
		if want := day0.AddDate(0, 0, d); !r0.TieBreak[i].Equal(want) {
			t.Errorf("round 0 tie-break %s = %s, want %s", QuantileNames[i], r0.TieBreak[i], want)
		}
	}
	r1 := q[1]
	if r1.Round != 1 || r1.Runs != 3 || r1.NoCutoff != 3 || !math.IsNaN(r1.Cutoff[Q50]) || !r1.TieBreak[Q50].IsZero() {
		t.Errorf("round 1: %+v", r1)
	}
}

func TestWriteQuantilesCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteQuantilesCSV(&buf, Quantiles(quantileRows())); err != nil {
		t.Fatal(err)
	}
	// The values of TestQuantiles; tie-break days 1 2 5 13 34 after
	// 2026-01-01 are 01-02, 01-03, 01-06, 01-14, 02-04.
	want := "round,instant,family,size,runs,no_cutoff_runs,p5,p10,p25,p50,p75,p90,p95," +
		"tiebreak_p5,tiebreak_p10,tiebreak_p25,tiebreak_p50,tiebreak_p75,tiebreak_p90,tiebreak_p95,new_family\n" +
		"0,2026-03-04T15:00:00,general,3000,10,1,460,460,480,495,505,520,520," +
		"2026-01-02T00:00:00,2026-01-02T00:00:00,2026-01-03T00:00:00,2026-01-06T00:00:00," +
		"2026-01-14T00:00:00,2026-02-04T00:00:00,2026-02-04T00:00:00,false\n" +
		"1,2026-03-18T15:00:00,cec,1500,3,3,,,,,,,,,,,,,,,false\n"
	if got := buf.String(); got != want {
		t.Errorf("csv:\n%s\nwant:\n%s", got, want)
	}
}

func TestQuantilesDoesNotReorderRows(t *testing.T) {
	rows := quantileRows()
	before := append([]data.RunRow(nil), rows...)
	Quantiles(rows)
	for i := range rows {
		if rows[i] != before[i] {
			t.Fatalf("row %d changed", i)
		}
	}
}

// TestQuantilesByMonth groups by family and month, worked by hand: run 0
// has CEC rounds on January 5 (cutoff 500) and 20 (510), run 1 one on
// January 10 (505), run 2 one on February 3 (520) and a French round on
// January 15 (400). January's CEC cutoffs sorted are 500 505 510: the
// median is the ceil(1.5) = 2nd, 505; its instants' median is January 10;
// two runs had a CEC round that month.
func TestQuantilesByMonth(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 14, 0, 0, 0, time.UTC) }
	rows := []data.RunRow{
		{Run: 0, Round: 0, Instant: day(1, 5), Family: "cec", Size: 3000, Cutoff: 500},
		{Run: 0, Round: 1, Instant: day(1, 20), Family: "cec", Size: 1000, Cutoff: 510},
		{Run: 1, Round: 0, Instant: day(1, 10), Family: "cec", Size: 2000, Cutoff: 505},
		{Run: 2, Round: 0, Instant: day(1, 15), Family: "french", Size: 4000, Cutoff: 400},
		{Run: 2, Round: 1, Instant: day(2, 3), Family: "cec", Size: 3000, Cutoff: 520},
	}
	q := QuantilesByMonth(rows)
	type want struct {
		fam       string
		at        time.Time
		size, run int
		p50       float64
	}
	wants := []want{{"cec", day(1, 10), 2000, 2, 505}, {"french", day(1, 15), 4000, 1, 400}, {"cec", day(2, 3), 3000, 1, 520}}
	if len(q) != len(wants) {
		t.Fatalf("%d groups, want %d: %+v", len(q), len(wants), q)
	}
	for i, w := range wants {
		g := q[i]
		// OfRuns: the dataset holds runs 0, 1 and 2.
		if g.Round != i || !g.ByMonth || g.Family != w.fam || !g.Instant.Equal(w.at) || g.Size != w.size || g.Runs != w.run || g.OfRuns != 3 || g.Cutoff[Q50] != w.p50 {
			t.Errorf("group %d: %+v, want %+v", i, g, w)
		}
	}
	// In quantiles.csv a group's round is empty: it is no round index of
	// the runs (docs/datasets.md); the January CEC row, by hand.
	var buf bytes.Buffer
	if err := WriteQuantilesCSV(&buf, q); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if want := ",2026-01-10T14:00:00,cec,2000,2,0,500,500,500,505,510,510,510,"; !strings.HasPrefix(lines[1], want) {
		t.Errorf("row %q, want prefix %q", lines[1], want)
	}
}
