package pool

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/floats"
)

// Drain is a past round as the synthetic pool sees it: eligible candidates
// at or above its cutoff were invited, so those left in the pool at a
// snapshot submitted their profile after it (or, at the cutoff score,
// after its tie-break instant).
type Drain struct {
	At       int64       // round instant, Unix seconds
	Cutoff   int         // CRS cutoff
	TieBreak int64       // tie-break instant, Unix seconds; 0 if not published
	Eligible [16]bool    // by attr bits (data.Programs, data.PNP = nominated)
	Cats     CategorySet // category round: the candidate must hold one of these
}

func (d *Drain) applies(attr uint8, cats CategorySet) bool {
	return d.Eligible[attr&15] && (d.Cats == 0 || cats&d.Cats != 0)
}

// Category share for one category key.
type CategoryShare struct {
	Key   string                 `json:"key"`
	Share [data.NumBands]float64 `json:"share"` // share of each band's arrivals eligible for the category
}

// Model is the synthetic pool model: how candidates are spread within a
// published band, and which attributes they hold. See the package
// documentation for the reasoning behind each default.
type Model struct {
	// Tilt is the exponential slope of the arrival density within each
	// band, per CRS point: the density at score s is proportional to
	// exp(-Tilt*(s-low)). 0 is uniform; positive falls with score.
	Tilt [data.NumBands]float64 `json:"tilt"`
	// Curve bends the arrival density down further towards the top of a
	// band: exp(-Tilt*x - Curve*x*x), x = s - low.
	Curve [data.NumBands]float64 `json:"curve"`
	// TopFloor and TopScale shape the 601-1200 band, which holds the
	// provincial nominees (600 points plus a core score): no arrivals
	// below TopFloor, and above it a density falling as
	// exp(-(s-TopFloor)/TopScale). A PNP round invites nearly every
	// nominee, so its cutoff is the lowest nominee's score: near the floor.
	TopFloor float64 `json:"top_floor"`
	TopScale float64 `json:"top_scale"`

	// Arrival shares per band: the probability that a profile arriving in
	// the band is eligible for CEC, FSW, FST, or holds a nomination. The
	// pool's own mix follows from them and from the rounds that drained
	// each class (see Synthesizer.Build).
	CEC       [data.NumBands]float64 `json:"cec"`
	FSW       [data.NumBands]float64 `json:"fsw"`
	FST       [data.NumBands]float64 `json:"fst"`
	Nominated [data.NumBands]float64 `json:"nominated"`
	// Categories are the category shares, in registry order.
	Categories []CategoryShare `json:"categories"`
	// CategoryPersist is the share of category-eligible candidates who
	// already held their category when earlier category rounds ran, so
	// that those rounds drained them. The rest gained it since (a new
	// French test, a year in a listed occupation), keeping their original
	// submission instant, and are not bounded by past category rounds.
	CategoryPersist float64 `json:"category_persist"`
}

// legacyModelKeys maps the JSON keys of models written before the keys
// became snake_case (docs/datasets.md, "Conventions") to their names now.
// encoding/json matches the other old keys ("Tilt", "CEC", "Key") to
// their tags without regard to case.
var legacyModelKeys = map[string]string{
	"TopFloor": "top_floor", "TopScale": "top_scale", "CategoryPersist": "category_persist",
}

// UnmarshalJSON reads a model with snake_case keys, or one written by an
// earlier eesim with Go field names (a saved calibrate --write file).
func (m *Model) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for old, key := range legacyModelKeys {
		if v, ok := raw[old]; ok {
			if _, dup := raw[key]; !dup {
				raw[key] = v
			}
			delete(raw, old)
		}
	}
	nb, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	type plain Model // no methods: decodes with the field tags
	return json.Unmarshal(nb, (*plain)(m))
}

// Clone returns a deep copy of m.
func (m *Model) Clone() *Model {
	c := *m
	c.Categories = make([]CategoryShare, len(m.Categories))
	copy(c.Categories, m.Categories)
	return &c
}

// Share returns the share of category key, or nil.
func (m *Model) Share(key string) *[data.NumBands]float64 {
	for i := range m.Categories {
		if m.Categories[i].Key == key {
			return &m.Categories[i].Share
		}
	}
	return nil
}

