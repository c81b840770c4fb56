// Package advise ranks what would make a Go binary smaller: each action
// with its saving, measured (binscope built the variant, and the figures
// are compare's) or computed (from the linker's reachability graph), and
// the exact change to make. It computes only: the builds are the
// pipeline's.
package advise

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/reach"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/internal/units"
)

// How a saving is known.
const (
	Measured = "measured" // binscope built the variant: the difference of two builds' sizes
	Computed = "computed" // from the reachability graph or the files themselves
)

// Action is one thing to do, with what it saves.
type Action struct {
	// ID names the kind of action: strip, trimpath, cgo-off, netgo,
	// dce-blocker, dependency, embed, tzdata, dwarf.
	ID     string `json:"id"`
	Title  string `json:"title"`
	Change string `json:"change"` // the exact change to make
	// Saving is the bytes the binary would lose, and SavingPercent that
	// as a share of its size; How says how it is known.
	Saving        int64   `json:"saving_bytes"`
	SavingPercent float64 `json:"saving_percent"`
	How           string  `json:"how"`
	// Cells are, for a measured saving, the build and the variant, as
	// compare names them, and Sizes their sizes: Saving is their
	// difference.
	Cells []string `json:"cells,omitempty"`
	Sizes []int64  `json:"sizes,omitempty"`
	// Commands are the two builds' go commands (-trimpath, which is not
	// in a cell's id, shows here).
	Commands []string `json:"commands,omitempty"`
	// Evidence says what the saving rests on; Caveat what the change
	// costs or needs.
	Evidence string `json:"evidence"`
	Caveat   string `json:"caveat,omitempty"`
}

// Embed is a file a package of the program embeds.
type Embed struct {
	Package string `json:"package"`
	File    string `json:"file"`
	Bytes   int64  `json:"bytes"`
}

// Input is what the advice is made of.
type Input struct {
	// Base is the build the advice is for, and Cells the variants built
	// next to it in the same run (compare's cells); Trimpath is Base
	// built with -trimpath, nil when not built.
	Base     compare.Cell
	Cells    []compare.Cell
	Trimpath *compare.Cell
	// Program is Base's reachability graph; Blockers and Top its answers.
	Program  *reach.Program
	Blockers reach.Blockers
	Top      reach.Top
	// Embeds are the files the program's packages outside the standard
	// library embed, its dependencies' included.
	Embeds []Embed
	// DWARF is Base's debug info: its bytes, and whether the linker
	// compressed it.
	DWARFBytes      int64
	DWARFCompressed bool
	// Cgo are the packages outside the standard library that use cgo
	// in Base; StdCgo net and os/user when they use it.
	Cgo    []string
	StdCgo []string
	// MainModule is the main module's path: dependencies outside it are
	// the ones a program can drop.
	MainModule string
}

// Report is binscope advise's report.
type Report struct {
	Actions []Action `json:"actions"`
	// Checked are what binscope looked at and found nothing to do about.
	Checked []string `json:"checked"`
	// Notes say how to read the savings.
	Notes []string `json:"notes"`
}

