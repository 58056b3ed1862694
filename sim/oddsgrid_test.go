package sim

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/eesim/eesim/data"
)

func TestReadOddsGrid(t *testing.T) {
	in := "family,programs,categories,nominated,score,score_offset,submitted_days_before\n" +
		"cec,CEC,,,,-10,30\n" +
		"french,FSW+CEC,french,false,470,,300\n" +
		"\n" +
		"pnp,FSW,,true,,25,30\n"
	got, err := ReadOddsGrid(strings.NewReader(in), "grid.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []GridCandidate{
		{Family: "cec", Programs: data.CEC, Offset: -10, Relative: true, SubmittedDaysBefore: 30},
		{Family: "french", Programs: data.CEC | data.FSW, Categories: []string{"french"}, Score: 470, SubmittedDaysBefore: 300},
		{Family: "pnp", Programs: data.FSW, Nominated: true, Offset: 25, Relative: true, SubmittedDaysBefore: 30},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestReadOddsGridErrors(t *testing.T) {
	const h = "family,programs,score,submitted_days_before\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "grid.csv: empty file"},
		{"header only", h, "grid.csv: no candidates"},
		{"unknown column", "family,programs,score,age\n", "grid.csv: row 1: age: unknown column"},
		{"no score column", "family,programs,submitted_days_before\n", "grid.csv: row 1: score: missing column"},
		{"no family column", "programs,score,submitted_days_before\n", "grid.csv: row 1: family: missing column"},
		{"bad family", h + "Cec!,CEC,500,30\n", "grid.csv: row 2: family:"},
		{"bad program", h + "cec,CECX,500,30\n", "grid.csv: row 2: programs: unknown program"},
		{"PNP as a program", h + "pnp,PNP,700,30\n", "grid.csv: row 2: programs: PNP is not a program"},
		{"no program", h + "cec,,500,30\n", "grid.csv: row 2: programs: empty"},
		{"score too high", h + "cec,CEC,1201,30\n", "grid.csv: row 2: score:"},
		{"score not a number", h + "cec,CEC,abc,30\n", "grid.csv: row 2: score:"},
		{"nominee under 600", "family,programs,nominated,score,submitted_days_before\npnp,FSW,yes,590,30\n", "grid.csv: row 2: score: 590: a nominee"},
		{"bad nominated", "family,programs,nominated,score,submitted_days_before\npnp,FSW,maybe,700,30\n", "grid.csv: row 2: nominated:"},
		{"both scores", "family,programs,score,score_offset,submitted_days_before\ncec,CEC,500,5,30\n", "grid.csv: row 2: score: both"},
		{"neither score", "family,programs,score,score_offset,submitted_days_before\ncec,CEC,,,30\n", "grid.csv: row 2: score: empty"},
		{"negative days", h + "cec,CEC,500,-1\n", "grid.csv: row 2: submitted_days_before:"},
		{"short row", h + "cec,CEC,500\n", "grid.csv: row 2: 3 fields, want 4"},
		{"bad category", "family,programs,categories,score,submitted_days_before\nfrench,FSW,Fr-ench,500,30\n", "grid.csv: row 2: categories:"},
		{"bad quote", h + "cec,\"CEC,500,30\n", "grid.csv: row 2:"},
	} {
		_, err := ReadOddsGrid(strings.NewReader(tc.in), "testdata/grid.csv")
		var ge *GridError
		if !errors.As(err, &ge) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want prefix %q", tc.name, err, tc.want)
		}
	}
}

// FuzzReadOddsGrid checks that ReadOddsGrid never panics, that its errors
// are *GridError, and that what it accepts is valid. The seed corpus is in
// testdata/fuzz/FuzzReadOddsGrid.
func FuzzReadOddsGrid(f *testing.F) {
	f.Add("family,programs,categories,nominated,score,score_offset,submitted_days_before\ncec,CEC,,,,-10,30\n")
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ReadOddsGrid(strings.NewReader(s), "fuzz.csv")
		if err != nil {
			var ge *GridError
			if !errors.As(err, &ge) || g != nil {
				t.Fatalf("error %T %v with %d candidates", err, err, len(g))
			}
			return
		}
		for _, c := range g {
			if !validFamily(c.Family) || c.Programs&data.Federal == 0 || c.Programs&data.PNP != 0 ||
				c.Score < 0 || c.Score > 1200 || c.SubmittedDaysBefore < 0 || c.Nominated && !c.Relative && c.Score < 600 {
				t.Fatalf("accepted %+v", c)
			}
		}
	})
}

// TestDefaultOddsGrid checks the default grid at 2025-01-01: the families
// with a round in 2024, each with 9 offsets and 2 submission ages.
func TestDefaultOddsGrid(t *testing.T) {
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	g := DefaultOddsGrid(f.Rounds, ts("2025-01-01"))
	fams := map[string]GridCandidate{}
	for _, c := range g {
		fams[c.Family] = c
	}
	// 2024 had general (to 04-23), CEC, PNP, French, healthcare, STEM,
	// trades, transport and agriculture rounds (docs/domain.md, "Cadence and sizes").
	if len(fams) != 9 || len(g) != 9*len(DefaultOddsOffsets)*len(DefaultOddsSubmitted) {
		t.Fatalf("%d candidates over %d families", len(g), len(fams))
	}
	if c := fams["cec"]; c.Programs != data.CEC || c.Nominated {
		t.Errorf("cec: %+v", c)
	}
	if c := fams["pnp"]; !c.Nominated {
		t.Errorf("pnp: %+v", c)
	}
	if c := fams["french"]; c.Programs != data.FSW || len(c.Categories) != 1 || c.Categories[0] != "french" {
		t.Errorf("french: %+v", c)
	}
	if c := fams["general"]; c.Programs != data.FSW || len(c.Categories) != 0 {
		t.Errorf("general: %+v", c)
	}
}
