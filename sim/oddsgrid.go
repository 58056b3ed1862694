package sim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// GridCandidate is one synthetic candidate of an odds backtest, before a
// start gives it a score and a submission instant.
type GridCandidate struct {
	// Family labels the candidate in the scores (per family) and, with
	// Relative, is the round family whose last cutoff sets the score.
	Family     string
	Programs   data.Programs // federal programs (CEC, FSW, FST)
	Categories []string
	Nominated  bool // the 600 points of a nomination are in the score
	// Score is the CRS score; with Relative, Offset is added instead to
	// the family's last cutoff in the 12 months before the start (the
	// candidate is left out of a start where the family has none).
	Score    int
	Offset   int
	Relative bool
	// SubmittedDaysBefore is how many days before the start the profile
	// was submitted.
	SubmittedDaysBefore int
}

// DefaultOddsOffsets are the score offsets of the default grid, in CRS
// points from each family's last cutoff.
var DefaultOddsOffsets = []int{-30, -20, -10, -5, 0, 5, 10, 20, 30}

// DefaultOddsSubmitted are the submission ages of the default grid, in
// days before the start: a fresh profile, and one that expires (12
// months, pool.Validity) about two months into the forecast and comes
// back with a new timestamp.
var DefaultOddsSubmitted = []int{30, 300}

// DefaultOddsGrid returns the default grid at start: for each round family
// with a round in the 12 months before start, in order of its last round,
// candidates at DefaultOddsOffsets from its last cutoff, each submitted
// DefaultOddsSubmitted days before start, with the programs that make the
// family's rounds open to them: CEC for cec, FSW for fsw and general
// (FSW only: open to general rounds but not to CEC ones), FST for fst, a
// nomination (and FSW) for pnp, the category and FSW for a category,
// the listed programs for a program:<list> family.
func DefaultOddsGrid(rounds []data.Round, start time.Time) []GridCandidate {
	var out []GridCandidate
	for _, f := range recentFamilies(rounds, start) {
		g := GridCandidate{Family: f.family, Programs: data.FSW, Relative: true}
		switch fam := f.family; {
		case fam == "cec":
			g.Programs = data.CEC
		case fam == "fst":
			g.Programs = data.FST
		case fam == "pnp":
			g.Nominated = true
		case fam == "general" || fam == "fsw":
		case strings.HasPrefix(fam, "program:"):
			p, err := data.ParsePrograms(strings.TrimPrefix(fam, "program:"))
			if err != nil || p&data.Federal == 0 {
				continue
			}
			g.Programs = p & data.Federal
		default:
			g.Categories = []string{fam}
		}
		for _, d := range DefaultOddsSubmitted {
			for _, off := range DefaultOddsOffsets {
				g.Offset, g.SubmittedDaysBefore = off, d
				out = append(out, g)
			}
		}
	}
	return out
}

// familyCutoff is a family's last round before a start.
type familyCutoff struct {
	family string
	cutoff int
	at     time.Time
}

// recentFamilies returns the families with a round in the 12 months
// (pool.Validity) before start, with their last cutoff, in order of that
// round.
func recentFamilies(rounds []data.Round, start time.Time) []familyCutoff {
	from := start.Add(-pool.Validity)
	last := map[string]familyCutoff{}
	for i := range rounds {
		r := &rounds[i]
		if r.Instant.Before(from) || !r.Instant.Before(start) || r.Invitations <= 0 {
			continue
		}
		if cur, ok := last[r.Family()]; !ok || !r.Instant.Before(cur.at) {
			last[r.Family()] = familyCutoff{family: r.Family(), cutoff: r.Cutoff, at: r.Instant}
		}
	}
	out := make([]familyCutoff, 0, len(last))
	for _, f := range last {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b familyCutoff) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.family, b.family)
	})
	return out
}

// GridError is an error in a grid file: Row is the CSV line (1 is the
// header), Field the column ("" for the line or the file).
type GridError struct {
	File  string
	Row   int
	Field string
	Msg   string
}

