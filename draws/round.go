package draws

import (
	"fmt"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// Round is a round of invitations to run on a pool.
type Round struct {
	Instant time.Time
	Type    data.RoundType

	// Programs are the programs of a program or category round. A general
	// round ranks everyone and ignores it. A category round with no
	// programs uses the federal programs (CEC, FSW, FST), as every
	// category round in IRCC's feed has.
	Programs data.Programs

	// Categories are the category bits of a category round; a candidate
	// must hold one of them. CategoryKey and Version label the round.
	Categories  pool.CategorySet
	CategoryKey string
	Version     string

	Size int // invitations to issue

	// AllNominees makes the size at least the number of nominees the
	// round could invite, so that a PNP round takes every nominee.
	AllNominees bool

	// Floor, when above 0, is the lowest score the round ranks: a round
	// that does not fill above it invites fewer and reports Short.
	// Projections use it to keep a round from going far below where its
	// family has ever gone (IRCC sizes rounds to its pool).
	Floor int
}

// Family returns the round's family, as data.Round.Family does.
func (r Round) Family() string {
	dr := data.Round{Type: r.Type, Programs: r.Programs, Category: r.CategoryKey}
	return dr.Family()
}

// TieBreak is the rule for candidates tied at the lowest score invited.
type TieBreak uint8

const (
	// BySubmission invites candidates at the cutoff score in order of
	// profile submission: those submitted at or before the tie-break
	// instant are invited, those after it are not. IRCC's rule since
	// 2017-06-06 (Ministerial Instructions; rounds page: "If more than one
	// candidate has the lowest score, the cut-off is based on the date and
	// time they submitted their Express Entry profiles").
	BySubmission TieBreak = iota
	// AllTied invites every eligible candidate at the cutoff score, so a
	// round may exceed its size. Some provincial EOI systems work so.
	AllTied
)

// Rules are the eligibility settings of rounds. The zero value is IRCC's
// practice as observed in the feed.
type Rules struct {
	// NomineesInProgramRounds ranks provincial nominees in CEC, FSW and
	// FST rounds. Default false: between snapshots during which only CEC
	// and category rounds ran, the 601-1200 band (almost all nominees)
	// kept growing (2024-07-31 to 2024-08-13: 105 -> 713 around one CEC
	// round of 5,000 at 510), so nominees were not ranked (docs/domain.md,
	// "Who is ranked in which round").
	NomineesInProgramRounds bool
	// NomineesInCategoryRounds ranks nominees in category rounds. Default
	// false for the same reason; category rounds list only FSW, CEC and
	// FST in drawText2.
	NomineesInCategoryRounds bool
	// TieBreak is the rule at the cutoff score. Default BySubmission.
	TieBreak TieBreak
}

// DefaultRules are IRCC's rules as observed.
var DefaultRules = Rules{}

// Program indexes of Result.ByProgram.
const (
	ByCEC = iota
	ByFSW
	ByFST
	ByPNP
)

// NoCutoff is the cutoff of a round that invited nobody.
const NoCutoff = -1

// Result is the outcome of a round.
type Result struct {
	Invited []pool.ID // in rank order

	// Cutoff is the score of the lowest-ranked candidate invited, or
	// NoCutoff. TieBreak is that candidate's submission instant: every
	// eligible candidate at the cutoff score submitted at or before it was
	// invited; every one submitted after it was not.
	Cutoff   int
	TieBreak time.Time

	RankRequired int // the round's size: "rank N or above"

	// ByProgram counts invitations by the program they were issued under,
	// indexed by ByCEC, ByFSW, ByFST and ByPNP: a nominee counts as PNP,
	// any other candidate under the first of CEC, FSW, FST (IRCC's
	// priority, Express Entry Year-End Report 2023) that the round includes.
	ByProgram [4]int

	// Short reports that the eligible pool was smaller than the size, so
	// everyone eligible was invited.
	Short bool
}

func (r *Result) String() string {
	return fmt.Sprintf("invited %d (rank required %d), cutoff %d, tie-break %s",
		len(r.Invited), r.RankRequired, r.Cutoff, r.TieBreak.Format(time.RFC3339))
}