// arrivalWeight returns the relative arrival density at score s in band b.
func (m *Model) arrivalWeight(b, s int) float64 {
	e := data.BandEdges[b]
	if b == 0 && m.TopScale > 0 {
		if float64(s) < m.TopFloor {
			return 0
		}
		return math.Exp(-(float64(s) - m.TopFloor) / m.TopScale)
	}
	x := float64(s - e.Low)
	return math.Exp(-m.Tilt[b]*x - m.Curve[b]*x*x)
}

// Live says which candidates the rounds of a run can invite: one with
// attribute bits a (data.Programs, data.PNP = nominated), categories c and
// score s is live when All[a] and s >= Floor[a], or, for a category bit k
// in c&Cats[a], when s >= CatFloor[a][k]. The rest are ghosts (see
// Pool.AddGhost). The floors are the lowest score some round open to the
// candidate ranks (draws.Lowest): a round never looks under its own.
type Live struct {
	All      [16]bool
	Cats     [16]CategorySet
	Floor    [16]int16
	CatFloor [16][MaxCategories]int16
}

// Of reports whether a candidate with attr bits a, categories c and
// score s is live.
func (l *Live) Of(a uint8, c CategorySet, s int) bool { return l == nil || s >= l.floor(a, c) }

// floor returns the lowest score at which a candidate with attr bits a
// and categories c is live: MaxScore+1 when no round is open to it.
func (l *Live) floor(a uint8, c CategorySet) int {
	a &= 15
	f := MaxScore + 1
	if l.All[a] {
		f = int(l.Floor[a])
	}
	for m := c & l.Cats[a]; m != 0; m &= m - 1 {
		f = min(f, int(l.CatFloor[a][bits.TrailingZeros32(uint32(m))]))
	}
	return f
}

// Open makes candidates with attr bits a live from score floor up, and,
// when cats is not 0, only those holding one of cats: the eligibility
// of a round that ranks down to floor.
func (l *Live) Open(a uint8, cats CategorySet, floor int) {
	a &= 15
	f := int16(min(max(floor, 0), MaxScore+1))
	if cats == 0 {
		if !l.All[a] || f < l.Floor[a] {
			l.Floor[a] = f
		}
		l.All[a] = true
		return
	}
	for m := cats; m != 0; m &= m - 1 {
		k := bits.TrailingZeros32(uint32(m))
		if l.Cats[a]&(m&-m) == 0 || f < l.CatFloor[a][k] {
			l.CatFloor[a][k] = f
		}
		l.Cats[a] |= m & -m
	}
}

// SynthSpec says what synthetic pool to build.
type SynthSpec struct {
	Counts   [data.NumBands]int // candidates per band, exactly
	At       time.Time          // the snapshot instant
	Model    *Model
	Registry *Registry
	// Drains are the rounds before At (older ones than 12 months are
	// ignored). They set how far back each candidate's submission can go.
	Drains []Drain
}

// Synthesizer builds synthetic pools. It caches per-spec tables, so reuse
// one per worker for the same spec. It is not safe for concurrent use.
type Synthesizer struct {
	spec    *SynthSpec
	at      int64
	catBits []CategorySet
	// tables[key] holds, for candidates with table key key (attr bits,
	// freshBit, relevant category bits: see tableKey), the window and
	// score tables; nil until first used.
	tables []*keyTables
	// bySet holds the tables by the set of drains that apply to them.
	bySet map[drainSet]*keyTables
	// relBits are the bits of relevant, lowest first.
	relBits []CategorySet
	// live, when not nil, says which candidates are added as
	// candidates; the others become ghosts, unless full.
	live *Live
	full bool
	// guess, when not nil, is a part of live (see SetGuess); with lazy,
	// only it is added as candidates.
	guess *Live
	lazy  bool
	// relevant are the category bits some drain looks at.
	relevant CategorySet
	attrs    [data.NumBands]attrTables
	recs     []synthRec
	tmp      []synthRec
	// mix[b] is band b's pool mix (mixOf); nil until first used. noMix:
	// the model has too many categories for it.
	mix   [data.NumBands]*poolMix
	noMix bool
	// split[b] is band b's split by status and window (splitOf); nil
	// until first used.
	split   [data.NumBands]*bandSplit
	batches []GhostBatch // scratch space of buildSplit
	spacing []float64    // scratch space of GhostBatch.expand
	// zmax[b] is the weight of band b for a class no round drained: the
	// arrival density times a full 12-month window (rejectClass).
	zmax [data.NumBands]float64

	// inflow[b] is the sum of 1/window over the band's candidates of the
	// last Build that drew every candidate (rejectClass): see
	// ArrivalModel.
	inflow [data.NumBands]float64
	// arrScore[b] draws an arrival's score in band b (offset from the
	// band's low edge) from the arrival density; arrCum[b] is that
	// density, cumulated.
	arrScore [data.NumBands]alias
	arrCum   [data.NumBands][]float64
	// arrGuide[b][k] is the first offset in band b whose arrCum passes
	// k/len of the band's total (scoreIn).
	arrGuide [data.NumBands][]int32
	// arrFrom[b][lo] draws an arrival's score in band b among those at
	// offset lo or more (offset from lo); nil until first used.
	arrFrom [data.NumBands][]alias
	// arrW[s] is the arrival density at score s (Model.arrivalWeight).
	arrW [MaxScore + 1]float64
}

