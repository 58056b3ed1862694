package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/pool/crs"
	"github.com/eesim/eesim/reports"
	"github.com/eesim/eesim/sim"
)

// The chart size of the web view: the PNGs' 1400 x 800 px, scaled to the
// page by the browser (SVG).
var chartW, chartH vg.Length = reports.Width, reports.Height

// addSVG renders f as an SVG chart named name in res.
func addSVG(res *result, name string, f reports.Figure) error {
	var b bytes.Buffer
	if err := reports.WriteSVG(&b, f, chartW, chartH); err != nil {
		return err
	}
	res.files[name] = b.Bytes()
	return nil
}

// addFile renders a file (CSV) named name in res.
func addFile(res *result, name string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	res.files[name] = b.Bytes()
	return nil
}

// overviewState is the overview, made once: the data do not change while
// the server runs.
type overviewState struct {
	once sync.Once
	res  *result
	err  error
}

// apiOverview is the data's last round and its age, the last round of
// each family and the history charts of eesim history.
func (s *Server) apiOverview(ctx context.Context, _ []byte) (*result, error) {
	return s.overview()
}

func (s *Server) overview() (*result, error) {
	s.ov.once.Do(func() {
		res := newResult()
		rounds := s.cfg.Feed.Rounds
		last := rounds[len(rounds)-1]
		now := s.now().UTC()
		res.doc["source"] = s.cfg.Feed.Source
		res.doc["version"] = s.cfg.Version
		res.doc["rounds"] = len(rounds)
		res.doc["last_round"] = roundDoc(last)
		res.doc["age_days"] = int(now.Sub(last.Date).Hours() / 24)
		res.doc["warnings"] = len(s.cfg.Feed.Warnings)
		var fams []map[string]any
		for _, r := range reports.LastRounds(rounds) {
			d := roundDoc(r)
			d["family"] = reports.DisplayFamily(r)
			fams = append(fams, d)
		}
		res.doc["last_by_family"] = fams
		figs := []struct {
			name string
			fig  reports.Figure
		}{
			{"cutoffs.svg", reports.WithDataLine(reports.CutoffsChart(rounds), rounds)},
			{"invitations.svg", reports.WithDataLine(reports.MonthlyChart(reports.MonthlyInvitations(rounds)), rounds)},
			{"tiebreak.svg", reports.WithDataLine(reports.TieBreakChart(reports.TieBreakLags(rounds)), rounds)},
		}
		if snaps := data.Snapshots(rounds); len(snaps) > 0 {
			figs = append(figs, struct {
				name string
				fig  reports.Figure
			}{"pool.svg", reports.WithDataLine(reports.PoolChart(snaps), rounds)})
		}
		for _, f := range figs {
			if err := addSVG(res, f.name, f.fig); err != nil {
				s.ov.err = err
				return
			}
		}
		res.key = "overview"
		res.link()
		s.ov.res = res
	})
	return s.ov.res, s.ov.err
}

func roundDoc(r data.Round) map[string]any {
	d := map[string]any{"number": r.Number, "date": r.Date.Format(time.DateOnly), "name": r.Name,
		"invitations": r.Invitations, "cutoff": r.Cutoff}
	if r.HasTieBreak() {
		d["tie_break"] = r.TieBreak.UTC().Format(time.RFC3339)
	}
	return d
}

// crsRequest is the body of /api/crs: the profile JSON of eesim crs and
// the date.
type crsRequest struct {
	Profile json.RawMessage `json:"profile"`
	On      string          `json:"on,omitempty"` // YYYY-MM-DD; default today (UTC)
}

// crsRowDoc is a grid row of eesim crs --explain.
type crsRowDoc struct {
	Code   string `json:"code"`
	Factor string `json:"factor"`
	Level  string `json:"level,omitempty"`
	Column string `json:"column,omitempty"`
	Points int    `json:"points"`
	Text   string `json:"text"`
}

