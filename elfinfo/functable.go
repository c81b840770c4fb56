package elfinfo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// FuncTable is the Go function table read in full: every function with
// the bytes of code it spans, and the table itself (the pclntab and the
// funcdata it points into) shared out among the functions and packages it
// describes. It is read from the table alone, so it is the same for a
// binary with and without its symbol table.
//
// The pclntab of Go 1.18 and later is a header followed by five tables
// (function names, compilation-unit file lists, file names, pc-value
// tables and the function records); Go 1.26 appends the funcdata
// (go:func.*: stack maps, inline trees) and the pc lookup buckets
// (findfunctab) to the same section. binscope gives each byte to:
//
//   - a function: its functab entry and _func record (with the record's
//     alignment padding), and the pc-value tables and funcdata it points
//     to; a table that several functions point to (the linker shares
//     identical ones) is split evenly among them;
//   - a package: the names in the name table (a function's name, or the
//     name of a function that was only inlined), the file list of each
//     compilation unit, file names (split evenly among the packages whose
//     units list them), and the lookup buckets (each describes 256 or
//     4096 bytes of code, and goes with the function at their start);
//   - no one: the header, alignment padding and what could not be placed,
//     reported as Overhead.
//
// The sums are exact: the parts of Funcs and Parts and Overhead add up to
// Pclntab.Size (plus FuncdataSize when the funcdata lies outside it).
type FuncTable struct {
	Pclntab    *Pclntab
	Moduledata *Moduledata // nil when the runtime's record was not found
	Funcs      []TableFunc // in address order
	Parts      []TablePart

	// FuncdataAddr and FuncdataSize bound go:func.*; zero when unknown.
	// FuncdataInPclntab says the range lies inside the pclntab (Go 1.26),
	// so that Pclntab.Size already counts it.
	FuncdataAddr      uint64
	FuncdataSize      int64
	FuncdataInPclntab bool

	// Overhead is the bytes of the pclntab and funcdata that belong to no
	// function or package: the header and alignment padding.
	Overhead int64

	// Notes say what the table was read without: the moduledata record
	// of a Go release newer than binscope knows, or a text start that is
	// an estimate.
	Notes []string

	inl inlineTables // what Inlined reads; empty before Go 1.18
}

// TableFunc is one function of the table.
type TableFunc struct {
	Name    string
	Package string // "" for compiler-generated functions
	Entry   uint64
	End     uint64 // the next function's entry: the function's code with its alignment padding
	// Size is the function's code alone, without the padding after it,
	// from the pc range its stack-pointer table covers; 0 when unknown
	// (pclntabs older than Go 1.18).
	Size uint64
	// Table is its share of the pclntab: its functab entry, its _func
	// record and the pc-value tables it points to.
	Table int64
	// Funcdata is its share of go:func.*.
	Funcdata int64
	// Shared is the part of Table and Funcdata that is an even split of a
	// table that functions of other packages point to as well: an
	// estimate of what the function costs.
	Shared int64
}

// TablePart is a piece of the table that belongs to a package as a whole.
type TablePart struct {
	Package  string
	What     string // names, cutab, filetab, findfunctab
	Bytes    int64
	Shared   bool // an even split among several packages
	Funcdata bool // lies in the funcdata range rather than the pclntab
}

// pclnHeader is the decoded header of a Go 1.18+ pclntab.
type pclnHeader struct {
	version        string
	quantum        uint8
	ptrSize        uint8
	nfunc, nfiles  uint64
	textStart      uint64
	funcnameOffset uint64
	cuOffset       uint64
	filetabOffset  uint64
	pctabOffset    uint64
	pclnOffset     uint64
}

