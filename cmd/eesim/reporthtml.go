package main

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/reports"
)

// reportHTMLFile is the file eesim report --html writes in --out.
const reportHTMLFile = "report.html"

// htmlTableRows is the most rows of a CSV file a report shows.
const htmlTableRows = 200

// runReportHTML writes report.html: one self-contained HTML file (inline
// SVG charts, no script) from a saved simulate, odds or backtest folder,
// with the data's date, the version and the settings from config.json.
func runReportHTML(o *reportOptions, s *streams) error {
	confPath := filepath.Join(o.In, "config.json")
	b, err := os.ReadFile(confPath)
	if err != nil {
		return badInputf("report: %w", err)
	}
	var conf map[string]any
	if err := json.Unmarshal(b, &conf); err != nil {
		return badInputf("report: %s: %w", confPath, err)
	}
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(o.In, name))
		return err == nil
	}
	kind, _ := conf["command"].(string)
	if kind == "" {
		switch {
		case exists(data.RunsArrowFile) || exists(data.RunsParquetFile):
			kind = "simulate"
		case exists("odds.csv"):
			kind = "odds"
		case exists("backtest.csv") || exists("odds-backtest.csv"):
			kind = "backtest"
		default:
			return badInputf("report: %s: no runs.arrow, runs.parquet, odds.csv or backtest.csv: not a simulate, odds or backtest folder", o.In)
		}
	}
	r := &reports.HTMLReport{Meta: htmlMeta(conf, o.In)}
	switch kind {
	case "simulate":
		err = htmlSimulate(r, o, s, conf)
	case "odds":
		err = htmlOdds(r, o, conf)
	case "backtest":
		err = htmlBacktest(r, o)
	default:
		return badInputf("report: %s: command %q: --html reads simulate, odds and backtest folders", confPath, kind)
	}
	if err != nil {
		return err
	}
	fs, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add(reportHTMLFile, func(w io.Writer) error { return reports.WriteHTML(w, r) }); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "wrote %s\n", filepath.Join(o.Out, reportHTMLFile))
	return nil
}

// htmlMeta lists config.json's settings: its scalar fields (tool, command,
// start, snapshot_date, horizon, runs, seed, rounds_source, ...), in a
// fixed order, then the candidate.
func htmlMeta(conf map[string]any, in string) [][2]string {
	out := [][2]string{{"folder", in}}
	first := []string{"tool", "command", "snapshot_date", "rounds_source", "start", "end", "horizon", "runs", "runs_per_point", "seed", "schedule_source"}
	keys := slices.Sorted(maps.Keys(conf))
	slices.SortStableFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(first, a), slices.Index(first, b)
		if ia < 0 {
			ia = len(first)
		}
		if ib < 0 {
			ib = len(first)
		}
		return ia - ib
	})
	for _, k := range keys {
		switch v := conf[k].(type) {
		case string, float64, bool:
			name := k
			if k == "snapshot_date" {
				name = "data: pool snapshot of"
			}
			out = append(out, [2]string{name, fmt.Sprint(v)})
		case []any:
			if len(v) > 0 && len(v) <= 10 {
				if _, ok := v[0].(string); ok {
					var ss []string
					for _, x := range v {
						ss = append(ss, fmt.Sprint(x))
					}
					out = append(out, [2]string{k, strings.Join(ss, ", ")})
				}
			}
		}
	}
	if c, ok := conf["candidate"].(map[string]any); ok {
		cb, _ := json.Marshal(c)
		out = append(out, [2]string{"candidate", string(cb)})
	}
	return out
}

// htmlChart renders f as an inline SVG chart.
func htmlChart(f reports.Figure, caption string) (reports.HTMLChart, error) {
	svg, err := reports.InlineSVG(f, reports.Width, reports.Height)
	if err != nil {
		return reports.HTMLChart{}, err
	}
	return reports.HTMLChart{Caption: caption, SVG: template.HTML(svg)}, nil
}

