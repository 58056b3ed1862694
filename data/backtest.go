package data

import (
	"encoding/csv"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
)

// BacktestRow compares eesim's prediction of one real round with what
// happened. Missing values are NaN (numbers) or the zero time.
type BacktestRow struct {
	Number     string
	Date       time.Time
	Family     string
	Size       int
	Real       int
	Predicted  float64 // the forecast: the chosen method's (Method)
	Lo80, Hi80 float64 // its 80% interval
	RealTie    time.Time
	PredTie    time.Time // median simulated tie-break instant
	BaseLast   float64   // the last cutoff of the same family
	BaseMean3  float64   // the mean of its last 3
	Note       string
	Method     string  // the forecaster chosen (sim.MethodModel, ...)
	Model      float64 // the pool model's forecast, chosen or not
}

// ByFamily groups rows by round family: the families, sorted, and the
// rows of each, in their order.
func ByFamily(rows []BacktestRow) ([]string, map[string][]BacktestRow) {
	by := map[string][]BacktestRow{}
	for _, r := range rows {
		by[r.Family] = append(by[r.Family], r)
	}
	return slices.Sorted(maps.Keys(by)), by
}

// BacktestHeader is the header of backtest.csv.
// The columns follow the data contract (docs/datasets.md): invitations is
// the count the real round issued, as in rounds.csv.
var BacktestHeader = []string{"draw_number", "draw_date", "family", "invitations", "real_cutoff", "predicted_cutoff",
	"lo80", "hi80", "real_tiebreak", "predicted_tiebreak", "baseline_last", "baseline_mean3", "note",
	"method", "model_cutoff"}

func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func fmtTime(t time.Time) string { return CSVTime(t) }

// WriteBacktestCSV writes rows as backtest.csv.
func WriteBacktestCSV(w io.Writer, rows []BacktestRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(BacktestHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Number, CSVDate(r.Date), r.Family, strconv.Itoa(r.Size), strconv.Itoa(r.Real),
			fmtNum(r.Predicted), fmtNum(r.Lo80), fmtNum(r.Hi80), fmtTime(r.RealTie), fmtTime(r.PredTie),
			fmtNum(r.BaseLast), fmtNum(r.BaseMean3), r.Note, r.Method, fmtNum(r.Model)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
