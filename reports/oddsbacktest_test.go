package reports

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

func TestWriteOddsBacktestCSV(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	rows := []data.OddsBacktestRow{
		{Start: day("2025-01-01"), Month: 1, By: day("2025-02-01"), Family: "french", Programs: data.FSW, Categories: []string{"french"},
			Score: 410, Offset: -5, Relative: true, Anchor: 415, Submitted: day("2024-12-02"), P: 0.25, RunsInvited: 50, Runs: 200,
			Naive: 0, Invited: true, InvitedAt: time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC)},
		{Start: day("2025-01-01"), Month: 2, By: day("2025-03-01"), Family: "pnp", Programs: data.FSW, Nominated: true,
			Score: 700, Anchor: -1, Submitted: day("2024-03-07"), Runs: 200, Decided: true, Naive: 1},
	}
	var b bytes.Buffer
	if err := WriteOddsBacktestCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	// by is the last day counted: the day before the exclusive By.
	want := "start,month,by,family,programs,categories,nominated,score,score_offset,anchor_cutoff,submitted,p," +
		"invited_runs,runs,decided,naive,invited,invited_at\n" +
		"2025-01-01,1,2025-01-31,french,FSW,french,false,410,-5,415,2024-12-02T00:00:00,0.25,50,200,false,0,1,2025-01-20T14:00:00\n" +
		"2025-01-01,2,2025-02-28,pnp,FSW,,true,700,,,2024-03-07T00:00:00,0,0,200,true,1,0,\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestReliabilityCSVAndChart(t *testing.T) {
	nan := math.NaN()
	eesim := []data.ReliabilityBin{{Lo: 0, Hi: 0.5, N: 30, MeanP: 0.1, Observed: 0.2}, {Lo: 0.5, Hi: 1, N: 10, MeanP: 0.9, Observed: 0.7}}
	naive := []data.ReliabilityBin{{Lo: 0, Hi: 0.5, N: 20, MeanP: 0, Observed: 0.3}, {Lo: 0.5, Hi: 1, N: 0, MeanP: nan, Observed: nan}}
	var b bytes.Buffer
	if err := WriteReliabilityCSV(&b, []string{"eesim", "naive"}, [][]data.ReliabilityBin{eesim, naive}); err != nil {
		t.Fatal(err)
	}
	want := "forecast,bin_lo,bin_hi,n,mean_predicted,observed\n" +
		"eesim,0.0000,0.5000,30,0.1000,0.2000\neesim,0.5000,1.0000,10,0.9000,0.7000\n" +
		"naive,0.0000,0.5000,20,0.0000,0.3000\nnaive,0.5000,1.0000,0,,\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	fig := ReliabilityChart(eesim, naive, ReliabilityInfo{FirstStart: day("2024-01-01"), LastStart: day("2025-11-01"),
		RecordEnd: day("2025-12-17"), Source: "IRCC rounds feed (embedded)"})
	var png bytes.Buffer
	if err := WritePNG(&png, fig, Width, Height); err != nil {
		t.Fatal(err)
	}
	checkChartPNG(t, "reliability.png", &png)
}