func (e *GridError) Error() string {
	var b strings.Builder
	b.WriteString(filepath.Base(e.File))
	if e.Row > 0 {
		fmt.Fprintf(&b, ": row %d", e.Row)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	return b.String() + ": " + e.Msg
}

// GridColumns are the columns of a grid file. family, programs and
// submitted_days_before are required, and score or score_offset (a row
// gives exactly one of them); categories and nominated may be left out.
var GridColumns = []string{"family", "programs", "categories", "nominated", "score", "score_offset", "submitted_days_before"}

// maxGridRows bounds a grid file: each row is scored at every start and
// month.
const maxGridRows = 100_000

// ReadOddsGrid reads a grid of candidates from CSV (see GridColumns).
// name labels errors, which are *GridError.
func ReadOddsGrid(r io.Reader, name string) ([]GridCandidate, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &GridError{File: name, Msg: "empty file: want a header " + strings.Join(GridColumns, ",")}
	}
	if err != nil {
		return nil, &GridError{File: name, Row: 1, Msg: csvMsg(err)}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(GridColumns, h) {
			return nil, &GridError{File: name, Row: 1, Field: h, Msg: "unknown column (want " + strings.Join(GridColumns, ",") + ")"}
		}
		if _, dup := col[h]; dup {
			return nil, &GridError{File: name, Row: 1, Field: h, Msg: "column given twice"}
		}
		col[h] = i
	}
	for _, c := range []string{"family", "programs", "submitted_days_before"} {
		if _, ok := col[c]; !ok {
			return nil, &GridError{File: name, Row: 1, Field: c, Msg: "missing column"}
		}
	}
	_, hasScore := col["score"]
	_, hasOffset := col["score_offset"]
	if !hasScore && !hasOffset {
		return nil, &GridError{File: name, Row: 1, Field: "score", Msg: "missing column: want score or score_offset"}
	}
	var out []GridCandidate
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &GridError{File: name, Row: row, Msg: csvMsg(err)}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			return nil, &GridError{File: name, Row: row, Msg: fmt.Sprintf("%d fields, want %d as in the header", len(rec), len(header))}
		}
		if len(out) == maxGridRows {
			return nil, &GridError{File: name, Row: row, Msg: fmt.Sprintf("more than %d candidates", maxGridRows)}
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		g, field, err := gridRow(get)
		if err != nil {
			return nil, &GridError{File: name, Row: row, Field: field, Msg: err.Error()}
		}
		out = append(out, g)
	}
	if len(out) == 0 {
		return nil, &GridError{File: name, Msg: "no candidates after the header"}
	}
	return out, nil
}

// csvMsg is the message of a CSV syntax error, without encoding/csv's
// own position (GridError gives it).
func csvMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// gridRow parses one row; on error it returns the field at fault.
func gridRow(get func(string) string) (GridCandidate, string, error) {
	var g GridCandidate
	g.Family = strings.ToLower(get("family"))
	if !validFamily(g.Family) {
		return g, "family", fmt.Errorf("%q: want general, cec, fsw, fst, pnp, program:<list> or a category key (letters, digits, _)", get("family"))
	}
	p, err := data.ParsePrograms(get("programs"))
	switch {
	case err != nil:
		return g, "programs", err
	case p&data.PNP != 0:
		return g, "programs", errors.New("PNP is not a program of the pool: say nominated=true instead")
	case p == 0:
		return g, "programs", errors.New("empty: a candidate meets at least one of CEC, FSW, FST")
	}
	g.Programs = p
	for _, k := range strings.FieldsFunc(strings.ToLower(get("categories")), func(r rune) bool { return r == '+' || r == ';' || r == ' ' }) {
		if !validKey(k) {
			return g, "categories", fmt.Errorf("%q: want category keys such as french, healthcare, joined by +", k)
		}
		if !slices.Contains(g.Categories, k) {
			g.Categories = append(g.Categories, k)
		}
	}
	switch v := strings.ToLower(get("nominated")); v {
	case "", "0", "false", "no", "n":
	case "1", "true", "yes", "y":
		g.Nominated = true
	default:
		return g, "nominated", fmt.Errorf("%q: want true or false", v)
	}
	score, offset := get("score"), get("score_offset")
	switch {
	case score != "" && offset != "":
		return g, "score", errors.New("both score and score_offset given: give one")
	case score == "" && offset == "":
		return g, "score", errors.New("empty: give score or score_offset")
	case score != "":
		n, err := strconv.Atoi(score)
		if err != nil || n < 0 || n > pool.MaxScore {
			return g, "score", fmt.Errorf("%q: want a whole CRS score 0-%d", score, pool.MaxScore)
		}
		if g.Nominated && n < pool.NominationPoints {
			return g, "score", fmt.Errorf("%d: a nominee scores at least %d (the nomination's points)", n, pool.NominationPoints)
		}
		g.Score = n
	default:
		n, err := strconv.Atoi(offset)
		if err != nil || n < -pool.MaxScore || n > pool.MaxScore {
			return g, "score_offset", fmt.Errorf("%q: want whole CRS points, -%d to %d", offset, pool.MaxScore, pool.MaxScore)
		}
		g.Offset, g.Relative = n, true
	}
	d := get("submitted_days_before")
	n, err := strconv.Atoi(d)
	if err != nil || n < 0 || n > 3650 {
		return g, "submitted_days_before", fmt.Errorf("%q: want whole days, 0-3650", d)
	}
	g.SubmittedDaysBefore = n
	return g, "", nil
}

// validFamily reports whether fam names a round family (FamilyRound).
func validFamily(fam string) bool {
	switch fam {
	case "general", "cec", "fsw", "fst", "pnp":
		return true
	}
	if list, ok := strings.CutPrefix(fam, "program:"); ok {
		p, err := data.ParsePrograms(list)
		return err == nil && p != 0
	}
	return validKey(fam)
}

// validKey reports whether k is a category key: lower-case letters,
// digits and underscores, at most 40 characters.
func validKey(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
