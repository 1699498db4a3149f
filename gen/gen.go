// Package gen generates synthetic cooperation networks shaped like the real
// one: bipartite project–organisation graphs whose distributions are
// calibrated against the CORDIS Horizon 2020 participations (see
// calibration.go and scripts/bench/calibrate.py), for benchmarks and tests
// at sizes the real data does not reach.
//
// A network of N participations is drawn in three steps, all from one
// seeded PCG stream, so that a seed always gives the same network:
//
//  1. Project sizes (partners per project) are drawn from the CORDIS
//     distribution until they add up to N (the last one is cut to fit):
//     about 61% single-partner projects, a mean of 4.6, a tail up to 186.
//  2. Organisation degrees (projects per organisation) are drawn the same
//     way from the CORDIS distribution (mean 4.0, 63% in one project only,
//     a tail up to 1,372), capped at a sixteenth of the number of projects
//     so that small networks stay plausible.
//  3. A configuration model joins them: the organisations' participation
//     stubs are shuffled and dealt to the projects' slots in order; an
//     organisation dealt twice to one project is swapped with a random stub
//     elsewhere, so every (project, organisation) pair is distinct.
//
// The first partner dealt to a project is its coordinator, the others are
// participants. Every organisation gets a country drawn from the CORDIS
// countries weighted by their number of organisations.
//
// The network is kept in a few integer slices (about 7 bytes per
// participation) and written as a coopgraph dataset
// (nodes.csv.gz, edges.csv.gz; see loader/FORMAT.md) row by row.
package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// MaxParticipations is the largest network New generates (Check's message
// spells it out).
const MaxParticipations = 5_000_000

// Config chooses the network.
type Config struct {
	// Participations is the number of Organisation PARTICIPATES_IN Project
	// relations: 1 to MaxParticipations.
	Participations int
	// Seed chooses the network: the same Config gives the same network
	// and byte-identical files.
	Seed uint64
}

// Check reports whether c can be generated.
func (c Config) Check() error {
	if c.Participations < 1 || c.Participations > MaxParticipations {
		return fmt.Errorf("the number of participations must be from 1 to 5,000,000, not %d", c.Participations)
	}
	return nil
}

// Network is a generated cooperation network. Projects, organisations and
// countries are numbered from 0; their dataset ids are p:<n+1>, o:<n+1> and
// c:<code>.
type Network struct {
	// Config is the configuration the network was generated from.
	Config Config
	// ProjectStart[p]:ProjectStart[p+1] are project p's participations in
	// Partner; the first of them is the coordinator.
	ProjectStart []int32
	// Partner is the organisation of each participation.
	Partner []int32
	// OrgCountry is each organisation's country, an index in Countries.
	OrgCountry []uint16
	// Countries are the countries organisations may have (used or not).
	Countries []Country
}

// Country is a country organisations are located in.
type Country struct {
	Code string // CORDIS code, ISO 3166-1 alpha-2 but EL (Greece) and UK
	Name string
}

// bin is a range of values [lo, hi] drawn with relative frequency n.
type bin struct{ lo, hi, n int }

// country is a country with its weight (its number of CORDIS organisations).
type country struct {
	code, name string
	orgs       int
}

// sampler draws values from a binned distribution: a bin by its
// frequency, then a value uniformly within it.
type sampler struct {
	bins []bin
	cum  []int64
}

func newSampler(bins []bin) *sampler {
	s := &sampler{bins: bins, cum: make([]int64, len(bins))}
	var t int64
	for i, b := range bins {
		t += int64(b.n)
		s.cum[i] = t
	}
	return s
}

func (s *sampler) draw(r *rand.Rand) int {
	x := r.Int64N(s.cum[len(s.cum)-1])
	i, _ := slices.BinarySearch(s.cum, x+1)
	b := s.bins[i]
	if b.lo == b.hi {
		return b.lo
	}
	return b.lo + r.IntN(b.hi-b.lo+1)
}

// New generates the network cfg describes.
func New(cfg Config) (*Network, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	n := cfg.Participations
	r := rand.New(rand.NewPCG(cfg.Seed, 0x636f6f7067726170)) // "coopgrap"

	// 1. Project sizes.
	sizes := newSampler(partnersPerProject)
	start := make([]int32, 1, n/4+2)
	for total := 0; total < n; {
		total = min(n, total+sizes.draw(r))
		start = append(start, int32(total))
	}
	projects := len(start) - 1

	// 2. Organisation degrees, as a list of stubs: organisation o
	// appears deg(o) times.
	degrees := newSampler(projectsPerOrganisation)
	maxDeg := max(1, projects/16)
	stubs := make([]int32, 0, n)
	for org := int32(0); len(stubs) < n; org++ {
		d := degrees.draw(r)
		for d > maxDeg {
			d = degrees.draw(r)
		}
		for range min(d, n-len(stubs)) {
			stubs = append(stubs, org)
		}
	}
	orgs := int(stubs[len(stubs)-1]) + 1

	// 3. Deal the shuffled stubs to the projects, without repeats.
	r.Shuffle(n, func(i, j int) { stubs[i], stubs[j] = stubs[j], stubs[i] })
	if err := dealDistinct(r, start, stubs, orgs); err != nil {
		return nil, err
	}

	// Countries.
	weights := make([]bin, len(countryWeights))
	cs := make([]Country, len(countryWeights))
	for i, c := range countryWeights {
		weights[i] = bin{i, i, c.orgs}
		cs[i] = Country{Code: c.code, Name: c.name}
	}
	where := newSampler(weights)
	orgCountry := make([]uint16, orgs)
	for o := range orgCountry {
		orgCountry[o] = uint16(where.draw(r))
	}

	return &Network{Config: cfg, ProjectStart: start, Partner: stubs, OrgCountry: orgCountry, Countries: cs}, nil
}

