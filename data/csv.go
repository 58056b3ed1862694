package data

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// RoundsCSVHeader is the header row of WriteRoundsCSV: the columns of
// RoundsSchema.
var RoundsCSVHeader = []string{
	"draw_number", "draw_date", "instant", "draw_name", "type", "family", "programs",
	"category", "category_version", "invitations", "cutoff", "tiebreak", "snapshot_date",
}

// SnapshotsCSVHeader is the header row of WriteSnapshotsCSV: the columns
// of SnapshotsSchema.
var SnapshotsCSVHeader = []string{"snapshot_date", "band_low", "band_high", "count", "total"}

func csvDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// WriteRoundsCSV writes one row per round with the columns of
// RoundsCSVHeader: dates as YYYY-MM-DD, instants as RFC 3339 in UTC
// ("2025-12-17T12:26:48Z"), absent values (tie-break, category) empty.
func WriteRoundsCSV(w io.Writer, rounds []Round) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RoundsCSVHeader); err != nil {
		return err
	}
	for i := range rounds {
		r := &rounds[i]
		cat, ver := "", ""
		if r.Type == Category {
			cat, ver = r.Category, r.CategoryVersion
		}
		if err := cw.Write([]string{
			r.Number, csvDate(r.Date), csvTime(r.Instant), r.Name, r.Type.String(), r.Family(),
			r.Programs.String(), cat, ver, strconv.Itoa(r.Invitations), strconv.Itoa(r.Cutoff),
			csvTime(r.TieBreak), csvDate(r.SnapshotDate),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSnapshotsCSV writes the snapshots in long form, one row per
// snapshot per band (highest band first), with the columns of
// SnapshotsCSVHeader.
func WriteSnapshotsCSV(w io.Writer, snaps []Snapshot) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SnapshotsCSVHeader); err != nil {
		return err
	}
	for i := range snaps {
		s := &snaps[i]
		for k, e := range BandEdges {
			if err := cw.Write([]string{
				csvDate(s.Date), strconv.Itoa(e.Low), strconv.Itoa(e.High),
				strconv.Itoa(s.Counts[k]), strconv.Itoa(s.Total),
			}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
