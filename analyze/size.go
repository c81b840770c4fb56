package analyze

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/binscope/binscope/elfinfo"
)

// SizeReport says where the bytes of one binary go: by section, by Go
// package and by module. In the package view every byte of the file lands
// in exactly one row, so the sizes of Packages sum to Size; so do the
// sizes of Modules, which carry the same fixed rows.
type SizeReport struct {
	SchemaVersion int     `json:"schema_version"`
	Path          string  `json:"path"`
	Size          int64   `json:"size"`
	Attributed    int64   `json:"attributed"`   // bytes in package, C and generated rows
	Unattributed  int64   `json:"unattributed"` // program bytes no row could claim
	Coverage      float64 `json:"coverage"`     // Attributed / (Attributed + Unattributed): the fixed rows are known, not counted

	Format    elfinfo.Format `json:"format"`
	GOOS      string         `json:"goos"`
	GOARCH    string         `json:"goarch"`
	GoVersion string         `json:"go_version"`
	Stripped  bool           `json:"stripped"`
	// Linkage is file(1)'s word for how the binary links: static,
	// static-pie or dynamic ("" for formats without one, WebAssembly).
	Linkage string `json:"linkage,omitempty"`
	// Estimated is the part of Attributed that comes from a heuristic
	// (see PackageSize.EstimatedBytes).
	Estimated int64 `json:"estimated"`
	// Method says where the package figures come from: "pclntab+symtab",
	// "pclntab" (no symbol table) or "symtab" (no Go function table).
	Method string `json:"method"`
	// Notes say what the figures were made without, such as the runtime's
	// moduledata of a Go release newer than binscope knows.
	Notes []string `json:"notes,omitempty"`

	Sections []SectionSize `json:"sections"`
	Kinds    []KindSize    `json:"kinds"`
	// HeadersAndPadding and SymbolTableOutside are the bytes of the file
	// in no section: the symbol table's (Mach-O's LC_SYMTAB ranges, a PE
	// COFF table no section covers) and the rest, headers and alignment.
	// With the sections they make up the file: the section view sums to
	// Size. (The package view's "headers and padding" row also holds the
	// section name table, .shstrtab, which is a section.)
	HeadersAndPadding  int64         `json:"headers_and_padding"`
	SymbolTableOutside int64         `json:"symbol_table_outside_sections"`
	Packages           []PackageSize `json:"packages"`
	Modules            []ModuleSize  `json:"modules"`
	// Symbols is the symbol view, filled only when asked for (SizeOf with
	// Symbols), since it is as long as the binary's symbol table.
	Symbols []SymbolSize `json:"symbols,omitempty"`
	// SymbolsPerPackage, when set, says that Symbols holds only the
	// largest symbols of each package, that many (SizeOptions).
	SymbolsPerPackage int `json:"symbols_per_package,omitempty"`
	// Universal is set when the binary is a slice of a Mach-O universal
	// binary: the report is of the slice alone (Size is the slice's, and
	// the rows sum to it), and Universal says which slice of which whole.
	Universal *elfinfo.SliceInfo `json:"universal,omitempty"`
}

// SectionSize is one section's share of the file and of memory.
type SectionSize struct {
	Name     string       `json:"name"`
	Kind     elfinfo.Kind `json:"kind"`
	FileSize int64        `json:"file_size"`
	VMSize   int64        `json:"vm_size"`
	// Table is the linker table the section holds, which is also the
	// package view row its unclaimed bytes go to; "" for none.
	Table elfinfo.Table `json:"table,omitempty"`
}

// KindSize is the sections of one kind summed.
type KindSize struct {
	Kind     elfinfo.Kind `json:"kind"`
	Sections int          `json:"sections"`
	FileSize int64        `json:"file_size"`
	VMSize   int64        `json:"vm_size"`
}

// PackageSize is one row of the package view: a Go package, "C",
// "<generated>", or one of the fixed rows "debug info", "symbol table",
// "headers and padding", "unattributed", "dynamic linking", "relocations",
// "unwind tables".
type PackageSize struct {
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	Estimated bool   `json:"estimated"` // part of Size comes from a heuristic

	Module string `json:"module,omitempty"` // path of the module the package is in
	// Code is machine code: the package's functions from the Go function
	// table, each with the alignment padding after it; for C, code from
	// the symbol table. Exact, and the same with and without -s -w.
	Code int64 `json:"code"`
	// Padding is the part of Code that is alignment padding after the
	// package's functions (from each function's last instruction, the end
	// of the pc range its stack-pointer table covers, to the next
	// function): Code - Padding is the functions' own bytes, the sizes
	// `go tool nm` prints. 0 before Go 1.18, whose table bounds no function.
	Padding int64 `json:"padding"`
	// Functab is the package's share of the Go function table (pclntab)
	// and the funcdata it points to.
	Functab int64 `json:"functab"`
	// Data is read-only and writable data: symbols named by the package,
	// and its share of data no symbol names.
	Data int64 `json:"data"`
	// EstimatedBytes is the part of Size that comes from a heuristic: data
	// and table bytes shared out in proportion to code, symbol sizes
	// inferred from the next symbol's address, C code told by elimination.
	EstimatedBytes int64 `json:"estimated_bytes"`
	Functions      int   `json:"functions"`
	// Evidence says what the row's bytes rest on, kind by kind; nil for
	// the fixed rows, whose bytes are known by their section.
	Evidence *Evidence `json:"evidence,omitempty"`
}

// Evidence splits a row's bytes by the kind of evidence that gives them
// to it. The kinds sum to the row's size; all but Estimate are exact.
type Evidence struct {
	// FunctionTable: code from the Go function table and the row's
	// exact share of the table.
	FunctionTable int64 `json:"function_table"`
	// Symbols: symbols that name the row (sizes recorded, not inferred).
	Symbols int64 `json:"symbols"`
	// DWARF: global variables DWARF places and sizes.
	DWARF int64 `json:"dwarf"`
	// Types: type descriptors the row's package defines, their names,
	// their itabs and their entries in the linker's type tables.
	Types int64 `json:"types"`
	// References: data the row's code (or its data) points at.
	References int64 `json:"references"`
	// Estimate equals EstimatedBytes.
	Estimate int64 `json:"estimate"`
}