// breakdownDoc is eesim crs --json's document, with the --explain rows.
func breakdownDoc(b *crs.Breakdown) map[string]any {
	rows := []crsRowDoc{}
	for _, r := range b.Rows() {
		rows = append(rows, crsRowDoc{Code: r.Code, Factor: r.Factor, Level: r.Level, Column: r.Column, Points: r.Points, Text: r.String()})
	}
	notes := b.Notes
	if notes == nil {
		notes = []string{}
	}
	return map[string]any{
		"total": b.Total, "core": b.Core, "spouse": b.Spouse, "transferability": b.Transferability, "additional": b.Additional,
		"c1": b.C1, "c2": b.C2, "c3": b.C3, "on": b.On.Format(time.DateOnly), "age": b.Age, "with_spouse": b.WithSpouse,
		"era": b.Era.Effective.Format(time.DateOnly), "rows": rows, "notes": notes,
	}
}

func (s *Server) apiCRS(ctx context.Context, body []byte) (*result, error) {
	var req crsRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if len(req.Profile) == 0 {
		return nil, badRequest("crs: --profile is required")
	}
	on := s.now().UTC()
	if req.On != "" {
		t, err := time.Parse(time.DateOnly, req.On)
		if err != nil {
			return nil, badRequest("crs: --on: want a date YYYY-MM-DD, got %q", req.On)
		}
		on = t
	}
	p, err := crs.DecodeProfile(bytes.NewReader(req.Profile))
	if err != nil {
		return nil, profileError(err)
	}
	b, err := crs.Score(p, on)
	if err != nil {
		var fe *crs.FieldError
		if errors.As(err, &fe) {
			return nil, profileError(fe)
		}
		if errors.Is(err, crs.ErrBeforeExpressEntry) {
			return nil, badRequest("crs: --on: %v", err)
		}
		return nil, err
	}
	res := newResult()
	res.doc = breakdownDoc(&b)
	return res, nil
}

// oddsRequest is the body of /api/odds: eesim odds's flags.
type oddsRequest struct {
	candidateRequest
	projectionRequest
}

// oddsDefaultRuns and the default horizon are eesim odds's.
const oddsDefaultRuns = 100

func candidateDoc(c sim.Candidate) map[string]any {
	d := map[string]any{"score": c.Score, "programs": c.Programs.String(), "categories": c.Categories,
		"nominated": c.Nominated, "submitted": c.Submitted.UTC().Format(time.RFC3339)}
	var chs []map[string]any
	for _, ch := range c.Changes {
		chs = append(chs, map[string]any{"from": ch.From.UTC().Format(time.DateOnly), "score": ch.Score,
			"programs": ch.Programs.String(), "categories": ch.Categories})
	}
	if len(chs) > 0 {
		d["changes"] = chs
	}
	return d
}

// oddsPoints converts sim's points to reports' (cmd/eesim oddsPoints).
func oddsPoints(pts []sim.OddsPoint, start time.Time, runs int) []reports.OddsPoint {
	out := make([]reports.OddsPoint, len(pts))
	for i, p := range pts {
		out[i] = reports.OddsPoint{Months: reports.MonthsBetween(start, p.By), By: p.By, P: p.P, Lo: p.Lo, Hi: p.Hi,
			Invited: p.Invited, Runs: runs}
	}
	return out
}

