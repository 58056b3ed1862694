package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/eesim/eesim/data"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// contractColumn is one row of a table of docs/datasets.md.
type contractColumn struct {
	name, typ string
	nullable  bool // the "empty" cell is not "never"
}

// readContract parses docs/datasets.md: each "### a, b" heading followed
// by a table with the header "| column | type | unit / meaning | empty |"
// gives the columns of the files a and b, and the "Files and charts by
// command" table the files each command may write.
func readContract(t *testing.T) (tables map[string][]contractColumn, files map[string][]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "datasets.md"))
	if err != nil {
		t.Fatal(err)
	}
	tables, files = map[string][]contractColumn{}, map[string][]string{}
	var names []string
	inTable, inFiles := false, false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			names = strings.Split(strings.TrimPrefix(line, "### "), ", ")
			inTable, inFiles = false, false
		case strings.HasPrefix(line, "## "):
			names, inTable = nil, false
			inFiles = line == "## Files and charts by command"
		case strings.HasPrefix(line, "| column | type |"):
			inTable = names != nil
		case inTable && strings.HasPrefix(line, "| `"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if len(cells) != 4 {
				t.Fatalf("docs/datasets.md: %q: want 4 cells", line)
			}
			col := contractColumn{
				name:     strings.Trim(strings.TrimSpace(cells[0]), "`"),
				typ:      strings.TrimSpace(cells[1]),
				nullable: strings.TrimSpace(cells[3]) != "never",
			}
			for _, n := range names {
				tables[n] = append(tables[n], col)
			}
		case inFiles && strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| command"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			cmd := strings.TrimSpace(cells[0])
			for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[1], -1) {
				files[cmd] = append(files[cmd], m[1])
			}
		}
	}
	if len(tables) == 0 || len(files) == 0 {
		t.Fatal("docs/datasets.md: no tables found")
	}
	return tables, files
}

// contractCase is one command run of TestDataContract.
type contractCase struct {
	name string // the command's row in "Files and charts by command"
	args []string
}

// TestDataContract runs every command that writes files, and checks every
// file it writes against docs/datasets.md: the file is listed for the
// command; a CSV has the documented columns in order and every value has
// the documented type (empty only where the table allows it); an Arrow or
// Parquet file has the documented columns, types and nullability; a PNG
// decodes; JSON parses, and outside config.json every key is snake_case.
func TestDataContract(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command")
	}
	t.Setenv("EESIM_CACHE_DIR", t.TempDir())
	tables, files := readContract(t)
	td := "testdata"
	root := t.TempDir()
	out := func(name string) string { return filepath.Join(root, name) }
	cases := []contractCase{
		{"simulate", []string{"simulate", "--runs", "8", "--horizon", "2mo", "--out", out("simulate")}},
		{"report", []string{"report", "--in", out("simulate"), "--out", out("report")}},
		{"backtest (replay, walk-forward)", []string{"backtest", "--mode", "walk-forward", "--from", "2022-07-01", "--to", "2022-07-31", "--runs", "3", "--out", out("backtest")}},
		{"backtest (odds)", []string{"backtest", "--mode", "odds", "--from", "2025-06-01", "--to", "2025-06-30", "--horizon", "1mo",
			"--runs", "4", "--grid", filepath.Join(td, "oddsbacktest", "grid.csv"), "--out", out("odds-backtest")}},
		{"calibrate", []string{"calibrate", "--as-of", "2022-03-01", "--write", filepath.Join(root, "model.json")}},
		{"odds", []string{"odds", "--score", "505", "--programs", "CEC", "--runs", "8", "--horizon", "3mo", "--out", out("odds")}},
		{"report --html", []string{"report", "--html", "--in", out("odds"), "--out", out("report-html")}},
		{"whatif", []string{"whatif", "--draw-size", "CEC=2000:4000:2000", "--score", "505", "--programs", "CEC",
			"--runs", "3", "--horizon", "2mo", "--out", out("whatif")}},
		{"ingest", []string{"ingest", "--out", out("ingest")}},
		{"history", []string{"history", "--out", out("history")}},
		{"residency", []string{"residency", "--in", filepath.Join(td, "residency", "landing2005.json"), "--out", out("residency")}},
		{"citizenship", []string{"citizenship", "--in", filepath.Join(td, "citizenship", "applicant.json"), "--out", out("citizenship")}},
		{"sponsor", []string{"sponsor", "--in", filepath.Join(td, "sponsor", "parents.json"), "--out", out("sponsor")}},
		{"ns-eoi", []string{"ns-eoi", "--pool", filepath.Join(td, "nseoi", "pool.json"), "--out", out("ns-eoi")}},
	}
	for _, c := range cases {
		var o, e bytes.Buffer
		if code := run(c.args, &streams{Out: &o, Err: &e}); code != 0 {
			t.Fatalf("%s: exit %d:\n%s", strings.Join(c.args, " "), code, e.String())
		}
		allowed, ok := files[c.name]
		if !ok {
			t.Fatalf("docs/datasets.md lists no files for %q", c.name)
		}
		var paths []string
		if c.name == "calibrate" {
			paths = []string{filepath.Join(root, "model.json")}
		} else {
			dir := c.args[len(c.args)-1]
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range entries {
				// The marker of every output folder (docs/datasets.md,
				// "Conventions"), not a dataset.
				if en.Name() == data.OutputMarker {
					continue
				}
				paths = append(paths, filepath.Join(dir, en.Name()))
			}
		}
		if len(paths) == 0 {
			t.Errorf("%s wrote no file", c.name)
		}
		for _, p := range paths {
			name := filepath.Base(p)
			if c.name != "calibrate" && !slices.ContainsFunc(allowed, func(pat string) bool { return matchFile(pat, name) }) {
				t.Errorf("%s: %s is not in docs/datasets.md's files of the command", c.name, name)
				continue
			}
			t.Run(c.name+"/"+name, func(t *testing.T) { checkContractFile(t, p, tables) })
		}
	}
}

