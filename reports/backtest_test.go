package reports

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

func TestBacktestCharts(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	rows := []data.BacktestRow{
		{Number: "1", Date: day(1), Family: "cec", Real: 520, Predicted: 522, Lo80: 518, Hi80: 526},
		{Number: "2", Date: day(8), Family: "cec", Real: 515, Predicted: 514, Lo80: 510, Hi80: 519},
		{Number: "3", Date: day(9), Family: "pnp", Real: 740, Predicted: math.NaN(), Lo80: math.NaN(), Hi80: math.NaN()},
	}
	dir := t.TempDir()
	fs, err := data.NewFileSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	names, err := BacktestCharts(rows, "replay", nil, fs)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	// One chart per family, sorted; a family with no prediction still
	// shows its real cutoffs.
	if len(names) != 2 || names[0] != "backtest-cec.png" || names[1] != "backtest-pnp.png" {
		t.Fatalf("names %v", names)
	}
	for _, n := range names {
		checkChartFile(t, filepath.Join(dir, n))
	}
}
