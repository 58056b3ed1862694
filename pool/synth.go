package pool

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/eesim/eesim/data"
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
	Key   string
	Share [data.NumBands]float64 // share of each band's arrivals eligible for the category
}

// Model is the synthetic pool model: how candidates are spread within a
// published band, and which attributes they hold. See the package
// documentation for the reasoning behind each default.
type Model struct {
	// Tilt is the exponential slope of the arrival density within each
	// band, per CRS point: the density at score s is proportional to
	// exp(-Tilt*(s-low)). 0 is uniform; positive falls with score.
	Tilt [data.NumBands]float64
	// Curve bends the arrival density down further towards the top of a
	// band: exp(-Tilt*x - Curve*x*x), x = s - low.
	Curve [data.NumBands]float64
	// TopFloor and TopScale shape the 601-1200 band, which holds the
	// provincial nominees (600 points plus a core score): no arrivals
	// below TopFloor, and above it a density falling as
	// exp(-(s-TopFloor)/TopScale). A PNP round invites nearly every
	// nominee, so its cutoff is the lowest nominee's score: near the floor.
	TopFloor, TopScale float64

	// Arrival shares per band: the probability that a profile arriving in
	// the band is eligible for CEC, FSW, FST, or holds a nomination. The
	// pool's own mix follows from them and from the rounds that drained
	// each class (see Synthesizer.Build).
	CEC, FSW, FST, Nominated [data.NumBands]float64
	// Categories are the category shares, in registry order.
	Categories []CategoryShare
	// CategoryPersist is the share of category-eligible candidates who
	// already held their category when earlier category rounds ran, so
	// that those rounds drained them. The rest gained it since (a new
	// French test, a year in a listed occupation), keeping their original
	// submission instant, and are not bounded by past category rounds.
	CategoryPersist float64
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
	// cdf[key][band] is the cumulative weight of scores in the band for
	// candidates with attribute key; win[key][s] the window in seconds.
	tables map[uint64]*keyTables
	// relevant are the category bits some drain looks at.
	relevant CategorySet
	attrs    [data.NumBands]attrTables
	buf      []uint64
	sc       []uint16
	at8      []uint8
	ct       []CategorySet

	// inflow[b] accumulates 1/window over the band's candidates of the
	// last Build, by attribute key: see ArrivalModel.
	inflow [data.NumBands]map[uint64]float64
}