// matchFile reports whether name matches a documented file name, where
// "<...>" stands for any non-empty text.
func matchFile(pat, name string) bool {
	parts := regexp.MustCompile(`<[^>]+>`).Split(pat, -1)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".+") + "$").MatchString(name)
}

func checkContractFile(t *testing.T, path string, tables map[string][]contractColumn) {
	name := filepath.Base(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch filepath.Ext(name) {
	case ".png":
		if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
			t.Errorf("not a PNG: %v", err)
		}
	case ".html":
		if !bytes.HasPrefix(bytes.ToLower(b), []byte("<!doctype html>")) || !bytes.Contains(b, []byte("</html>")) {
			t.Errorf("not an HTML document")
		}
	case ".json":
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if name != "config.json" { // config.json: the run record's keys, see docs/datasets.md
			checkSnakeKeys(t, "", v)
		}
	case ".csv":
		cols, ok := tables[name]
		if !ok {
			t.Fatalf("no table for %s in docs/datasets.md", name)
		}
		checkContractCSV(t, b, cols)
	case ".arrow", ".parquet":
		cols, ok := tables[name]
		if !ok {
			t.Fatalf("no table for %s in docs/datasets.md", name)
		}
		sc := readSchema(t, path, b)
		if len(sc.Fields()) != len(cols) {
			t.Fatalf("%d columns %v, docs/datasets.md has %d", len(sc.Fields()), sc, len(cols))
		}
		for i, f := range sc.Fields() {
			c := cols[i]
			typ := c.typ
			if filepath.Ext(name) == ".parquet" && typ == "timestamp[s, UTC]" {
				// docs/datasets.md, "Conventions": Parquet has no second
				// unit; instants are milliseconds adjusted to UTC.
				typ = "timestamp[ms, UTC]"
			}
			if f.Name != c.name || arrowTypeName(f.Type) != typ || f.Nullable != c.nullable {
				t.Errorf("column %d: %s %s nullable=%v, docs/datasets.md: %s %s nullable=%v",
					i, f.Name, arrowTypeName(f.Type), f.Nullable, c.name, typ, c.nullable)
			}
		}
	default:
		t.Errorf("no contract for the file type of %s", name)
	}
}

var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// familyKey matches family keys, which are data (map keys of the
// per-family errors), not field names.
var familyKey = regexp.MustCompile(`^(program:[a-z+]+|[a-z][a-z0-9_]*)$`)

func checkSnakeKeys(t *testing.T, at string, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if !snakeKey.MatchString(k) && !familyKey.MatchString(k) {
				t.Errorf("key %q at %q is not snake_case", k, at)
			}
			checkSnakeKeys(t, at+"."+k, e)
		}
	case []any:
		for _, e := range x {
			checkSnakeKeys(t, at+"[]", e)
		}
	}
}

// The forms of the CSV types of docs/datasets.md ("Conventions").
var csvTypes = map[string]func(string) bool{
	"int":  func(s string) bool { _, err := strconv.Atoi(s); return err == nil },
	"text": func(string) bool { return true },
	"decimal": func(s string) bool {
		_, err := strconv.ParseFloat(s, 64)
		return err == nil && !strings.ContainsAny(s, "eEnN")
	},
	"date": func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil },
	"datetime": func(s string) bool {
		_, err := time.Parse("2006-01-02T15:04:05", s)
		return err == nil
	},
	"rfc3339": func(s string) bool { _, err := time.Parse(time.RFC3339, s); return err == nil },
	"bool":    func(s string) bool { return s == "true" || s == "false" },
	"0/1":     func(s string) bool { return s == "0" || s == "1" },
}

func checkContractCSV(t *testing.T, b []byte, cols []contractColumn) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range cols {
		want = append(want, c.name)
	}
	if !slices.Equal(recs[0], want) {
		t.Fatalf("header\n %v\ndocs/datasets.md\n %v", recs[0], want)
	}
	bad := 0
	for i, rec := range recs[1:] {
		for j, v := range rec {
			c := cols[j]
			ok := false
			if v == "" {
				ok = c.nullable
			} else if f, known := csvTypes[c.typ]; !known {
				t.Fatalf("column %s: type %q is not a CSV type of docs/datasets.md", c.name, c.typ)
			} else {
				ok = f(v)
			}
			if !ok && bad < 10 {
				t.Errorf("row %d: column %s: %q is not %s (empty allowed: %v)", i+1, c.name, v, c.typ, c.nullable)
				bad++
			}
		}
	}
}

func readSchema(t *testing.T, path string, b []byte) *arrow.Schema {
	t.Helper()
	if filepath.Ext(path) == ".arrow" {
		r, err := ipc.NewFileReader(bytes.NewReader(b), ipc.WithAllocator(memory.DefaultAllocator))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return r.Schema()
	}
	pf, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := fr.Schema()
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// arrowTypeName names an Arrow type as docs/datasets.md does.
func arrowTypeName(dt arrow.DataType) string {
	if ts, ok := dt.(*arrow.TimestampType); ok {
		return fmt.Sprintf("timestamp[%s, %s]", ts.Unit, ts.TimeZone)
	}
	return dt.String()
}
