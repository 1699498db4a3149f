// Package sources reads the datasets a network is built from and links
// them into the one network users explore: by default the sources built
// into the binary (the curated seed, NUTS regions, CORDIS Horizon 2020,
// keep.eu Interreg) with the curated links of data/links.csv; or the
// dataset directories a user names.
//
// It is wiring between loader (a directory to a Dataset), link (datasets
// to one network) and data (what is embedded), shared by the commands,
// the benchmarks and the tests that need the linked network.
package sources

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/link"
	"github.com/coopgraph/coopgraph/loader"
)

// LinkedName is the dataset name of the built-in linked network in a store.
const LinkedName = "linked"

// Source is one dataset to read: an embedded one (FS) or a directory.
type Source struct {
	// Name is the dataset's name (the directory's); Display how messages
	// name its directory ("data/seed (built in)").
	Name, Display string
	FS            fs.FS  // an embedded dataset, or nil
	Dir           string // a directory, when FS is nil
}

// Builtin are the embedded sources, in linking order.
func Builtin() []Source {
	var out []Source
	for _, s := range data.Sources() {
		out = append(out, Source{Name: s.Name, Display: "data/" + s.Name, FS: s.FS})
	}
	return out
}

// Dir is the dataset directory dir as a source, named by its base name.
func Dir(dir string) (Source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Source{}, err
	}
	return Source{Name: filepath.Base(abs), Display: dir, Dir: dir}, nil
}

// BuiltinLinks are the curated links of the built-in network.
func BuiltinLinks() (link.Links, error) {
	return link.ReadLinks(bytes.NewReader(data.Links()), data.LinksFile)
}

// ReadLinks reads a curated links file (see link.ReadLinks).
func ReadLinks(file string) (link.Links, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "reading the links file: %v", err)
	}
	return link.ReadLinks(bytes.NewReader(b), file)
}

// Warnings are one source's warnings: the defects of its published files
// that the load read past (see loader.Report).
type Warnings struct {
	Source   string // the source's Display
	Problems loader.Problems
}

// Network is a read network: the dataset, what linking did, and each
// source's warnings in the sources' order.
type Network struct {
	Dataset  *coopgraph.Dataset
	Linked   bool        // false for one source read alone
	Link     link.Report // when Linked
	Warnings []Warnings
	// FromCache says the network was the cache's (Cache.ReadCached): Link
	// is then empty, the rest as the parse gave it.
	FromCache bool
}

// Read reads every source, at once up to two at a time (each load is
// itself memory-hungry: the peak stays that of two), and, when there are
// several, links them with links into one dataset named name (default: the
// sources' names joined by "+", or LinkedName for the built-in ones). One
// source is returned as read, named name when given. A source that does
// not validate fails the whole read, with every source's problems.
func Read(srcs []Source, links link.Links, name string, opt loader.Options) (*Network, error) {
	if len(srcs) == 0 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "no dataset to read")
	}
	datasets, warnings, err := readAll(srcs, opt)
	if err != nil {
		return nil, err
	}
	n := &Network{Warnings: warnings}
	if len(srcs) == 1 && len(links) == 0 {
		n.Dataset = datasets[0]
		if name != "" {
			n.Dataset.Name = name
		}
		return n, nil
	}
	if name == "" {
		name = defaultName(srcs)
	}
	ds, rep, err := link.Network(name, datasets, links)
	if err != nil {
		return nil, err
	}
	n.Dataset, n.Link, n.Linked = ds, rep, true
	return n, nil
}

// defaultName is LinkedName for the built-in sources, else their names
// joined by "+".
func defaultName(srcs []Source) string {
	builtin := Builtin()
	same := len(srcs) == len(builtin)
	names := make([]string, len(srcs))
	for i, s := range srcs {
		names[i] = s.Name
		same = same && s.FS != nil && s.Name == builtin[i].Name
	}
	if same {
		return LinkedName
	}
	return strings.Join(names, "+")
}

// readAll loads the sources, two at a time, and returns them in order.
func readAll(srcs []Source, opt loader.Options) ([]*coopgraph.Dataset, []Warnings, error) {
	datasets := make([]*coopgraph.Dataset, len(srcs))
	reports := make([]loader.Report, len(srcs))
	errs := make([]error, len(srcs))
	var wg sync.WaitGroup
	slots := make(chan struct{}, 2)
	for i, s := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			if s.FS != nil {
				datasets[i], reports[i], errs[i] = loader.LoadFSReport(s.FS, s.Display, s.Name, opt)
			} else {
				datasets[i], reports[i], errs[i] = loader.LoadDirReport(s.Dir, s.Name, opt)
			}
		}()
	}
	wg.Wait()
	var warnings []Warnings
	for i, r := range reports {
		if len(r.Warnings) > 0 {
			warnings = append(warnings, Warnings{Source: srcs[i].Display, Problems: r.Warnings})
		}
	}
	if err := joinErrors(errs); err != nil {
		return nil, warnings, err
	}
	return datasets, warnings, nil
}

// joinErrors is the sources' errors as one: their problems together (each
// names its file), or the first error that is not a dataset's problems.
func joinErrors(errs []error) error {
	var all loader.Problems
	for _, err := range errs {
		if err == nil {
			continue
		}
		var ps loader.Problems
		if !errors.As(err, &ps) {
			return err
		}
		all = append(all, ps...)
	}
	if len(all) == 0 {
		return nil
	}
	return all
}

// BuiltinNetwork is the built-in linked network: the one compiled into the
// binary (data/linked.bin.gz) when it was made from the sources embedded
// beside it, read in about a second; otherwise (a source or the links
// changed since go generate) the sources linked now, as Read does. Stale
// reports that: the caller says so, since starting takes longer.
func BuiltinNetwork(opt loader.Options) (n *Network, stale bool, err error) {
	digest, err := InputsDigest()
	if err != nil {
		return nil, false, err
	}
	ds, have, err := ReadCompiled(bytes.NewReader(data.Linked()))
	if err == nil && have == digest {
		return &Network{Dataset: ds, Linked: true}, false, nil
	}
	links, err := BuiltinLinks()
	if err != nil {
		return nil, true, err
	}
	n, err = Read(Builtin(), links, LinkedName, opt)
	return n, true, err
}

// RealNetwork is one of the real networks that benchmarks and opt-in
// tests measure the engine on.
type RealNetwork struct {
	Name string
	Load func() (*coopgraph.Dataset, error)
}

// RealNetworks are the built-in linked network ("linked") and CORDIS H2020
// with its countries alone ("cordis", as `--data data/cordis-h2020` reads
// it): the two networks issue 16's targets name.
func RealNetworks() []RealNetwork {
	return []RealNetwork{
		{Name: "linked", Load: func() (*coopgraph.Dataset, error) {
			n, _, err := BuiltinNetwork(loader.Options{})
			if err != nil {
				return nil, err
			}
			return n.Dataset, nil
		}},
		{Name: "cordis", Load: func() (*coopgraph.Dataset, error) {
			for _, src := range Builtin() {
				if src.Name == "cordis-h2020" {
					n, err := Read([]Source{src}, nil, "", loader.Options{})
					if err != nil {
						return nil, err
					}
					return n.Dataset, nil
				}
			}
			return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "no built-in source cordis-h2020")
		}},
	}
}