// Exact is the part of the evidence that is not an estimate.
func (e *Evidence) Exact() int64 {
	if e == nil {
		return 0
	}
	return e.FunctionTable + e.Symbols + e.DWARF + e.Types + e.References
}

func (e *Evidence) add(o *Evidence) {
	e.FunctionTable += o.FunctionTable
	e.Symbols += o.Symbols
	e.DWARF += o.DWARF
	e.Types += o.Types
	e.References += o.References
	e.Estimate += o.Estimate
}

// ModuleSize is the packages of one module summed: the standard library
// ("std"), the main module, or a dependency at its version. The rows C,
// <generated> and the fixed rows appear here too, under the same names.
type ModuleSize struct {
	Path      string `json:"path"`
	Version   string `json:"version"`
	Size      int64  `json:"size"`
	Estimated bool   `json:"estimated"`

	Replace        string `json:"replace,omitempty"` // "path version" of a replacement
	Main           bool   `json:"main,omitempty"`
	Packages       int    `json:"packages"`
	Code           int64  `json:"code"`
	Padding        int64  `json:"padding"` // the part of Code that is alignment padding
	EstimatedBytes int64  `json:"estimated_bytes"`
	// Evidence sums the packages' (nil for the fixed rows).
	Evidence *Evidence `json:"evidence,omitempty"`
}

// SymbolSize is one row of the symbol view: a Go function from the
// function table, or a symbol from the symbol table.
type SymbolSize struct {
	Name      string       `json:"name"`
	Package   string       `json:"package"` // the package view row it counts in
	Kind      elfinfo.Kind `json:"kind"`
	Size      int64        `json:"size"`
	Estimated bool         `json:"estimated"` // size inferred from the next symbol
}

// The fixed rows of the package view, and the rows C, <generated> and the
// standard library's module.
const (
	RowDebugInfo    = "debug info"
	RowSymbolTable  = "symbol table"
	RowHeaders      = "headers and padding"
	RowUnattributed = "unattributed"
	// The linker tables (see elfinfo.Table): the loader's and the
	// unwinder's tables, in the words elfinfo gives them in every format.
	RowDynamicLinking = string(elfinfo.TableDynamicLinking)
	RowRelocations    = string(elfinfo.TableRelocations)
	RowUnwindTables   = string(elfinfo.TableUnwind)
	RowC              = "C"
	RowGenerated      = "<generated>"
	ModuleStd         = "std"
)

// ErrUniversal is SizeOf's error for a universal binary as a whole:
// only a slice has sections and packages to attribute.
var ErrUniversal = errors.New("size: not one binary")

// fixedRows lists the fixed rows: bytes binscope knows the purpose of but
// gives to no package (and unattributed, the bytes it does not know).
// always says the row is in every report, 0 or not; the linker tables
// appear only in binaries that have them.
var fixedRows = []struct {
	name   string
	always bool
}{
	{RowDebugInfo, true}, {RowSymbolTable, true}, {RowHeaders, true}, {RowUnattributed, true},
	{RowDynamicLinking, false}, {RowRelocations, false}, {RowUnwindTables, false},
}

// FixedRow reports whether name is one of the fixed rows of the package
// and module views, which hold no package: debug info, symbol table,
// headers and padding, unattributed and the linker tables.
func FixedRow(name string) bool { return isFixed(name) }

// SizeOptions choose the optional parts of a size report.
type SizeOptions struct {
	Symbols bool // fill SizeReport.Symbols
	// SymbolsPerPackage, when positive, keeps in the symbol view only the
	// largest symbols of each package, that many, in the view's order
	// (file bytes first, .bss after): the symbols a treemap can show, in a
	// report whose size does not grow with the symbol table.
	SymbolsPerPackage int
	// NoCodeRefs skips reading the machine code for the data it names:
	// faster, and that data is then shared out by estimate.
	NoCodeRefs bool
}

// Size attributes the bytes of f to sections, packages and modules.
func Size(f *elfinfo.File) (*SizeReport, error) {
	return SizeOf(f, SizeOptions{})
}

// SizeOf is Size with options.
//
// Method, in the order bytes are claimed (a byte claimed once is not
// claimed again):
//
//  1. The Go function table (pclntab and funcdata) as a whole, shared out
//     among functions and packages by elfinfo.FuncTable.
//  2. Code: each function of the function table, from its entry to the
//     next function's, to its package: its code (to the end of the pc
//     range its stack-pointer table covers) and the alignment padding
//     after it.
//  3. Symbols from the symbol table, when there is one, to the package
//     their name says, or to C.
//  4. What is left: in code sections, C when the binary links C code
//     (estimated), else unattributed; in data and read-only data, shared
//     out among Go packages in proportion to their code (estimated); in
//     other sections, unattributed. In a section that holds a linker
//     table (elfinfo.Table), what is left goes to the table's row instead
//     ("dynamic linking", "relocations", "unwind tables"). Debug sections
//     are "debug info", symbol tables "symbol table", and bytes in no
//     section "headers and padding".
func SizeOf(f *elfinfo.File, opts SizeOptions) (*SizeReport, error) {
	if f == nil {
		return nil, errors.New("size: no file")
	}
	if f.IsUniversal() {
		var arches []string
		for _, sl := range f.Slices {
			arches = append(arches, sl.Arch)
		}
		return nil, fmt.Errorf("%w: a universal binary of %s; attribute one slice (File.Slice)", ErrUniversal, strings.Join(arches, ", "))
	}
	a := newAttributor(f)
	if err := a.run(opts); err != nil {
		return nil, err
	}
	return a.report(opts), nil
}

// row accumulates one row of the package view.
type row struct {
	name                  string
	size, code, tab, data int64
	pad                   int64 // alignment padding after its functions
	est                   int64
	funcs                 int
	ev                    [evKinds]int64 // bytes by kind of evidence
}