// htmlSimulate redraws the fan charts and the quantile table of a saved
// simulation, as eesim report does (writeSimReports).
func htmlSimulate(r *reports.HTMLReport, o *reportOptions, s *streams, conf map[string]any) error {
	startS, _ := conf["start"].(string)
	start, err := time.Parse(time.RFC3339, startS)
	if err != nil {
		return badInputf("report: %s: \"start\": want an RFC 3339 time, got %q", filepath.Join(o.In, "config.json"), startS)
	}
	runsPath := filepath.Join(o.In, data.RunsArrowFile)
	if _, err := os.Stat(runsPath); err != nil {
		runsPath = filepath.Join(o.In, data.RunsParquetFile)
	}
	rows, err := data.ReadRunsFile(runsPath)
	if err != nil {
		return badInputf("report: %w", err)
	}
	if len(rows) == 0 {
		return badInputf("report: %s: no rows", runsPath)
	}
	feedPath := o.Rounds
	if src, _ := conf["rounds_source"].(string); feedPath == "" && src != data.EmbeddedSource {
		feedPath = src
	}
	feed, err := loadFeed(feedPath, s)
	if err != nil {
		return err
	}
	q := reports.Quantiles(rows)
	if conf["schedule_source"] == "recent" {
		q = reports.QuantilesByMonth(rows)
	}
	r.Title = "eesim projection of cutoffs"
	r.Subtitle = fmt.Sprintf("From %s; %d rows of runs.", start.UTC().Format(time.DateOnly), len(rows))
	for _, f := range reports.FanFamilies(q) {
		c, err := htmlChart(reports.FanChart(q, feed.Rounds, f, start.UTC()), "Projected cutoffs of "+f+": median, 50% and 90% bands")
		if err != nil {
			return err
		}
		r.Charts = append(r.Charts, c)
	}
	t := reports.HTMLTable{Caption: "Cutoff quantiles per projected round", Header: []string{"round", "date", "family", "size", "p10", "p50", "p90"},
		Numeric: []bool{true, false, false, true, true, true, true}}
	for _, x := range q {
		t.Rows = append(t.Rows, []string{strconv.Itoa(x.Round), x.Instant.UTC().Format(time.DateOnly), x.Family, reports.Thousands(x.Size),
			htmlCutoff(x.Cutoff[reports.Q10]), htmlCutoff(x.Cutoff[reports.Q50]), htmlCutoff(x.Cutoff[reports.Q90])})
	}
	r.Tables = append(r.Tables, t)
	return nil
}

func htmlCutoff(v float64) string {
	if v != v {
		return "-"
	}
	return fmt.Sprintf("%.0f", v)
}

