package reach

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/binscope/binscope/analyze"
)

// Program is what the questions are asked of: the graph of one link,
// weighed (Weigh), with the facts of the build around it.
type Program struct {
	Graph *Graph
	// Size is the package view of the binary the link wrote.
	Size *analyze.SizeReport
	// Main is the main package's import path; Imports each package's
	// imports, as go list -deps resolves them for the build; Standard
	// marks the standard library's packages.
	Main     string
	Imports  map[string][]string
	Standard map[string]bool
	// C is the binary's C code and data, the size view's C row, and Cgo
	// the packages outside the standard library that link it: the
	// external linker adds it, outside the Go linker's graph.
	C   int64
	Cgo []string
	// Line gives the source file and line of a program counter, and
	// Calls the calls in [lo, hi) to target (elfinfo); Funcs are the
	// function table's entries by name. Any may be nil.
	Line  func(pc uint64) (string, int)
	Calls func(lo, hi, target uint64) []uint64
	Funcs map[string][2]uint64 // name → entry, end
}

// Link is one step of a chain: a symbol and its package.
type Link struct {
	Symbol  string `json:"symbol"`
	Package string `json:"package,omitempty"`
}

// Retained is what leaves the binary with a package or symbol.
type Retained struct {
	Bytes   int64 `json:"bytes"`
	Symbols int   `json:"symbols"`
	// C is the binary's C code (the size view's C row), when every
	// package outside the standard library that links C would leave too:
	// most of it would, but not the C runtime's startup code, which a
	// cgo build keeps. It is not in Bytes: the external linker lays it
	// out, outside the graph. 0 otherwise.
	C int64 `json:"c_bytes"`
	// ReflectFreed says that it held every reachable call of reflect's
	// Method, so that the methods the linker kept for reflect leave too.
	ReflectFreed bool `json:"reflect_freed"`
}

// Cut is the references into a package from one other package: the
// import to cut, with how many edges of the graph cross it and one.
type Cut struct {
	From       string `json:"from"` // the package; "" for the toolchain's tables and the roots
	Edges      int    `json:"edges"`
	FromSymbol string `json:"from_symbol"`
	ToSymbol   string `json:"to_symbol"`
	// InitOnly says that From imports the package but no symbol of From
	// refers to one of the package's own: an import for its init
	// (import _), or one whose calls the compiler inlined. The import
	// keeps its init, and what that reaches, in the binary.
	InitOnly bool `json:"init_only,omitempty"`
}

// Blocker is a reachable function that calls reflect's Method or
// MethodByName with a name that is not a constant: while one is
// reachable, the linker keeps every exported method of every type that
// reaches an interface.
type Blocker struct {
	Symbol   string `json:"symbol"`
	Package  string `json:"package"`
	Standard bool   `json:"standard"` // in the standard library
	// Caller is the last function outside the standard library on the
	// chain to it (the function itself when it is outside), with the
	// source line of its call on the way: the line to change.
	Caller *Frame `json:"caller"`
	// Primary says that the function is reached without the methods
	// kept for reflect; one that is not is reached only through them,
	// and goes when the primary ones do.
	Primary bool     `json:"primary"`
	Chain   []Link   `json:"chain"`
	Alone   Retained `json:"alone"` // what leaves with this function alone (nothing while another blocker stays)
}