type attributor struct {
	f     *elfinfo.File
	rows  map[string]*row
	table *elfinfo.FuncTable
	syms  []elfinfo.Symbol
	hasC  bool
	known map[string]bool // packages with functions in the table

	headers       int64 // bytes in no section
	symtabOutside int64 // symbol table bytes in no section
	pool          int64 // data bytes no one claimed, shared out at the end
	symView       []SymbolSize
	codeRefs      <-chan []codeRef // the machine code's references, when read
	cs            *claimSet        // the claims run made
	// deferred are data symbols that name no package (compiler
	// constants, GC bitmaps): the evidence layer gives them to the code
	// that uses them, and to their own row when none does.
	deferred []claim
}

func newAttributor(f *elfinfo.File) *attributor {
	a := &attributor{f: f, rows: map[string]*row{}, known: map[string]bool{}}
	for _, fr := range fixedRows {
		if fr.always {
			a.rows[fr.name] = &row{name: fr.name}
		}
	}
	return a
}

func (a *attributor) row(name string) *row {
	r := a.rows[name]
	if r == nil {
		r = &row{name: name}
		a.rows[name] = r
	}
	return r
}

// pkgRow is the row of a Go package; "" is <generated>.
func (a *attributor) pkgRow(pkg string) *row {
	if pkg == "" {
		return a.row(RowGenerated)
	}
	return a.row(pkg)
}

// funcRow is the row of a function of the function table: its package's,
// or C for the race detector's C++ runtime, which -race links into the
// table, or <generated> for the toolchain's own.
func (a *attributor) funcRow(fn elfinfo.TableFunc) *row {
	if fn.Package == "" && elfinfo.SanitizerName(fn.Name) {
		return a.row(RowC)
	}
	return a.pkgRow(fn.Package)
}

// linksC reports whether the binary holds C code: it is not a Go binary
// (or one without build info, until its function table says), or cgo was
// on and the build links C (a cgo build that needs no C, such
// as a plain program, still links the C runtime startup code).
func linksC(f *elfinfo.File) bool {
	if f.Go == nil || !f.Go.BuildInfo {
		return true
	}
	if f.Go.CGOEnabled != nil && *f.Go.CGOEnabled {
		return true
	}
	return strings.Contains(f.Go.LDFlags, "-linkmode=external") || strings.Contains(f.Go.LDFlags, "-linkmode external")
}

// region is a part of the file owned by one section (or by a symbol table
// outside sections), clipped so that regions do not overlap.
type region struct {
	sec    *elfinfo.Section // nil for a symbol table extent
	lo, hi int64            // file offsets
}

func (a *attributor) run(opts SizeOptions) error {
	f := a.f
	a.hasC = linksC(f)
	if !opts.NoCodeRefs && f.Go != nil {
		a.codeRefs = scanCode(f)
		// Whatever run returns, the scan has ended: it reads f, which
		// the caller may close next.
		defer func() {
			if a.codeRefs != nil {
				<-a.codeRefs
			}
		}()
	}
	// The symbol table is read while the function table is.
	type symResult struct {
		syms []elfinfo.Symbol
		err  error
	}
	symsCh := make(chan symResult, 1)
	go func() {
		syms, err := f.Symbols()
		symsCh <- symResult{syms, err}
	}()
	if t, err := f.FuncTable(); err == nil {
		a.table = t
		for _, fn := range t.Funcs {
			a.known[fn.Package] = true
		}
		switch {
		case f.Go != nil && !f.Go.BuildInfo:
			// No build info to say whether cgo was on: the function
			// table does, by runtime/cgo.
			a.hasC = a.known["runtime/cgo"]
		case f.Go != nil && f.Go.CGOEnabled == nil:
			// Build info without settings (Go 1.17 and older): the same,
			// or cgo's own functions (below, from the symbol table).
			a.hasC = a.hasC || a.known["runtime/cgo"]
		}
	} else if !errors.Is(err, elfinfo.ErrNoPclntab) && f.Go != nil {
		<-symsCh
		return err
	}
	sr := <-symsCh
	if sr.err != nil {
		return sr.err
	}
	syms := sr.syms
	a.syms = syms
	if !a.hasC && f.Go != nil && f.Go.CGOEnabled == nil {
		// Before Go 1.18 runtime/cgo has no Go functions of its own; its
		// C functions (_cgo_panic, x_cgo_init) say cgo was on.
		a.hasC = slices.ContainsFunc(syms, func(s elfinfo.Symbol) bool {
			return strings.HasPrefix(strings.TrimPrefix(s.Name, "_"), "_cgo_") || strings.HasPrefix(s.Name, "x_cgo_")
		})
	}

	regions := a.regions()
	claims := a.claims()
	a.dwarfClaims(claims)
	a.evidence(claims, opts)
	a.cs = claims
	for _, rg := range regions {
		a.attributeRegion(rg, claims)
	}
	a.spread()
	if opts.Symbols {
		a.symbolView()
	}
	return nil
}

// regions lays the sections and symbol table extents over the file, each
// byte in at most one, and counts the bytes in none as headers.
func (a *attributor) regions() []region {
	f := a.f
	type ext struct {
		sec     *elfinfo.Section
		off, hi int64
	}
	var exts []ext
	for i := range f.Sections {
		s := &f.Sections[i]
		if s.FileSize <= 0 || s.Offset < 0 || s.Offset >= f.Size {
			continue
		}
		exts = append(exts, ext{s, s.Offset, s.Offset + min(s.FileSize, f.Size-s.Offset)})
	}
	for _, e := range f.SymbolTableExtents() {
		exts = append(exts, ext{nil, e.Offset, e.Offset + e.Size})
	}
	slices.SortStableFunc(exts, func(x, y ext) int { return cmp.Compare(x.off, y.off) })
	var out []region
	cursor := int64(0)
	for _, e := range exts {
		lo := max(e.off, cursor)
		if lo > cursor {
			a.headers += lo - cursor
		}
		if e.hi > lo {
			out = append(out, region{sec: e.sec, lo: lo, hi: e.hi})
		}
		cursor = max(cursor, e.hi)
	}
	if f.Size > cursor {
		a.headers += f.Size - cursor
	}
	a.rows[RowHeaders].size += a.headers
	return out
}