// readCSVFile reads a CSV file of the folder; errors name it.
func readCSVFile(dir, name string) ([][]string, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, badInputf("report: %w", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, badInputf("report: %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, badInputf("report: %s: empty", path)
	}
	return recs, nil
}

// csvTable is a CSV file as a table, at most htmlTableRows rows.
func csvTable(caption string, recs [][]string) reports.HTMLTable {
	t := reports.HTMLTable{Caption: caption, Header: recs[0]}
	body := recs[1:]
	if len(body) > htmlTableRows {
		t.More = len(body) - htmlTableRows
		body = body[:htmlTableRows]
	}
	t.Rows = body
	for i := range recs[0] {
		num := len(body) > 0
		for _, row := range body {
			if i < len(row) && row[i] != "" {
				if _, err := strconv.ParseFloat(row[i], 64); err != nil {
					num = false
					break
				}
			}
		}
		t.Numeric = append(t.Numeric, num)
	}
	return t
}

// htmlOdds redraws the odds chart from odds.csv (the month points: the
// saved folder does not hold the per-round curve of odds.png) with the
// tables of odds.csv and odds-families.csv.
func htmlOdds(r *reports.HTMLReport, o *reportOptions, conf map[string]any) error {
	recs, err := readCSVFile(o.In, "odds.csv")
	if err != nil {
		return err
	}
	path := filepath.Join(o.In, "odds.csv")
	want := []string{"month", "by", "p_invited_by", "p_invited_by_lo95", "p_invited_by_hi95", "invited_runs", "runs"}
	if !slices.Equal(recs[0], want) {
		return badInputf("report: %s: header %s, want %s", path, strings.Join(recs[0], ","), strings.Join(want, ","))
	}
	startS, _ := conf["start"].(string)
	start, err := time.Parse(time.RFC3339, startS)
	if err != nil {
		return badInputf("report: %s: \"start\": want an RFC 3339 time, got %q", filepath.Join(o.In, "config.json"), startS)
	}
	var pts []reports.OddsPoint
	for i, row := range recs[1:] {
		var p reports.OddsPoint
		var errs [7]error
		p.Month, errs[0] = strconv.Atoi(row[0])
		p.By, errs[1] = time.Parse(time.DateOnly, row[1])
		p.By = p.By.AddDate(0, 0, 1) // by is the last day counted; By is exclusive
		p.Months = reports.MonthsBetween(start, p.By)
		p.P, errs[2] = strconv.ParseFloat(row[2], 64)
		p.Lo, errs[3] = strconv.ParseFloat(row[3], 64)
		p.Hi, errs[4] = strconv.ParseFloat(row[4], 64)
		p.Invited, errs[5] = strconv.Atoi(row[5])
		p.Runs, errs[6] = strconv.Atoi(row[6])
		for j, e := range errs {
			if e != nil {
				return badInputf("report: %s: row %d: %s: want a number or date, got %q", path, i+2, want[j], row[j])
			}
		}
		pts = append(pts, p)
	}
	if len(pts) == 0 {
		return badInputf("report: %s: no rows", path)
	}
	r.Title = "eesim: chance of an invitation"
	r.Subtitle = fmt.Sprintf("From %s: %s by %s (%d runs).", start.UTC().Format(time.DateOnly),
		pct(pts[len(pts)-1].P), pts[len(pts)-1].By.AddDate(0, 0, -1).UTC().Format(time.DateOnly), pts[len(pts)-1].Runs)
	c, err := htmlChart(reports.OddsChart(pts, pts, start.UTC(), "Chance of an invitation by date (month points)"),
		"Probability of an invitation by each date, with its 95% Monte Carlo interval")
	if err != nil {
		return err
	}
	r.Charts = append(r.Charts, c)
	r.Tables = append(r.Tables, csvTable("odds.csv", recs))
	if fam, err := readCSVFile(o.In, "odds-families.csv"); err == nil {
		r.Tables = append(r.Tables, csvTable("odds-families.csv", fam))
	}
	return nil
}

// htmlBacktest embeds a backtest folder's charts (its PNG files, as data:
// URIs: the folder keeps no dataset to redraw them from) and its CSV
// tables.
func htmlBacktest(r *reports.HTMLReport, o *reportOptions) error {
	r.Title = "eesim backtest"
	pngs, err := filepath.Glob(filepath.Join(o.In, "*.png"))
	if err != nil {
		return err
	}
	slices.Sort(pngs)
	for _, p := range pngs {
		b, err := os.ReadFile(p)
		if err != nil {
			return badInputf("report: %w", err)
		}
		r.Charts = append(r.Charts, reports.HTMLChart{Caption: filepath.Base(p),
			PNGURI: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))})
	}
	found := false
	for _, name := range []string{"backtest.csv", "odds-backtest.csv", "reliability.csv"} {
		if _, err := os.Stat(filepath.Join(o.In, name)); err != nil {
			continue
		}
		recs, err := readCSVFile(o.In, name)
		if err != nil {
			return err
		}
		r.Tables = append(r.Tables, csvTable(name, recs))
		found = true
	}
	if !found {
		return badInputf("report: %s: no backtest.csv or odds-backtest.csv", o.In)
	}
	return nil
}
