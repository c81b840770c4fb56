package analyze

import (
	"cmp"
	"slices"

	"github.com/binscope/binscope/elfinfo"
)

// The evidence layer: the data that no function and no symbol claims,
// given to packages by what in the binary points at it, before anything
// is shared out by estimate. See docs/size.md, "Data by evidence".
//
// It works on points: addresses where an object starts, each with the
// row it goes to and the kind of evidence that says so.
//
//   - Type descriptors, found through the moduledata's typelinks and
//     itablinks tables, through code and data that point at them, and
//     through each other (element types, fields, methods…), go to the
//     package that defines them (their uncommon record's import path),
//     unnamed ones to their element type's; each descriptor's names go
//     with it, and an itab goes with its concrete type.
//   - The addresses the machine code names (elfinfo.CodeRefs) go to the
//     package of the function that names them, or of the function the
//     compiler inlined there (its inline tree).
//   - Pointers in data already given to a row (symbols, and objects this
//     layer found) go to that row.
//
// A point several rows reach goes to the one with the most references to
// it; a tie goes to the row whose first reference comes first in the
// binary. Each point's object runs to the next point or to the end of the
// gap it is in (an object whose length is known, a name or a descriptor,
// to its end, and the alignment after it, under 32 bytes, with it). What
// lies in a gap before its first point is left to the estimate.

// evKind is the kind of evidence that gives a byte to a row.
type evKind byte

const (
	evTable    evKind = iota // the Go function table: code and its share of the table
	evSymbols                // the symbol table
	evDWARF                  // DWARF's global variables
	evTypes                  // type descriptors, itabs and their names
	evRefs                   // references from code and from data
	evEstimate               // shared out by estimate
	evKinds
)

// slackMax is the most bytes after an object of known length that go with
// it as alignment padding.
const slackMax = 32

type point struct {
	addr  uint64
	end   uint64 // exact end, 0 when the next point ends it
	row   *row   // nil: no row yet
	fixed bool   // the row is the object's own (a type's package), not a vote
	kind  evKind
	first uint64 // the first reference's address
	votes map[*row]float64
	lead  float64 // the weight of the votes for row
	done  bool
	// lists is, for an entry of the typelinks or itablinks table, the
	// object it lists, whose row the entry takes.
	lists uint64
	// fallback is the row of a point no reference reaches (a symbol
	// that names no package: a constant, a GC bitmap).
	fallback *row
	scanned  bool
}

type evidenceLayer struct {
	a      *attributor
	im     *elfinfo.Image
	tr     *elfinfo.TypeReader
	md     *elfinfo.Moduledata
	points map[uint64]*point
	list   []*point // the points, sorted by address up to nsort
	nsort  int
	kept   []*point // sorted's last answer, for keptN points
	keptN  int
	// spans are the lengths string and slice headers give the data they
	// point at: what lies inside is that object's, whatever else points
	// into it.
	spans  map[uint64]uint64
	queue  []*point
	types  map[uint64]*row // owner of a decoded type (nil: by reference)
	tried  map[uint64]bool
	noScan [][2]uint64 // ranges whose words are not followed (the moduledata record, noptrdata)
}

