package sim

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// CalibrationConfig tunes the calibrator. DefaultCalibration documents the
// defaults.
type CalibrationConfig struct {
	Scale float64 // pool scale of the calibration replays (speed)
	Rate  float64 // learning rate of the online updates
	Seed  uint64
}

// DefaultCalibration: replays at a quarter of the pool (a 250k pool becomes
// 62k, enough to place a cutoff within a point or two in the dense bands)
// and a learning rate of 0.7 (a family's share moves 70% of the way, in
// log terms, to what the last round implied).
var DefaultCalibration = CalibrationConfig{Scale: 0.25, Rate: 0.7, Seed: 20250101}

// Observation is what calibration learned from one real round.
type Observation struct {
	Number  string    `json:"draw_number"`
	Date    time.Time `json:"draw_date"`
	Family  string    `json:"family"`
	Size    int       `json:"size"`
	Real    int       `json:"real_cutoff"`
	Sim     int       `json:"sim_cutoff"`
	Above   int       `json:"sim_eligible_at_or_above_real"`
	Param   string    `json:"param"`
	Before  float64   `json:"before"`
	After   float64   `json:"after"`
	Skipped string    `json:"skipped,omitempty"`
}

// Calibrator learns the pool model from real rounds, one at a time, in
// time order, so that the model after round k uses only rounds up to k.
//
// For each round with a published snapshot it replays the round on a
// synthetic pool built from that snapshot with the current model, and
// compares: the number of eligible candidates the model puts at or above
// the real cutoff against the real size N (IRCC invited exactly the N
// eligible candidates at or above the cutoff). The ratio moves the
// parameter that the round's family identifies:
//   - a CEC round: the CEC share of every band;
//   - a category round: that category's share (a new category starts at
//     the mean share of the known ones, and says so);
//   - a general round with a cutoff in 501-600: the arrival tilt of that
//     band (fewer candidates above the cutoff than real means the band is
//     too bottom-heavy);
//   - a PNP round: the centre of the nominees' score distribution, moved
//     by the cutoff error.
//
// Rounds of other families (FSW, FST) are replayed but move nothing.
type Calibrator struct {
	cfg   CalibrationConfig
	model *pool.Model
	reg   *pool.Registry
	rules draws.Rules
	Log   []Observation
	Notes []string
	n     int
}

// NewCalibrator starts from model m (copied).
func NewCalibrator(m *pool.Model, cfg CalibrationConfig) *Calibrator {
	return &Calibrator{cfg: cfg, model: m.Clone(), reg: pool.NewRegistry(pool.DefaultCategories...), rules: draws.DefaultRules}
}

// Model returns a copy of the current model.
func (c *Calibrator) Model() *pool.Model { return c.model.Clone() }

// Observe learns from rounds[k], which must have a snapshot, using the
// rounds before it. rounds must be in time order.
func (c *Calibrator) Observe(rounds []data.Round, k int) error {
	r := &rounds[k]
	obs := Observation{Number: r.Number, Date: r.Date, Family: r.Family(), Size: r.Invitations, Real: r.Cutoff}
	if r.Snapshot == nil {
		return nil
	}
	fam := r.Family()
	if r.Type == data.Category && c.model.Share(r.Category) == nil {
		c.addCategory(r.Category)
	}
	sc, err := NewScenario(rounds, k, r.Instant, c.reg, c.rules)
	if err != nil {
		return err
	}
	d, err := ToDraws(r, c.reg)
	if err != nil {
		return err
	}
	sc.Steps = append(sc.Steps, Step{Round: d, Record: true})
	set := DefaultSettings(c.model)
	set.Scale = c.cfg.Scale
	rn, err := NewRunner(sc, set, c.reg)
	if err != nil {
		return err
	}
	probes := make([]int, len(sc.Steps))
	for i := range probes {
		probes[i] = -1
	}
	probes[len(probes)-1] = r.Cutoff
	rn.Probes = probes
	out := rn.Run(RunRNG(c.cfg.Seed, c.n), nil, nil)
	c.n++
	o := out[0]
	obs.Sim = o.Cutoff
	obs.Above = int(float64(o.Above)/c.cfg.Scale + 0.5)
	n := float64(r.Invitations)
	ratio := n / math.Max(float64(obs.Above), 1)
	ratio = math.Max(0.1, math.Min(10, ratio))
	step := c.cfg.Rate * math.Log(ratio)
	switch {
	case fam == "cec":
		obs.Param = "cec_share"
		obs.Before = c.model.CEC[1]
		for b := range c.model.CEC {
			c.model.CEC[b] = clampShare(c.model.CEC[b] * math.Exp(step))
		}
		obs.After = c.model.CEC[1]
	case r.Type == data.Category:
		sh := c.model.Share(r.Category)
		obs.Param = r.Category + "_share"
		obs.Before = sh[5]
		for b := range sh {
			sh[b] = clampShare(sh[b] * math.Exp(step))
		}
		obs.After = sh[5]
	case fam == "general" && r.Cutoff > 500 && r.Cutoff <= 600:
		obs.Param = "tilt_501_600"
		obs.Before = c.model.Tilt[1]
		// More candidates needed above the cutoff: flatten the band.
		c.model.Tilt[1] = math.Max(0.001, math.Min(0.2, c.model.Tilt[1]*math.Exp(-step)))
		obs.After = c.model.Tilt[1]
	case fam == "pnp" && o.Cutoff > 0:
		obs.Param = "nominee_center"
		obs.Before = c.model.TopCenter
		c.model.TopCenter += c.cfg.Rate * float64(r.Cutoff-o.Cutoff)
		c.model.TopCenter = math.Max(650, math.Min(1100, c.model.TopCenter))
		obs.After = c.model.TopCenter
	default:
		obs.Skipped = "family has no parameter of its own"
	}
	c.Log = append(c.Log, obs)
	return nil
}

func clampShare(v float64) float64 { return math.Max(0.001, math.Min(0.99, v)) }

// addCategory adds a category never seen before, at the mean share of the
// known ones (the nearest model there is), and notes it.
func (c *Calibrator) addCategory(key string) {
	var mean [data.NumBands]float64
	for _, cs := range c.model.Categories {
		for b := range mean {
			mean[b] += cs.Share[b] / float64(len(c.model.Categories))
		}
	}
	c.model.Categories = append(c.model.Categories, pool.CategoryShare{Key: key, Share: mean})
	c.Notes = append(c.Notes, fmt.Sprintf("category %q is new: it starts from the mean share of the known categories", key))
}

// CalibrateAsOf runs the calibrator over every round with a snapshot
// before asOf, from the default model.
func CalibrateAsOf(rounds []data.Round, asOf time.Time, cfg CalibrationConfig) (*Calibrator, error) {
	c := NewCalibrator(DefaultModel(), cfg)
	for k := range rounds {
		if !rounds[k].Instant.Before(asOf) {
			break
		}
		if err := c.Observe(rounds, k); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// sortedCopy returns xs sorted.
func sortedCopy(xs []float64) []float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s
}

// EnsureCategory adds key to the model if it is new (see addCategory).
func (c *Calibrator) EnsureCategory(key string) {
	if c.model.Share(key) == nil {
		c.addCategory(key)
	}
}
