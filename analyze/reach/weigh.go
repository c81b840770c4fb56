package reach

import (
	"slices"
	"strings"

	"github.com/binscope/binscope/elfinfo"
)

// Weigh gives each symbol the bytes it accounts for in the binary the
// link wrote, from that binary's Go function table: a function's machine
// code with the alignment padding after it, its share of the pclntab and
// its funcdata; its package is the table's. Other symbols weigh the
// linker's size of them, and those of .bss (which take no file bytes)
// nothing. Functions the table does not list keep the linker's size.
// Symbols of one name (a function and its ABI wrapper) share its bytes
// in proportion to their sizes.
func (g *Graph) Weigh(t *elfinfo.FuncTable) {
	type fn struct {
		bytes int64
		pkg   string
	}
	funcs := map[string]fn{}
	if t != nil {
		for _, f := range t.Funcs {
			e := funcs[f.Name]
			e.bytes += int64(f.End-f.Entry) + f.Table + f.Funcdata
			if e.pkg == "" {
				e.pkg = f.Package
			}
			funcs[f.Name] = e
		}
	}
	pkgs := map[string]string{}
	for name, f := range funcs {
		pkgs[name] = f.pkg
	}
	g.assignPackages(pkgs)
	for i := range g.Weights {
		g.Weights[i] = g.Sizes[i]
		if weightless(g.Names[i], g.Kinds[i]) {
			g.Weights[i] = 0
		}
	}
	defer g.spreadParts(t)
	for name, f := range funcs {
		nodes := g.byName[name]
		var total int64
		var text []int32
		for _, n := range nodes {
			if isText(g.Kinds[n]) {
				text = append(text, n)
				total += g.Sizes[n]
			}
		}
		left := f.bytes
		for i, n := range text {
			share := f.bytes / int64(len(text))
			if total > 0 {
				share = f.bytes * g.Sizes[n] / total
			}
			if i == len(text)-1 {
				share = left
			}
			g.Weights[n] = share
			left -= share
		}
	}
}

// weightless says which reachable symbols take no bytes of their own in
// the package view: those of .bss; the DWARF the linker writes for each
// function (the view's "debug info" row, gone with -w); the unnamed
// pieces of each function (pc-value tables, inline trees) and its
// funcdata (gclocals·…, F.stkobj, F.arginfo1…), which the function table
// lays out and Weigh already counts in the function's share of it.
func weightless(name, kind string) bool {
	switch {
	case name == "", strings.Contains(kind, "BSS"), strings.HasPrefix(kind, "SDWARF"), strings.HasPrefix(name, "gclocals·"):
		return true
	}
	return funcdata(name)
}

// funcdata says whether name is a function's funcdata symbol, F.stkobj
// and the like.
func funcdata(name string) bool {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		switch name[i+1:] {
		case "stkobj", "arginfo0", "arginfo1", "argliveinfo", "opendefer", "wrapinfo":
			return true
		}
	}
	return false
}

// spreadParts gives each package's pieces of the function table that
// no one function owns (its function names, file names and its part of
// the table of compilation units) to its functions, in proportion to
// their weights: they leave with the package's code.
func (g *Graph) spreadParts(t *elfinfo.FuncTable) {
	if t == nil {
		return
	}
	parts := map[string]int64{}
	for _, p := range t.Parts {
		parts[p.Package] += p.Bytes
	}
	for pkg, bytes := range parts {
		pi := g.PackageIndex(pkg)
		if pi < 0 {
			continue
		}
		var text []int32
		var total int64
		for n, q := range g.Package {
			if q == pi && isText(g.Kinds[n]) && g.Weights[n] > 0 {
				text = append(text, int32(n))
				total += g.Weights[n]
			}
		}
		left := bytes
		for i, n := range text {
			share := bytes * g.Weights[n] / total
			if i == len(text)-1 {
				share = left
			}
			g.Weights[n] += share
			left -= share
		}
	}
}

func isText(kind string) bool { return kind == "STEXT" || strings.HasPrefix(kind, "STEXT") }

// assignPackages names each symbol's package: for functions, funcPkg's
// (the function table's) when it lists them; for the rest, the package
// the name gives (elfinfo.PackageOf), a type descriptor's the package of
// its named type, an itab's that of its concrete type. Content-addressed
// symbols (strings, type descriptors of unnamed types, go:func.*) have
// none: they belong to whoever reaches them.
func (g *Graph) assignPackages(funcPkg map[string]string) {
	names := make([]string, len(g.Names))
	for i, name := range g.Names {
		if i == 0 || name == "" {
			continue
		}
		if p, ok := funcPkg[name]; ok && isText(g.Kinds[i]) {
			names[i] = p
			continue
		}
		names[i] = SymbolPackage(name)
	}
	set := map[string]bool{}
	for _, p := range names {
		if p != "" {
			set[p] = true
		}
	}
	g.Packages = g.Packages[:0]
	for p := range set {
		g.Packages = append(g.Packages, p)
	}
	slices.Sort(g.Packages)
	index := make(map[string]int32, len(g.Packages))
	for i, p := range g.Packages {
		index[p] = int32(i)
	}
	g.Package = make([]int32, len(g.Names))
	for i, p := range names {
		g.Package[i] = -1
		if p != "" {
			g.Package[i] = index[p]
		}
	}
}

// SymbolPackage is the package a linker symbol's name places it in, ""
// for none: elfinfo.PackageOf, and for the toolchain's names the package
// of the named type a type descriptor (type:*example.com/a.T) or an itab
// (go:itab.*example.com/a.T,io.Writer) is of.
func SymbolPackage(name string) string {
	switch {
	case strings.Contains(name, "..stmp_"), strings.Contains(name, "..gobytes."), strings.HasPrefix(name, "gclocals·"), funcdata(name):
		// Static temporaries and funcdata: the compiler names them after
		// the package (or function) that made them, and the linker shares
		// one by content with any other package that needs the same.
		return ""
	case strings.HasPrefix(name, "go:itab."):
		return typePackage(name[len("go:itab."):])
	case strings.HasPrefix(name, "type:"):
		rest := name[len("type:"):]
		if strings.HasPrefix(rest, ".") {
			return "" // type:.namedata.…, type:.importpath.…, the eq functions' closures
		}
		return typePackage(rest)
	}
	return elfinfo.PackageOf(name)
}

// typePackage is the package of a type name: that of the named type at
// its start, through pointers, slices and arrays; "" for an unnamed type
// (struct {…}, func(…), map[…]…), which any package may make.
func typePackage(t string) string {
	for {
		switch {
		case strings.HasPrefix(t, "*"):
			t = t[1:]
			continue
		case strings.HasPrefix(t, "[]"):
			t = t[2:]
			continue
		case strings.HasPrefix(t, "["):
			i := strings.IndexByte(t, ']')
			if i < 0 {
				return ""
			}
			t = t[i+1:]
			continue
		}
		break
	}
	if t == "" || strings.HasPrefix(t, "struct") || strings.HasPrefix(t, "interface") || strings.HasPrefix(t, "func(") || strings.HasPrefix(t, "map[") || strings.HasPrefix(t, "chan") || strings.HasPrefix(t, "noalg.") || strings.HasPrefix(t, "go.shape.") {
		return ""
	}
	if i := strings.IndexAny(t, ",;"); i >= 0 {
		t = t[:i] // the itab's interface, after the comma
	}
	return elfinfo.PackageOf(t)
}
