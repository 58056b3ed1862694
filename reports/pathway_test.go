package reports

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"
)

func pday(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWritePresenceCSV(t *testing.T) {
	days := []PresenceDay{
		{Date: pday("2024-02-28"), InCanada: true, WindowStart: pday("2019-03-01"), Credited: 730, Complies: true},
		{Date: pday("2024-02-29"), Excepted: true, InCanada: true, WindowStart: pday("2019-03-01"), Credited: 1094.5, Projected: true},
	}
	var b bytes.Buffer
	if err := WritePresenceCSV(&b, "IRPA s. 28", days); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"date", "in_canada", "excepted", "window_start", "credited", "complies", "projected", "rule_source"},
		{"2024-02-28", "true", "false", "2019-03-01", "730", "true", "false", "IRPA s. 28"},
		{"2024-02-29", "true", "true", "2019-03-01", "1094.5", "false", "true", "IRPA s. 28"},
	}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d col %d: %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
}

func TestWriteCitizenshipCSV(t *testing.T) {
	days := []CitizenshipDay{
		{Date: pday("2024-02-28"), Kind: "abroad", HasRunning: true, Running: 912.5, WindowStart: pday("2019-02-28"), WindowEnd: pday("2024-02-27"), Window: 1094.5},
		{Date: pday("2024-02-29"), Kind: "pr", WindowStart: pday("2019-03-01"), WindowEnd: pday("2024-02-28"), Window: 1095, Meets: true, Projected: true},
	}
	var b bytes.Buffer
	if err := WriteCitizenshipCSV(&b, "Act s. 5", days); err != nil {
		t.Fatal(err)
	}
	want := "date,day,credited_running,window_start,window_end,credited_window,meets,projected,rule_source\n" +
		"2024-02-28,abroad,912.5,2019-02-28,2024-02-27,1094.5,false,false,Act s. 5\n" +
		"2024-02-29,pr,,2019-03-01,2024-02-28,1095,true,true,Act s. 5\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestPresenceChart(t *testing.T) {
	// 10 days: abroad on days 3-5 and 8, then 3 projected days. The band
	// must hold two runs: [day 3, day 6) and [day 8, day 9).
	var days []PresenceDay
	start := pday("2024-01-01")
	credit := 0.0
	for i := range 13 {
		in := !(i >= 2 && i <= 4) && i != 7
		if in {
			credit++
		}
		days = append(days, PresenceDay{Date: start.AddDate(0, 0, i), InCanada: in, Credited: credit, Projected: i >= 10})
	}
	fig, err := PresenceChart{Title: "t", YLabel: "days", Threshold: 5, ThresholdLabel: "req", LineLabel: "credited", ProjLabel: "proj", Days: days,
		Marks: []DateMark{{Date: start.AddDate(0, 0, 9), Label: "assessed"}}}.Figure()
	if err != nil {
		t.Fatal(err)
	}
	x0, x1 := absenceRuns(days)
	if len(x0) != 2 || x0[0] != TimeX(start.AddDate(0, 0, 2)) || x1[0] != TimeX(start.AddDate(0, 0, 5)) ||
		x0[1] != TimeX(start.AddDate(0, 0, 7)) || x1[1] != TimeX(start.AddDate(0, 0, 8)) {
		t.Errorf("band runs %v %v, want days 3-5 and 8", x0, x1)
	}
	var b bytes.Buffer
	if err := WritePNG(&b, fig, Width, Height); err != nil {
		t.Fatal(err)
	}
	checkChartPNG(t, "presence chart", &b)
	if _, err := (PresenceChart{}).Figure(); err == nil {
		t.Error("empty chart: no error")
	}
}

func TestWriteLotteryCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteLotteryCSV(&b, "IRPR s. 117", []ProbabilityRow{{Year: 1, Conditional: 0.25, Cumulative: 0.25, SimFocal: 0.26, SimSE: 0.01, SimCohort: 0.25}}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "year,conditional,cumulative,sim_focal,sim_focal_se,sim_cohort,rule_source\n1,0.250000,0.250000,0.260000,0.010000,0.250000,IRPR s. 117\n" {
		t.Errorf("csv %q", got)
	}
}