// claim is an address range that goes to one row, or, for a block (the
// function table), to many by a fixed distribution.
type claim struct {
	lo, hi uint64
	row    *row
	kind   byte // 'c' code, 't' function table, 'd' data
	est    bool
	ev     evKind // for symbol-layer claims: the evidence
	block  []share
	fn     int    // function index for code claims, else -1
	pad    uint64 // for code: where the alignment padding after it starts (0: none known)
}

// share is one row's part of a block.
type share struct {
	row   *row
	bytes int64
	est   int64
	plain bool // counts in size only (a fixed row), not as function table
}

// claimSet is the claims, in layers of priority: blocks and functions
// first (non-overlapping, sorted), then symbols (sorted by address).
type claimSet struct {
	first []claim
	syms  []claim
}

func (a *attributor) claims() *claimSet {
	cs := &claimSet{syms: make([]claim, 0, len(a.syms))}
	if a.table != nil {
		cs.first = make([]claim, 0, len(a.table.Funcs)+3)
	}
	if t := a.table; t != nil {
		cs.first = append(cs.first, a.tableBlocks(t)...)
		for i, fn := range t.Funcs {
			if fn.End <= fn.Entry {
				continue
			}
			r := a.funcRow(fn)
			r.funcs++
			c := claim{lo: fn.Entry, hi: fn.End, row: r, kind: 'c', fn: i}
			if fn.Size > 0 && fn.Entry+fn.Size < fn.End {
				c.pad = fn.Entry + fn.Size
			}
			cs.first = append(cs.first, c)
		}
	}
	if b, ok := a.unwindBlock(); ok {
		cs.first = append(cs.first, b)
	}
	slices.SortStableFunc(cs.first, func(x, y claim) int { return cmp.Compare(x.lo, y.lo) })
	// Overlaps among them (only in a corrupt table) go to the first.
	var end uint64
	kept := cs.first[:0]
	for _, c := range cs.first {
		if c.lo < end {
			if c.block != nil || c.hi <= end {
				continue
			}
			c.lo = end
		}
		kept = append(kept, c)
		end = max(end, c.hi)
	}
	cs.first = kept

	for _, s := range a.syms {
		if s.Size <= 0 || s.Section == "" || s.Code == 'U' || s.Code == 'A' || isMarker(s.Name) {
			continue
		}
		r, kind := a.symbolRow(s)
		c := claim{lo: s.Addr, hi: s.Addr + uint64(s.Size), row: r, kind: kind, est: s.SizeInferred, ev: evSymbols, fn: -1}
		if kind == 'd' && (r.name == RowGenerated || r.name == RowC || deferredSymbol(s.Name)) {
			a.deferred = append(a.deferred, c)
			continue
		}
		cs.syms = append(cs.syms, c)
	}
	slices.SortStableFunc(cs.syms, func(x, y claim) int { return cmp.Compare(x.lo, y.lo) })
	return cs
}

// tableBlocks turns the function table into blocks: the pclntab (with the
// funcdata in it, since Go 1.26) and the funcdata when it lies apart.
func (a *attributor) tableBlocks(t *elfinfo.FuncTable) []claim {
	f := a.f
	pcAddr, ok := addrOf(f, t.Pclntab.Offset)
	if !ok {
		return nil
	}
	var pcl, fd []share
	var fdOwned int64
	for _, fn := range t.Funcs {
		r := a.funcRow(fn)
		if t.FuncdataSize > 0 && !t.FuncdataInPclntab {
			pcl = append(pcl, share{row: r, bytes: fn.Table, est: min(fn.Shared, fn.Table)})
			fd = append(fd, share{row: r, bytes: fn.Funcdata, est: max(0, fn.Shared-fn.Table)})
			fdOwned += fn.Funcdata
		} else {
			pcl = append(pcl, share{row: r, bytes: fn.Table + fn.Funcdata, est: fn.Shared})
		}
	}
	for _, p := range t.Parts {
		var est int64
		if p.Shared {
			est = p.Bytes
		}
		pcl = append(pcl, share{row: a.pkgRow(p.Package), bytes: p.Bytes, est: est})
	}
	overhead := t.Overhead
	var blocks []claim
	if len(fd) > 0 {
		left := t.FuncdataSize - fdOwned
		overhead -= left
		fd = append(fd, share{row: nil, bytes: left})
		blocks = append(blocks, claim{lo: t.FuncdataAddr, hi: t.FuncdataAddr + uint64(t.FuncdataSize), block: fd, kind: 't', fn: -1})
	}
	// Header and padding: shared out with the rest of the unnamed bytes.
	pcl = append(pcl, share{row: nil, bytes: overhead})
	blocks = append(blocks, claim{lo: pcAddr, hi: pcAddr + uint64(t.Pclntab.Size), block: pcl, kind: 't', fn: -1})
	return blocks
}

// unwindBlock turns PE's exception table into a block: each 12-byte
// record goes with the function it describes.
func (a *attributor) unwindBlock() (claim, bool) {
	name, entries := a.f.UnwindTable()
	if a.table == nil || len(entries) == 0 {
		return claim{}, false
	}
	var sec *elfinfo.Section
	for i := range a.f.Sections {
		if a.f.Sections[i].Name == name {
			sec = &a.f.Sections[i]
		}
	}
	if sec == nil || int64(len(entries))*12 > min(sec.FileSize, sec.VMSize) {
		return claim{}, false
	}
	size := min(sec.FileSize, sec.VMSize)
	funcs := a.table.Funcs
	per := map[*row]int64{}
	var order []*row
	for _, e := range entries {
		i, found := slices.BinarySearchFunc(funcs, e, func(fn elfinfo.TableFunc, v uint64) int { return cmp.Compare(fn.Entry, v) })
		if !found {
			i--
		}
		r := a.row(RowUnwindTables)
		if i >= 0 && i < len(funcs) && e < funcs[i].End {
			r = a.funcRow(funcs[i])
		}
		if _, ok := per[r]; !ok {
			order = append(order, r)
		}
		per[r] += 12
	}
	var shares []share
	for _, r := range order {
		shares = append(shares, share{row: r, bytes: per[r], plain: isFixed(r.name)})
	}
	shares = append(shares, share{row: a.row(RowUnwindTables), bytes: size - int64(len(entries))*12, plain: true})
	return claim{lo: sec.Addr, hi: sec.Addr + uint64(size), block: shares, kind: 't', fn: -1}, true
}

