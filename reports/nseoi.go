package reports

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/eesim/eesim/data"
)

// Nova Scotia EOI round tables. Like the other pathway tables, they take
// rows the command converts from pathway/nseoi's results.

// EOIRoundRow is one EOI round and its outcome.
type EOIRoundRow struct {
	Date                                      time.Time
	Size, InPool, Expired, Withdrawn, Invited int
	// HasCutoff is false when the round invited nobody; Cutoff and
	// TieBreak are then left empty.
	HasCutoff bool
	Cutoff    int
	TieBreak  time.Time
	Short     bool // fewer EOIs than the size
}

// WriteEOIRoundsCSV writes the rounds with a header row: instant, size,
// in_pool, expired, withdrawn, invited, cutoff, tiebreak, short,
// rule_source (the rules applied, on every row) (the
// names of docs/datasets.md). Instants are data.CSVTime (UTC).
func WriteEOIRoundsCSV(w io.Writer, source string, rows []EOIRoundRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"instant", "size", "in_pool", "expired", "withdrawn", "invited", "cutoff", "tiebreak", "short", "rule_source"})
	for _, r := range rows {
		cut, tie := "", ""
		if r.HasCutoff {
			cut, tie = strconv.Itoa(r.Cutoff), data.CSVTime(r.TieBreak)
		}
		cw.Write([]string{data.CSVTime(r.Date), strconv.Itoa(r.Size), strconv.Itoa(r.InPool), strconv.Itoa(r.Expired),
			strconv.Itoa(r.Withdrawn), strconv.Itoa(r.Invited), cut, tie, strconv.FormatBool(r.Short), source})
	}
	cw.Flush()
	return cw.Error()
}

// EOIInvitationRow is one invited EOI: its round, its rank in the round,
// its ID, points and submission instant.
type EOIInvitationRow struct {
	Round     time.Time
	Rank      int
	ID        string
	Points    int
	Submitted time.Time
}

// WriteEOIInvitationsCSV writes the invitations with a header row:
// instant (the round's, as in nseoi_rounds.csv), rank, eoi_id, points,
// submitted, rule_source. Instants are data.CSVTime (UTC).
func WriteEOIInvitationsCSV(w io.Writer, source string, rows []EOIInvitationRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"instant", "rank", "eoi_id", "points", "submitted", "rule_source"})
	for _, r := range rows {
		cw.Write([]string{data.CSVTime(r.Round), strconv.Itoa(r.Rank), r.ID, strconv.Itoa(r.Points), data.CSVTime(r.Submitted), source})
	}
	cw.Flush()
	return cw.Error()
}
