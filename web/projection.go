package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/pool/crs"
	"github.com/eesim/eesim/sim"
	"github.com/eesim/eesim/sim/schedule"
)

// This file sets up a projection as eesim simulate, odds and whatif do
// (cmd/eesim: projectionStart, buildSchedule with the recent schedule,
// loadModel with the calibration on the feed before the start,
// oddsCandidate), from the same library calls. The server takes no
// schedule or model file: no request reads a path.

// decode decodes a JSON body into v strictly: unknown fields and trailing
// data are errors, as for eesim's JSON inputs (crs.DecodeProfile).
func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return badRequest("%s: want a %s, got JSON %s", te.Field, te.Type, te.Value)
		}
		return badRequest("request body: %v", err)
	}
	if dec.More() {
		return badRequest("request body: trailing data after the JSON object")
	}
	return nil
}

// projectionRequest are the fields every Monte Carlo request shares: the
// flags of the same names of eesim simulate, odds and whatif.
type projectionRequest struct {
	Start   string  `json:"start,omitempty"`   // YYYY-MM-DD or RFC 3339; default the day after the feed's last round
	Horizon string  `json:"horizon,omitempty"` // e.g. 6mo; default the command's
	Runs    int     `json:"runs,omitempty"`    // default the command's
	Seed    *uint64 `json:"seed,omitempty"`    // default 1
}

// projection is a projection set up for a request.
type projection struct {
	feed    *data.Feed
	start   time.Time
	snap    int // index of the round whose snapshot the pool starts from
	horizon time.Duration
	end     time.Time
	runs    int
	seed    uint64
	sched   []schedule.ScheduledRound
	recent  *sim.RecentDraw
	model   *pool.Model
	errs    *sim.ErrorModel
}

// check validates the request's runs, horizon and start against the
// server's caps, with defaults for the fields left out.
func (s *Server) check(req projectionRequest, defHorizon string, defRuns, maxRuns int) (*projection, error) {
	p := &projection{feed: s.cfg.Feed, runs: req.Runs, seed: 1}
	if req.Seed != nil {
		p.seed = *req.Seed
	}
	if p.runs == 0 {
		p.runs = min(defRuns, maxRuns)
	}
	if err := sim.CheckRange("--runs", p.runs, 1, sim.MaxRuns); err != nil {
		return nil, badRequest("%v", err)
	}
	if p.runs > maxRuns {
		return nil, badRequest("--runs %d: this server runs at most %d per request", p.runs, maxRuns)
	}
	h := req.Horizon
	if h == "" {
		h = defHorizon
	}
	var err error
	if p.horizon, err = sim.ParseHorizon(h); err != nil {
		return nil, badRequest("%v", err)
	}
	if p.horizon > s.lim.MaxHorizon {
		return nil, badRequest("horizon %q: this server projects at most %.0f months", h, s.lim.MaxHorizon.Hours()/24/(365.25/12))
	}
	rounds := p.feed.Rounds
	p.start = sim.DefaultStart(rounds)
	if req.Start != "" {
		if p.start, err = sim.ParseDate(req.Start); err != nil {
			return nil, badRequest("--start: %v", err)
		}
	}
	p.snap = sim.LatestSnapshot(rounds, p.start)
	if p.snap < 0 {
		return nil, badRequest("--start %s: no published pool distribution on or before it (the first is in January 2022)", p.start.Format(time.DateOnly))
	}
	p.end = p.start.Add(p.horizon)
	return p, nil
}

// schedule draws the recent schedule from the start (cmd/eesim
// buildSchedule), with the draw-size overrides.
func (p *projection) schedule(sizes []string) error {
	var before []data.Round
	for _, r := range p.feed.Rounds {
		if r.Instant.Before(p.start) {
			before = append(before, r)
		}
	}
	p.recent = &sim.RecentDraw{Rounds: before, Horizon: p.horizon}
	p.sched = p.recent.Draw(p.start, p.seed, 0)
	if len(p.sched) == 0 {
		return badRequest("schedule recent: no real rounds in the months before %s to repeat", p.start.Format(time.DateOnly))
	}
	if len(sizes) > 0 {
		m, err := schedule.ParseDrawSizes(sizes)
		if err != nil {
			return badRequest("%v", err)
		}
		if err := schedule.ApplySizeOverrides(p.sched, m); err != nil {
			return badRequest("%v", err)
		}
		p.recent.Sizes = m
	}
	return nil
}

// modelCache keeps the calibration of each start: calibrating takes about
// 2 s unless it is the one shipped in the binary (sim.Calibrate).
type modelCache struct {
	mu sync.Mutex
	m  map[time.Time]*sim.Calibrated
}

// calibrate sets the pool model and its error, calibrated on the feed
// before the start (cmd/eesim loadModel), for the projection's schedule.
func (s *Server) calibrate(p *projection) error {
	s.models.mu.Lock()
	cal := s.models.m[p.start]
	s.models.mu.Unlock()
	if cal == nil {
		var err error
		if cal, err = sim.Calibrate(p.feed.Rounds, p.start, s.cfg.Calibrations); err != nil {
			return err
		}
		for _, n := range cal.Notes {
			s.log.Printf("warning: calibration: %s", n)
		}
		s.models.mu.Lock()
		if s.models.m == nil {
			s.models.m = map[time.Time]*sim.Calibrated{}
		}
		s.models.m[p.start] = cal
		s.models.mu.Unlock()
	}
	p.model = cal.Model.Clone()
	p.errs = cal.ErrorModel.WithRecord(p.feed.Rounds, p.start, p.sched)
	return nil
}