// Frame is a function with a source position.
type Frame struct {
	Symbol  string `json:"symbol"`
	Package string `json:"package"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
}

// Blockers is the dead code elimination blockers of a binary.
type Blockers struct {
	// Cost is what the methods kept only because of them weigh: the
	// bytes that leave when none of them is reachable.
	Cost      Retained  `json:"cost"`
	Functions []Blocker `json:"functions"`
}

// Answer is binscope why's answer about one package or symbol.
type Answer struct {
	Query string `json:"query"`
	// Kind is "package" or "symbol"; "package" too for a package the
	// build imports but whose every symbol the linker removed, which
	// InBinary then says.
	Kind     string `json:"kind"`
	Package  string `json:"package"`
	InBinary bool   `json:"in_binary"`
	// Bytes is the package's row of the size view (for a symbol, its
	// weight in the graph), EstimatedBytes the part of it that is an
	// estimate.
	Bytes          int64 `json:"bytes"`
	EstimatedBytes int64 `json:"estimated_bytes"`
	Symbols        int   `json:"symbols"`
	// Chain is a shortest chain of references from the roots to the
	// package's (or the symbol's) first reachable symbol.
	Chain []Link `json:"chain"`
	// ImportChain is a shortest chain of imports from the main package,
	// as the build resolved them; empty for the runtime's own.
	ImportChain []string `json:"import_chain"`
	Retained    Retained `json:"retained"`
	// Cuts are the references into the package from the others, most
	// first: every one must go for Retained to leave.
	Cuts []Cut `json:"cuts"`
	// Unremovable says that every Go program links the package (the
	// runtime and what it stands on, and the main package): Retained is
	// what it holds, not a saving.
	Unremovable bool `json:"unremovable,omitempty"`
}

// ErrUnknown is Ask's error for a name that is neither a package the
// build imports nor a symbol of the binary.
var ErrUnknown = errors.New("neither a package the build imports nor a symbol of the binary")

// Ask answers why query, a package's import path or a symbol's name, is
// in the binary.
func (p *Program) Ask(query string) (*Answer, error) {
	g := p.Graph
	a := &Answer{Query: query, Chain: []Link{}, ImportChain: []string{}, Cuts: []Cut{}}
	pkg := query
	if query == p.Main && p.Main != "" {
		pkg = "main" // the linker names the main package's symbols main.…
	}
	if pi := g.PackageIndex(pkg); pi >= 0 {
		nodes := g.PackageNodes(pi)
		a.Kind, a.Package, a.InBinary, a.Symbols = "package", query, true, len(nodes)
		a.Bytes, a.EstimatedBytes = p.packageBytes(pkg, nodes)
		a.Unremovable = unremovable(pkg) || pkg == "main"
		in := make([]bool, g.Nodes())
		for _, n := range nodes {
			in[n] = true
		}
		a.Chain = p.links(g.Chain(func(n int32) bool { return in[n] }))
		p.watchCgo()
		a.Retained = p.retainedC(g.Remove(append(nodes, p.orphans(pkg)...)))
		a.Cuts = p.cuts(pi)
		a.ImportChain = p.importChain(query)
		return a, nil
	}
	if nodes := g.Lookup(query); len(nodes) > 0 {
		a.Kind, a.InBinary, a.Symbols = "symbol", true, len(nodes)
		a.Package = g.PackageOf(nodes[0])
		a.Bytes = g.Bytes(nodes)
		a.Chain = p.links(g.Chain(func(n int32) bool { return slices.Contains(nodes, n) }))
		p.watchCgo()
		a.Retained = p.retainedC(g.Remove(nodes))
		if a.Package != "" {
			a.ImportChain = p.importChain(a.Package)
		}
		return a, nil
	}
	if _, ok := p.Imports[query]; ok {
		a.Kind, a.Package = "package", query
		a.ImportChain = p.importChain(query)
		return a, nil
	}
	return nil, fmt.Errorf("%q: %w%s", query, ErrUnknown, p.suggest(query))
}

// suggest names the packages of the binary query could mean.
func (p *Program) suggest(query string) string {
	var near []string
	for _, pkg := range p.Graph.Packages {
		if strings.HasSuffix(pkg, "/"+query) || strings.Contains(pkg, query) {
			near = append(near, pkg)
		}
	}
	if len(near) == 0 || len(near) > 5 {
		return ""
	}
	return " (did you mean " + strings.Join(near, " or ") + "?)"
}

func retained(r Removal) Retained {
	return Retained{Bytes: r.Bytes, Symbols: r.Symbols, ReflectFreed: r.ReflectFreed}
}

// retainedC is retained with the C code, when r took every package
// that links it.
func (p *Program) retainedC(r Removal) Retained {
	out := retained(r)
	if r.Watched {
		out.C = p.C
	}
	return out
}

// watchCgo points the graph's Watch at the packages that link C.
func (p *Program) watchCgo() {
	g := p.Graph
	if g.Watch != nil || len(p.Cgo) == 0 || p.C == 0 {
		return
	}
	g.Watch = []int32{}
	for _, pkg := range p.Cgo {
		if pi := g.PackageIndex(pkg); pi >= 0 {
			g.Watch = append(g.Watch, g.PackageNodes(pi)...)
		}
	}
}

// packageBytes is the package's row of the size view, or the weight of
// its symbols when the view has none.
func (p *Program) packageBytes(pkg string, nodes []int32) (bytes, estimated int64) {
	if p.Size != nil {
		for _, r := range p.Size.Packages {
			if r.Name == pkg {
				return r.Size, r.EstimatedBytes
			}
		}
	}
	return p.Graph.Bytes(nodes), 0
}

func (p *Program) links(path []int32) []Link {
	out := []Link{}
	for _, n := range path {
		out = append(out, Link{Symbol: p.Graph.Names[n], Package: p.Graph.PackageOf(n)})
	}
	return out
}

// orphans returns the init tasks of the packages that the build imports
// only through pkg: with pkg no longer imported, they are not either, and
// their init work leaves with them. (The linker lists every imported
// package's init task among its roots, go:main.inittasks, so the graph
// alone would keep them.)
func (p *Program) orphans(pkg string) []int32 {
	if p.Main == "" || p.Imports == nil || pkg == p.Main || pkg == "main" {
		return nil
	}
	seen := map[string]bool{p.Main: true}
	queue := []string{p.Main}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		for _, imp := range p.Imports[q] {
			if imp != pkg && !seen[imp] {
				seen[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	var out []int32
	for q := range p.Imports {
		if !seen[q] && q != pkg {
			out = append(out, p.Graph.Lookup(q+"..inittask")...)
		}
	}
	return out
}

// cuts are what keeps package pi in the binary: for each package that
// imports it, the references from its code, or, where there are none,
// the import itself (the package's init runs for it). References from
// elsewhere (the toolchain's tables, generic code instantiated for the
// package's types) go when those do; they are listed only when the
// importers are not known.
func (p *Program) cuts(pi int32) []Cut {
	g := p.Graph
	pkg := g.Packages[pi]
	var all []Cut
	byFrom := map[string]Cut{}
	for _, e := range g.Entries(pi) {
		c := Cut{From: e.From, Edges: e.Edges, FromSymbol: e.Example[0], ToSymbol: e.Example[1]}
		all = append(all, c)
		byFrom[e.From] = c
	}
	if p.Imports == nil {
		if all == nil {
			return []Cut{}
		}
		return all
	}
	out := []Cut{}
	var inits []Cut
	for q, imps := range p.Imports {
		if !slices.Contains(imps, pkg) {
			continue
		}
		from := q
		if q == p.Main {
			from = "main" // the main package's symbols are main.…
		}
		if c, ok := byFrom[from]; ok {
			out = append(out, c)
			continue
		}
		c := Cut{From: from, InitOnly: true}
		if len(g.Lookup(pkg+"..inittask")) == 0 {
			continue // an import the linker dropped whole: nothing to cut
		}
		inits = append(inits, c)
	}
	sort.Slice(out, func(i, j int) bool {
		return cmp.Or(cmp.Compare(out[j].Edges, out[i].Edges), cmp.Compare(out[i].From, out[j].From)) < 0
	})
	sort.Slice(inits, func(i, j int) bool { return inits[i].From < inits[j].From })
	return append(out, inits...)
}

// importChain is a shortest chain of imports from Main to pkg.
func (p *Program) importChain(pkg string) []string {
	if p.Main == "" || p.Imports == nil {
		return []string{}
	}
	if pkg == "main" {
		pkg = p.Main
	}
	parent := map[string]string{p.Main: ""}
	queue := []string{p.Main}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		if q == pkg {
			var chain []string
			for ; q != ""; q = parent[q] {
				chain = append(chain, q)
			}
			slices.Reverse(chain)
			return chain
		}
		for _, imp := range p.Imports[q] {
			if _, ok := parent[imp]; !ok {
				parent[imp] = q
				queue = append(queue, imp)
			}
		}
	}
	return []string{}
}

// Blockers finds the dead code elimination blockers.
func (p *Program) Blockers() Blockers {
	g := p.Graph
	b := Blockers{Cost: retained(g.ReflectCost()), Functions: []Blocker{}}
	primary := g.Primary()
	for _, n := range g.ReflectMethod {
		pkg := g.PackageOf(n)
		path := g.Chain(func(m int32) bool { return m == n })
		bl := Blocker{Symbol: g.Names[n], Package: pkg, Standard: p.standard(pkg), Chain: p.links(path), Primary: primary[n]}
		bl.Alone = retained(g.Remove([]int32{n}))
		bl.Caller = p.caller(path)
		b.Functions = append(b.Functions, bl)
	}
	// The primary ones first, those outside the standard library or
	// reached from code outside it before the others: the code to change.
	fs := b.Functions
	sort.SliceStable(fs, func(i, j int) bool {
		x, y := fs[i], fs[j]
		return cmp.Or(compareBool(!x.Primary, !y.Primary), compareBool(x.Standard, y.Standard), compareBool(x.Caller == nil, y.Caller == nil),
			cmp.Compare(len(x.Chain), len(y.Chain)), cmp.Compare(x.Symbol, y.Symbol)) < 0
	})
	return b
}

func (p *Program) standard(pkg string) bool {
	if p.Standard != nil {
		if std, ok := p.Standard[pkg]; ok {
			return std
		}
	}
	// Without go list: a standard library path has no dot in its first
	// element.
	first, _, _ := strings.Cut(pkg, "/")
	return pkg != "" && !strings.Contains(first, ".") && pkg != "main" && pkg != p.Main
}

// caller is the last function outside the standard library on path,
// with the line of its call of the next step when the code shows it.
func (p *Program) caller(path []int32) *Frame {
	g := p.Graph
	for i := len(path) - 1; i >= 0; i-- {
		n := path[i]
		pkg := g.PackageOf(n)
		if pkg == "" || p.standard(pkg) || !isText(g.Kinds[n]) {
			continue
		}
		f := &Frame{Symbol: g.Names[n], Package: pkg}
		span, ok := p.Funcs[g.Names[n]]
		if !ok || p.Line == nil {
			return f
		}
		// The call of the next function on the chain, when it is a direct
		// one in the function's own file (not code inlined from another);
		// else the function's first line.
		f.File, f.Line = p.Line(span[0])
		callees := reflectMethodFuncs
		if i+1 < len(path) {
			callees = []string{g.Names[path[i+1]]}
		}
		for _, callee := range callees {
			next, ok := p.Funcs[callee]
			if !ok || p.Calls == nil {
				continue
			}
			for _, site := range p.Calls(span[0], span[1], next[0]) {
				if file, line := p.Line(site); file == f.File && line > 0 {
					f.Line = line
					return f
				}
			}
		}
		return f
	}
	return nil
}

// reflectMethodFuncs are the reflect functions whose call with a name
// that is not a constant makes the caller a blocker: where the caller is
// the blocker itself, its line is that of the call.
var reflectMethodFuncs = []string{"reflect.Value.MethodByName", "reflect.Value.Method", "reflect.(*rtype).MethodByName", "reflect.(*rtype).Method"}

func compareBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// Top is binscope why --top's answer: the packages with the largest
// retained sizes.
type Top struct {
	Packages []TopPackage `json:"packages"`
}

// TopPackage is one package of Top.
type TopPackage struct {
	Package string `json:"package"`
	// Bytes is the package's own row of the size view; Retained what
	// leaves with it, its own bytes and everything only it reaches.
	Bytes          int64    `json:"bytes"`
	EstimatedBytes int64    `json:"estimated_bytes"`
	Retained       Retained `json:"retained"`
	Cuts           []Cut    `json:"cuts"`
	ImportChain    []string `json:"import_chain"`
}

// Top returns the n packages with the largest retained sizes, the main
// package and the runtime's own left out (a program cannot drop them),
// each with the references to cut.
func (p *Program) Top(n int) Top {
	g := p.Graph
	t := Top{Packages: []TopPackage{}}
	p.watchCgo()
	for _, r := range g.RemoveEach(p.orphans) {
		if len(t.Packages) == n {
			break
		}
		if r.Package == p.Main || r.Package == "main" || unremovable(r.Package) {
			continue
		}
		pi := g.PackageIndex(r.Package)
		tp := TopPackage{Package: r.Package, Retained: p.retainedC(r.Removal), Cuts: []Cut{}, ImportChain: p.importChain(r.Package)}
		tp.Bytes, tp.EstimatedBytes = p.packageBytes(r.Package, g.PackageNodes(pi))
		tp.Cuts = p.cuts(pi)
		t.Packages = append(t.Packages, tp)
	}
	return t
}

// unremovable are the packages every Go program links: the runtime and
// what it stands on.
func unremovable(pkg string) bool {
	switch pkg {
	case "runtime", "internal/abi", "internal/bytealg", "internal/cpu", "internal/goarch", "internal/goos",
		"internal/runtime/atomic", "internal/runtime/sys", "internal/runtime/math", "internal/runtime/syscall",
		"internal/runtime/maps", "internal/runtime/exithook", "internal/chacha8rand", "internal/godebugs",
		"internal/stringslite", "internal/runtime/gc", "internal/runtime/cgroup", "internal/runtime/strconv",
		"internal/strconv", "internal/sync", "internal/goexperiment", "internal/byteorder", "internal/profilerecord",
		"internal/trace/tracev2", "internal/asan", "internal/msan", "internal/race", "unsafe", "sync/atomic":
		return true
	}
	return strings.HasPrefix(pkg, "internal/runtime/")
}