// parsePclnHeader decodes the header at the start of data and checks that
// its offsets describe tables in order, inside a pclntab of size bytes.
func parsePclnHeader(data []byte, size int64, bo binary.ByteOrder, version string) (*pclnHeader, error) {
	if version != "go1.18" && version != "go1.20" {
		return nil, fmt.Errorf("%w: pclntab layout %s is not read in detail", ErrNoPclntab, version)
	}
	if len(data) < 8 {
		return nil, fmt.Errorf("%w: pclntab header: %d bytes", ErrMalformed, len(data))
	}
	h := &pclnHeader{version: version, quantum: data[6], ptrSize: data[7]}
	if h.ptrSize != 4 && h.ptrSize != 8 {
		return nil, fmt.Errorf("%w: pclntab pointer size %d", ErrMalformed, h.ptrSize)
	}
	p := int(h.ptrSize)
	if len(data) < 8+8*p {
		return nil, fmt.Errorf("%w: pclntab header: %d bytes", ErrMalformed, len(data))
	}
	word := func(i int) uint64 {
		if p == 8 {
			return bo.Uint64(data[8+i*8:])
		}
		return uint64(bo.Uint32(data[8+i*4:]))
	}
	h.nfunc, h.nfiles, h.textStart = word(0), word(1), word(2)
	h.funcnameOffset, h.cuOffset, h.filetabOffset, h.pctabOffset, h.pclnOffset = word(3), word(4), word(5), word(6), word(7)
	n := uint64(size)
	if !(uint64(8+8*p) <= h.funcnameOffset && h.funcnameOffset <= h.cuOffset && h.cuOffset <= h.filetabOffset &&
		h.filetabOffset <= h.pctabOffset && h.pctabOffset <= h.pclnOffset && h.pclnOffset <= n) {
		return nil, fmt.Errorf("%w: pclntab header offsets out of order or past its end", ErrMalformed)
	}
	// nfunc pairs of uint32 and the end pc: the bound keeps the allocation
	// below what the file holds.
	if h.nfunc > (n-h.pclnOffset)/8 || (n-h.pclnOffset) < h.nfunc*8+4 {
		return nil, fmt.Errorf("%w: pclntab claims %d functions, more than its %d bytes hold", ErrMalformed, h.nfunc, n)
	}
	return h, nil
}

// funcRecordSize is the size of a _func record before its pcdata and
// funcdata offsets: Go 1.20 added startLine.
func (h *pclnHeader) funcRecordSize() int {
	if h.version == "go1.18" {
		return 40
	}
	return 44
}

// pclntabHeader reads and decodes the header of p.
func (f *File) pclntabHeader(p *Pclntab) (*pclnHeader, error) {
	n := min(p.Size, 8+8*8)
	buf, err := readAtMost(f.r, f.Size, p.Offset, n)
	if err != nil {
		return nil, err
	}
	return parsePclnHeader(buf, p.Size, f.byteOrder(), p.Version)
}

// FuncTable reads the whole Go function table. For layouts older than Go
// 1.18 it returns the functions with no share of the table, which is then
// all Overhead.
func (f *File) FuncTable() (t *FuncTable, err error) {
	if r, ok := f.reader().(funcTableReader); ok {
		return r.funcTable()
	}
	p, err := f.Pclntab()
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("%w: corrupt pclntab: %v", ErrMalformed, r)
		}
	}()
	h, herr := f.pclntabHeader(p)
	if herr != nil {
		if p.Version == "go1.18" || p.Version == "go1.20" {
			return nil, herr
		}
		t, err := f.oldFuncTable(p)
		if err == nil {
			// Go 1.16 and 1.17 have the record too (bounds of the text and
			// the types), though their table needs none of it.
			t.Moduledata, _ = f.findModuledata(p, nil)
		}
		return t, err
	}
	data, err := readAtMost(f.r, f.Size, p.Offset, p.Size)
	if err != nil {
		return nil, fmt.Errorf("read pclntab: %w", err)
	}
	md, mderr := f.findModuledata(p, h)
	t, err = f.buildFuncTable(p, h, md, data)
	if err == nil && errors.Is(mderr, ErrNewerGo) {
		t.Notes = append([]string{mderr.Error() + ": figures from the function table alone"}, t.Notes...)
	}
	return t, err
}

// oldFuncTable serves pclntabs older than Go 1.18 through debug/gosym.
func (f *File) oldFuncTable(p *Pclntab) (*FuncTable, error) {
	funcs, err := f.funcsOf(p)
	if err != nil {
		return nil, err
	}
	t := &FuncTable{Pclntab: p, Funcs: make([]TableFunc, len(funcs)), Overhead: p.Size}
	known := make(map[string]bool, 256)
	for i, fn := range funcs {
		t.Funcs[i] = TableFunc{Name: fn.Name, Package: fn.Package, Entry: fn.Entry, End: fn.End}
		known[fn.Package] = true
	}
	for i := range t.Funcs {
		if u := knownHead(t.Funcs[i].Package, known); u != "" {
			t.Funcs[i].Package = u
		}
	}
	return t, nil
}