type keyTables struct {
	win [MaxScore + 1]int64
	cdf [data.NumBands][]float64
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
	sy := &Synthesizer{spec: spec, at: spec.At.Unix(), tables: map[uint64]*keyTables{}}
	for i := range spec.Drains {
		sy.relevant |= spec.Drains[i].Cats
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

// freshBit marks, in a table key, a candidate whose categories are recent:
// category rounds did not drain it.
const freshBit = 1 << 7

func (sy *Synthesizer) tablesFor(attr uint8, cats CategorySet) *keyTables {
	key := uint64(attr) | uint64(cats&sy.relevant)<<8
	if t, ok := sy.tables[key]; ok {
		return t
	}
	t := &keyTables{}
	floor := sy.at - validitySeconds
	for s := range t.win {
		t.win[s] = sy.at - floor
	}
	for i := range sy.spec.Drains {
		d := &sy.spec.Drains[i]
		if d.At <= floor || d.At > sy.at || !d.applies(attr&15, cats) {
			continue
		}
		if d.Cats != 0 && attr&freshBit != 0 {
			continue
		}
		for s := d.Cutoff; s <= MaxScore; s++ {
			from := d.At
			if s == d.Cutoff && d.TieBreak != 0 {
				from = d.TieBreak
			}
			if w := sy.at - from; w < t.win[s] {
				if w < 1 {
					w = 1
				}
				t.win[s] = w
			}
		}
	}
	m := sy.spec.Model
	for b, e := range data.BandEdges {
		cdf := make([]float64, e.High-e.Low+1)
		acc := 0.0
		for s := e.Low; s <= e.High; s++ {
			acc += m.arrivalWeight(b, s) * float64(t.win[s])
			cdf[s-e.Low] = acc
		}
		t.cdf[b] = cdf
	}
	sy.tables[key] = t
	return t
}

// Build fills p (after Reset) with a synthetic pool: exactly Counts[b]
// candidates in band b. Each candidate's attributes are drawn from the
// band's shares; its score within the band from the arrival density times
// the time a candidate with those attributes could have stayed in the
// pool at that score (12 months, or since the last round that would have
// invited it); its submission instant uniformly over that time.
// Candidates are added in submission order.
func (sy *Synthesizer) Build(p *Pool, rng *rand.Rand) {
	p.Reset()
	m := sy.spec.Model
	n := 0
	for _, c := range sy.spec.Counts {
		n += c
	}
	sy.buf = sy.buf[:0]
	sy.sc = sy.sc[:0]
	sy.at8 = sy.at8[:0]
	sy.ct = sy.ct[:0]
	for b := range sy.inflow {
		clear(sy.inflow[b])
		if sy.inflow[b] == nil {
			sy.inflow[b] = map[uint64]float64{}
		}
	}
	full := float64(validitySeconds)
	for b, count := range sy.spec.Counts {
		e := data.BandEdges[b]
		// zmax is the weight of the band for a candidate no round ever
		// drained: the arrival density times a full 12-month window.
		zmax := 0.0
		for s := e.Low; s <= e.High; s++ {
			zmax += m.arrivalWeight(b, s) * full
		}
		for i := 0; i < count; i++ {
			// Draw an arrival's attributes, and keep it with probability
			// its class's weight in the band over zmax: classes that
			// rounds drain stay fewer in the pool, in proportion to how
			// long they can stay (rejection sampling of the pool mix
			// q_k * sum_s f(s) W_k(s) from the arrival mix q_k).
			var a uint8
			var cats CategorySet
			var key uint8
			var t *keyTables
			for try := 0; ; try++ {
				a, cats = sy.drawAttrs(b, rng)
				key = a
				if cats != 0 && rng.Float64() >= m.CategoryPersist {
					key |= freshBit
				}
				t = sy.tablesFor(key, cats)
				cdf := t.cdf[b]
				if try == maxTries || rng.Float64()*zmax < cdf[len(cdf)-1] {
					break
				}
			}
			cdf := t.cdf[b]
			u := rng.Float64() * cdf[len(cdf)-1]
			j := searchCDF(cdf, u)
			s := e.Low + j
			sub := sy.at - int64(rng.Float64()*float64(t.win[s]))
			sy.inflow[b][uint64(a)|uint64(cats)<<8] += 1 / float64(t.win[s])
			sy.buf = append(sy.buf, uint64(sub-(sy.at-validitySeconds-1))<<26|uint64(len(sy.sc)))
			sy.sc = append(sy.sc, uint16(s))
			sy.at8 = append(sy.at8, a)
			sy.ct = append(sy.ct, cats)
		}
	}
	radixSort(sy.buf)
	base := sy.at - validitySeconds - 1
	for _, k := range sy.buf {
		i := k & (1<<26 - 1)
		p.AddRaw(int(sy.sc[i]), base+int64(k>>26), sy.at8[i], sy.ct[i])
	}
}

// maxTries bounds the rejection sampling of a candidate's class; past it
// the last class drawn is kept (only a band drained of every class could
// get there).
const maxTries = 1000

// drawAttrs draws an arrival's programs, nomination and categories from
// the band's shares: each is an independent draw, made with as few random
// numbers as the precomputed tables allow (see prepareAttrs).
func (sy *Synthesizer) drawAttrs(b int, rng *rand.Rand) (uint8, CategorySet) {
	at := &sy.attrs[b]
	a := uint8(searchCDF(at.attr[:], rng.Float64()))
	var cats CategorySet
	if u := rng.Float64(); u >= at.none {
		// At least one category: draw the first one held, then the
		// later ones independently.
		first := searchCDF(at.first, (u-at.none)/(1-at.none))
		cats = sy.catBits[first]
		m := sy.spec.Model
		for k := first + 1; k < len(m.Categories); k++ {
			if rng.Float64() < m.Categories[k].Share[b] {
				cats |= sy.catBits[k]
			}
		}
	}
	return a, cats
}

// attrTables are a band's attribute distributions, precomputed.
type attrTables struct {
	attr  [16]float64 // cumulative probability of each attr value
	none  float64     // probability of no category
	first []float64   // cumulative probability of the first category held, given one
}

// prepareAttrs precomputes the attribute tables of every band.
func (sy *Synthesizer) prepareAttrs() {
	m := sy.spec.Model
	for b := range sy.attrs {
		at := &sy.attrs[b]
		var p [16]float64
		for progs := 0; progs < 8; progs++ {
			pr := 1.0
			for i, share := range []float64{m.CEC[b], m.FSW[b], m.FST[b]} {
				if progs&(1<<i) != 0 {
					pr *= share
				} else {
					pr *= 1 - share
				}
			}
			a := progs
			if a == 0 {
				a = int(data.FSW) // every profile in the pool meets a federal program
			}
			p[a] += pr * (1 - m.Nominated[b])
			p[a|int(data.PNP)] += pr * m.Nominated[b]
		}
		acc := 0.0
		for i := range p {
			acc += p[i]
			at.attr[i] = acc
		}
		none := 1.0
		at.first = at.first[:0]
		cum := 0.0
		for _, c := range m.Categories {
			cum += none * c.Share[b]
			at.first = append(at.first, cum)
			none *= 1 - c.Share[b]
		}
		at.none = none
		if none < 1 {
			for i := range at.first {
				at.first[i] /= 1 - none
			}
		}
	}
}

func searchCDF(cdf []float64, u float64) int {
	lo, hi := 0, len(cdf)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cdf[mid] > u {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// radixSort sorts keys ascending (LSD, 16 bits a pass).
func radixSort(keys []uint64) {
	if len(keys) < 2 {
		return
	}
	var max uint64
	for _, k := range keys {
		if k > max {
			max = k
		}
	}
	tmp := make([]uint64, len(keys))
	src, dst := keys, tmp
	for shift := uint(0); shift < 64 && max>>shift > 0; shift += 16 {
		var count [1 << 16]int
		for _, k := range src {
			count[(k>>shift)&0xffff]++
		}
		pos := 0
		for i := range count {
			c := count[i]
			count[i] = pos
			pos += c
		}
		for _, k := range src {
			d := (k >> shift) & 0xffff
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}