// NewSynthesizer prepares to build pools for spec.
func NewSynthesizer(spec *SynthSpec) (*Synthesizer, error) {
	if spec.Model == nil || spec.Registry == nil {
		return nil, fmt.Errorf("pool: synth spec needs a model and a registry")
	}
	for b, c := range spec.Counts {
		if c < 0 {
			return nil, fmt.Errorf("pool: band %d-%d: negative count %d", data.BandEdges[b].Low, data.BandEdges[b].High, c)
		}
	}
	sy := &Synthesizer{spec: spec, at: spec.At.Unix()}
	for i := range spec.Drains {
		sy.relevant |= spec.Drains[i].Cats
	}
	for c := sy.relevant; c != 0; c &= c - 1 {
		sy.relBits = append(sy.relBits, c&-c)
	}
	if len(sy.relBits) > maxRelevant {
		return nil, fmt.Errorf("pool: %d categories have rounds in the 12 months before %s; at most %d are supported", len(sy.relBits), spec.At.Format(time.DateOnly), maxRelevant)
	}
	sy.tables = make([]*keyTables, 256<<len(sy.relBits))
	for b, e := range data.BandEdges {
		w := make([]float64, e.High-e.Low+1)
		acc := 0.0
		cum := make([]float64, len(w))
		for s := e.Low; s <= e.High; s++ {
			w[s-e.Low] = spec.Model.arrivalWeight(b, s)
			sy.arrW[s] = w[s-e.Low]
			sy.zmax[b] += sy.arrW[s] * float64(validitySeconds) // summed as tablesFor sums z
			acc += w[s-e.Low]
			cum[s-e.Low] = acc
		}
		sy.arrCum[b] = cum
		sy.arrGuide[b] = guideOf(cum)
		if acc == 0 {
			for i := range w {
				w[i] = 1 // no arrival density (a nominee floor above 1200): uniform
			}
		}
		sy.arrScore[b] = newAlias(w)
	}
	for _, cs := range spec.Model.Categories {
		bit, err := spec.Registry.Bit(cs.Key)
		if err != nil {
			return nil, err
		}
		sy.catBits = append(sy.catBits, bit)
	}
	sy.prepareAttrs()
	return sy, nil
}

// SetLive makes Build and the arrival models it returns add candidates
// that l says no round can invite as ghosts (Pool.AddGhost): they count in
// the pool's size and expire, and cost next to nothing. Which candidates
// are drawn, and the random numbers drawn, do not change: a run gives the
// same rounds whether live is set or not. nil makes every candidate live.
func (sy *Synthesizer) SetLive(l *Live) {
	sy.live = l
	sy.split = [data.NumBands]*bandSplit{}
}

// MaterializeGhosts, for tests, makes the ghosts of Build and of the
// arrival models it returns full candidates, with every other random
// number unchanged: as no round can invite them, every round's result
// must be the same either way.
func (sy *Synthesizer) MaterializeGhosts(on bool) { sy.full = on }

// SetGuess sets a part g of the live candidates (SetLive), those above
// scores the rounds are expected not to go under. Arrival models then draw
// the live candidates outside g (the dormant ones) as a stream of their
// own, after the rest: SetLazy(true) keeps them as ghosts, SetLazy(false)
// adds them as candidates, and every other random number is the same
// either way. So a run made lazily gives exactly the results of the same
// run made in full, as long as no round looks under g. nil: no guess.
func (sy *Synthesizer) SetGuess(g *Live) {
	sy.guess = g
	sy.split = [data.NumBands]*bandSplit{}
}

// SetLazy says whether Build and the arrival models it returns keep the
// dormant candidates (see SetGuess) as ghosts.
func (sy *Synthesizer) SetLazy(on bool) { sy.lazy = on }