// tableRefs counts references to the tables of a region (pc-value tables
// in pctab, funcdata objects in go:func.*): starts sorted, each table
// running to the next start or to the region's end. References are
// recorded in the order the functions make them and handed out again in
// that order, so each is looked up once.
type tableRefs struct {
	sizes []int64
	refs  []int32
	pkg   []int32 // package of the referrers; -1 once they span packages
	given []int64 // bytes handed out so far, so that splits sum exactly
	seen  []int32
	idx   []int32 // table of each reference, in the order made; -1 for none
	next  int
}

func newTableRefs(offsets []uint32, pkgs []int32, end uint64) *tableRefs {
	// Sort (offset, position) pairs once: equal offsets become one table.
	packed := make([]uint64, len(offsets))
	for i, o := range offsets {
		packed[i] = uint64(o)<<32 | uint64(i)
	}
	slices.Sort(packed)
	t := &tableRefs{idx: make([]int32, len(offsets))}
	var starts []uint32
	for _, v := range packed {
		off, pos := uint32(v>>32), int(uint32(v))
		if uint64(off) >= end {
			t.idx[pos] = -1
			continue
		}
		if len(starts) == 0 || starts[len(starts)-1] != off {
			starts = append(starts, off)
			t.pkg = append(t.pkg, pkgs[pos])
			t.refs = append(t.refs, 0)
		}
		i := len(starts) - 1
		t.idx[pos] = int32(i)
		t.refs[i]++
		if t.pkg[i] != pkgs[pos] {
			t.pkg[i] = -1
		}
	}
	n := len(starts)
	t.sizes, t.given, t.seen = make([]int64, n), make([]int64, n), make([]int32, n)
	for i, o := range starts {
		next := end
		if i+1 < n {
			next = uint64(starts[i+1])
		}
		t.sizes[i] = int64(next - uint64(o))
	}
	return t
}

// share hands the next reference its part of its table: an even split,
// the remainder going to the last referrer.
func (t *tableRefs) share() (n int64, shared bool) {
	i := t.idx[t.next]
	t.next++
	if i < 0 {
		return 0, false
	}
	t.seen[i]++
	if t.seen[i] == t.refs[i] {
		n = t.sizes[i] - t.given[i]
	} else {
		n = t.sizes[i] / int64(t.refs[i])
	}
	t.given[i] += n
	return n, t.pkg[i] == -1
}

type interner struct {
	names []string
	index map[string]int32
}

func (in *interner) id(s string) int32 {
	if i, ok := in.index[s]; ok {
		return i
	}
	i := int32(len(in.names))
	in.names = append(in.names, s)
	in.index[s] = i
	return i
}

