package reports

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
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

// WriteEOIRoundsCSV writes the rounds with a header row: round_date, size,
// in_pool, expired, withdrawn, invited, cutoff, tie_break, short. Instants
// are RFC 3339 UTC.
func WriteEOIRoundsCSV(w io.Writer, rows []EOIRoundRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"round_date", "size", "in_pool", "expired", "withdrawn", "invited", "cutoff", "tie_break", "short"})
	for _, r := range rows {
		cut, tie := "", ""
		if r.HasCutoff {
			cut, tie = strconv.Itoa(r.Cutoff), r.TieBreak.UTC().Format(time.RFC3339)
		}
		cw.Write([]string{r.Date.UTC().Format(time.RFC3339), strconv.Itoa(r.Size), strconv.Itoa(r.InPool), strconv.Itoa(r.Expired),
			strconv.Itoa(r.Withdrawn), strconv.Itoa(r.Invited), cut, tie, strconv.FormatBool(r.Short)})
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
// round_date, rank, eoi_id, points, submitted. Instants are RFC 3339 UTC.
func WriteEOIInvitationsCSV(w io.Writer, rows []EOIInvitationRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"round_date", "rank", "eoi_id", "points", "submitted"})
	for _, r := range rows {
		cw.Write([]string{r.Round.UTC().Format(time.RFC3339), strconv.Itoa(r.Rank), r.ID, strconv.Itoa(r.Points), r.Submitted.UTC().Format(time.RFC3339)})
	}
	cw.Flush()
	return cw.Error()
}
