package treemap

import (
	"cmp"
	"slices"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
)

// Kind is what a tile's bytes are, for its colour.
type Kind string

// The kinds of tile. A package's tile takes the kind most of its bytes
// are (code, function table or data); a fixed row's is its own.
const (
	KindCode      Kind = "code"
	KindFunctab   Kind = "function table"
	KindData      Kind = "data"
	KindDebug     Kind = "debug info"
	KindSymtab    Kind = "symbol table"
	KindDynamic   Kind = "dynamic linking"
	KindOther     Kind = "other" // headers and padding, relocations, unwind tables, unattributed
	KindContainer Kind = ""      // a module or the whole binary: its children say
)

// Level is a tile's place in the tree.
type Level string

// The levels, from the root down.
const (
	LevelBinary  Level = "binary"
	LevelModule  Level = "module"
	LevelPackage Level = "package"
	LevelSymbol  Level = "symbol"
	LevelRest    Level = "rest" // the rest of a package's bytes, beyond its largest symbols
)

// Node is one tile: its bytes are its children's sum when it has
// children.
type Node struct {
	Name  string `json:"name"`
	Level Level  `json:"level"`
	Kind  Kind   `json:"kind"`
	Bytes int64  `json:"bytes"`
	// Estimated is the part of Bytes a heuristic gave (the package
	// view's estimated_bytes; a symbol's size inferred from the next).
	Estimated int64   `json:"estimated"`
	Children  []*Node `json:"children,omitempty"`
}

// FromSize builds the tree of a size report: the binary, its modules
// (with the report's non-package rows as modules of their own, as the
// module view has them), their packages, and, when the report has its
// symbols, each package's largest symbols by file bytes, at most
// symbols of them, with the rest of the package in one tile. Memory-only
// symbols (.bss) have no file bytes and no tile. Children are largest
// first, then by name; a package's rest tile comes after its symbols,
// whatever its size.
func FromSize(r *analyze.SizeReport, symbols int) *Node {
	root := &Node{Name: r.Path, Level: LevelBinary, Kind: KindContainer}
	bySym := map[string][]analyze.SymbolSize{}
	for _, s := range r.Symbols {
		if s.Kind == elfinfo.KindBSS || s.Size <= 0 {
			continue
		}
		bySym[s.Package] = append(bySym[s.Package], s)
	}
	mods := map[string]*Node{}
	var order []string
	for _, p := range r.Packages {
		if p.Size <= 0 {
			continue
		}
		mod := cmp.Or(p.Module, p.Name)
		m := mods[mod]
		if m == nil {
			m = &Node{Name: mod, Level: LevelModule, Kind: KindContainer}
			mods[mod] = m
			order = append(order, mod)
		}
		n := &Node{Name: p.Name, Level: LevelPackage, Kind: packageKind(p), Bytes: p.Size, Estimated: p.EstimatedBytes}
		n.Children = symbolTiles(n, bySym[p.Name], symbols)
		m.Children = append(m.Children, n)
		m.Bytes += n.Bytes
		m.Estimated += n.Estimated
	}
	for _, name := range order {
		m := mods[name]
		sortNodes(m.Children)
		if len(m.Children) == 1 && m.Children[0].Name == m.Name {
			// A fixed row, C or <generated>: one tile, not a module of one.
			m = m.Children[0]
		}
		root.Children = append(root.Children, m)
		root.Bytes += m.Bytes
		root.Estimated += m.Estimated
	}
	sortNodes(root.Children)
	return root
}

// symbolTiles are a package's largest symbols and the rest of its bytes,
// or nil when the report has no symbols of it.
func symbolTiles(pkg *Node, syms []analyze.SymbolSize, n int) []*Node {
	if len(syms) == 0 || n <= 0 {
		return nil
	}
	slices.SortStableFunc(syms, func(a, b analyze.SymbolSize) int {
		return cmp.Or(cmp.Compare(b.Size, a.Size), cmp.Compare(a.Name, b.Name))
	})
	var out []*Node
	var sum, est int64
	for _, s := range syms[:min(n, len(syms))] {
		if sum+s.Size > pkg.Bytes {
			break // never more than the package: the rest would go negative
		}
		t := &Node{Name: s.Name, Level: LevelSymbol, Kind: symbolKind(s.Kind), Bytes: s.Size}
		if s.Estimated {
			t.Estimated = s.Size
			est += s.Size
		}
		out = append(out, t)
		sum += s.Size
	}
	if rest := pkg.Bytes - sum; rest > 0 {
		out = append(out, &Node{Name: "rest of " + pkg.Name, Level: LevelRest, Kind: pkg.Kind, Bytes: rest, Estimated: max(pkg.Estimated-est, 0)})
	}
	return out
}

func sortNodes(ns []*Node) {
	slices.SortStableFunc(ns, func(a, b *Node) int {
		return cmp.Or(cmp.Compare(b.Bytes, a.Bytes), cmp.Compare(a.Name, b.Name))
	})
}

// packageKind is the kind of most of a row's bytes.
func packageKind(p analyze.PackageSize) Kind {
	switch p.Name {
	case analyze.RowDebugInfo:
		return KindDebug
	case analyze.RowSymbolTable:
		return KindSymtab
	case analyze.RowDynamicLinking:
		return KindDynamic
	}
	if analyze.FixedRow(p.Name) {
		return KindOther
	}
	switch max(p.Code, p.Functab, p.Data) {
	case p.Code:
		return KindCode
	case p.Functab:
		return KindFunctab
	}
	return KindData
}

func symbolKind(k elfinfo.Kind) Kind {
	switch k {
	case elfinfo.KindCode:
		return KindCode
	case elfinfo.KindGoMetadata:
		return KindFunctab
	case elfinfo.KindDebug:
		return KindDebug
	case elfinfo.KindSymtab:
		return KindSymtab
	}
	return KindData
}
