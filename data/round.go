package data

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RoundType is the kind of a round of invitations.
type RoundType uint8

// Round types, as IRCC names them on the rounds page
// (canada.ca "Express Entry rounds of invitations").
const (
	General  RoundType = iota // all programs, nominees included
	Program                   // one or more named programs only (CEC, FSW, FST, PNP)
	Category                  // category-based selection (from 2023-06-28)
)

func (t RoundType) String() string {
	switch t {
	case General:
		return "general"
	case Program:
		return "program"
	case Category:
		return "category"
	}
	return fmt.Sprintf("RoundType(%d)", uint8(t))
}

// Programs is a set of Express Entry programs.
type Programs uint8

// The programs a round can include. The order of the federal programs is
// IRCC's invitation priority: CEC, then FSW, then FST (Express Entry
// Year-End Report 2023).
const (
	CEC Programs = 1 << iota // Canadian Experience Class
	FSW                      // Federal Skilled Worker Program
	FST                      // Federal Skilled Trades Program
	PNP                      // Provincial Nominee Program (enhanced)

	Federal     = CEC | FSW | FST
	AllPrograms = CEC | FSW | FST | PNP
)

// Has reports whether every program in q is in p.
func (p Programs) Has(q Programs) bool { return p&q == q && q != 0 }

var programNames = []struct {
	p    Programs
	name string
}{{CEC, "CEC"}, {FSW, "FSW"}, {FST, "FST"}, {PNP, "PNP"}}

// String returns the programs joined by "+", in priority order, e.g. "CEC+FSW".
func (p Programs) String() string {
	var parts []string
	for _, n := range programNames {
		if p&n.p != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, "+")
}

// ParsePrograms parses a list such as "CEC+FSW" or "CEC,FSW" (case-insensitive).
func ParsePrograms(s string) (Programs, error) {
	var p Programs
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '+' || r == ',' || r == ' ' }) {
		found := false
		for _, n := range programNames {
			if strings.EqualFold(f, n.name) {
				p |= n.p
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown program %q (want CEC, FSW, FST or PNP)", f)
		}
	}
	return p, nil
}

// ParseFederalPrograms parses a candidate's programs, "CEC,FSW"
// (comma-separated, any case): the federal programs only, a provincial
// nomination being a nomination, not a program to be eligible for.
func ParseFederalPrograms(s string) (Programs, error) {
	var p Programs
	for _, f := range strings.Split(s, ",") {
		switch strings.ToUpper(strings.TrimSpace(f)) {
		case "CEC":
			p |= CEC
		case "FSW":
			p |= FSW
		case "FST":
			p |= FST
		case "":
		default:
			return 0, fmt.Errorf("unknown program %q: want CEC, FSW or FST", strings.TrimSpace(f))
		}
	}
	return p, nil
}

// ParseKeys parses a comma-separated list of keys, "french, Healthcare",
// into distinct lower-case keys in order.
func ParseKeys(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if k := strings.ToLower(strings.TrimSpace(f)); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// Thousands formats n with comma thousands separators: 27332 is "27,332".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// NumBands is the number of disjoint CRS bands in a published pool
// distribution.
const NumBands = 15

// BandEdges are the 15 disjoint CRS bands of the pool distribution, highest
// first, as IRCC publishes them with every round (dd1, dd2, dd4..dd8,
// dd10..dd14, dd15, dd16, dd17; dd3 and dd9 are subtotals). Bounds are
// inclusive.
var BandEdges = [NumBands]struct{ Low, High int }{
	{601, 1200}, {501, 600},
	{491, 500}, {481, 490}, {471, 480}, {461, 470}, {451, 460},
	{441, 450}, {431, 440}, {421, 430}, {411, 420}, {401, 410},
	{351, 400}, {301, 350}, {0, 300},
}

// BandOf returns the index in BandEdges of the band holding score, or -1.
func BandOf(score int) int {
	for i, b := range BandEdges {
		if score >= b.Low && score <= b.High {
			return i
		}
	}
	return -1
}

// Snapshot is a published distribution of the pool by CRS band.
type Snapshot struct {
	Date   time.Time     // the "as on" date, midnight UTC
	Counts [NumBands]int // profiles per band, in BandEdges order
	Total  int           // the published total (dd18)
}

// Sum returns the sum of the band counts.
func (s *Snapshot) Sum() int {
	t := 0
	for _, c := range s.Counts {
		t += c
	}
	return t
}

// Round is one normalized round of invitations.
type Round struct {
	Number   string    // "388"; "91a" and "91b" exist
	Date     time.Time // drawDate, midnight UTC
	Instant  time.Time // when the round ran (drawDateTime), UTC
	Name     string    // drawName as published
	Type     RoundType
	Programs Programs // programs eligible in the round

	// Category and CategoryVersion are set for category rounds only:
	// "French-Language proficiency 2026-Version 2" is "french", "2026-2".
	Category        string
	CategoryVersion string

	Invitations int // drawSize
	Cutoff      int // drawCRS: CRS of the lowest-ranked candidate invited

	// TieBreak is drawCutOff: candidates at the cutoff score who submitted
	// at or before it were invited. Zero when not published (#1-#76).
	TieBreak time.Time

	SnapshotDate time.Time // drawDistributionAsOn, midnight UTC
	Snapshot     *Snapshot // nil when no distribution was published
}

// HasTieBreak reports whether the round published a tie-break instant.
func (r *Round) HasTieBreak() bool { return !r.TieBreak.IsZero() }

// Family is the round family used to group rounds in reports and models:
// "general", "cec", "fsw", "fst", "pnp" for general and program rounds
// (a program round naming several programs is "program:<list>"), and the
// category key for category rounds ("french", "healthcare", ...).
func (r *Round) Family() string {
	switch r.Type {
	case General:
		return "general"
	case Program:
		switch r.Programs {
		case CEC:
			return "cec"
		case FSW:
			return "fsw"
		case FST:
			return "fst"
		case PNP:
			return "pnp"
		}
		return "program:" + strings.ToLower(r.Programs.String())
	}
	return r.Category
}

// Warning is a recoverable data-quality problem found while reading a feed.
type Warning struct {
	Round string // draw number, or "" for the file as a whole
	Field string // the JSON field, e.g. "dd3"
	Msg   string
}

func (w Warning) String() string {
	if w.Round == "" {
		return fmt.Sprintf("%s: %s", w.Field, w.Msg)
	}
	return fmt.Sprintf("round %s: %s: %s", w.Round, w.Field, w.Msg)
}

// Feed is a parsed rounds feed.
type Feed struct {
	Source   string    // file name, or "embedded" for the default
	Rounds   []Round   // in chronological order (oldest first)
	Warnings []Warning // recoverable problems, in feed order
}
