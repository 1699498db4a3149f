// Package link links datasets into one network: one entity per country,
// region and organisation, whatever source or spelling it comes from
// (issue 15). It imports only the domain.
//
// Network takes the datasets in priority order (seed, nuts, cordis-h2020,
// keep-interreg) and merges records by these rules, in this order:
//
//  1. Same id: the same id in two datasets is one entity (kinds must
//     agree, or Network fails naming both).
//  2. Same identifier: a Country's property code, a Region's nuts, an
//     Organisation's pic.
//  3. Curated links (data/links.csv, ReadLinks): same-as pairs merge,
//     even records of two kinds (the Euroregion "Tatry", a Network of the
//     seed, and its association, a keep.eu partner: the first record's
//     kind wins); not-same-as pairs are never merged by any later rule
//     (nor by rule 2: a refused merge is listed in Report.Blocked). A link
//     naming no record of the datasets given is skipped and listed in
//     Report.Unresolved.
//  4. Same name in the same country: Organisations whose normalised names
//     are equal (unless the sources place them in different NUTS 2
//     regions and towns: two bodies of one generic name).
//  5. Similar name: Organisations of one country whose names score at
//     least a threshold (below).
//
// The merged entity keeps the id, kind and name of its first record (the
// dataset of highest priority), gathers every other name and alias as an
// alias (so that search finds every spelling), merges properties (the
// first value wins; a different value of a later record is kept as a Fact
// whose Document is "dataset:id"), joins documents and facts, and lists
// its records in Entity.Records with the rule or curated link's reason
// that merged each. Relations are re-pointed to the kept ids, relations
// that became exact duplicates (same RelationKey) are folded, and those
// that became a relation of an entity with itself dropped. Entities come
// out in the order of their first record, relations in input order: the
// same input gives the same output.
//
// # Name resolution
//
// The approach is that of the record-linkage tools, reduced to what these
// sources need and kept without training:
//
//   - Normalisation (as every tool's preprocessing): coopgraph.Fold (case,
//     diacritics), words split at punctuation, legal forms dropped (sp. z
//     o.o., GmbH, S.A., Ltd, e.V., s.r.l., public body…), stop words of the
//     sources' languages dropped, a short synonym list for the spellings
//     of this project's places (Cracow, Krakowie → krakow; MaloPoland,
//     Małopolskie → malopolska) and for "university" in the sources'
//     languages, and a second form of a name without its acronym when the
//     acronym starts it or stands in brackets ("Nature Conservation Agency
//     (NCA)").
//   - Blocking (dedupe's predicates, Zingg's blocking model, Splink's
//     blocking rules; here fixed rather than learned): two records are
//     compared only when they are in one country and share one of the
//     three rarest words of a name (words of more than 150 records, such
//     as "university" or "gmina", are no key), or the Soundex code of
//     their rarest word (dedupe's phonetic predicates: Kocani, Kochani).
//     About 250,000 comparisons for the 116,000 records of the linked
//     network, where all pairs of its organisations are billions.
//   - Comparison (Splink's comparison levels and term-frequency
//     adjustments): a weighted Dice coefficient of the two names' words,
//     each word weighing its inverse document frequency over all
//     organisation names (a rare word says more than "municipality"); two
//     words match when equal or, from four letters on, when their
//     Jaro–Winkler similarity is at least 0.88 (insitute, institute); a
//     word and the two adjacent words it runs together match too (a space
//     lost or added: InteriorBIC, Interior BIC; Technolo gies). A
//     word on each side that the other lacks scales the score by 0.85
//     (University of Zielona Góra, Municipality of Zielona Góra); a word
//     naming a unit or another kind of body on one side only (department,
//     faculty, school, foundation, miejska…) by 0.75: a department is kept
//     apart from its organisation, as the seed keeps its departments.
//   - Thresholds (Splink's match weight threshold, set by hand on the
//     labelled sample rather than estimated): 0.80 for records the sources
//     place in one town or NUTS 3 region, 0.88 when they do not say, 0.97
//     when they place them in different NUTS 2 regions and towns. Pairs
//     within 0.15 under their threshold are reported as near misses for
//     review (coopgraph links), the way Splink and dedupe send the
//     uncertain band to a person.
//   - Clustering: the connected components of the merges (Splink's
//     clustering), merges taken best score first so that a not-same-as
//     link refuses the weakest merge, not the strongest.
//
// What rules cannot decide goes to the curated links file, as Zingg's and
// dedupe's labelled pairs: Jagiellonian University = Uniwersytet
// Jagielloński, the regional government named "MaloPoland Region" = the
// Marshal's Office (umwm: the seed models Małopolska as a Region, the
// place, and its Marshal's Office as the Organisation that is a partner in
// projects), Cracow University of Technology ≠ Cracow University of
// Economics.
//
// # The curated links file
//
// CSV with the header a,b,same,reason and one link a line (# starts a
// comment). a and b are entity ids of any dataset (umwm, pic:999642716) or
// name:CC:Name, every Organisation record of country CC whose normalised
// name is that of Name: a link does not depend on how an import spells its
// ids. same is yes (same-as) or no (not-same-as); the reason is required
// and is shown as the rule of the records it merged. data/links.csv is the
// file of the embedded network (data.Links).
//
// # Measured
//
// On 332 record pairs drawn from the real data and labelled by reading
// (testdata/labelled-pairs.csv, testdata/README.md), TestResolutionQuality
// requires precision ≥ 0.98 and recall ≥ 0.90; the figures are in
// BENCHMARKS.md, with BenchmarkNetwork's time for the whole network.
package link
