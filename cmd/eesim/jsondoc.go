package main

import (
	"encoding/json"
	"io"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/reports"
	"github.com/eesim/eesim/sim"
)

// This file holds what every command's --json shares (docs/json.md): the
// flag, the writer of the document and the value types the documents are
// made of. Each command builds its document (a <command>Doc type next to
// it) from the values its text summary prints.

// addJSONFlag adds --json to cmd, bound to p.
func addJSONFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "json", false, "print the summary as one JSON document (docs/json.md)")
}

// summaryOut is where a command prints its text summary: s.Out, or
// nowhere with --json (the document replaces it).
func summaryOut(s *streams, asJSON bool) io.Writer {
	if asJSON {
		return io.Discard
	}
	return s.Out
}

// writeJSONDoc writes v as one indented JSON document with a trailing
// newline.
func writeJSONDoc(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// num is a float64 whose NaN or infinity ("not known", a "-" or "n/a" in
// the text) is JSON null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// day is t's calendar day in UTC, YYYY-MM-DD.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// modelErrorDoc is one family's one-round-ahead model error
// (writeModelErrors), in CRS points.
type modelErrorDoc struct {
	Family string  `json:"family"`
	N      int     `json:"n"`
	P10    float64 `json:"p10"`
	P50    float64 `json:"p50"`
	P90    float64 `json:"p90"`
}

// modelErrorDocs is errs sorted by family, as writeModelErrors prints it.
func modelErrorDocs(errs map[string]sim.ErrorSummary) []modelErrorDoc {
	out := []modelErrorDoc{}
	for _, f := range slices.Sorted(maps.Keys(errs)) {
		e := errs[f]
		out = append(out, modelErrorDoc{f, e.N, e.P10, e.P50, e.P90})
	}
	return out
}

// quantileDoc is one row of writeQuantileTable.
type quantileDoc struct {
	Round  int    `json:"round"`
	Date   string `json:"date"`
	Family string `json:"family"`
	Size   int    `json:"size"`
	P10    num    `json:"p10"`
	P50    num    `json:"p50"`
	P90    num    `json:"p90"`
}

func quantileDocs(q []reports.RoundQuantiles) []quantileDoc {
	out := make([]quantileDoc, len(q))
	for i, r := range q {
		out[i] = quantileDoc{r.Round, day(r.Instant), r.Family, r.Size,
			num(r.Cutoff[reports.Q10]), num(r.Cutoff[reports.Q50]), num(r.Cutoff[reports.Q90])}
	}
	return out
}