// isMarker tells the symbols that mark where a table or section starts or
// ends, or that stand for a whole group of unnamed objects (type:*,
// go:string.*): in formats that record no sizes, the size inferred for
// them would be the whole group's.
func isMarker(name string) bool {
	name = strings.TrimPrefix(name, "_") // Mach-O spelling
	if strings.HasSuffix(name, ".*") || strings.HasSuffix(name, "*") && strings.HasPrefix(name, "type:") {
		return true
	}
	switch name {
	case "runtime.text", "runtime.etext", "runtime.rodata", "runtime.erodata", "runtime.types", "runtime.etypes",
		"runtime.noptrdata", "runtime.enoptrdata", "runtime.data", "runtime.edata", "runtime.bss", "runtime.ebss",
		"runtime.noptrbss", "runtime.enoptrbss", "runtime.end", "runtime.pclntab", "runtime.epclntab",
		"runtime.covctrs", "runtime.ecovctrs", "runtime.egcdata", "runtime.egcbss", "runtime.findfunctab",
		"runtime.typelink", "runtime.itablink", "runtime.etypelink", "runtime.eitablink",
		"go:funcdesc", "go:funcdescrel", "go:textfipsstart", "go:textfipsend", "go:fipsinfo",
		"runtime.functab", "runtime.pcheader", "runtime.funcnametab", "runtime.cutab", "runtime.filetab", "runtime.pctab":
		return true
	}
	return false
}

// symbolRow decides the row of a symbol from its name.
func (a *attributor) symbolRow(s elfinfo.Symbol) (*row, byte) {
	kind := byte('d')
	if s.Code == 'T' {
		kind = 'c'
	}
	name := s.Name
	if rest, ok := a.f.CSymbol(name); ok {
		// A C name by the format's rule, or a Go name that looks like
		// one (Mach-O's _cgo_init).
		if a.hasC {
			return a.row(RowC), kind
		}
		name = rest
	}
	if pkg, ok := itabPackage(name); ok && (a.known[pkg] || validPath(pkg)) {
		return a.row(pkg), kind
	}
	pkg := elfinfo.PackageOf(name)
	switch {
	case elfinfo.SanitizerName(name):
		return a.row(RowC), kind
	case pkg != "" && a.known[pkg]:
		return a.row(pkg), kind
	case a.f.Go != nil && isGenerated(name):
		return a.row(RowGenerated), kind
	case a.hasC && !strings.Contains(pkg, "/"):
		// A C function or object, or a C object's section symbol such
		// as net(.text). A C name has no slash: a package path with one
		// is Go data no function refers to by name (gopkg.in/x.v1.Table).
		return a.row(RowC), kind
	case pkg != "" && validPath(pkg):
		return a.row(pkg), kind
	}
	return a.row(RowGenerated), kind
}

// deferredSymbol tells the data symbols that stand for data the code of
// some package uses more than they name one: the compiler's constants
// ($f64.…, $i64.…), the linker's GC bitmaps, and generic code's
// dictionaries (internal/sync..dict.HashTrieMap[…]), which the code that
// instantiates the generic uses. Their row, like that of every data
// symbol that names no Go package (C's, or an assembly file's static
// data, K256<>, which external linking lists without its package), is
// the one the references from code give them, as in a stripped build,
// and the one their name gives when no code names them.
func deferredSymbol(name string) bool {
	return strings.HasPrefix(name, "$") || strings.HasPrefix(name, "runtime.gcbits.") || strings.Contains(name, "..dict.")
}

// itabPackage returns the package of an itab's concrete type from the
// itab's symbol name: go:itab.*net/http.body,io.ReadCloser gives
// net/http (go.itab.… before Go 1.20).
func itabPackage(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "go:itab.")
	if !ok {
		rest, ok = strings.CutPrefix(name, "go.itab.")
	}
	if !ok {
		return "", false
	}
	concrete, _, ok := strings.Cut(rest, ",")
	if !ok {
		return "", false
	}
	pkg := elfinfo.PackageOf(strings.TrimLeft(concrete, "*"))
	return pkg, pkg != ""
}

// isGenerated tells the names that only Go's compiler and linker make:
// go:itab.*, type:*, go:buildinfo, constants such as
// $f64.3ff0000000000000, and their spellings before Go 1.20 (go.itab.*,
// type.*), but not the import paths that start with "go." (go.uber.org).
func isGenerated(name string) bool {
	return strings.HasPrefix(name, "$") || elfinfo.LinkerName(name)
}

// validPath reports whether p can be a Go import path.
func validPath(p string) bool {
	for _, c := range p {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.ContainsRune("/.-_~+", c):
		default:
			return false
		}
	}
	return true
}

func addrOf(f *elfinfo.File, off int64) (uint64, bool) {
	for _, s := range f.Sections {
		if s.FileSize > 0 && s.VMSize > 0 && off >= s.Offset && off < s.Offset+s.FileSize {
			if spans := f.Spans(s.Name); spans != nil {
				for _, sp := range spans {
					if off >= sp.Offset && off < sp.Offset+sp.Size {
						return sp.Addr + uint64(off-sp.Offset), true
					}
				}
				return 0, false
			}
			return s.Addr + uint64(off-s.Offset), true
		}
	}
	return 0, false
}