// evidence runs the layer over the gaps that cs leaves in data and
// appends its claims to cs.syms.
func (a *attributor) evidence(cs *claimSet, opts SizeOptions) {
	f := a.f
	im := f.DataImage()
	if im == nil || f.Go == nil {
		return
	}
	e := &evidenceLayer{a: a, im: im, points: map[uint64]*point{}, types: map[uint64]*row{}, tried: map[uint64]bool{}}
	if a.table != nil && a.table.Moduledata != nil {
		e.md = a.table.Moduledata
		if tr, err := f.GoTypes(e.md, im); err == nil {
			e.tr = tr
		}
		md := e.md
		e.noScan = append(e.noScan, [2]uint64{md.Addr, md.Addr + 64*uint64(im.PtrSize())}, [2]uint64{md.Noptrdata, md.Enoptrdata})
	}
	// Seeds: the linker's tables of types and itabs, code, and the data
	// the symbols name.
	if e.tr != nil {
		types, table := e.tr.Typelinks()
		for i, t := range types {
			e.ref(t, nil, table.Lo+4*uint64(i))
		}
		if table.Hi > table.Lo {
			for i, t := range types {
				e.tableEntry(table.Lo+4*uint64(i), 4, t)
			}
		}
		itabs, itable := e.tr.Itablinks()
		for i, it := range itabs {
			e.ref(it, nil, itable.Lo+uint64(i*im.PtrSize()))
		}
		if itable.Hi > itable.Lo {
			for i, it := range itabs {
				e.tableEntry(itable.Lo+uint64(i*im.PtrSize()), uint64(im.PtrSize()), it)
			}
		}
	}
	if a.codeRefs != nil && a.table != nil {
		funcs := a.table.Funcs
		k, inlFor := 0, -1
		var inl []elfinfo.InlineRange
		inlRows := map[string]*row{} // an inlined function's name → its package's row
		refs := <-a.codeRefs
		a.codeRefs = nil
		for _, cr := range refs {
			from, to := cr.from, cr.to
			for k < len(funcs) && funcs[k].End <= from {
				k++
			}
			if k < len(funcs) && funcs[k].Entry <= from {
				// Code the compiler inlined from another package is that
				// package's evidence: unicode.IsSpace's table, read from
				// text/template's code.
				if inlFor != k {
					inlFor, inl = k, a.table.Inlined(k)
				}
				r := a.funcRow(funcs[k])
				if len(inl) > 0 {
					j, _ := slices.BinarySearchFunc(inl, from, func(x elfinfo.InlineRange, v uint64) int { return cmp.Compare(x.Hi, v+1) })
					if j < len(inl) && inl[j].Lo <= from {
						ir, ok := inlRows[inl[j].Name]
						if !ok {
							if pkg := elfinfo.PackageOf(inl[j].Name); pkg != "" && (a.known[pkg] || validPath(pkg)) {
								ir = a.pkgRow(pkg)
							}
							inlRows[inl[j].Name] = ir
						}
						if ir != nil {
							r = ir
						}
					}
				}
				e.ref(to, r, from)
				continue
			}
			// Code outside the function table is C's, in a binary that
			// links C.
			if a.hasC {
				e.ref(to, a.row(RowC), from)
			}
		}
	}

	for _, c := range cs.syms {
		if c.kind == 'd' && !c.est {
			e.scan(c.lo, c.hi, c.row, true)
		}
	}
	for _, c := range a.deferred {
		if p := e.points[c.lo]; p != nil {
			p.end, p.fallback = c.hi, c.row
		} else {
			e.add(&point{addr: c.lo, end: c.hi, kind: evRefs, fallback: c.row, done: true, scanned: true})
		}
	}
	gaps := dataGaps(f, cs)
	for round := 0; round < 8; round++ {
		e.drain()
		if !e.scanObjects(gaps) {
			break
		}
	}
	e.drain()
	e.claims(gaps, cs)
	slices.SortStableFunc(cs.syms, func(x, y claim) int { return cmp.Compare(x.lo, y.lo) })
}

// codeRef is a reference from machine code to data (elfinfo.CodeRefs).
type codeRef struct{ from, to uint64 }

// scanCode reads the machine code for the data it names, on its own
// goroutine, while the function table and the symbols are read: the
// channel gives the references once, in the order of the code.
func scanCode(f *elfinfo.File) <-chan []codeRef {
	ch := make(chan []codeRef, 1)
	go func() {
		// About one reference per 80 bytes of code (the go command: 84,000
		// in 6.9 MB): room for a little more, so that the slice seldom grows.
		var code int64
		for _, s := range f.Sections {
			if s.Kind == elfinfo.KindCode {
				code += s.FileSize
			}
		}
		refs := make([]codeRef, 0, min(code/64, 1<<26))
		f.CodeRefs(func(from, to uint64) { refs = append(refs, codeRef{from, to}) })
		ch <- refs
	}()
	return ch
}

