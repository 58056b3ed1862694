package sponsor

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// mni is the Minimum Necessary Income (LICO + 30%) for parents and
// grandparents, by tax year and family size 2..7, and the amount for each
// extra person. Source: IRCC, "Sponsor your parents and grandparents:
// income requirements" (IMM 5768 table); docs/domain.md, "Sponsorship".
// The 2021 figures are lower because the requirement was relaxed
// for that year (temporary public policy, 2021 tax year). The 2024 column
// is the LICO table below plus 30%, rounded to the dollar (what the 2025
// intake assessed, with 2022 and 2023).
var mni = map[int]table{
	2024: {[8]int{0, 0, 47549, 58456, 70972, 80496, 90784, 101075}, 10291},
	2023: {[8]int{0, 0, 44530, 54743, 66466, 75384, 85020, 94658}, 9636},
	2022: {[8]int{0, 0, 43082, 52965, 64306, 72935, 82259, 91582}, 9324},
	2021: {[8]int{0, 0, 32898, 40444, 49106, 55694, 62814, 69934}, 7120},
}

// lico is the low income cut-off for the other classes, by the tax year
// whose income it tests (the most recent before the application), family
// size 1..7 and each extra person. Source: IRCC, "Low income cut-off
// (LICO)" table of the sponsorship guide (IMM 5768), the table in force
// for applications in 2025; docs/domain.md, "Sponsorship".
var lico = map[int]table{
	2024: {[8]int{0, 29380, 36576, 44966, 54594, 61920, 69834, 77750}, 7916},
}

// table is an income table by family size (index; unused below the
// smallest size) and the amount for each person past 7.
type table struct {
	bySize [8]int
	extra  int
}

// need returns the table's amount for a family size within its range.
func (t table) need(size int) int {
	if size <= 7 {
		return t.bySize[size]
	}
	return t.bySize[7] + (size-7)*t.extra
}

// PGPTaxYears is the number of tax years the MNI must be met for, each of
// the years before applying (IRPR s. 133(1)(j)(i)(A)).
const PGPTaxYears = 3

// ErrNoTable is matched (errors.Is) by the *TableError of MNI and LICO for
// a tax year without a table.
var ErrNoTable = errors.New("sponsor: no income table")

// TableError is a tax year with no table; the message lists the years
// that have one.
type TableError struct {
	Table string // "MNI" or "LICO"
	Year  int
	Known []int
}

func (e *TableError) Error() string {
	return fmt.Sprintf("sponsor: no %s table for tax year %d (tables for tax years %s)", e.Table, e.Year, yearList(e.Known))
}

// Is makes errors.Is(err, ErrNoTable) true.
func (e *TableError) Is(target error) bool { return target == ErrNoTable }

// MNITable and LICOTable name a table for the outputs: "MNI 2024" is the
// MNI for the 2024 tax year.
func MNITable(year int) string { return fmt.Sprintf("MNI %d", year) }

// LICOTable names a LICO table, with the applications it is in force for.
func LICOTable(year int) string {
	return fmt.Sprintf("LICO %d (in force for %d applications)", year, year+1)
}

// MNI returns the Minimum Necessary Income for a family size (2 or more:
// the sponsor and at least one parent) in a tax year.
func MNI(year, size int) (int, error) {
	t, ok := mni[year]
	if !ok {
		return 0, &TableError{"MNI", year, MNIYears()}
	}
	if size < 2 {
		return 0, fmt.Errorf("sponsor: family size %d: the MNI starts at 2 (the sponsor and one parent)", size)
	}
	return t.need(size), nil
}

// MNIYears returns the tax years with an MNI table, ascending.
func MNIYears() []int { return years(mni) }

// LICOYears returns the tax years with a LICO table, ascending.
func LICOYears() []int { return years(lico) }

func years(m map[int]table) []int {
	var ys []int
	for y := range m {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// yearList writes years as "2021, 2022 and 2023".
func yearList(ys []int) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = strconv.Itoa(y)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// LICO returns the low income cut-off for a family size of 1 or more,
// tested on the income of a tax year.
func LICO(year, size int) (int, error) {
	t, ok := lico[year]
	if !ok {
		return 0, &TableError{"LICO", year, LICOYears()}
	}
	if size < 1 {
		return 0, fmt.Errorf("sponsor: family size %d: want 1 or more", size)
	}
	return t.need(size), nil
}

// Family lists who counts in the family size (IRCC, "Sponsor your parents
// and grandparents: income requirements", "How to calculate your family
// size").
type Family struct {
	SponsorSpouse     bool `json:"sponsor_spouse"`     // the sponsor's spouse or partner
	SponsorChildren   int  `json:"sponsor_children"`   // dependent children of the sponsor or spouse
	EarlierSponsored  int  `json:"earlier_sponsored"`  // people still under earlier undertakings
	Sponsored         int  `json:"sponsored"`          // the people sponsored now (e.g. both parents)
	SponsoredChildren int  `json:"sponsored_children"` // their dependants, even those not coming
}

// Size returns the family size: the sponsor plus everyone listed.
func (f Family) Size() int {
	n := 1 + f.SponsorChildren + f.EarlierSponsored + f.Sponsored + f.SponsoredChildren
	if f.SponsorSpouse {
		n++
	}
	return n
}

// Validate checks that no count is negative and someone is sponsored.
func (f Family) Validate() error {
	for _, c := range []struct {
		name string
		v    int
	}{{"sponsor_children", f.SponsorChildren}, {"earlier_sponsored", f.EarlierSponsored}, {"sponsored", f.Sponsored}, {"sponsored_children", f.SponsoredChildren}} {
		if c.v < 0 {
			return fmt.Errorf("family.%s: %d is negative", c.name, c.v)
		}
	}
	if f.Sponsored < 1 {
		return fmt.Errorf("family.sponsored: %d, want at least 1", f.Sponsored)
	}
	return nil
}

// YearCheck is the income test of one tax year.
type YearCheck struct {
	Year     int    `json:"tax_year"`
	Table    string `json:"table"` // the table applied, e.g. "MNI 2024"
	Income   int    `json:"income"`
	Required int    `json:"required"`
	Met      bool   `json:"met"`
	Short    int    `json:"short"` // Required - Income when not met, else 0
}

// IncomeTest is the outcome of the income test.
type IncomeTest struct {
	// Basis is "MNI", "LICO" or "none".
	Basis  string      `json:"basis"`
	Source string      `json:"source"` // the rule applied
	Size   int         `json:"family_size"`
	Years  []YearCheck `json:"years"`
	Met    bool        `json:"met"`
	Note   string      `json:"note,omitempty"`
}
