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

// CSVTimeLayout is the layout of every instant in eesim's CSV files: UTC,
// whole seconds, ISO 8601 without a zone suffix ("2025-12-17T14:00:00").
// LibreOffice Calc 7.4 imports it as a date-time with its default CSV
// options (checked with soffice --headless --convert-to fods), where
// RFC 3339's "...Z" and "2025-12-17 14:00:00" import as text (the latter
// is a date-time only with "detect special numbers"); DuckDB's read_csv
// reads it as a TIMESTAMP and pandas' to_datetime as a datetime. The zone
// is stated once, in docs/datasets.md ("Conventions"): every instant is
// UTC.
const CSVTimeLayout = "2006-01-02T15:04:05"

// CSVTime formats an instant for a CSV file (CSVTimeLayout, in UTC); the
// zero time is the empty string (docs/datasets.md: empty means absent).
func CSVTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(CSVTimeLayout)
}

// CSVDate formats a calendar day as YYYY-MM-DD; the zero time is the empty
// string.
func CSVDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func csvDate(t time.Time) string { return CSVDate(t) }

func csvTime(t time.Time) string { return CSVTime(t) }

// publishedSnapshotDate is the round's snapshot date when IRCC published a
// distribution with it, else the zero time: rounds before #214 name a
// drawDistributionAsOn date but publish no counts (dd1-dd18 all 0), and a
// snapshot_date there would point at no snapshot (docs/datasets.md:
// columns with nothing published stay empty). Rounds read back from a
// dataset carry no Snapshot: attach them (AttachSnapshots) before writing
// them again.
func publishedSnapshotDate(r *Round) time.Time {
	if r.Snapshot == nil {
		return time.Time{}
	}
	return r.SnapshotDate
}

// WriteRoundsCSV writes one row per round with the columns of
// RoundsCSVHeader: dates as YYYY-MM-DD, instants in UTC as CSVTime gives
// them ("2025-12-17 12:26:48"), absent values (tie-break, category, the
// snapshot date of a round without a published distribution) empty.
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
			csvTime(r.TieBreak), csvDate(publishedSnapshotDate(r)),
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