func (f *File) buildFuncTable(p *Pclntab, h *pclnHeader, md *Moduledata, data []byte) (*FuncTable, error) {
	bo := f.byteOrder()
	u32 := func(off uint64) (uint32, bool) {
		if off > uint64(len(data)) || uint64(len(data))-off < 4 {
			return 0, false
		}
		return bo.Uint32(data[off:]), true
	}
	t := &FuncTable{Pclntab: p, Moduledata: md}
	textStart := h.textStart
	if md != nil && md.Text != 0 {
		textStart = md.Text
	} else if textStart == 0 && f.Format != FormatWasm { // a module's text starts at 0
		// The header's word is left for the dynamic loader in a PIE, and
		// without the moduledata only the symbol table can tell.
		if a, ok := f.symbolAddr("runtime.text"); ok {
			textStart = a
		} else {
			textStart = p.TextStart
			t.Notes = append(t.Notes, fmt.Sprintf("the Go code's start address is not recorded; taken as the start of the text section (%#x), an estimate", textStart))
		}
	}
	ftab := h.pclnOffset
	nfunc := int(h.nfunc)
	recSize := uint64(h.funcRecordSize())
	funcnames := data[h.funcnameOffset:h.cuOffset]
	pkgs := &interner{index: map[string]int32{}}

	// The functab ends where the moduledata says; without it, after the
	// last record, which is how the linker sized it.
	functabEnd := uint64(0)
	type rec struct {
		off              uint64 // of the _func record, from the start of the pclntab
		npcdata, nfdata  uint64
		cu               uint32
		pkg              int32
		entry, nextEntry uint32
	}
	recs := make([]rec, nfunc)
	t.inl = inlineTables{f: f, pctab: data[h.pctabOffset:h.pclnOffset], funcnames: data[h.funcnameOffset:h.cuOffset],
		quantum: uint64(max(h.quantum, 1)), recSize: 16, funcs: make([]inlineOffsets, nfunc)}
	if h.version == "go1.18" {
		t.inl.recSize = 20
	}
	if md != nil {
		t.inl.gofunc = md.Gofunc
	}
	for i := range nfunc {
		entry, _ := u32(ftab + uint64(i)*8)
		funcoff, _ := u32(ftab + uint64(i)*8 + 4)
		next, _ := u32(ftab + uint64(i+1)*8)
		r := rec{off: ftab + uint64(funcoff), entry: entry, nextEntry: next}
		if r.off+recSize > uint64(len(data)) {
			return nil, fmt.Errorf("%w: pclntab: function record %d at %d is past its end", ErrMalformed, i, r.off)
		}
		npc, _ := u32(r.off + 28)
		r.npcdata = uint64(npc)
		r.nfdata = uint64(data[r.off+recSize-1])
		r.cu, _ = u32(r.off + 32)
		end := r.off + recSize + 4*(r.npcdata+r.nfdata)
		if end > uint64(len(data)) {
			return nil, fmt.Errorf("%w: pclntab: function record %d runs past its end", ErrMalformed, i)
		}
		functabEnd = max(functabEnd, end)
		recs[i] = r
		base := r.off + recSize
		if r.npcdata > pcdataInlTreeIndex && r.nfdata > funcdataInlTree {
			pc, _ := u32(base + 4*pcdataInlTreeIndex)
			fd, _ := u32(base + 4*r.npcdata + 4*funcdataInlTree)
			if pc != 0 && fd != ^uint32(0) {
				t.inl.funcs[i] = inlineOffsets{pcdata: pc, funcdata: fd}
			}
		}
	}
	if nfunc == 0 {
		functabEnd = ftab + 4
	}
	if md != nil && md.FunctabSize > 0 && ftab+uint64(md.FunctabSize) >= functabEnd && ftab+uint64(md.FunctabSize) <= uint64(len(data)) {
		functabEnd = ftab + uint64(md.FunctabSize)
	}

	// Names, and each function's package.
	t.Funcs = make([]TableFunc, nfunc)
	for i := range recs {
		r := &recs[i]
		nameOff, _ := u32(r.off + 4)
		name := ""
		if uint64(nameOff) < uint64(len(funcnames)) {
			s := funcnames[nameOff:]
			if j := bytes.IndexByte(s, 0); j >= 0 {
				s = s[:j]
			}
			name = string(s)
		}
		t.Funcs[i] = TableFunc{Name: name, Package: PackageOf(name), Entry: textStart + uint64(r.entry), End: textStart + uint64(r.nextEntry)}
		if r.nextEntry < r.entry || t.Funcs[i].End < t.Funcs[i].Entry { // out of order, or past the top of the address space
			t.Funcs[i].End = t.Funcs[i].Entry
		}
		// The pc-value table of the stack pointer covers the function's
		// code to its last byte: what comes after, to the next entry, is
		// alignment padding.
		if sp, _ := u32(r.off + 16); sp != 0 && h.pctabOffset+uint64(sp) < h.pclnOffset {
			if n, ok := pcTableSpan(data[h.pctabOffset+uint64(sp):h.pclnOffset], uint64(h.quantum), t.Funcs[i].End-t.Funcs[i].Entry); ok {
				t.Funcs[i].Size = n
			}
		}
	}
	// A promoted method of another package's unexported method reads like
	// a longer path (main.wrapper.go.uber.org/zap.m): it starts with a
	// package of the table, a dot and the receiver's type name, and the
	// compiler made it in that package, the receiver's.
	known := make(map[string]bool, 256)
	for i := range t.Funcs {
		known[t.Funcs[i].Package] = true
	}
	corrected := map[string]string{} // function name → its receiver's package
	for i := range recs {
		fn := &t.Funcs[i]
		if u := knownHead(fn.Package, known); u != "" {
			fn.Package = u
			corrected[fn.Name] = u
		}
		recs[i].pkg = pkgs.id(fn.Package)
	}

	// Funcdata bounds.
	if md != nil && md.Gofunc != 0 {
		pcAddr := md.Pclntab
		t.FuncdataAddr = md.Gofunc
		var end uint64
		switch {
		case md.Findfunctab > md.Gofunc:
			end = md.Findfunctab
		case md.Epclntab > md.Gofunc:
			end = md.Epclntab
		default:
			// Funcdata outside the pclntab (before Go 1.26): it runs to the
			// end of its section at most.
			for _, s := range f.Sections {
				if md.Gofunc >= s.Addr && md.Gofunc < s.Addr+uint64(s.FileSize) {
					end = s.Addr + uint64(s.FileSize)
				}
			}
		}
		if end > md.Gofunc {
			t.FuncdataSize = int64(end - md.Gofunc)
		}
		t.FuncdataInPclntab = md.Gofunc >= pcAddr && end <= pcAddr+uint64(p.Size)
		if !t.FuncdataInPclntab {
			if _, ok := f.addrToOffset(md.Gofunc); !ok || t.FuncdataSize > f.Size {
				t.FuncdataAddr, t.FuncdataSize = 0, 0
			}
		}
	}

	// References to pc-value tables and funcdata.
	pctabSize := h.pclnOffset - h.pctabOffset
	var pcOffs, fdOffs []uint32
	forTables := func(r *rec, pc func(uint32), fd func(uint32)) {
		for _, o := range []uint64{16, 20, 24} {
			if v, _ := u32(r.off + o); v != 0 {
				pc(v)
			}
		}
		base := r.off + recSize
		for j := range r.npcdata {
			if v, _ := u32(base + 4*j); v != 0 {
				pc(v)
			}
		}
		base += 4 * r.npcdata
		for j := range r.nfdata {
			if v, _ := u32(base + 4*j); v != ^uint32(0) {
				fd(v)
			}
		}
	}
	var pcPkgs, fdPkgs []int32
	for i := range recs {
		r := &recs[i]
		forTables(r, func(v uint32) { pcOffs = append(pcOffs, v); pcPkgs = append(pcPkgs, r.pkg) },
			func(v uint32) { fdOffs = append(fdOffs, v); fdPkgs = append(fdPkgs, r.pkg) })
	}
	pcRefs := newTableRefs(pcOffs, pcPkgs, pctabSize)
	fdRefs := newTableRefs(fdOffs, fdPkgs, uint64(t.FuncdataSize))
	pcOffs, fdOffs, pcPkgs, fdPkgs = nil, nil, nil, nil

	// Each function's own bytes: functab pair, record to the next record.
	var funcBytes int64
	for i := range recs {
		r := &recs[i]
		fn := &t.Funcs[i]
		next := functabEnd
		if i+1 < nfunc && recs[i+1].off > r.off && recs[i+1].off <= functabEnd {
			next = recs[i+1].off
		}
		if next < r.off {
			next = r.off
		}
		fn.Table = 8 + int64(next-r.off)
		forTables(r, func(uint32) {
			n, shared := pcRefs.share()
			fn.Table += n
			if shared {
				fn.Shared += n
			}
		}, func(uint32) {
			n, shared := fdRefs.share()
			fn.Funcdata += n
			if shared {
				fn.Shared += n
			}
		})
		funcBytes += fn.Table + fn.Funcdata
	}
	// The records are laid out in function order; the first starts after
	// the pairs, the end pc and alignment, which are overhead.

	partIdx := map[[2]string]int{}
	addPart := func(pkg, what string, n int64, shared, inFuncdata bool) {
		if n == 0 {
			return
		}
		k := [2]string{pkg, what}
		if i, ok := partIdx[k]; ok {
			t.Parts[i].Bytes += n
			t.Parts[i].Shared = t.Parts[i].Shared || shared
			return
		}
		partIdx[k] = len(t.Parts)
		t.Parts = append(t.Parts, TablePart{Package: pkg, What: what, Bytes: n, Shared: shared, Funcdata: inFuncdata})
	}
	var partBytes int64

	// Names: every name in the table, a function's own or an inlined
	// one's, goes to the package it names (a function's own name to the
	// package its unit told, above).
	for s := funcnames; len(s) > 0; {
		j := bytes.IndexByte(s, 0)
		if j < 0 {
			j = len(s) - 1 // unterminated tail: one last name
		}
		name := string(s[:j])
		pkg, ok := corrected[name]
		if !ok {
			pkg = PackageOf(name)
		}
		addPart(pkg, "names", int64(j+1), false, false)
		partBytes += int64(j + 1)
		s = s[j+1:]
	}

	// Compilation units: each one's run of the cutab, and the file names
	// it lists.
	cutab := data[h.cuOffset:h.filetabOffset]
	filetab := data[h.filetabOffset:h.pctabOffset]
	ncu := uint32(len(cutab) / 4)
	cuPkg := map[uint32]int32{}
	var cuStarts []uint32
	for i := range recs {
		c := recs[i].cu
		if c >= ncu {
			continue
		}
		if _, ok := cuPkg[c]; !ok {
			cuPkg[c] = recs[i].pkg
			cuStarts = append(cuStarts, c)
		}
	}
	slices.Sort(cuStarts)
	type fileUse struct{ pkgs []int32 }
	files := map[uint32]*fileUse{}
	var fileOrder []uint32
	for k, c := range cuStarts {
		end := ncu
		if k+1 < len(cuStarts) {
			end = cuStarts[k+1]
		}
		pkg := cuPkg[c]
		addPart(pkgs.names[pkg], "cutab", int64(end-c)*4, false, false)
		partBytes += int64(end-c) * 4
		for e := c; e < end; e++ {
			fo := bo.Uint32(cutab[e*4:])
			if uint64(fo) >= uint64(len(filetab)) {
				continue
			}
			u := files[fo]
			if u == nil {
				u = &fileUse{}
				files[fo] = u
				fileOrder = append(fileOrder, fo)
			}
			if !slices.Contains(u.pkgs, pkg) {
				u.pkgs = append(u.pkgs, pkg)
			}
		}
	}
	slices.Sort(fileOrder)
	for _, fo := range fileOrder {
		s := filetab[fo:]
		n := int64(len(s))
		if j := bytes.IndexByte(s, 0); j >= 0 {
			n = int64(j + 1)
		}
		u := files[fo]
		each := n / int64(len(u.pkgs))
		for k, pk := range u.pkgs {
			part := each
			if k == len(u.pkgs)-1 {
				part = n - each*int64(len(u.pkgs)-1)
			}
			addPart(pkgs.names[pk], "filetab", part, len(u.pkgs) > 1, false)
		}
		partBytes += n
	}

	// Lookup buckets: one byte per 256 bytes of code, four per 4096,
	// each going with the function at the start of the span it covers.
	// The buckets are at most as many as the table has bytes; a larger
	// span is a corrupt record (and would overflow the arithmetic).
	if md != nil && md.Findfunctab != 0 && md.MaxPC > md.MinPC && (md.MaxPC-md.MinPC)/256 < uint64(p.Size) {
		span := md.MaxPC - md.MinPC
		nsub, nbuckets := (span+255)/256, (span+4095)/4096
		size := 4*nbuckets + nsub
		pcAddr := md.Pclntab
		if md.Findfunctab >= pcAddr && md.Findfunctab+size <= pcAddr+uint64(p.Size) && size < uint64(p.Size) {
			perPkg := map[int32]int64{}
			k := 0
			owner := func(addr uint64) int32 {
				for k+1 < nfunc && t.Funcs[k+1].Entry <= addr {
					k++
				}
				if nfunc == 0 {
					return pkgs.id("")
				}
				return recs[k].pkg
			}
			for a := uint64(0); a < nsub; a++ {
				if a%16 == 0 {
					perPkg[owner(md.MinPC+a*256)] += 4
				}
				perPkg[owner(md.MinPC+a*256)]++
			}
			// Buckets past the last sub-bucket (none in practice).
			perPkg[owner(md.MaxPC)] += int64(4*nbuckets) - int64(4*((nsub+15)/16))
			ids := make([]int32, 0, len(perPkg))
			for id := range perPkg {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				addPart(pkgs.names[id], "findfunctab", perPkg[id], false, false)
			}
			partBytes += int64(size)
		}
	}

	// What is left is the header, alignment and unreferenced bytes.
	total := p.Size
	if t.FuncdataSize > 0 && !t.FuncdataInPclntab {
		total += t.FuncdataSize
	}
	t.Overhead = total - funcBytes - partBytes
	if t.Overhead < 0 {
		return nil, fmt.Errorf("%w: pclntab tables claim %d bytes more than its %d", ErrMalformed, -t.Overhead, total)
	}
	// Funcdata apart from the pclntab is a range of its own: neither may
	// hold more than its size, or the bytes of one would be counted in
	// the other.
	if t.FuncdataSize > 0 && !t.FuncdataInPclntab {
		var fd int64
		for _, fn := range t.Funcs {
			fd += fn.Funcdata
		}
		if fd > t.FuncdataSize || funcBytes-fd+partBytes > p.Size {
			return nil, fmt.Errorf("%w: pclntab tables claim more than the %d bytes of the pclntab and the %d of its funcdata", ErrMalformed, p.Size, t.FuncdataSize)
		}
	}
	return t, nil
}