// stored returns the live set Build adds as candidates.
func (sy *Synthesizer) stored() *Live {
	if sy.lazy && sy.guess != nil {
		return sy.guess
	}
	return sy.live
}

// Build fills p (after Reset) with a synthetic pool: exactly Counts[b]
// candidates in band b. Each candidate's class (attributes, and whether its
// categories are recent: see CategoryPersist) is drawn from the band's pool
// mix: the arrival share of the class times the weight of the band for it,
// its arrival density times the time a candidate of the class could have
// stayed in the pool at each score (12 months, or since the last round
// that would have invited it). Its score within the band is drawn from
// that density times that time, and its submission instant uniformly over
// that time. Candidates are added in submission order.
//
// Drawing every candidate so would cost most where it matters least:
// about 85% of a recent snapshot are ghosts or dormant (SetLive,
// SetGuess). So Build splits each band's mix into segments of one class,
// one window and one status (live, dormant, ghost) over a range of scores,
// and draws, per band, how many candidates fall in each status and, for
// the dormant and the ghosts, in each window. The live are then drawn one
// by one (a segment, a score in it, an instant); the others are batches
// of ghosts of one window (GhostBatch, uniform over it), made candidates
// from their own seeds only when they must be (MaterializeGhosts, or the
// dormant of a run that is not lazy). This draws from exactly the mix
// above. Models with more categories than attrTables enumerates have no
// mix to split (mixOf): they draw every candidate, its class by rejection
// (rejectClass).
func (sy *Synthesizer) Build(p *Pool, rng *Rand) {
	p.Reset()
	n := 0
	for _, c := range sy.spec.Counts {
		n += c
	}
	sy.inflow = [data.NumBands]float64{}
	sy.recs = slices.Grow(sy.recs[:0], n)
	if sy.mixOf(0) != nil {
		sy.buildSplit(p, rng)
		return
	}
	for b, count := range sy.spec.Counts {
		e := data.BandEdges[b]
		for range count {
			a, cats, t := sy.rejectClass(b, rng)
			sc := t.score[b]
			switch {
			case t.z[b] == 0:
				sc = sy.arrScore[b] // no class can stay in this band
			case sc == nil:
				sc = t.scoreTable(b, sy.arrW[:])
			}
			s := e.Low + sc.draw(rng.Uint64())
			w := t.win[s]
			sub := sy.at - int64(rng.Float64()*float64(w))
			sy.inflow[b] += 1 / float64(w)
			sy.addRec(sub, s, a, cats, b)
		}
	}
	// By submission instant; ties keep the order they were drawn in.
	sy.tmp = radixSort(sy.recs, sy.tmp)
	base := sy.at - validitySeconds - 1
	live := sy.stored()
	p.startBatch()
	for _, r := range sy.recs {
		s, a, b, cats := int(r.val&(1<<11-1)), uint8(r.val>>11)&15, int(r.val>>16)&15, CategorySet(r.val>>32)
		if !sy.full && !live.Of(a, cats, s) {
			p.AddGhost(base+int64(r.key), b)
			continue
		}
		p.addBatched(s, base+int64(r.key), a, cats)
	}
	p.flushBatch()
}

// poolMix draws the class of a candidate of one band of the synthetic
// pool from one random number.
type poolMix struct {
	tab   alias
	class []poolClass
}

// poolClass is a class of candidates: attr bits, categories, and the
// tables of its table key (freshBit included).
type poolClass struct {
	a    uint8
	cats CategorySet
	t    *keyTables
	q    float64 // arrival share
}