// attributeRegion hands out the bytes of one region.
func (a *attributor) attributeRegion(rg region, cs *claimSet) {
	n := rg.hi - rg.lo
	if rg.sec == nil {
		a.rows[RowSymbolTable].size += n
		a.symtabOutside += n
		return
	}
	s := rg.sec
	switch {
	case s.Kind == elfinfo.KindDebug:
		a.rows[RowDebugInfo].size += n
		return
	case s.Kind == elfinfo.KindSymtab:
		a.rows[RowSymbolTable].size += n
		return
	case a.f.HeaderSection(s.Name):
		a.rows[RowHeaders].size += n
		return
	}
	var claimed int64
	if spans := a.f.Spans(s.Name); spans != nil {
		var framing int64
		claimed, framing = a.claimSpans(rg, spans, cs)
		a.rows[RowHeaders].size += framing
		n -= framing
	} else if s.VMSize > 0 {
		lo := s.Addr + uint64(rg.lo-s.Offset)
		hi := lo + uint64(n)
		claimed = a.claimRange(lo, hi, cs, nil)
	}
	left := n - claimed
	if left <= 0 {
		return
	}
	if s.Table != "" {
		// The linker's tables: whatever the function table, the unwind
		// records and the symbols did not claim is the table's, not an
		// estimate of some package's data or of C.
		a.row(string(s.Table)).size += left
		return
	}
	switch s.Kind {
	case elfinfo.KindCode:
		if a.hasC {
			r := a.row(RowC)
			r.size += left
			r.code += left
			r.est += left
			r.ev[evEstimate] += left
			return
		}
	case elfinfo.KindRodata, elfinfo.KindData, elfinfo.KindGoMetadata:
		a.pool += left
		return
	}
	a.rows[RowUnattributed].size += left
}

// claimSpans claims the bytes of a region whose section is loaded in
// runs (elfinfo.File.Spans: WebAssembly's function bodies and data
// segments), run by run. A block's bytes are counted over all the runs
// and handed out once, so that a table split into many runs (the pclntab
// in data segments, without its runs of zeros) is shared out as a whole.
// It returns the bytes claimed and the bytes in no run, the format's
// framing.
func (a *attributor) claimSpans(rg region, spans []elfinfo.Span, cs *claimSet) (claimed, framing int64) {
	blocks := map[*claim]int64{}
	inSpans := int64(0)
	for _, sp := range spans {
		lo, hi := max(sp.Offset, rg.lo), min(sp.Offset+sp.Size, rg.hi)
		if hi <= lo {
			continue
		}
		inSpans += hi - lo
		addr := sp.Addr + uint64(lo-sp.Offset)
		claimed += a.claimRange(addr, addr+uint64(hi-lo), cs, blocks)
	}
	order := make([]*claim, 0, len(blocks))
	for c := range blocks {
		order = append(order, c)
	}
	slices.SortFunc(order, func(x, y *claim) int { return cmp.Compare(x.lo, y.lo) })
	for _, c := range order {
		a.giveBlock(c, blocks[c])
	}
	return claimed, (rg.hi - rg.lo) - inSpans
}

// claimRange gives the bytes of [lo, hi) to the claims over them and
// returns how many it gave. With blocks, it counts a block's bytes there
// instead of handing them out.
func (a *attributor) claimRange(lo, hi uint64, cs *claimSet, blocks map[*claim]int64) int64 {
	var given int64
	// First layer: blocks and functions.
	var taken [][2]uint64
	i, _ := slices.BinarySearchFunc(cs.first, lo, func(c claim, v uint64) int { return cmp.Compare(c.hi, v+1) })
	for ; i < len(cs.first) && cs.first[i].lo < hi; i++ {
		c := &cs.first[i]
		l, h := max(c.lo, lo), min(c.hi, hi)
		if h <= l {
			continue
		}
		n := int64(h - l)
		given += n
		taken = append(taken, [2]uint64{l, h})
		if c.block != nil {
			if blocks != nil {
				blocks[c] += n
			} else {
				a.giveBlock(c, n)
			}
			continue
		}
		r := c.row
		r.size += n
		r.ev[evTable] += n
		switch c.kind {
		case 'c':
			r.code += n
			if c.pad != 0 && h > c.pad {
				r.pad += int64(h - max(l, c.pad))
			}
		default:
			r.data += n
		}
	}
	// Second layer: symbols, over what the first left.
	j, _ := slices.BinarySearchFunc(cs.syms, lo, func(c claim, v uint64) int { return cmp.Compare(c.lo, v) })
	// Symbols starting before lo may reach into the range.
	for j > 0 && cs.syms[j-1].hi > lo {
		j--
	}
	cursor := lo
	k := 0
	for ; j < len(cs.syms) && cs.syms[j].lo < hi; j++ {
		c := &cs.syms[j]
		l, h := max(c.lo, cursor, lo), min(c.hi, hi)
		if h <= l {
			continue
		}
		cursor = h
		// Subtract the first layer's pieces inside [l, h).
		n := int64(h - l)
		for k < len(taken) && taken[k][1] <= l {
			k++
		}
		for m := k; m < len(taken) && taken[m][0] < h; m++ {
			n -= int64(min(taken[m][1], h) - max(taken[m][0], l))
		}
		if n <= 0 {
			continue
		}
		given += n
		r := c.row
		r.size += n
		if c.kind == 'c' {
			r.code += n
		} else {
			r.data += n
		}
		if c.est {
			r.est += n
			r.ev[evEstimate] += n
		} else {
			r.ev[c.ev] += n
		}
	}
	return given
}

// giveBlock hands n bytes of a block out by its distribution: exactly
// when the whole block lies in the region, scaled otherwise.
func (a *attributor) giveBlock(c *claim, n int64) {
	total := int64(c.hi - c.lo)
	var given int64
	for k, s := range c.block {
		b, est := s.bytes, s.est
		if n != total {
			b = mulDiv(s.bytes, n, max(total, 1)).quo
			est = b
			if k == len(c.block)-1 {
				b = n - given
			}
		}
		given += b
		if s.row == nil {
			a.pool += b
			continue
		}
		s.row.size += b
		s.row.est += est
		s.row.ev[evEstimate] += est
		s.row.ev[evTable] += b - est
		if !s.plain {
			s.row.tab += b
		}
	}
	if n == total && given != n {
		// The distribution always sums to the block; guard anyway.
		a.rows[RowUnattributed].size += n - given
	}
}