// pcTableSpan returns the bytes of code a pc-value table covers: the sum
// of its pc steps (each times the instruction quantum) up to the zero that
// ends it, as runtime.step reads it; false when the table is cut short or
// covers more than limit bytes.
func pcTableSpan(tab []byte, quantum, limit uint64) (uint64, bool) {
	var pc uint64
	for first := true; ; first = false {
		uv, n := binary.Uvarint(tab)
		if n <= 0 {
			return 0, false
		}
		if uv == 0 && !first {
			return pc, true
		}
		tab = tab[n:]
		step, n := binary.Uvarint(tab)
		if n <= 0 || step > limit {
			return 0, false
		}
		tab = tab[n:]
		if pc += step * max(quantum, 1); pc > limit {
			return 0, false
		}
	}
}

// knownHead returns the package of known that pkg starts with, followed
// by a dot, a type name (with its type arguments, if any), a dot and
// another package of known, the one whose unexported method the type
// promotes: "main" for main.wrapper.go.uber.org/zap and for
// main.wrapper[...].go.uber.org/zap. It returns "" for every other
// package, such as github.com/x/y.v2/z beside a package github.com/x/y
// (the dot is followed by v2/, a path and no type) or net.example.com/x
// beside net (com/x is no package of the binary).
func knownHead(pkg string, known map[string]bool) string {
	last := strings.LastIndexByte(pkg, '/')
	if last < 0 {
		return ""
	}
	for k := last - 1; k > 0; k-- {
		if pkg[k] == '.' && known[pkg[:k]] {
			if n := typeThenDot(pkg[k+1 : last]); n > 0 && known[pkg[k+1+n:]] {
				return pkg[:k]
			}
		}
	}
	return ""
}