// apiOdds is eesim odds: odds.csv's rows as "months", odds-families.csv's
// as "families", the median wait, the chart odds.svg, and the profile's
// CRS breakdown on the start when a profile is given.
func (s *Server) apiOdds(ctx context.Context, body []byte) (*result, error) {
	var req oddsRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if !req.given() {
		return nil, badRequest("odds: give exactly one of --score and --profile")
	}
	if err := req.candidateRequest.check("odds"); err != nil {
		return nil, err
	}
	p, err := s.check(req.projectionRequest, "12mo", oddsDefaultRuns, s.lim.MaxRuns)
	if err != nil {
		return nil, err
	}
	cand, first, err := req.candidateRequest.candidate(p.start, p.end, p.feed.Rounds)
	if err != nil {
		return nil, err
	}
	var warnings []string
	if cand.Programs == 0 && !cand.Nominated {
		warnings = append(warnings, "the candidate meets no program (CEC, FSW, FST, PNP): only general rounds rank them")
	}
	if p.start.Sub(cand.Submitted) >= pool.Validity {
		warnings = append(warnings, fmt.Sprintf("submitted %s, 12 months or more before the start: taken as resubmitted at each expiry",
			cand.Submitted.Format(time.DateOnly)))
	}
	if err := p.schedule(nil); err != nil {
		return nil, err
	}
	if err := s.calibrate(p); err != nil {
		return nil, err
	}
	reg := pool.NewRegistry(pool.DefaultCategories...)
	out, err := sim.Odds(ctx, p.feed.Rounds, sim.OddsConfig{Config: p.config(), Candidate: cand}, reg, nil)
	if err != nil {
		return nil, err
	}
	months := oddsPoints(out.Curve(sim.OddsDates(p.start, p.end)), p.start, p.runs)
	var after []time.Time
	for _, r := range p.sched {
		after = append(after, r.Instant.Add(time.Second))
	}
	curve := oddsPoints(out.Curve(after), p.start, p.runs)
	var shares []reports.OddsShare
	for _, sh := range out.Shares() {
		shares = append(shares, reports.OddsShare{Family: sh.Family, Eligible: sh.Eligible, Count: sh.Count, Share: sh.Share})
	}

	res := newResult()
	desc := describe(cand)
	res.doc["candidate"] = candidateDoc(cand)
	res.doc["description"] = desc
	res.doc["start"] = p.start.Format(time.DateOnly)
	res.doc["end"] = p.end.UTC().Format(time.RFC3339)
	res.doc["snapshot_date"] = out.SnapshotDate.Format(time.DateOnly)
	res.doc["runs"] = p.runs
	res.doc["seed"] = p.seed
	res.doc["rounds_source"] = p.feed.Source
	// "months" and odds.csv: one row per calendar month end
	// (docs/datasets.md, "odds.csv"); by is the month's last day.
	monthEnds := oddsPoints(out.Curve(sim.MonthEnds(p.start, p.end)), p.start, p.runs)
	ms := []map[string]any{}
	for i, m := range monthEnds {
		monthEnds[i].Month = i + 1
		ms = append(ms, map[string]any{"month": i + 1, "by": m.By.AddDate(0, 0, -1).UTC().Format(time.DateOnly), "p_invited_by": num(m.P),
			"p_lo95": num(m.Lo), "p_hi95": num(m.Hi), "invited_runs": m.Invited, "runs": m.Runs})
	}
	res.doc["months"] = ms
	var fs []map[string]any
	for _, sh := range shares {
		fs = append(fs, map[string]any{"family": sh.Family, "eligible": sh.Eligible, "invitations": sh.Count, "share": num(sh.Share)})
	}
	res.doc["families"] = fs
	if wait, ok := out.MedianWait(); ok {
		res.doc["median_wait_months"] = math.Round(wait.Hours()/24/(365.25/12)*10) / 10
		res.doc["median_wait_date"] = p.start.Add(wait).Format(time.DateOnly)
	} else {
		res.doc["median_wait_months"] = nil
	}
	if first != nil {
		res.doc["crs"] = breakdownDoc(first)
	}
	if warnings == nil {
		warnings = []string{}
	}
	res.doc["warnings"] = warnings
	title := fmt.Sprintf("Chance of an invitation: %s, submitted %s, from %s",
		desc[len("a "):], cand.Submitted.UTC().Format(time.DateOnly), p.start.Format(time.DateOnly))
	if err := addSVG(res, "odds.svg", reports.OddsChart(curve, months, p.start, title)); err != nil {
		return nil, err
	}
	if err := addFile(res, "odds.csv", func(w io.Writer) error { return reports.WriteOddsCSV(w, monthEnds) }); err != nil {
		return nil, err
	}
	if err := addFile(res, "odds-families.csv", func(w io.Writer) error { return reports.WriteOddsSharesCSV(w, shares) }); err != nil {
		return nil, err
	}
	return res, nil
}