// config is the sim.Config of the projection.
func (p *projection) config() sim.Config {
	return sim.Config{Start: p.start, Schedule: p.sched, Runs: p.runs, Seed: p.seed, Settings: sim.DefaultSettings(p.model),
		Errors: p.errs, Recent: p.recent}
}

// candidateRequest describes the candidate as eesim odds's flags do:
// score with programs (or nominated), or a profile (the JSON of eesim
// crs, inline); programs, categories and nominated override the
// profile's.
type candidateRequest struct {
	Score      *int            `json:"score,omitempty"`
	Profile    json.RawMessage `json:"profile,omitempty"`
	Programs   *string         `json:"programs,omitempty"`   // e.g. "CEC,FSW"
	Categories *string         `json:"categories,omitempty"` // e.g. "french,healthcare"
	Nominated  bool            `json:"nominated,omitempty"`
	Submitted  string          `json:"submitted,omitempty"` // YYYY-MM-DD or RFC 3339
}

func (c *candidateRequest) given() bool { return c.Score != nil || len(c.Profile) > 0 }

// check validates the combination, as cmd/eesim candidateFlags.check.
func (c *candidateRequest) check(name string) error {
	if c.Score != nil && len(c.Profile) > 0 {
		return badRequest("%s: give exactly one of --score and --profile", name)
	}
	if c.Score != nil && c.Programs == nil && !c.Nominated {
		return badRequest("%s: --score needs --programs (e.g. --programs CEC,FSW) or --nominated", name)
	}
	return nil
}

// profileError is the message of a profile that does not decode or
// validate, as eesim crs prints it (with "profile" for the file name).
func profileError(err error) error {
	var fe *crs.FieldError
	if errors.As(err, &fe) {
		fe.File = "profile"
		return badRequest("%v", fe)
	}
	return badRequest("profile: %v", err)
}

// candidate builds the candidate between start and end: a fixed score, or
// the profile scored on every date its score or eligibility may change
// (crs.Changes), as cmd/eesim oddsCandidate. It also returns the
// profile's breakdown on the start, when there is a profile.
func (c *candidateRequest) candidate(start, end time.Time, rounds []data.Round) (sim.Candidate, *crs.Breakdown, error) {
	var cand sim.Candidate
	// A category no round has would be ignored: say so, as the CLI does.
	known := data.KnownCategories(rounds)
	if c.Categories != nil {
		for _, k := range data.ParseKeys(*c.Categories) {
			if err := data.CheckCategory(k, known); err != nil {
				return cand, nil, badRequest("--categories: %v", err)
			}
		}
	}
	var progs data.Programs
	if c.Programs != nil {
		var err error
		if progs, err = data.ParseFederalPrograms(*c.Programs); err != nil {
			return cand, nil, badRequest("--programs: %v", err)
		}
	}
	var first *crs.Breakdown
	if len(c.Profile) == 0 {
		if *c.Score < 0 || *c.Score > pool.MaxScore {
			return cand, nil, badRequest("--score %d: want 0 to %d", *c.Score, pool.MaxScore)
		}
		var cats []string
		if c.Categories != nil {
			cats = data.ParseKeys(*c.Categories)
		}
		cand = sim.Candidate{Score: *c.Score, Programs: progs, Categories: cats, Nominated: c.Nominated}
	} else {
		p, err := crs.DecodeProfile(bytes.NewReader(c.Profile))
		if err != nil {
			return cand, nil, profileError(err)
		}
		for i, k := range p.Categories {
			if err := data.CheckCategory(k, known); err != nil {
				return cand, nil, badRequest("profile: categories[%d]: %v", i, err)
			}
		}
		var ov sim.ProfileOverrides
		if c.Programs != nil {
			ov.Programs = &progs
		}
		if c.Categories != nil {
			ov.Categories = data.ParseKeys(*c.Categories)
		}
		ov.Nominated = c.Nominated
		b, err := crs.Score(p, start)
		if err != nil {
			return cand, nil, badRequest("profile: %v", err)
		}
		first = &b
		if cand, err = sim.CandidateFromProfile(p, start, end, ov); err != nil {
			return cand, nil, badRequest("profile: %v", err)
		}
	}
	if c.Submitted != "" {
		t, err := sim.ParseDate(c.Submitted)
		if err != nil {
			return cand, nil, badRequest("--submitted: %v", err)
		}
		cand.Submitted = t
	}
	if cand.Submitted.IsZero() {
		cand.Submitted = start
	}
	return cand, first, nil
}

// describe is "a CRS of 520 in CEC, FSW (categories: french)", as eesim
// odds prints it.
func describe(c sim.Candidate) string {
	var ps []string
	for _, p := range []struct {
		bit  data.Programs
		name string
	}{{data.CEC, "CEC"}, {data.FSW, "FSW"}, {data.FST, "FST"}} {
		if c.Programs&p.bit != 0 {
			ps = append(ps, p.name)
		}
	}
	if c.Nominated {
		ps = append(ps, "PNP (nominated)")
	}
	d := fmt.Sprintf("a CRS of %d", c.Score)
	if len(ps) > 0 {
		d += " in " + strings.Join(ps, ", ")
	}
	if len(c.Categories) > 0 {
		d += " (categories: " + strings.Join(c.Categories, ", ") + ")"
	}
	return d
}

// num is v for JSON: nil (null) when v is NaN, which JSON cannot hold.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