// typeThenDot returns the length of the Go type name that s starts with,
// with its bracketed type arguments if any, and the dot after it; 0 when
// s does not start so.
func typeThenDot(s string) int {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 0x80) {
		i++
	}
	if i == 0 {
		return 0
	}
	if i < len(s) && s[i] == '[' {
		depth := 0
		for ; i < len(s); i++ {
			if s[i] == '[' {
				depth++
			} else if s[i] == ']' {
				if depth--; depth == 0 {
					i++
					break
				}
			}
		}
	}
	if i < len(s) && s[i] == '.' {
		return i + 1
	}
	return 0
}

// PackageOf returns the import path of the package a Go symbol or
// function name belongs to, or "" for names the toolchain makes up that
// belong to no package (go:…, type:… such as type:.eq.* helpers and,
// before Go 1.20, go.itab.…, go.string.…, type.… and type..…). It is the
// one place binscope names the package of a symbol:
//
//   - type arguments in brackets are ignored, even when they name other
//     packages: example.com/a.F[go.shape.*example.com/b.T] is in example.com/a;
//   - closures (pkg.F.func1.2), method values (pkg.(*T).M-fm), methods and
//     the wrappers of promoted methods are in pkg, also when the promoted
//     method is an unexported one of another package, which the name
//     qualifies with that package's path: pkg.(*T).other.com/x.m is in pkg;
//   - an import path that starts with "go." (go.uber.org/zap) is a path,
//     not one of the linker's go.… names;
//   - the linker's escaping of the last path element (gopkg.in/yaml%2ev3,
//     cmd/internal/objabi.PathToPrefix) is undone: gopkg.in/yaml.v3.
//
// The package ends at the first dot after the last slash of the path,
// and the path ends before the first byte no import path holds (the
// parenthesis of a pointer receiver, the quote of a string). A value
// receiver's promoted method, pkg.T.other.com/x.m, cannot be told from a
// path by its name alone; FuncTable tells it by the function's
// compilation unit.
func PackageOf(name string) string {
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	if LinkerName(name) || SanitizerName(name) {
		return ""
	}
	// The path ends where a byte appears that no import path holds.
	for i := 0; i < len(name); i++ {
		if !pathByte[name[i]] {
			name = name[:i]
			break
		}
	}
	start := strings.LastIndexByte(name, '/')
	if start < 0 {
		start = 0
	}
	i := strings.IndexByte(name[start:], '.')
	if i <= 0 {
		return ""
	}
	return unescapePath(name[:start+i])
}

