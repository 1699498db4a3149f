package graph

import (
	"math"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// Measure names a centrality measure.
type Measure string

// The measures, each equal to networkx's function with default arguments
// (networkx 2.8.8, the version of the reference fixtures; eigenvector to
// the exact principal eigenvector networkx's iteration approaches), on a
// graph of n nodes and m edges.
const (
	// Degree is nx.degree_centrality: deg(v)/(n-1). O(n + m).
	Degree Measure = "DEGREE"
	// Betweenness is nx.betweenness_centrality: the fraction of shortest
	// paths between other pairs that run through v, summed over ordered
	// pairs and divided by (n-1)(n-2) (Brandes 2001). Exact in
	// O(n_c·m_c) for the core of n_c nodes and m_c edges left once the
	// pendant trees are folded in (Baglioni et al. 2012), O(n·m) at
	// worst; with Samples, networkx's estimate from k = Samples sources
	// (Brandes and Pich 2007), O(Samples·m); with Epsilon, an estimate
	// within Epsilon of every score with probability 1 - Delta
	// (KADABRA, Borassi and Natale 2016, see betweennessKadabra).
	Betweenness Measure = "BETWEENNESS"
	// Closeness is nx.closeness_centrality: (r-1)/D · (r-1)/(n-1) for a
	// node reaching r-1 others at total distance D (Wasserman and Faust's
	// variant for disconnected graphs). O(n_c·m_c), the BFSs run 64 at a
	// time.
	Closeness Measure = "CLOSENESS"
	// Harmonic is nx.harmonic_centrality: Σ_{u≠v} 1/d(v, u), unreachable
	// nodes adding 0 (Marchiori and Latora 2000). Not normalised, as in
	// networkx: divide by n-1 for a value in [0, 1]. O(n·m), the BFSs run
	// 64 at a time.
	Harmonic Measure = "HARMONIC"
	// PageRank is nx.pagerank: α = 0.85, tolerance n·1e-6, at most 100
	// iterations of O(n + m) (Page et al. 1999).
	PageRank Measure = "PAGERANK"
	// Eigenvector is the principal eigenvector of A, of unit norm
	// (Bonacich 1987), as igraph's eigenvector_centrality(scale=False) and
	// nx.eigenvector_centrality_numpy compute it: on a disconnected
	// network, non-zero on the component with the largest eigenvalue
	// only (ties shared as the limit of nx.eigenvector_centrality's
	// power iteration). Lanczos iteration to a residual of 1e-12,
	// O(n + m) per step; it always answers (see eigenvector).
	Eigenvector Measure = "EIGENVECTOR"
)

// MeasureInfo is a centrality measure's entry in Measures, the one list
// every surface of coopgraph reads the measures from: the engine
// (Centrality), the GraphQL enum CentralityMeasure and README.md's table
// (written from it by go generate; tests compare), the CLI's --measure flag
// and its help, the server's admission and the page's list (a test in web/
// has it written by go generate into web/page/src/measures.gen.js).
// Adding a measure is its engine file, its entry here and its reference
// fixture; go generate writes the enum, the table and the page's list (see
// ARCHITECTURE.md).
type MeasureInfo struct {
	Name Measure
	// Description is one line, as the API's enum and README.md show it.
	Description string
	// Labels name the measure on the page, by language ("en", "pl"; every
	// language of web/page/src/i18n.js, a test in web/ checks).
	Labels map[string]string
	// Explanations say in one plain sentence, by language (the languages
	// of Labels), what a high score means, for readers who do not know
	// the measure: the page shows it beside the measure's name.
	Explanations map[string]string
	// Linear is true for a measure computed in one pass over the network,
	// O(n + m): the server then does not count it among the expensive
	// analytics it admits by cores (see server/complexity.go).
	Linear bool

	compute func(*simpleGraph) ([]float64, error)
	// sampled, when set, estimates the measure from these sources: the
	// measure takes Samples and Seed.
	sampled func(g *simpleGraph, sources []int32) []float64
	// certified, when set, computes the measure within an L1 tolerance of
	// its exact value: the measure takes Tolerance.
	certified func(g *simpleGraph, tolerance float64) ([]float64, error)
	// approximate, when set, estimates the measure within an additive
	// epsilon of its exact value for every node, with probability at
	// least 1 - delta, and returns the bound it achieved (at most
	// epsilon); epsilon 0 asks for the anytime estimate, whose bound is
	// what its fixed work gives. The measure takes Epsilon (with Delta and
	// Seed), in [MinEpsilon, MaxEpsilon], and CentralityAnytime answers
	// with it while the exact ranking is not ready.
	approximate func(g *simpleGraph, epsilon, delta float64, seed uint64) ([]float64, float64)
	// MinEpsilon and MaxEpsilon bound the Epsilon a request may give, in
	// the units of the scores (zero for a measure without approximate).
	MinEpsilon, MaxEpsilon float64
}

// fixedBound adapts an approximation that always takes epsilon (none of
// its own for the anytime answer) to MeasureInfo.approximate: epsilon 0
// takes anytime.
func fixedBound(f func(g *simpleGraph, epsilon, delta float64, seed uint64) []float64, anytime float64) func(*simpleGraph, float64, float64, uint64) ([]float64, float64) {
	return func(g *simpleGraph, epsilon, delta float64, seed uint64) ([]float64, float64) {
		if epsilon == 0 {
			epsilon = anytime
		}
		return f(g, epsilon, delta, seed), epsilon
	}
}

// The options of CentralityOptions that apply to some measures only, named
// as in the API and the CLI.
const (
	OptionSamples   = "samples"
	OptionTolerance = "tolerance"
	OptionEpsilon   = "epsilon"
)

// Options names the options of CentralityOptions that apply to this
// measure beyond those every measure takes (relation types, kinds,
// projection): OptionSamples (with its seed), OptionTolerance.
func (m MeasureInfo) Options() []string {
	var o []string
	if m.sampled != nil {
		o = append(o, OptionSamples)
	}
	if m.certified != nil {
		o = append(o, OptionTolerance)
	}
	if m.approximate != nil {
		o = append(o, OptionEpsilon)
	}
	return o
}

// Measures lists the centrality measures, in the order of the API's enum,
// README.md's table and the page's lists (go generate writes all three from
// this list: see graph/internal/measuredocs).
var Measures = []MeasureInfo{
	{Name: Degree, Description: "networkx degree_centrality: degree / (n - 1).",
		Labels: map[string]string{"en": "Degree", "pl": "Stopień"},
		Explanations: map[string]string{
			"en": "How many direct partners and links an entity has: the most connected score highest.",
			"pl": "Ile bezpośrednich powiązań ma podmiot: najwyżej są najbardziej połączone."},
		Linear: true, compute: infallible(degreeCentrality)},
	{Name: Betweenness, Description: "networkx betweenness_centrality, normalized: shortest paths through v / ((n-1)(n-2)/2).",
		Labels: map[string]string{"en": "Betweenness", "pl": "Pośrednictwo"},
		Explanations: map[string]string{
			"en": "How often an entity lies on the shortest routes between others: high for brokers that connect separate parts of the network.",
			"pl": "Jak często podmiot leży na najkrótszych drogach między innymi: wysoko są pośrednicy łączący odrębne części sieci."},
		compute: infallible(betweenness), sampled: betweennessSampled,
		approximate: fixedBound(betweennessKadabra, AnytimeBetweennessEpsilon), MinEpsilon: MinBetweennessEpsilon, MaxEpsilon: MaxBetweennessEpsilon},
	{Name: Closeness, Description: "networkx closeness_centrality with wf_improved=True (Wasserman–Faust for disconnected graphs).",
		Labels: map[string]string{"en": "Closeness", "pl": "Bliskość"},
		Explanations: map[string]string{
			"en": "How few steps an entity needs to reach everyone it can reach: high for entities at the centre of the network.",
			"pl": "Jak mało kroków dzieli podmiot od wszystkich, do których może dotrzeć: wysoko są podmioty w centrum sieci."},
		compute: infallible(closeness), approximate: closenessApprox, MinEpsilon: MinBetweennessEpsilon, MaxEpsilon: MaxBetweennessEpsilon},
	{Name: Harmonic, Description: "networkx harmonic_centrality: the sum of 1/d(v, u) over the others (not normalised).",
		Labels: map[string]string{"en": "Harmonic closeness", "pl": "Bliskość harmoniczna"},
		Explanations: map[string]string{
			"en": "Like closeness, but each entity counts by how near it is (1 for a neighbour, ½ two steps away…), so unreachable parts do not distort it.",
			"pl": "Jak bliskość, ale każdy podmiot liczy się tym bardziej, im jest bliżej (1 sąsiad, ½ dwa kroki dalej…), więc nieosiągalne części jej nie zniekształcają."},
		compute: infallible(harmonic), approximate: harmonicApprox, MinEpsilon: MinBetweennessEpsilon, MaxEpsilon: math.MaxFloat64},
	{Name: PageRank, Description: "networkx pagerank: alpha 0.85, tolerance 1e-6, at most 100 iterations.",
		Labels: map[string]string{"en": "PageRank", "pl": "PageRank"},
		Explanations: map[string]string{
			"en": "How important an entity is judged by the importance of those linked to it, as Google first ranked web pages.",
			"pl": "Jak ważny jest podmiot, sądząc po ważności tych, którzy są z nim powiązani, tak jak Google pierwotnie oceniał strony WWW."},
		compute: pageRank, certified: pageRankSolve},
	{Name: Eigenvector, Description: "The principal eigenvector of the adjacency matrix, unit norm (igraph eigenvector_centrality scale=False, networkx eigenvector_centrality_numpy); on a disconnected network only the component with the largest eigenvalue scores above 0.",
		Labels: map[string]string{"en": "Eigenvector", "pl": "Wektor własny"},
		Explanations: map[string]string{
			"en": "High for entities linked to other well-connected entities: influence within the most tightly knit part of the network.",
			"pl": "Wysoko są podmioty powiązane z innymi dobrze połączonymi: wpływ w najściślej powiązanej części sieci."},
		compute: eigenvector},
}

// LookupMeasure is m's entry in Measures.
func LookupMeasure(m Measure) (MeasureInfo, bool) {
	for _, info := range Measures {
		if info.Name == m {
			return info, true
		}
	}
	return MeasureInfo{}, false
}

// ParseMeasure reads a measure named in any case ("betweenness",
// "BETWEENNESS"), as the CLI takes it; an unknown name is an
// EINVALID error naming it and the measures.
func ParseMeasure(name string) (Measure, error) {
	m := Measure(strings.ToUpper(name))
	if _, ok := LookupMeasure(m); !ok {
		return "", unknownMeasure(string(m))
	}
	return m, nil
}

// MeasureNames are the measures' names, in the order of Measures, lower
// case when lower is set (as the CLI spells them).
func MeasureNames(lower bool) []string {
	names := make([]string, len(Measures))
	for i, info := range Measures {
		names[i] = string(info.Name)
		if lower {
			names[i] = strings.ToLower(names[i])
		}
	}
	return names
}

func unknownMeasure(name string) error {
	return coopgraph.Errorf(coopgraph.EINVALID, "unknown centrality %s %q: the measures are %s",
		coopgraph.Option("measure"), name, strings.Join(MeasureNames(false), ", "))
}

// measuresTaking names the measures that take option, for an error message.
func measuresTaking(option string) string {
	var names []string
	for _, info := range Measures {
		for _, o := range info.Options() {
			if o == option {
				names = append(names, string(info.Name))
			}
		}
	}
	return strings.Join(names, ", ")
}