// projectionBody is the body of /api/projection: eesim simulate's flags.
type projectionBody struct {
	projectionRequest
	DrawSize []string `json:"draw_size,omitempty"` // FAMILY=N, as --draw-size
}

// projectionDefaultRuns is the default runs of the web view's projection,
// lower than eesim simulate's 1,000 so that the page answers in seconds.
const projectionDefaultRuns = 200

// apiProjection is eesim simulate: quantiles.csv's rows as "quantiles"
// (per family and month, the recent schedule) and a fan chart per family.
func (s *Server) apiProjection(ctx context.Context, body []byte) (*result, error) {
	var req projectionBody
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	p, err := s.check(req.projectionRequest, "6mo", projectionDefaultRuns, s.lim.MaxRuns)
	if err != nil {
		return nil, err
	}
	if err := p.schedule(req.DrawSize); err != nil {
		return nil, err
	}
	if err := s.calibrate(p); err != nil {
		return nil, err
	}
	reg := pool.NewRegistry(pool.DefaultCategories...)
	rows, err := sim.Project(ctx, p.feed.Rounds, p.config(), reg, nil)
	if err != nil {
		return nil, err
	}
	q := reports.QuantilesByMonth(rows)
	res := newResult()
	res.doc["start"] = p.start.Format(time.DateOnly)
	res.doc["horizon_end"] = p.end.UTC().Format(time.RFC3339)
	res.doc["snapshot_date"] = p.feed.Rounds[p.snap].SnapshotDate.Format(time.DateOnly)
	res.doc["runs"] = p.runs
	res.doc["seed"] = p.seed
	res.doc["draw_size"] = req.DrawSize
	var qs []map[string]any
	for _, r := range q {
		d := map[string]any{"month": r.Instant.UTC().Format("2006-01"), "date": r.Instant.UTC().Format(time.DateOnly),
			"family": r.Family, "size": r.Size, "runs": r.Runs, "of_runs": r.OfRuns, "new_family": r.NewFamily,
			"no_cutoff": r.NoCutoff}
		for i, name := range reports.QuantileNames {
			d[name] = num(r.Cutoff[i])
		}
		qs = append(qs, d)
	}
	res.doc["quantiles"] = qs
	var fams []string
	for _, f := range reports.FanFamilies(q) {
		name := "fan-" + f + ".svg"
		if err := addSVG(res, name, reports.FanChart(q, p.feed.Rounds, f, p.start)); err != nil {
			return nil, err
		}
		fams = append(fams, f)
	}
	res.doc["families"] = fams
	if err := addFile(res, "quantiles.csv", func(w io.Writer) error { return reports.WriteQuantilesCSV(w, q) }); err != nil {
		return nil, err
	}
	return res, nil
}

// whatIfBody is the body of /api/whatif: one sweep of eesim whatif, with
// an optional candidate.
type whatIfBody struct {
	candidateRequest
	projectionRequest
	Sweep string `json:"sweep"` // "draw-size", "cadence" or "mix"
	Spec  string `json:"spec"`  // FAMILY=FROM:TO:STEP for draw-size, else FROM:TO:STEP
}

// whatIfDefaultRuns is eesim whatif's.
const whatIfDefaultRuns = 20