// SanitizerName reports whether name is one of the C++ runtime of the
// race detector (and the other sanitizers) that -race links in, also into
// the function table: the Itanium-mangled C++ names (_ZN6__tsan…,
// _ZN11__sanitizer…) and the C entry points (__tsan_read, __sanitizer_…,
// __interceptor_…). They belong to no Go package; their clone suffixes
// (.isra.0, .cold) would otherwise read as one.
func SanitizerName(name string) bool {
	if len(name) < 3 || name[0] != '_' {
		return false // most names: the fast way out
	}
	if len(name) > 2 && name[0] == '_' && name[1] == 'Z' && (name[2] == 'N' || name[2] == 'L' || '0' <= name[2] && name[2] <= '9') {
		return true
	}
	for _, p := range []string{"__tsan", "__sanitizer", "__interceptor", "___interceptor", "__asan", "__msan", "__ubsan", "__lsan"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// pathByte tells the bytes that may appear in a Go symbol's package path
// as the linker writes it (escaped bytes are %xx): a table, since every
// name of the function table passes through PackageOf.
var pathByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/.-_~+%", byte(c)) >= 0
	}
	return t
}()

// linkerWords are the names the linker and compiler put after "go." before
// Go 1.20 (go.itab.*, go.string."…", go.buildid, go.func.*, …). An import
// path that starts with "go." names a host (go.uber.org/…), whose first
// label is none of these.
var linkerWords = map[string]bool{
	"itab": true, "itablink": true, "string": true, "buildid": true, "func": true, "funcrel": true,
	"info": true, "shape": true, "importpath": true, "cuinfo": true, "map": true, "link": true,
	"builtin": true, "constinfo": true, "loc": true, "range": true, "debuglines": true,
	"debugframe": true, "interface": true, "track": true, "plugin": true, "weak": true,
	"dwarf": true, "detail": true, "type": true, "typelink": true, "runtime": true, "args_stackmap": true,
}