// dwarfClaims adds DWARF's global variables to the symbol layer where
// the symbols say less: in formats whose symbol table records no sizes
// (Mach-O, PE: the size of a variable symbol is inferred from the next),
// DWARF's size by type replaces the inferred one, and a variable no
// symbol names is claimed as DWARF gives it. ELF symbols record the same
// sizes DWARF does, so an ELF binary with a symbol table is not read
// twice.
func (a *attributor) dwarfClaims(cs *claimSet) {
	f := a.f
	if !f.DebugInfo || f.Format == elfinfo.FormatELF && len(a.syms) > 0 {
		return
	}
	vars, _ := f.Variables() // what was read before an error still counts
	if len(vars) == 0 {
		return
	}
	at := map[uint64]int{}
	for i := range cs.syms {
		if cs.syms[i].kind == 'd' {
			at[cs.syms[i].lo] = i
		}
	}
	added := false
	for _, v := range vars {
		hi := v.Addr + uint64(v.Size)
		if i, ok := at[v.Addr]; ok {
			c := &cs.syms[i]
			if c.est {
				c.hi, c.est, c.ev = hi, false, evDWARF
			}
			continue
		}
		pkg := elfinfo.PackageOf(v.Name)
		if pkg == "" || !a.known[pkg] && !validPath(pkg) {
			continue
		}
		cs.syms = append(cs.syms, claim{lo: v.Addr, hi: hi, row: a.pkgRow(pkg), kind: 'd', ev: evDWARF, fn: -1})
		added = true
	}
	if added {
		slices.SortStableFunc(cs.syms, func(x, y claim) int { return cmp.Compare(x.lo, y.lo) })
	}
}

// ref records a reference to addr from the row r (nil: the target's own
// row decides) at address from, with weight 1.
func (e *evidenceLayer) ref(addr uint64, r *row, from uint64) { e.refW(addr, r, from, 1) }

// refW records a reference of weight w: 1 for code and for data whose
// object is known; less for a word deep inside an object whose extent is
// a guess (see scan).
func (e *evidenceLayer) refW(addr uint64, r *row, from uint64, w float64) {
	if !e.im.Has(addr) {
		return
	}
	p := e.points[addr]
	if p == nil {
		p = &point{addr: addr, kind: evRefs, first: from, row: r}
		if r != nil {
			p.lead = w
		}
		e.add(p)
		e.queue = append(e.queue, p)
		return
	}
	if r == nil || p.fixed {
		return
	}
	p.vote(r, from, w)
}

func (p *point) vote(r *row, from uint64, w float64) {
	if p.row == nil {
		p.row, p.lead, p.first = r, w, from
		return
	}
	if r == p.row {
		p.lead += w
		p.first = min(p.first, from)
		return
	}
	if p.votes == nil {
		p.votes = map[*row]float64{}
	}
	p.votes[r] += w
	if n := p.votes[r]; n > p.lead || n == p.lead && from < p.first {
		p.votes[p.row] = p.lead
		p.row, p.lead, p.first = r, n, from
	}
}

// tableEntry gives an entry of the typelinks or itablinks table to the
// row of the object it lists, once that is known (see claims).
func (e *evidenceLayer) tableEntry(at, size, target uint64) {
	if e.points[at] == nil {
		e.add(&point{addr: at, end: at + size, kind: evTypes, fixed: true, done: true, lists: target})
	}
}

// drain decodes the queued points: a type descriptor or an itab gets its
// own row and its parts; other points wait for their extent.
func (e *evidenceLayer) drain() {
	for len(e.queue) > 0 {
		p := e.queue[0]
		e.queue = e.queue[1:]
		if p.done {
			continue
		}
		p.done = true
		if e.tr == nil {
			continue
		}
		if e.tr.InTypes(p.addr) {
			e.decodeType(p)
			continue
		}
		if e.header(p) {
			continue
		}
		if it, ok := e.tr.Itab(p.addr); ok {
			p.kind, p.end = evTypes, p.addr+it.Size
			if r := e.typeRow(it.Type, 0); r != nil {
				p.row, p.fixed = r, true
			}
			e.ref(it.Inter, p.row, p.addr)
			e.ref(it.Type, p.row, p.addr)
		}
	}
}