// spread shares the data no one claimed out among the Go packages, in
// proportion to their code. Without Go packages it stays unattributed.
func (a *attributor) spread() {
	if a.pool == 0 {
		return
	}
	var targets []*row
	var total int64
	for _, r := range a.rows {
		if isFixed(r.name) || r.name == RowC || r.code == 0 {
			continue
		}
		targets = append(targets, r)
		total += r.code
	}
	if total == 0 {
		a.rows[RowUnattributed].size += a.pool
		a.pool = 0
		return
	}
	slices.SortFunc(targets, func(x, y *row) int { return cmp.Or(cmp.Compare(y.code, x.code), cmp.Compare(x.name, y.name)) })
	// Largest remainder, so that the shares sum to the pool exactly.
	type part struct {
		r   *row
		n   int64
		rem int64
	}
	parts := make([]part, len(targets))
	var given int64
	for i, r := range targets {
		q := mulDiv(a.pool, r.code, total)
		parts[i] = part{r: r, n: q.quo, rem: q.rem}
		given += q.quo
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(parts[y].rem, parts[x].rem) })
	for k := 0; given < a.pool; k++ {
		parts[order[k%len(order)]].n++
		given++
	}
	for _, p := range parts {
		p.r.size += p.n
		p.r.data += p.n
		p.r.est += p.n
		p.r.ev[evEstimate] += p.n
	}
	a.pool = 0
}

type quoRem struct{ quo, rem int64 }

// mulDiv returns x*y/z and its remainder, for non-negative x, y and
// positive z with x*y/z below 2^63, without overflowing in x*y.
func mulDiv(x, y, z int64) quoRem {
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	if hi >= uint64(z) {
		return quoRem{math.MaxInt64, 0}
	}
	q, r := bits.Div64(hi, lo, uint64(z))
	return quoRem{int64(q), int64(r)}
}

func isFixed(name string) bool {
	for _, fr := range fixedRows {
		if fr.name == name {
			return true
		}
	}
	return false
}

// alwaysListed reports whether a row is in the report even when it is 0.
func alwaysListed(name string) bool {
	for _, fr := range fixedRows {
		if fr.name == name {
			return fr.always
		}
	}
	return false
}

func (a *attributor) symbolView() {
	f := a.f
	kindOf := map[string]elfinfo.Kind{}
	for _, s := range f.Sections {
		kindOf[s.Name] = s.Kind
	}
	entries := map[uint64]bool{}
	if a.table != nil {
		for _, fn := range a.table.Funcs {
			name := fn.Package
			if name == "" {
				name = RowGenerated
			}
			a.symView = append(a.symView, SymbolSize{Name: fn.Name, Package: name, Kind: elfinfo.KindCode, Size: int64(fn.End - fn.Entry)})
			entries[fn.Entry] = true
		}
	}
	for _, s := range a.syms {
		if s.Section == "" || s.Code == 'U' || s.Code == 'A' || s.Size <= 0 || isMarker(s.Name) {
			continue
		}
		if s.Code == 'T' && entries[s.Addr] {
			continue
		}
		r, _ := a.symbolRow(s)
		a.symView = append(a.symView, SymbolSize{Name: s.Name, Package: r.name, Kind: kindOf[s.Section], Size: s.Size, Estimated: s.SizeInferred})
	}
	// Ranked by the bytes they take in the file: .bss symbols take none
	// (a 32M buffer of a 17M file), so they come after all the others,
	// ranked among themselves.
	slices.SortFunc(a.symView, func(x, y SymbolSize) int {
		return cmp.Or(compareBool(x.Kind == elfinfo.KindBSS, y.Kind == elfinfo.KindBSS),
			cmp.Compare(y.Size, x.Size), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Package, y.Package))
	})
}