// LinkerName reports whether name is one the toolchain makes up rather
// than one of a package: go:… and type:… (Go 1.20 on), type.… and
// type..… (before), and go.WORD… for the linker's words, where a real
// import path go.HOST/… has a host name before its first slash.
func LinkerName(name string) bool {
	switch {
	case strings.HasPrefix(name, "go:"), strings.HasPrefix(name, "type:"), strings.HasPrefix(name, "type."):
		return true
	case !strings.HasPrefix(name, "go."):
		return false
	}
	rest := name[len("go."):]
	label, _, _ := strings.Cut(rest, ".")
	if linkerWords[label] {
		return true
	}
	host, _, ok := strings.Cut(rest, "/")
	if !ok || !strings.Contains(host, ".") {
		return true // go.buildid and the like: no host, no path
	}
	for _, r := range host {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '.') {
			return true
		}
	}
	return false
}

// unescapePath undoes the linker's escaping of a package path: %xx is the
// byte xx ('.', '%', '"', control bytes and bytes above 0x7f of the last
// element). A malformed escape is left as it is.
func unescapePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			if v, err := strconv.ParseUint(p[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// exactPclntabSize bounds a pclntab found by scanning a section (PE has
// no section of its own for it): to the runtime's epclntab when the
// moduledata says, else to the end of the last function record, which is
// where the linker ends the pclntab proper. It returns 0 when neither can
// be told.
func (f *File) exactPclntabSize(p *Pclntab) int64 {
	h, err := f.pclntabHeader(p)
	if err != nil {
		return 0
	}
	if md, err := f.findModuledata(p, h); err == nil && md.Epclntab > md.Pclntab && int64(md.Epclntab-md.Pclntab) <= p.Size {
		return int64(md.Epclntab - md.Pclntab)
	} else if err == nil && md.FunctabSize > 0 && h.pclnOffset+uint64(md.FunctabSize) <= uint64(p.Size) {
		return int64(h.pclnOffset) + md.FunctabSize
	}
	// Read the functab and the records it points to.
	bo := f.byteOrder()
	n := h.nfunc*8 + 4
	pairs, err := readAtMost(f.r, f.Size, p.Offset+int64(h.pclnOffset), int64(n))
	if err != nil {
		return 0
	}
	end := h.pclnOffset + n
	recSize := uint64(h.funcRecordSize())
	var rec [44]byte
	for i := range h.nfunc {
		off := h.pclnOffset + uint64(bo.Uint32(pairs[i*8+4:]))
		if off+recSize > uint64(p.Size) {
			return 0
		}
		if _, err := f.r.ReadAt(rec[:recSize], p.Offset+int64(off)); err != nil {
			return 0
		}
		npc, nfd := uint64(bo.Uint32(rec[28:])), uint64(rec[recSize-1])
		end = max(end, off+recSize+4*(npc+nfd))
	}
	if end > uint64(p.Size) {
		return 0
	}
	return int64(end)
}