func (e *evidenceLayer) decodeType(p *point) {
	t, ok := e.tr.Type(p.addr)
	if !ok {
		return
	}
	p.kind, p.end = evTypes, p.addr+t.Size
	if r := e.rowOfType(t, 0); r != nil {
		p.row, p.fixed = r, true
	}
	for _, n := range t.Names {
		q := e.points[n.Lo]
		if q == nil {
			q = &point{addr: n.Lo, end: n.Hi, kind: evTypes, first: p.addr, done: true}
			e.add(q)
		}
		if p.row != nil {
			q.vote(p.row, p.addr, 1)
		}
		if q.end == 0 || q.kind != evTypes {
			q.end, q.kind = n.Hi, evTypes
		}
	}
	for _, u := range t.Types {
		e.ref(u, p.row, p.addr)
	}
	for _, d := range t.Data {
		e.ref(d, p.row, p.addr)
	}
}

// header handles a point that is the length (or capacity) word of a
// string or slice header: code that reads len(v) names v+8, not v. The
// header's pointer word is then a point of the same row, so that what it
// points at follows the variable and not whatever precedes it. It
// reports whether p was one.
func (e *evidenceLayer) header(p *point) bool {
	if p.row == nil || p.fixed {
		return false
	}
	ptr := uint64(e.im.PtrSize())
	for k := uint64(1); k <= 2; k++ {
		start := p.addr - k*ptr
		if p.addr%ptr != 0 || p.addr < k*ptr {
			continue
		}
		data, ok1 := e.im.Word(start)
		n, ok2 := e.im.Word(start + ptr)
		if !ok1 || !ok2 || n == 0 || data < 4096 {
			continue
		}
		if k == 2 {
			// A slice: the capacity must hold the length and fit too.
			c, ok := e.im.Word(start + 2*ptr)
			if !ok || c < n {
				continue
			}
			n = c
		}
		if _, ok := e.im.Bytes(data, int(min(n, 1<<40))); !ok {
			continue
		}
		e.ref(start, p.row, p.first)
		if e.spans == nil {
			e.spans = map[uint64]uint64{}
		}
		e.spans[data] = max(e.spans[data], data+n)
		return true
	}
	return false
}

// typeRow is the row of the type at addr: its defining package, its
// element's for an unnamed type, <generated> for a built-in one; nil
// when the type says nothing (an unnamed func, struct or interface of no
// package), for the references to decide.
func (e *evidenceLayer) typeRow(addr uint64, depth int) *row {
	if r, ok := e.types[addr]; ok {
		return r
	}
	if depth > 16 {
		return nil
	}
	t, ok := e.tr.Type(addr)
	if !ok {
		return nil
	}
	return e.rowOfType(t, depth)
}

// rowOfType is typeRow of a decoded type.
func (e *evidenceLayer) rowOfType(t elfinfo.GoType, depth int) *row {
	addr := t.Addr
	if r, ok := e.types[addr]; ok {
		return r
	}
	e.types[addr] = nil // a cycle resolves to nil
	var r *row
	switch {
	case t.PkgPath == "go.shape":
		// The compiler's shapes of generic code's type arguments.
		r = e.a.row(RowGenerated)
	case t.PkgPath != "":
		r = e.a.pkgRow(t.PkgPath)
	case t.Named:
		r = e.a.row(RowGenerated) // int, string, error…
	case t.Elem != 0:
		r = e.typeRow(t.Elem, depth+1)
		if r == nil && t.Key != 0 {
			r = e.typeRow(t.Key, depth+1)
		}
	}
	e.types[addr] = r
	return r
}