// apiWhatIf is eesim whatif with one sweep: whatif.csv's rows as "rows"
// and the chart whatif.svg.
func (s *Server) apiWhatIf(ctx context.Context, body []byte) (*result, error) {
	var req whatIfBody
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var kind sim.SweepKind
	switch req.Sweep {
	case "draw-size":
		kind = sim.SweepDrawSize
	case "cadence":
		kind = sim.SweepCadence
	case "mix":
		kind = sim.SweepMix
	default:
		return nil, badRequest("whatif: give at least one sweep: --draw-size, --cadence or --mix")
	}
	sw, err := sim.ParseSweep(kind, req.Spec)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if len(sw.Values) > s.lim.MaxPoints {
		return nil, badRequest("--%s %s: %d points; this server sweeps at most %d", req.Sweep, req.Spec, len(sw.Values), s.lim.MaxPoints)
	}
	if req.given() {
		if err := req.candidateRequest.check("whatif"); err != nil {
			return nil, err
		}
	}
	p, err := s.check(req.projectionRequest, "6mo", whatIfDefaultRuns, s.lim.MaxWhatIfRuns)
	if err != nil {
		return nil, err
	}
	var cand *sim.Candidate
	desc := ""
	if req.given() {
		c, _, err := req.candidateRequest.candidate(p.start, p.end, p.feed.Rounds)
		if err != nil {
			return nil, err
		}
		cand, desc = &c, describe(c)
	}
	if err := p.schedule(nil); err != nil {
		return nil, err
	}
	for _, v := range sw.Values {
		if _, err := sw.Apply(p.sched, v, p.start, p.end); err != nil {
			return nil, badRequest("--%s %g: %v", sw.Kind, v, err)
		}
	}
	if err := s.calibrate(p); err != nil {
		return nil, err
	}
	cfg := p.config()
	cfg.Recent = nil // whatif sweeps the base schedule, the same in every run (cmd/eesim whatif)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	pts, err := sim.WhatIf(ctx, p.feed.Rounds, sim.WhatIfConfig{Config: cfg, End: p.end, Sweeps: []sim.Sweep{sw}, Candidate: cand}, reg, nil)
	if err != nil {
		return nil, err
	}
	var rows []reports.WhatIfRow
	var docRows, points []map[string]any
	for _, pt := range pts {
		points = append(points, map[string]any{"value": pt.Value, "p_invited": num(pt.PInvited), "p_lo95": num(pt.PLo), "p_hi95": num(pt.PHi)})
		for _, f := range pt.Families {
			r := reports.WhatIfRow{Sweep: pt.Sweep, Unit: pt.Unit, Value: pt.Value, Family: f.Family,
				P10: f.P10, P50: f.P50, P90: f.P90, N: f.N, Rounds: f.Rounds, Runs: pt.Runs,
				PInvited: pt.PInvited, PLo: pt.PLo, PHi: pt.PHi}
			rows = append(rows, r)
			docRows = append(docRows, map[string]any{"sweep": r.Sweep, "value": r.Value, "unit": r.Unit, "family": r.Family,
				"p10": num(r.P10), "p50": num(r.P50), "p90": num(r.P90), "observations": r.N, "rounds": r.Rounds, "runs": r.Runs,
				"p_invited": num(r.PInvited), "p_lo95": num(r.PLo), "p_hi95": num(r.PHi)})
		}
	}
	res := newResult()
	res.doc["sweep"] = sw.Name()
	res.doc["unit"] = sw.Unit()
	res.doc["start"] = p.start.Format(time.DateOnly)
	res.doc["end"] = p.end.UTC().Format(time.RFC3339)
	res.doc["runs_per_point"] = p.runs
	res.doc["seed"] = p.seed
	res.doc["rows"] = docRows
	res.doc["points"] = points
	if cand != nil {
		res.doc["candidate"] = candidateDoc(*cand)
		res.doc["description"] = desc
	}
	var warnings []string
	for _, name := range reports.WhatIfSweeps(rows) {
		fig := reports.WhatIfChart(rows, name, desc)
		if fig == nil {
			warnings = append(warnings, fmt.Sprintf("%s: no round with a cutoff below 600 to chart", name))
			continue
		}
		if err := addSVG(res, "whatif.svg", fig); err != nil {
			return nil, err
		}
	}
	if warnings == nil {
		warnings = []string{}
	}
	res.doc["warnings"] = warnings
	if err := addFile(res, "whatif.csv", func(w io.Writer) error { return reports.WriteWhatIfCSV(w, rows) }); err != nil {
		return nil, err
	}
	return res, nil
}