// dealDistinct makes every project's slots hold distinct organisations by
// swapping a repeated stub with a random one of another project that can
// take it.
func dealDistinct(r *rand.Rand, start, stubs []int32, orgs int) error {
	n := len(stubs)
	seen := make([]int32, orgs) // project+1 where the organisation was last dealt
	for p := range len(start) - 1 {
		lo, hi := int(start[p]), int(start[p+1])
		if hi-lo == 1 {
			seen[stubs[lo]] = int32(p + 1)
			continue
		}
		for i := lo; i < hi; i++ {
			o := stubs[i]
			if seen[o] == int32(p+1) {
				if !swapOut(r, start, stubs, i, p, lo, hi, n, seen) {
					return fmt.Errorf("gen: cannot give project %d distinct partners", p+1)
				}
				o = stubs[i]
			}
			seen[o] = int32(p + 1)
		}
	}
	return nil
}

// swapOut exchanges stubs[i], a repeat within project p (slots lo:hi),
// with a random stub j outside p whose organisation p does not have yet and
// whose project, if already dealt, does not have stubs[i]'s organisation.
func swapOut(r *rand.Rand, start, stubs []int32, i, p, lo, hi, n int, seen []int32) bool {
	o := stubs[i]
	for range 1 << 20 {
		j := r.IntN(n)
		if j >= lo && j < hi {
			continue
		}
		oj := stubs[j]
		if seen[oj] == int32(p+1) {
			continue
		}
		if j < lo { // an earlier project q: it must not have o already
			q, _ := slices.BinarySearch(start, int32(j+1))
			q-- // start[q] <= j < start[q+1]
			if slices.Contains(stubs[start[q]:start[q+1]], o) {
				continue
			}
		}
		stubs[i], stubs[j] = oj, o
		return true
	}
	return false
}

// Projects is the number of projects.
func (nw *Network) Projects() int { return len(nw.ProjectStart) - 1 }

// Organisations is the number of organisations.
func (nw *Network) Organisations() int { return len(nw.OrgCountry) }

// Participations is the number of participations.
func (nw *Network) Participations() int { return len(nw.Partner) }

// Partners returns project p's organisations, the coordinator first.
func (nw *Network) Partners(p int) []int32 {
	return nw.Partner[nw.ProjectStart[p]:nw.ProjectStart[p+1]]
}

// Summary describes a network's distributions.
type Summary struct {
	Participations int // Organisation PARTICIPATES_IN Project relations
	Projects       int
	Organisations  int
	Countries      int // countries some organisation is located in

	SingleProjects int     // projects with one partner
	MaxPartners    int     // the largest number of partners of a project
	MeanPartners   float64 // participations per project

	SingleOrganisation int     // organisations in one project only
	MaxProjects        int     // the largest number of projects of an organisation
	MeanProjects       float64 // participations per organisation
}

// Summary computes the network's summary statistics.
func (nw *Network) Summary() Summary {
	s := Summary{Participations: nw.Participations(), Projects: nw.Projects(), Organisations: nw.Organisations()}
	for p := range s.Projects {
		k := int(nw.ProjectStart[p+1] - nw.ProjectStart[p])
		if k == 1 {
			s.SingleProjects++
		}
		s.MaxPartners = max(s.MaxPartners, k)
	}
	deg := make([]int32, s.Organisations)
	for _, o := range nw.Partner {
		deg[o]++
	}
	for _, d := range deg {
		if d == 1 {
			s.SingleOrganisation++
		}
		s.MaxProjects = max(s.MaxProjects, int(d))
	}
	s.Countries = len(nw.usedCountries())
	s.MeanPartners = float64(s.Participations) / float64(max(1, s.Projects))
	s.MeanProjects = float64(s.Participations) / float64(max(1, s.Organisations))
	return s
}

// usedCountries lists the indexes of the countries some organisation is in,
// ascending by code.
func (nw *Network) usedCountries() []int {
	used := make([]bool, len(nw.Countries))
	for _, c := range nw.OrgCountry {
		used[c] = true
	}
	var out []int
	for i, u := range used {
		if u {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int) int {
		if nw.Countries[a].Code < nw.Countries[b].Code {
			return -1
		}
		return 1
	})
	return out
}