// scan follows the pointers in [lo, hi) of data given to r. When the
// object is known (exact: a symbol's), each pointer is a reference of
// weight 1; when its extent is a guess (a point's, to the next point), a
// word d bytes in weighs 64/(64+d), since the further from the evidence
// that starts it, the likelier the word is another object's that nothing
// points at: a variable only other data names.
func (e *evidenceLayer) scan(lo, hi uint64, r *row, exact bool) {
	if r == nil || hi <= lo {
		return
	}
	for _, n := range e.noScan {
		if lo >= n[0] && hi <= n[1] {
			return // wholly inside: nothing to follow
		}
	}
	e.im.Words(lo, hi, func(at, v uint64) {
		if v < 4096 || !e.im.Has(v) {
			return
		}
		for _, n := range e.noScan {
			if at >= n[0] && at < n[1] {
				return
			}
		}
		w := 1.0
		if !exact {
			w = 64 / float64(64+at-lo)
		}
		e.refW(v, r, at, w)
	})
}

// gap is a range of data no function or symbol claims.
type gap struct{ lo, hi uint64 }

// dataGaps returns the ranges of the loaded data sections that no claim
// of cs covers, in address order.
func dataGaps(f *elfinfo.File, cs *claimSet) []gap {
	var taken [][2]uint64
	for _, c := range cs.first {
		taken = append(taken, [2]uint64{c.lo, c.hi})
	}
	for _, c := range cs.syms {
		taken = append(taken, [2]uint64{c.lo, c.hi})
	}
	slices.SortFunc(taken, func(x, y [2]uint64) int { return cmp.Compare(x[0], y[0]) })
	var out []gap
	for _, s := range f.Sections {
		switch s.Kind {
		case elfinfo.KindRodata, elfinfo.KindData, elfinfo.KindGoMetadata:
		default:
			continue
		}
		if s.Table != "" || s.Addr == 0 || min(s.FileSize, s.VMSize) <= 0 {
			continue
		}
		lo, hi := s.Addr, s.Addr+uint64(min(s.FileSize, s.VMSize))
		i, _ := slices.BinarySearchFunc(taken, lo, func(t [2]uint64, v uint64) int { return cmp.Compare(t[0], v) })
		for i > 0 && taken[i-1][1] > lo {
			i--
		}
		cur := lo
		for ; i < len(taken) && taken[i][0] < hi; i++ {
			if taken[i][0] > cur {
				out = append(out, gap{cur, taken[i][0]})
			}
			cur = max(cur, taken[i][1])
		}
		if cur < hi {
			out = append(out, gap{cur, hi})
		}
	}
	slices.SortFunc(out, func(x, y gap) int { return cmp.Compare(x.lo, y.lo) })
	return out
}

// add records a new point.
func (e *evidenceLayer) add(p *point) {
	e.points[p.addr] = p
	e.list = append(e.list, p)
}

// sorted returns the points inside gaps, in address order. The points
// added since the last call are sorted and merged in.
func (e *evidenceLayer) sorted(gaps []gap) []*point {
	if e.nsort < len(e.list) {
		byAddr := func(x, y *point) int { return cmp.Compare(x.addr, y.addr) }
		tail := e.list[e.nsort:]
		slices.SortFunc(tail, byAddr)
		if e.nsort > 0 {
			merged := make([]*point, 0, len(e.list))
			a, b := e.list[:e.nsort], tail
			for len(a) > 0 && len(b) > 0 {
				if a[0].addr <= b[0].addr {
					merged, a = append(merged, a[0]), a[1:]
				} else {
					merged, b = append(merged, b[0]), b[1:]
				}
			}
			e.list = append(append(merged, a...), b...)
		}
		e.nsort = len(e.list)
	}
	if e.kept != nil && e.keptN == len(e.list) {
		return e.kept
	}
	out := e.list
	kept := make([]*point, 0, len(out))
	g := 0
	for _, p := range out {
		for g < len(gaps) && gaps[g].hi <= p.addr {
			g++
		}
		if g < len(gaps) && gaps[g].lo <= p.addr {
			kept = append(kept, p)
		}
	}
	e.kept, e.keptN = kept, len(e.list)
	return kept
}