// mixOf returns the pool mix of band b, computing it on first use, or nil
// when the model has more categories than attrTables enumerates (then
// rejectClass draws classes).
//
// The pool mix of class k is q_k z_k: q_k its arrival share (attrTables;
// a category holder's class splits into persisting, share
// CategoryPersist, and fresh), z_k the weight of the band for its table
// key (keyTables.z). Classes a round drained recently stay fewer in the
// pool, in proportion to how long they can stay.
func (sy *Synthesizer) mixOf(b int) *poolMix {
	if sy.mix[b] != nil || sy.noMix {
		return sy.mix[b]
	}
	at := &sy.attrs[b]
	if at.catsOf == nil {
		sy.noMix = true
		return nil
	}
	persist := sy.spec.Model.CategoryPersist
	sub := at.subsetProbs()
	m := &poolMix{}
	var w, q []float64
	add := func(a uint8, cats CategorySet, key uint8, pr float64) {
		if pr <= 0 {
			return
		}
		t := sy.tablesFor(key, cats)
		m.class = append(m.class, poolClass{a: a, cats: cats, t: t, q: pr})
		w = append(w, pr*t.z[b])
		q = append(q, pr)
	}
	for a, pa := range at.pAttr {
		for j, pj := range sub {
			cats := at.catsOf[j]
			if cats&sy.relevant == 0 {
				add(uint8(a), cats, uint8(a), pa*pj)
				continue
			}
			add(uint8(a), cats, uint8(a), pa*pj*persist)
			add(uint8(a), cats, uint8(a)|freshBit, pa*pj*(1-persist))
		}
	}
	total := floats.Sum(w)
	switch {
	case len(w) == 0:
		m.class = []poolClass{{a: uint8(data.FSW), t: sy.tablesFor(uint8(data.FSW), 0), q: 1}}
		m.tab = newAlias([]float64{1})
	case total == 0:
		// No class can stay in the band (every one drained at every
		// score): keep the arrival mix; Build then spreads scores by the
		// arrival density.
		m.tab = newAlias(q)
	default:
		m.tab = newAlias(w)
	}
	sy.mix[b] = m
	return m
}

// rejectClass draws a candidate's class in band b by rejection: an
// arrival's class, kept with probability its weight in the band over the
// weight of a class no round drained (the pool mix q_k z_k from the
// arrival mix q_k). mixOf computes that mix directly when it can.
func (sy *Synthesizer) rejectClass(b int, rng *Rand) (uint8, CategorySet, *keyTables) {
	zmax := sy.zmax[b]
	for try := 0; ; try++ {
		a, cats := sy.attrs[b].draw(rng)
		key := a
		if cats&sy.relevant != 0 && rng.Float64() >= sy.spec.Model.CategoryPersist {
			key |= freshBit
		}
		t := sy.tablesFor(key, cats)
		if try == maxTries || t.z[b] >= zmax || rng.Float64()*zmax < t.z[b] {
			return a, cats, t
		}
	}
}

// synthRec is a candidate drawn by Build, before the sort by submission
// instant: key is the instant, in seconds after the start of the 12-month
// window; val packs the score (bits 0-10), the attr bits (11-14), the band
// (16-19) and the categories (32-63). The sort moves whole records, so
// that adding them in order reads memory in order.
type synthRec struct {
	key, val uint64
}

// addRecs adds recs, sorted by key, to p as a batch, each submitted at
// base+key: what addBatched does for each, with the columns written
// directly.
func (p *Pool) addRecs(recs []synthRec, base int64) {
	p.startBatch()
	k := len(recs)
	switch {
	case k == 0:
	case !p.fits(base + int64(recs[0].key)):
		for _, r := range recs {
			p.addBatched(int(r.val&(1<<11-1)), base+int64(r.key), uint8(r.val>>11)&15, CategorySet(r.val>>32))
		}
	default:
		score, sub, hot, cats := p.extend(k, base+int64(recs[k-1].key))
		for i, r := range recs {
			score[i] = uint16(r.val & (1<<11 - 1))
			sub[i] = base + int64(r.key)
			hot[i] = uint8(r.val>>11)&15 | uint8(Active)<<4
			cats[i] = CategorySet(r.val >> 32)
		}
	}
	p.flushBatch()
}

// radixSort sorts recs by key (LSD, 9 bits a pass, so that a pass writes
// to few enough places at once to stay in the cache): stable, so records
// with equal keys keep their order. tmp is scratch space, returned for
// reuse.
func radixSort(recs, tmp []synthRec) []synthRec {
	if len(recs) < 2 {
		return tmp
	}
	var max uint64
	for _, r := range recs {
		max |= r.key
	}
	tmp = slices.Grow(tmp[:0], len(recs))[:len(recs)]
	src, dst := recs, tmp
	const bits = 9
	var count [1 << bits]int
	for shift := uint(0); shift < 64 && max>>shift > 0; shift += bits {
		clear(count[:])
		for _, r := range src {
			count[(r.key>>shift)&(1<<bits-1)]++
		}
		pos := 0
		for i := range count {
			c := count[i]
			count[i] = pos
			pos += c
		}
		for _, r := range src {
			d := (r.key >> shift) & (1<<bits - 1)
			dst[count[d]] = r
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &recs[0] {
		copy(recs, src)
	}
	return tmp
}