// Advise ranks the actions, largest saving first.
func Advise(in Input) Report {
	r := Report{Actions: []Action{}, Checked: []string{}, Notes: []string{
		"each saving is of one action alone: they overlap (a dependency's retained bytes include methods the blocker keeps) and do not add up",
	}}
	base := in.Base
	add := func(a Action) {
		a.SavingPercent = percent(a.Saving, base.Size)
		r.Actions = append(r.Actions, a)
	}
	measured := func(a Action, variant compare.Cell) Action {
		a.How = Measured
		a.Cells = []string{base.ID, variant.ID}
		a.Sizes = []int64{base.Size, variant.Size}
		a.Commands = []string{base.Command, variant.Command}
		a.Saving = base.Size - variant.Size
		return a
	}

	// -s -w.
	if !base.Options.Strip {
		if v, ok := find(in.Cells, base, func(o *compare.Options) { o.Strip = true }); ok {
			add(measured(Action{ID: "strip", Title: "Strip the symbol table and DWARF", Change: `go build -ldflags="-s -w"`,
				Evidence: "the same build with -s -w", Caveat: "no symbols for debuggers and profilers of the shipped binary; panics still print function names and lines (they come from the function table)"}, v))
		}
	} else {
		r.Checked = append(r.Checked, "built with -s -w already")
	}
	// -trimpath.
	if t := in.Trimpath; t != nil && t.Status == compare.StatusOK {
		add(measured(Action{ID: "trimpath", Title: "Build with -trimpath", Change: "go build -trimpath",
			Evidence: "the same build with -trimpath: file paths in the function table shorten to module paths", Caveat: "also makes the build reproducible across machines"}, *t))
	}
	// CGO_ENABLED=0.
	if base.Options.CGO {
		if v, ok := find(in.Cells, base, func(o *compare.Options) { o.CGO = false }); ok {
			a := Action{ID: "cgo-off", Title: "Build with CGO_ENABLED=0", Change: "CGO_ENABLED=0 go build",
				Evidence: "the same build with CGO_ENABLED=0"}
			switch {
			case len(in.Cgo) == 0:
				a.Caveat = "the program is pure Go: this links it statically for free, and it then runs FROM scratch"
				if len(in.StdCgo) > 0 {
					a.Caveat += "; " + strings.Join(in.StdCgo, " and ") + " switch to their pure Go code (DNS and user lookups without the C library)"
				}
			default:
				a.Caveat = "not free: " + strings.Join(in.Cgo, ", ") + " use cgo and build without their C code, from a !cgo fallback or not at all"
			}
			add(measured(a, v))
		}
		if len(in.StdCgo) > 0 {
			if v, ok := find(in.Cells, base, func(o *compare.Options) { o.Tags = buildmatrix.NormalizeTags(append(o.Tags, "netgo", "osusergo")) }); ok {
				add(measured(Action{ID: "netgo", Title: "Keep cgo, but use the pure Go DNS resolver and user lookup", Change: "go build -tags=netgo,osusergo",
					Evidence: "the same build with -tags netgo,osusergo", Caveat: strings.Join(in.StdCgo, " and ") + " stop calling the C library: no NSS modules (LDAP users, mDNS)"}, v))
			}
		}
	}
	// Dead code elimination blockers.
	if bl := in.Blockers; len(bl.Functions) > 0 && bl.Cost.Bytes > 0 {
		var primary []reach.Blocker
		for _, f := range bl.Functions {
			if f.Primary {
				primary = append(primary, f)
			}
		}
		var where []string
		for _, f := range primary {
			w := "`" + f.Symbol + "`"
			if c := f.Caller; c != nil && c.File != "" {
				if c.Symbol != f.Symbol {
					w += " reached from `" + c.Symbol + "`"
				}
				w += fmt.Sprintf(" at %s:%d", c.File, c.Line)
			}
			where = append(where, w)
		}
		change := "call reflect's Method and MethodByName only with constant names, or not at all, in " + strings.Join(where, "; ")
		if len(primary) > 0 && primary[0].Standard {
			change = "stop reaching " + strings.Join(where, "; ") + " (for text/template and html/template: templates that call methods)"
		}
		add(Action{ID: "dce-blocker", Title: "Let the linker drop unused exported methods", Change: change,
			Saving: bl.Cost.Bytes, How: Computed,
			Evidence: fmt.Sprintf("the linker's graph: %d symbols are kept only because a function calls reflect's Method or MethodByName with a name that is not a constant", bl.Cost.Symbols),
			Caveat:   "every reachable function of the kind must go; the saving assumes all of them do"})
	} else {
		r.Checked = append(r.Checked, "no dead code elimination blocker")
	}
	// Heavy dependencies: those the program's own code imports (the
	// standard library's only when they weigh 5% or more).
	n := 0
	for _, p := range in.Top.Packages {
		saving := p.Retained.Bytes + p.Retained.C
		if n == 3 || saving < base.Size/100 {
			break
		}
		if len(p.Cuts) == 0 || p.Package == "time/tzdata" || in.own(p.Package) || in.standard(p.Package) && saving < base.Size/20 {
			continue
		}
		// Only the imports the program's own code makes are its to cut:
		// a package that only other dependencies import goes with them.
		var from, others []string
		for _, c := range p.Cuts {
			switch {
			case in.own(c.From):
				from = append(from, c.From)
			case c.From != "":
				others = append(others, c.From)
			}
		}
		if len(from) == 0 {
			continue
		}
		change := fmt.Sprintf("drop %s: cut its import in %s", p.Package, strings.Join(from, ", "))
		switch len(others) {
		case 0:
		case 1:
			change += fmt.Sprintf(" (%s imports it too, and must go with it)", others[0])
		default:
			change += fmt.Sprintf(" (%s import it too, and must go with it)", strings.Join(others, ", "))
		}
		evidence := fmt.Sprintf("its retained size in the linker's graph (its own %s and everything only it reaches)", units.HumanSize(p.Bytes))
		if p.Retained.C > 0 {
			evidence += fmt.Sprintf(", and the C code it links, %s (the C row: an upper bound, outside the graph)", units.HumanSize(p.Retained.C))
		}
		add(Action{ID: "dependency", Title: "Drop " + p.Package, Change: change, Saving: saving, How: Computed,
			Evidence: evidence, Caveat: "binscope why " + p.Package + " says what reaches it"})
		n++
	}
	// Embedded files.
	var embedded int64
	for _, e := range in.Embeds {
		embedded += e.Bytes
	}
	if embedded > 0 {
		sort.SliceStable(in.Embeds, func(i, j int) bool { return in.Embeds[i].Bytes > in.Embeds[j].Bytes })
		var list []string
		for i, e := range in.Embeds {
			if i == 3 {
				list = append(list, fmt.Sprintf("and %d more", len(in.Embeds)-i))
				break
			}
			list = append(list, fmt.Sprintf("%s (%s)", e.File, units.HumanSize(e.Bytes)))
		}
		add(Action{ID: "embed", Title: fmt.Sprintf("Embedded files: %d, %s", len(in.Embeds), units.HumanSize(embedded)), Saving: embedded, How: Computed,
			Change:   "compress them (and decompress at start), or ship them beside the binary: " + strings.Join(list, ", "),
			Evidence: "the files' sizes on disk: //go:embed stores them as they are"})
	}
	// time/tzdata.
	if in.Program != nil {
		if a, err := in.Program.Ask("time/tzdata"); err == nil && a.InBinary {
			change := "drop the import of time/tzdata"
			if slices.Contains(base.Options.Tags, "timetzdata") {
				change = "build without -tags timetzdata"
			}
			add(Action{ID: "tzdata", Title: "The time zone database is embedded", Change: change + " when the image has /usr/share/zoneinfo (FROM scratch has none: then keep it)",
				Saving: a.Retained.Bytes, How: Computed, Evidence: "time/tzdata's retained size in the linker's graph"})
		} else {
			r.Checked = append(r.Checked, "time/tzdata is not embedded")
		}
	}
	// DWARF compression.
	if in.DWARFBytes > 0 {
		if in.DWARFCompressed {
			r.Checked = append(r.Checked, fmt.Sprintf("DWARF is compressed (%s), as the linker does by default", units.HumanSize(in.DWARFBytes)))
		} else {
			add(Action{ID: "dwarf", Title: "DWARF is not compressed", Change: `remove -ldflags=-compressdwarf=false (or strip it with -ldflags="-w")`,
				How: Computed, Saving: in.DWARFBytes / 2,
				Evidence: fmt.Sprintf("%s of uncompressed DWARF; the linker's zlib compression typically halves it (an estimate)", units.HumanSize(in.DWARFBytes))})
		}
	}
	// sort.Slice, not slices.SortFunc: one sort's code for every type.
	as := r.Actions
	sort.SliceStable(as, func(i, j int) bool {
		return cmp.Or(cmp.Compare(as[j].Saving, as[i].Saving), cmp.Compare(howRank(as[i].How), howRank(as[j].How))) < 0
	})
	return r
}

