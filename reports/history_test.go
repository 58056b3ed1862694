package reports

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func instant(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// round builds a round for tests; family is a display family.
func round(num, date, family string, inv, cutoff int) data.Round {
	r := data.Round{Number: num, Date: day(date), Instant: day(date).Add(15 * time.Hour),
		Invitations: inv, Cutoff: cutoff}
	switch family {
	case FamGeneral:
		r.Type, r.Programs = data.General, data.AllPrograms
	case FamCEC:
		r.Type, r.Programs = data.Program, data.CEC
	case FamPNP:
		r.Type, r.Programs = data.Program, data.PNP
	case FamFSWFST:
		r.Type, r.Programs = data.Program, data.FST
	default:
		r.Type, r.Programs, r.Category = data.Category, data.Federal, family
	}
	return r
}

func TestDisplayFamily(t *testing.T) {
	for _, c := range []struct {
		name string
		r    data.Round
		want string
	}{
		{"general", data.Round{Type: data.General, Programs: data.AllPrograms}, FamGeneral},
		{"cec", data.Round{Type: data.Program, Programs: data.CEC}, FamCEC},
		{"pnp", data.Round{Type: data.Program, Programs: data.PNP}, FamPNP},
		{"fsw", data.Round{Type: data.Program, Programs: data.FSW}, FamFSWFST},
		{"fst", data.Round{Type: data.Program, Programs: data.FST}, FamFSWFST},
		{"cec+fsw", data.Round{Type: data.Program, Programs: data.CEC | data.FSW}, FamFSWFST},
		{"cec+pnp", data.Round{Type: data.Program, Programs: data.CEC | data.PNP}, FamGeneral},
		{"french", data.Round{Type: data.Category, Category: data.CatFrench}, FamFrench},
		{"healthcare", data.Round{Type: data.Category, Category: data.CatHealthcare}, FamHealthcare},
		{"trades", data.Round{Type: data.Category, Category: data.CatTrades}, FamTrades},
		{"stem", data.Round{Type: data.Category, Category: data.CatSTEM}, FamSTEM},
		{"education", data.Round{Type: data.Category, Category: data.CatEducation}, FamEducation},
		{"transport", data.Round{Type: data.Category, Category: data.CatTransport}, FamOther},
		{"agriculture", data.Round{Type: data.Category, Category: data.CatAgriculture}, FamOther},
		{"physicians", data.Round{Type: data.Category, Category: data.CatPhysicians}, FamOther},
		{"unknown new key", data.Round{Type: data.Category, Category: "arts_occupations"}, FamOther},
		{"no key: name", data.Round{Type: data.Category, Name: "Healthcare and social services occupations (Version 2)"}, FamHealthcare},
	} {
		if got := DisplayFamily(c.r); got != c.want {
			t.Errorf("%s: DisplayFamily = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestFamilyColor(t *testing.T) {
	// Display families and model families of the same group share a colour;
	// every display family has its own.
	for _, c := range [][2]string{{"cec", FamCEC}, {"fst", FamFSWFST}, {"program:fsw+fst", FamFSWFST},
		{"transport", FamOther}, {"french", FamFrench}, {"arts_occupations", FamOther}} {
		if FamilyColor(c[0]) != FamilyColor(c[1]) {
			t.Errorf("FamilyColor(%q) != FamilyColor(%q)", c[0], c[1])
		}
	}
	seen := map[any]string{}
	for _, f := range Families {
		c := FamilyColor(f)
		if prev, ok := seen[c]; ok {
			t.Errorf("%q and %q share a colour", prev, f)
		}
		seen[c] = f
	}
}

// sampleRounds spans 2023-11 to 2024-02 with an empty month (2023-12).
func sampleRounds() []data.Round {
	return []data.Round{
		round("1", "2023-11-01", FamGeneral, 4000, 500),
		round("2", "2023-11-02", FamFrench, 1000, 420),
		round("3", "2023-11-20", FamGeneral, 2500, 510),
		round("4", "2024-01-10", FamPNP, 700, 740),
		round("5", "2024-01-31", FamCEC, 3000, 520),
		round("6", "2024-02-01", FamFrench, 1500, 410),
		round("7", "2024-02-01", "transport", 975, 430),
	}
}

func TestMonthlyInvitations(t *testing.T) {
	m := MonthlyInvitations(sampleRounds())
	wantMonths := []time.Time{day("2023-11-01"), day("2023-12-01"), day("2024-01-01"), day("2024-02-01")}
	if !reflect.DeepEqual(m.Months, wantMonths) {
		t.Fatalf("Months = %v, want %v", m.Months, wantMonths)
	}
	wantFams := []string{FamGeneral, FamCEC, FamPNP, FamFrench, FamOther}
	if !reflect.DeepEqual(m.Families, wantFams) {
		t.Fatalf("Families = %v, want %v", m.Families, wantFams)
	}
	// By hand: 2023-11 general 4000+2500, French 1000; 2023-12 nothing;
	// 2024-01 PNP 700, CEC 3000; 2024-02 French 1500, transport 975.
	wantInv := [][]int{
		{6500, 0, 0, 1000, 0},
		{0, 0, 0, 0, 0},
		{0, 3000, 700, 0, 0},
		{0, 0, 0, 1500, 975},
	}
	if !reflect.DeepEqual(m.Invitations, wantInv) {
		t.Errorf("Invitations = %v, want %v", m.Invitations, wantInv)
	}
	if m.Rounds[0][0] != 2 || m.Rounds[3][4] != 1 || m.Rounds[1][0] != 0 {
		t.Errorf("Rounds = %v", m.Rounds)
	}
}

// TestMonthlyByFamily checks invitations-monthly.csv: one row per month
// and family key, with the display family as its label.
func TestMonthlyByFamily(t *testing.T) {
	rs := sampleRounds()
	// An FSW and an FST round in 2024-02: one display family ("FSW/FST"),
	// two keys, so two rows.
	fsw := round("8", "2024-02-14", FamFSWFST, 500, 470)
	fsw.Programs = data.FSW
	rs = append(rs, fsw, round("9", "2024-02-20", FamFSWFST, 250, 430))
	for i := range rs {
		if rs[i].Type == data.Category {
			rs[i].Category = strings.ToLower(rs[i].Category) // keys are lower case
		}
	}
	var buf bytes.Buffer
	if err := WriteMonthlyCSV(&buf, MonthlyByFamily(rs)); err != nil {
		t.Fatal(err)
	}
	// By hand: 2023-11 general 4000+2500 (2 rounds), french 1000;
	// 2023-12 nothing; 2024-01 CEC 3000, PNP 700; 2024-02 fsw 500, fst
	// 250, french 1500, transport 975. Rows in display-family order
	// (general, CEC, FSW/FST, PNP, French, ..., other), then by key
	// (fst before fsw).
	want := `month_start,family,family_label,rounds,invitations
2023-11-01,general,general,2,6500
2023-11-01,french,French,1,1000
2024-01-01,cec,CEC,1,3000
2024-01-01,pnp,PNP,1,700
2024-02-01,fst,FSW/FST,1,250
2024-02-01,fsw,FSW/FST,1,500
2024-02-01,french,French,1,1500
2024-02-01,transport,other categories,1,975
`
	if buf.String() != want {
		t.Errorf("WriteMonthlyCSV:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestYearsAndLastRounds(t *testing.T) {
	rs := sampleRounds()
	// 2023: rounds 1-3, 4000+1000+2500; 2024: rounds 4-7, 700+3000+1500+975.
	want := []Year{{2023, 3, 7500}, {2024, 4, 6175}}
	if got := Years(rs); !reflect.DeepEqual(got, want) {
		t.Errorf("Years = %v, want %v", got, want)
	}
	var got []string
	for _, r := range LastRounds(rs) {
		got = append(got, r.Number)
	}
	// general: #3 (after #1); CEC #5; PNP #4; French #6 (after #2); other #7.
	if w := []string{"3", "5", "4", "6", "7"}; !reflect.DeepEqual(got, w) {
		t.Errorf("LastRounds = %v, want %v", got, w)
	}
}

func TestTieBreakLags(t *testing.T) {
	rs := []data.Round{
		// Round #388: 2025-12-17T12:26:48 minus 2025-08-24T23:43:05 is
		// 115 days (Aug 24 -> Dec 17: 31+30+31+23) less 11:16:17, i.e.
		// 114 d 12:43:43 = 114 + 45823/86400 days.
		{Number: "388", Date: day("2025-12-17"), Type: data.Category, Category: data.CatFrench,
			Instant: instant("2025-12-17T12:26:48Z"), TieBreak: instant("2025-08-24T23:43:05Z")},
		// No tie-break published (rounds #1-#76): left out.
		{Number: "76", Date: day("2017-11-01"), Type: data.Program, Programs: data.FST,
			Instant: instant("2017-11-01T12:55:44Z")},
		// Round #294: 2024-04-23T16:54:59 minus 2023-11-08T17:50:29 is 167
		// days (30+31+31+29+31+15, 2024 is a leap year) less 0:55:30, i.e.
		// 166 + 83070/86400 days.
		{Number: "294", Date: day("2024-04-23"), Type: data.General, Programs: data.AllPrograms,
			Instant: instant("2024-04-23T16:54:59Z"), TieBreak: instant("2023-11-08T17:50:29Z")},
	}
	lags := TieBreakLags(rs)
	if len(lags) != 2 {
		t.Fatalf("got %d lags, want 2", len(lags))
	}
	for i, w := range []struct {
		num, fam string
		days     float64
	}{{"388", FamFrench, 114 + 45823.0/86400}, {"294", FamGeneral, 166 + 83070.0/86400}} {
		g := lags[i]
		if g.Number != w.num || g.Family != w.fam || math.Abs(g.Days-w.days) > 1e-9 {
			t.Errorf("lag %d = %+v, want #%s %s %.6f days", i, g, w.num, w.fam, w.days)
		}
	}
	var buf bytes.Buffer
	if err := WriteLagsCSV(&buf, lags); err != nil {
		t.Fatal(err)
	}
	want := `draw_number,draw_date,family,family_label,instant,tiebreak,lag_days
388,2025-12-17,french,French,2025-12-17T12:26:48,2025-08-24T23:43:05,114.530
294,2024-04-23,general,general,2024-04-23T16:54:59,2023-11-08T17:50:29,166.961
`
	if buf.String() != want {
		t.Errorf("WriteLagsCSV:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestGroupCounts(t *testing.T) {
	var s data.Snapshot
	for i := range s.Counts {
		s.Counts[i] = i + 1 // 1..15 in BandEdges order
	}
	// 601-1200: 1; 501-600: 2; 451-500: 3+4+5+6+7; 401-450: 8+...+12;
	// 351-400: 13; 301-350: 14; 0-300: 15.
	want := []int{1, 2, 25, 50, 13, 14, 15}
	if got := GroupCounts(&s); !reflect.DeepEqual(got, want) {
		t.Errorf("GroupCounts = %v, want %v", got, want)
	}
	var labels []string
	for _, g := range PoolGroups {
		labels = append(labels, g.Label)
	}
	if w := []string{"601-1200", "501-600", "451-500", "401-450", "351-400", "301-350", "0-300"}; !reflect.DeepEqual(labels, w) {
		t.Errorf("PoolGroups labels = %v, want %v", labels, w)
	}
}

// TestRealFeedTotals checks the embedded feed against the per-year ITA
// totals of docs/domain.md, "Cadence and sizes" (computed from the same
// IRCC feed; 2023 also matches IRCC's Express Entry Year-End Report 2023:
// 110,266 ITAs), through both Years and the monthly sums.
func TestRealFeedTotals(t *testing.T) {
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]int{2022: 46539, 2023: 110266, 2024: 98903, 2025: 113998}
	for _, y := range Years(f.Rounds) {
		if w, ok := want[y.Year]; ok && y.Invitations != w {
			t.Errorf("Years: %d: %d invitations, want %d", y.Year, y.Invitations, w)
		}
	}
	m := MonthlyInvitations(f.Rounds)
	got := map[int]int{}
	for i, t := range m.Months {
		for _, n := range m.Invitations[i] {
			got[t.Year()] += n
		}
	}
	for y, w := range want {
		if got[y] != w {
			t.Errorf("monthly sums: %d: %d invitations, want %d", y, got[y], w)
		}
	}
}

// TestRealFeedTieBreakLags compares the lags of 2023-2025 general rounds
// with docs/domain.md, "How rounds work" (n=28, min 1, median 29, max
// 307 days, computed from dates); ours use instants, so allow 2 days.
func TestRealFeedTieBreakLags(t *testing.T) {
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	var v []float64
	for _, g := range TieBreakLags(f.Rounds) {
		if y := g.Date.Year(); y >= 2023 && y <= 2025 && g.Family == FamGeneral {
			v = append(v, g.Days)
		}
		if g.Days < 0 {
			t.Errorf("round %s: negative lag %.3f days", g.Number, g.Days)
		}
	}
	if len(v) != 28 {
		t.Fatalf("got %d general rounds with a lag in 2023-2025, want 28", len(v))
	}
	sortFloats(v)
	med := (v[13] + v[14]) / 2
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"min", v[0], 1}, {"median", med, 29}, {"max", v[27], 307}} {
		if math.Abs(c.got-c.want) > 2 {
			t.Errorf("%s lag = %.2f days, want %v ± 2", c.name, c.got, c.want)
		}
	}
}

func sortFloats(v []float64) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

func TestHistorySummaryGolden(t *testing.T) {
	f, err := data.LoadFeed(filepath.Join("testdata", "rounds-small.json"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHistorySummary(&buf, f.Rounds); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "history-summary.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("summary:\n%s\nwant (%s):\n%s", buf.String(), golden, want)
	}
}

func TestChartsRender(t *testing.T) {
	rs := sampleRounds()
	rs[0].TieBreak = rs[0].Instant.Add(-30 * 24 * time.Hour)
	rs[3].TieBreak = rs[3].Instant.Add(-90 * 24 * time.Hour)
	var snaps []data.Snapshot
	for i, d := range []string{"2023-10-30", "2023-11-19", "2024-01-28"} {
		s := data.Snapshot{Date: day(d)}
		for b := range s.Counts {
			s.Counts[b] = 1000*(b+1) + 100*i
		}
		snaps = append(snaps, s)
	}
	for _, c := range []struct {
		name string
		fig  Figure
	}{
		{"cutoffs", CutoffsChart(rs)},
		{"cutoffs without PNP", CutoffsChart(rs[:3])},
		{"monthly", MonthlyChart(MonthlyInvitations(rs))},
		{"pool", PoolChart(snaps)},
		{"tiebreak", TieBreakChart(TieBreakLags(rs))},
	} {
		var buf bytes.Buffer
		if err := WritePNG(&buf, c.fig, Width, Height); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkChartPNG(t, c.name, &buf)
	}
}

func TestSavePNG(t *testing.T) {
	dir := t.TempDir()
	p := NewPlot("t", "x", "y")
	path := filepath.Join(dir, "a.png")
	if err := SavePNG(p, path, Px(300), Px(200)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, f, 300, 200)
	f.Close()
	if err := SavePNG(p, filepath.Join(dir, "missing", "b.png"), Px(300), Px(200)); err == nil {
		t.Error("SavePNG into a missing folder: no error")
	}
	fs, err := data.NewFileSet(filepath.Join(dir, "set"))
	if err != nil {
		t.Fatal(err)
	}
	if err := AddPNG(fs, "c.png", p, Px(300), Px(200)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "set", "c.png")); err == nil {
		t.Error("AddPNG: file in place before Commit")
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "set", "c.png")); err != nil {
		t.Errorf("after Commit: %v", err)
	}
}

func TestDateTicks(t *testing.T) {
	labels := func(from, to string) []string {
		var out []string
		for _, tk := range (DateTicks{}).Ticks(TimeX(day(from)), TimeX(day(to))) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	// 2015-01-31..2017-12-17: 36 months, so a step of 3 months gives 12
	// labels from 2015-04 (2015-01-01 is before the range).
	if got, want := labels("2015-01-31", "2017-12-17"), []string{
		"2015-04", "2015-07", "2015-10", "2016-01", "2016-04", "2016-07", "2016-10",
		"2017-01", "2017-04", "2017-07", "2017-10"}; !reflect.DeepEqual(got, want) {
		t.Errorf("3-year range: %v, want %v", got, want)
	}
	// Four months: every month.
	if got, want := labels("2024-01-01", "2024-04-15"), []string{"2024-01", "2024-02", "2024-03", "2024-04"}; !reflect.DeepEqual(got, want) {
		t.Errorf("4-month range: %v, want %v", got, want)
	}
	// Eleven years (133 months): yearly labels.
	if got := labels("2015-01-01", "2025-12-17"); len(got) != 11 || got[0] != "2015-01" || got[10] != "2025-01" {
		t.Errorf("11-year range: %v", got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 27332: "27,332", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCommaTicks(t *testing.T) {
	// 0..27,332: raw step 4,555 rounds up to 5,000: labels 0, 5,000 ...
	// 25,000, with unlabelled ticks at the 2,500s.
	var got []string
	ticks := commaTicks{}.Ticks(0, 27332)
	for _, tk := range ticks {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	if want := []string{"0", "5,000", "10,000", "15,000", "20,000", "25,000"}; !reflect.DeepEqual(got, want) {
		t.Errorf("labels %v, want %v", got, want)
	}
	if len(ticks) != 11 {
		t.Errorf("%d ticks, want 11", len(ticks))
	}
}
