package main

import (
	"encoding/json"
	"io"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim"
	"github.com/eesim/eesim/sim/schedule"
)

// RunRecord is config.json: everything needed to reproduce a run, written
// by every command that writes config.json (simulate, odds, whatif,
// backtest in its three modes) and read back by report. A field a command
// does not use is left out of its file. Keys are snake_case; the model's
// fields are pool.Model's (see docs/datasets.md, "config.json").
type RunRecord struct {
	Tool    string `json:"tool"`    // "eesim <version>"
	Command string `json:"command"` // the subcommand
	Mode    string `json:"mode,omitempty"`

	// The projection (simulate, odds, whatif).
	Start        time.Time `json:"start,omitzero"`
	SnapshotDate string    `json:"snapshot_date,omitempty"` // YYYY-MM-DD
	// The backtest's rounds or starts, and how far the record is complete.
	From      time.Time `json:"from,omitzero"`
	To        time.Time `json:"to,omitzero"`
	RecordEnd time.Time `json:"record_end,omitzero"`
	Horizon   string    `json:"horizon,omitempty"` // as given, e.g. "6mo"
	Months    int       `json:"months,omitempty"`  // the odds backtest's horizon in months
	End       time.Time `json:"end,omitzero"`      // start + horizon (odds, whatif)

	// Runs are the Monte Carlo runs: in all, per backtest round or start,
	// or per whatif sweep point.
	Runs      int     `json:"runs"`
	Seed      uint64  `json:"seed"`
	Shard     string  `json:"shard,omitempty"`
	ShardRuns *[2]int `json:"shard_runs,omitempty"` // [first, end) run indexes (simulate)

	RoundsSource   string          `json:"rounds_source"`
	ScheduleSource string          `json:"schedule_source,omitempty"` // a file, or "recent"
	DrawSizes      []string        `json:"draw_sizes,omitempty"`
	Sweeps         []sweepFile     `json:"sweeps,omitempty"`
	Profile        string          `json:"profile,omitempty"`
	Candidate      *candidateFile  `json:"candidate,omitempty"`
	Schedule       []scheduleEntry `json:"schedule,omitempty"` // run 0's with the recent schedule; whatif's base
	Settings       *settingsFile   `json:"settings,omitempty"`
	Model          *pool.Model     `json:"model,omitempty"`
	Calibration    map[string]any  `json:"calibration,omitempty"` // how the model was obtained (loadModel)

	// The backtests.
	CalibrationConfig *sim.CalibrationConfig  `json:"calibration_config,omitempty"`
	Grid              string                  `json:"grid,omitempty"` // the odds backtest's candidates: a file, or "default"
	GridOffsets       []int                   `json:"default_grid_offsets,omitempty"`
	GridSubmitted     []int                   `json:"default_grid_submitted_days_before,omitempty"`
	LogLossClip       float64                 `json:"log_loss_clip,omitempty"`
	ReliabilityBins   int                     `json:"reliability_bins,omitempty"`
	Starts            []sim.OddsBacktestStart `json:"starts,omitempty"`
}

// newRunRecord is the record of command, with the tool's version.
func newRunRecord(command string) RunRecord {
	return RunRecord{Tool: "eesim " + buildVersion(), Command: command}
}

// addRunRecord stages config.json in fs.
func addRunRecord(fs *data.FileSet, r *RunRecord) error {
	return addJSON(fs, "config.json", r)
}

// addJSON stages the indented JSON of v as name in fs.
func addJSON(fs *data.FileSet, name string, v any) error {
	return fs.Add(name, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

type scheduleEntry struct {
	Instant  time.Time `json:"instant"`
	Family   string    `json:"family"`
	Type     string    `json:"type"`
	Programs string    `json:"programs,omitempty"`
	Category string    `json:"category,omitempty"`
	Version  string    `json:"version,omitempty"`
	Size     int       `json:"size"`
}

type settingsFile struct {
	DeclineShare             float64 `json:"decline_share"`
	DeclineDelayDays         float64 `json:"decline_delay_days"`
	ArrivalScale             float64 `json:"arrival_scale"`
	NomineesInProgramRounds  bool    `json:"nominees_in_program_rounds"`
	NomineesInCategoryRounds bool    `json:"nominees_in_category_rounds"`
}

func scheduleEntries(sched []schedule.ScheduledRound) []scheduleEntry {
	out := make([]scheduleEntry, len(sched))
	for i, r := range sched {
		out[i] = scheduleEntry{Instant: r.Instant.UTC(), Family: r.Family(), Type: r.Type.String(),
			Programs: r.Programs.String(), Category: r.CategoryKey, Version: r.Version, Size: r.Size}
	}
	return out
}

func settingsOf(set sim.Settings) settingsFile {
	return settingsFile{
		DeclineShare: set.DeclineShare, DeclineDelayDays: set.DeclineDelay.Hours() / 24,
		ArrivalScale:            set.ArrivalScale,
		NomineesInProgramRounds: set.Rules.NomineesInProgramRounds, NomineesInCategoryRounds: set.Rules.NomineesInCategoryRounds,
	}
}

type candidateFile struct {
	Score      int          `json:"score"`
	Programs   string       `json:"programs"`
	Categories []string     `json:"categories,omitempty"`
	Nominated  bool         `json:"nominated"`
	Submitted  time.Time    `json:"submitted"`
	Changes    []changeFile `json:"changes,omitempty"`
}

type changeFile struct {
	From       time.Time `json:"from"`
	Score      int       `json:"score"`
	Programs   string    `json:"programs"`
	Categories []string  `json:"categories,omitempty"`
}

func candidateOf(c sim.Candidate) candidateFile {
	f := candidateFile{Score: c.Score, Programs: c.Programs.String(), Categories: c.Categories,
		Nominated: c.Nominated, Submitted: c.Submitted.UTC()}
	for _, ch := range c.Changes {
		f.Changes = append(f.Changes, changeFile{From: ch.From.UTC(), Score: ch.Score, Programs: ch.Programs.String(), Categories: ch.Categories})
	}
	return f
}

type sweepFile struct {
	Sweep  string    `json:"sweep"`
	Unit   string    `json:"unit"`
	Values []float64 `json:"values"`
}