func (a *attributor) report(opts SizeOptions) *SizeReport {
	f := a.f
	r := &SizeReport{
		SchemaVersion: SchemaVersion, Path: f.Path, Size: f.Size, Format: f.Format, GOOS: f.OS, GOARCH: f.Arch,
		Stripped: f.Stripped, Linkage: f.Linkage, HeadersAndPadding: a.headers, SymbolTableOutside: a.symtabOutside,
		Sections: []SectionSize{}, Kinds: []KindSize{}, Packages: []PackageSize{}, Modules: []ModuleSize{},
		Universal: cloneSliceInfo(f.Universal),
	}
	if f.Go != nil {
		r.GoVersion = f.Go.Version
		r.GOOS, r.GOARCH = cmp.Or(f.Go.GOOS, f.OS), cmp.Or(f.Go.GOARCH, f.Arch)
	}
	switch {
	case a.table != nil && len(a.syms) > 0:
		r.Method = "pclntab+symtab"
	case a.table != nil:
		r.Method = "pclntab"
	default:
		r.Method = "symtab"
	}
	if a.table != nil {
		r.Notes = append(r.Notes, a.table.Notes...)
	}

	kinds := map[elfinfo.Kind]*KindSize{}
	for _, s := range f.Sections {
		r.Sections = append(r.Sections, SectionSize{Name: s.Name, Kind: s.Kind, FileSize: s.FileSize, VMSize: s.VMSize, Table: s.Table})
		k := kinds[s.Kind]
		if k == nil {
			k = &KindSize{Kind: s.Kind}
			kinds[s.Kind] = k
		}
		k.Sections++
		k.FileSize += s.FileSize
		k.VMSize += s.VMSize
	}
	order := map[elfinfo.Kind]int{}
	for i, k := range elfinfo.Kinds {
		order[k] = i
	}
	slices.SortStableFunc(r.Sections, func(x, y SectionSize) int {
		return cmp.Or(cmp.Compare(orderOf(order, x.Kind), orderOf(order, y.Kind)), cmp.Compare(y.FileSize, x.FileSize),
			cmp.Compare(y.VMSize, x.VMSize), cmp.Compare(x.Name, y.Name))
	})
	for _, k := range kinds {
		r.Kinds = append(r.Kinds, *k)
	}
	slices.SortFunc(r.Kinds, func(x, y KindSize) int { return cmp.Compare(orderOf(order, x.Kind), orderOf(order, y.Kind)) })

	mods := newModuleIndex(f)
	for _, row := range a.rows {
		if row.size == 0 && !alwaysListed(row.name) {
			continue
		}
		p := PackageSize{
			Name: row.name, Size: row.size, Estimated: row.est > 0, Code: row.code, Padding: row.pad, Functab: row.tab, Data: row.data,
			EstimatedBytes: row.est, Functions: row.funcs,
		}
		if !isFixed(row.name) && row.name != RowC && row.name != RowGenerated {
			p.Module = mods.moduleOf(row.name)
		}
		if !isFixed(row.name) {
			p.Evidence = &Evidence{
				FunctionTable: row.ev[evTable], Symbols: row.ev[evSymbols], DWARF: row.ev[evDWARF],
				Types: row.ev[evTypes], References: row.ev[evRefs], Estimate: row.ev[evEstimate],
			}
		}
		r.Packages = append(r.Packages, p)
		switch {
		case isFixed(row.name):
			if row.name == RowUnattributed {
				r.Unattributed = row.size
			}
		default:
			r.Attributed += row.size
			r.Estimated += row.est
		}
	}
	slices.SortFunc(r.Packages, func(x, y PackageSize) int {
		return cmp.Or(cmp.Compare(y.Size, x.Size), cmp.Compare(x.Name, y.Name))
	})
	r.Modules = mods.rollUp(r.Packages)
	// The bytes binscope does not know the purpose of are unattributed;
	// coverage is the share of the rest of the program that it gives to
	// packages, C and <generated>.
	program := r.Attributed + r.Unattributed
	if program > 0 {
		r.Coverage = float64(r.Attributed) / float64(program)
	}
	if opts.Symbols {
		r.Symbols = a.symView
		if r.Symbols == nil {
			r.Symbols = []SymbolSize{}
		}
		if n := opts.SymbolsPerPackage; n > 0 {
			r.SymbolsPerPackage = n
			kept := map[string]int{}
			r.Symbols = slices.DeleteFunc(slices.Clone(r.Symbols), func(s SymbolSize) bool {
				kept[s.Package]++
				return kept[s.Package] > n
			})
		}
	}
	return r
}

func orderOf(order map[elfinfo.Kind]int, k elfinfo.Kind) int {
	if i, ok := order[k]; ok {
		return i
	}
	return len(order)
}

// moduleIndex maps packages to the modules of the build info.
type moduleIndex struct {
	main elfinfo.Module
	deps []elfinfo.Module // longest path first
}

func newModuleIndex(f *elfinfo.File) *moduleIndex {
	m := &moduleIndex{}
	if f.Go != nil {
		m.main = f.Go.Main
		if m.main.Path == "" && strings.HasPrefix(f.Go.Path, "cmd/") {
			// The Go distribution's commands record no main module;
			// their packages are in the cmd module of GOROOT.
			m.main.Path = "cmd"
		}
		m.deps = slices.Clone(f.Go.Deps)
		slices.SortStableFunc(m.deps, func(x, y elfinfo.Module) int { return cmp.Compare(len(y.Path), len(x.Path)) })
	}
	return m
}

// unknownModule names the module of a package that no module of the
// build info covers.
const unknownModule = "(unknown module)"

func inModule(pkg, mod string) bool {
	return mod != "" && (pkg == mod || strings.HasPrefix(pkg, mod+"/"))
}

func (m *moduleIndex) moduleOf(pkg string) string {
	switch {
	case pkg == "main" || inModule(pkg, m.main.Path):
		if m.main.Path == "" {
			return "main"
		}
		return m.main.Path
	}
	for _, d := range m.deps {
		if inModule(pkg, d.Path) {
			return d.Path
		}
	}
	first, _, _ := strings.Cut(pkg, "/")
	if !strings.Contains(first, ".") {
		return ModuleStd
	}
	return unknownModule
}

func (m *moduleIndex) rollUp(pkgs []PackageSize) []ModuleSize {
	byPath := map[string]*ModuleSize{}
	var list []*ModuleSize
	get := func(path string) *ModuleSize {
		if ms := byPath[path]; ms != nil {
			return ms
		}
		ms := &ModuleSize{Path: path}
		switch {
		case path == m.main.Path || path == "main" && m.main.Path == "":
			ms.Version, ms.Main = m.main.Version, true
		default:
			for _, d := range m.deps {
				if d.Path == path {
					ms.Version = d.Version
					if d.Replace != nil {
						ms.Replace = strings.TrimSpace(d.Replace.Path + " " + d.Replace.Version)
					}
				}
			}
		}
		byPath[path] = ms
		list = append(list, ms)
		return ms
	}
	for _, p := range pkgs {
		path := p.Module
		if path == "" {
			path = p.Name // C, <generated> and the fixed rows stand for themselves
		}
		ms := get(path)
		ms.Size += p.Size
		ms.Code += p.Code
		ms.Padding += p.Padding
		ms.EstimatedBytes += p.EstimatedBytes
		ms.Estimated = ms.Estimated || p.Estimated
		if p.Evidence != nil {
			if ms.Evidence == nil {
				ms.Evidence = &Evidence{}
			}
			ms.Evidence.add(p.Evidence)
		}
		if p.Module != "" {
			ms.Packages++
		}
	}
	out := make([]ModuleSize, 0, len(list))
	for _, ms := range list {
		out = append(out, *ms)
	}
	slices.SortFunc(out, func(x, y ModuleSize) int { return cmp.Or(cmp.Compare(y.Size, x.Size), cmp.Compare(x.Path, y.Path)) })
	return out
}

// compareBool orders false before true.
func compareBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}