// extents walks the points of each gap with the range each one's object
// covers and the gap it is in.
func (e *evidenceLayer) extents(gaps []gap, fn func(p *point, lo, hi uint64, g gap)) {
	pts := e.sorted(gaps)
	g := 0
	for i, p := range pts {
		for gaps[g].hi <= p.addr {
			g++
		}
		hi := gaps[g].hi
		if i+1 < len(pts) && pts[i+1].addr < hi {
			hi = pts[i+1].addr
		}
		fn(p, p.addr, hi, gaps[g])
	}
}

// scanObjects follows the pointers in the objects found so far that have
// not been followed; it reports whether it found new points.
func (e *evidenceLayer) scanObjects(gaps []gap) bool {
	before := len(e.points)
	type job struct {
		lo, hi uint64
		r      *row
	}
	var jobs []job
	e.extents(gaps, func(p *point, lo, hi uint64, _ gap) {
		if p.kind != evRefs || p.row == nil || p.scanned {
			return
		}
		p.scanned = true // followed once, to the extent it has now
		jobs = append(jobs, job{min(lo, hi), min(hi, cmp.Or(p.end, hi)), p.row})
	})
	for _, j := range jobs {
		e.scan(j.lo, j.hi, j.r, false)
	}
	return len(e.points) > before || len(e.queue) > 0
}

// claims turns the points into claims over the gaps, appended to the
// symbol layer's (which grows once, to hold them all).
func (e *evidenceLayer) claims(gaps []gap, cs *claimSet) {
	// Table entries go with the object they list.
	// (Fallbacks first: a table entry may list an object that only its
	// fallback gives a row. The map's order must not matter.)
	for _, p := range e.points {
		if p.row == nil && p.fallback != nil {
			p.row, p.kind = p.fallback, evSymbols
		}
	}
	for _, p := range e.points {
		if p.lists != 0 {
			if q := e.points[p.lists]; q != nil && q.row != nil {
				p.row = q.row
			}
		}
	}
	// What lies before a gap: a data symbol's row takes its slack.
	before := map[uint64]*row{}
	for _, c := range cs.syms {
		if c.kind == 'd' {
			before[c.hi] = c.row
		}
	}
	out := slices.Grow(cs.syms, len(e.points)+len(gaps))
	add := func(lo, hi uint64, r *row, k evKind) {
		if hi > lo && r != nil {
			out = append(out, claim{lo: lo, hi: hi, row: r, kind: 'd', ev: k, fn: -1})
		}
	}
	// The alignment after a data symbol, up to the gap's first point (or
	// its end), goes with the symbol.
	pts := e.sorted(gaps)
	k := 0
	for _, g := range gaps {
		for k < len(pts) && pts[k].addr < g.lo {
			k++
		}
		end := g.hi
		if k < len(pts) && pts[k].addr < g.hi {
			end = pts[k].addr
		}
		if r := before[g.lo]; r != nil && end > g.lo && end-g.lo < slackMax {
			add(g.lo, end, r, evSymbols)
		}
	}
	var cover uint64 // the end of the string or slice being laid out
	var coverRow *row
	e.extents(gaps, func(p *point, lo, hi uint64, g gap) {
		if lo < cover && !p.fixed && coverRow != nil {
			add(lo, min(hi, cover), coverRow, evRefs)
			if hi <= cover {
				return
			}
			lo = cover
		}
		if end, ok := e.spans[p.addr]; ok && p.row != nil && end > cover {
			cover, coverRow = end, p.row
		}
		if p.row == nil {
			return
		}
		end := hi
		// An object of known length ends there, with its alignment.
		if p.end > lo && p.end < hi && (p.kind == evTypes || p.fallback != nil) && hi-p.end >= slackMax {
			end = p.end
		}
		add(lo, end, p.row, p.kind)
	})
	cs.syms = out
}