// standard says whether pkg is of the standard library: its first path
// element has no dot.
func (in Input) standard(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".") && !in.own(pkg)
}

// own says whether pkg is of the main module ("main" for the main
// package, as the linker names its symbols).
func (in Input) own(pkg string) bool {
	return pkg == "main" || in.MainModule != "" && (pkg == in.MainModule || strings.HasPrefix(pkg, in.MainModule+"/"))
}

func howRank(h string) int {
	if h == Measured {
		return 0
	}
	return 1
}

// find returns the cell that is base with change made to its options.
func find(cells []compare.Cell, base compare.Cell, change func(*compare.Options)) (compare.Cell, bool) {
	want := base.Options
	want.Tags = slices.Clone(want.Tags)
	change(&want)
	for _, c := range cells {
		if c.Status == compare.StatusOK && c.Options.CGO == want.CGO && c.Options.GOOS == want.GOOS && c.Options.GOARCH == want.GOARCH &&
			c.Options.Strip == want.Strip && slices.Equal(c.Options.Tags, want.Tags) {
			return c, true
		}
	}
	return compare.Cell{}, false
}

func percent(part, whole int64) float64 {
	p, ok := units.PercentOf(part, whole)
	if !ok {
		return 0
	}
	return p
}

// SchemaVersion is the version of advise's JSON report, binscope's one.
const SchemaVersion = analyze.SchemaVersion
