package elfinfo

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
)

// FormatWasm is the binary format of WebAssembly modules, which Go writes
// for GOOS=js and GOOS=wasip1 with GOARCH=wasm.
const FormatWasm Format = "wasm"

var _ reader = (*wasmBinary)(nil)

// WebAssembly modules import their host's functions (Go's js/wasm imports
// module "gojs", wasip1/wasm "wasi_snapshot_preview1") and are dynamic in
// the sense PE and Mach-O binaries are: the host binds the imports when it
// instantiates the module. They serve two systems, told apart by imports.
var wasmSpec = formatSpec{
	format: FormatWasm,
	name:   "WebAssembly",
	match:  func(m [4]byte) bool { return m == [4]byte{0, 'a', 's', 'm'} },
	open:   readWasm,
}

// Import is one import of a WebAssembly module: a function (or table,
// memory, global, tag) that the host provides.
type Import struct {
	Module string `json:"module"` // gojs, wasi_snapshot_preview1…
	Name   string `json:"name"`
	Kind   string `json:"kind"` // func, table, memory, global, tag
}

// Export is one export of a WebAssembly module.
type Export struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // func, table, memory, global, tag
}

// The section ids of the WebAssembly binary format, by id.
var wasmSectionNames = [...]string{"custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"}

var wasmKinds = [...]string{"func", "table", "memory", "global", "tag"}

// The section ids binscope reads.
const (
	wasmCustom   = 0
	wasmImport   = 2
	wasmExport   = 7
	wasmCode     = 10
	wasmData     = 11
	wasmMaxSects = 4096 // a module has 13 kinds of section and a few custom ones
)

// wasmFuncValueOffset is what the Go linker adds to a function's index to
// make its PC_F, the upper half of its PC (cmd/link/internal/wasm:
// "PC_F = funcValueOffset + WebAssembly function index (not including the
// imports)", "PC = PC_F<<16 + PC_B"). The pclntab records those PCs.
const wasmFuncValueOffset = 0x1000

// wasmPC returns the PC Go gives the entry of defined function i.
func wasmPC(i int) uint64 { return uint64(wasmFuncValueOffset+i) << 16 }

// maxWasmMemoryRatio bounds the memory a pclntab found in data segments
// may span, as a multiple of the bytes the segments hold of it: the
// linker leaves out runs of eight zeros or more, and a real table is
// dense; a header claiming more is corrupt, and would otherwise become an
// allocation the file cannot back.
const maxWasmMemoryRatio = 16

// wasmSection is one section of a module as the file lays it out.
type wasmSection struct {
	id   byte
	body int64 // offset of its contents (for a custom section, its name)
	size int64
}

// wasmSegment is an active data segment: bytes the host copies into
// linear memory at addr.
type wasmSegment struct {
	addr uint64
	off  int64 // file offset of its bytes
	size int64
}

type wasmBinary struct {
	f          *File
	secs       []wasmSection
	funcImport int           // imported functions, which take the first function indices
	segs       []wasmSegment // in file order
	byAddr     []wasmSegment // in address order
	overlap    bool          // two segments write the same memory
	code       int           // index in secs of the code section, or -1
	data       int           // of the data section, or -1
	name       int           // of the name section, or -1

	bodiesOnce sync.Once
	bodies     []Extent // each defined function's size prefix and body, in index order
	bodiesErr  error

	tableOnce sync.Once
	table     *FuncTable
	tableErr  error
}

// wasmDecoder reads the LEB128 integers, names and bytes of a section's
// contents, remembering the first error.
type wasmDecoder struct {
	b   []byte
	off int
	err error
}

func (d *wasmDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *wasmDecoder) byte() byte {
	if d.err != nil || d.off >= len(d.b) {
		d.fail("truncated at byte %d", d.off)
		return 0
	}
	c := d.b[d.off]
	d.off++
	return c
}

// uleb reads an unsigned LEB128 of at most bits bits.
func (d *wasmDecoder) uleb(bits uint) uint64 {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		c := d.byte()
		if d.err != nil {
			return 0
		}
		if shift >= bits || shift == 63 && c > 1 {
			d.fail("LEB128 integer at byte %d is longer than %d bits", d.off, bits)
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
}

// sleb reads a signed LEB128 of at most 64 bits.
func (d *wasmDecoder) sleb() int64 {
	var v int64
	var shift uint
	var c byte
	for {
		c = d.byte()
		if d.err != nil {
			return 0
		}
		if shift >= 64 {
			d.fail("LEB128 integer at byte %d is longer than 64 bits", d.off)
			return 0
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			break
		}
	}
	if shift < 64 && c&0x40 != 0 {
		v |= -1 << shift
	}
	return v
}

func (d *wasmDecoder) bytes(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)-d.off) {
		d.fail("%d bytes at byte %d run past the end of the section", n, d.off)
		return nil
	}
	b := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return b
}

func (d *wasmDecoder) name() string { return string(d.bytes(d.uleb(32))) }

// count reads a vector's length and checks that the rest of the contents
// can hold that many entries of at least min bytes each, so that a
// claimed count never becomes an allocation.
func (d *wasmDecoder) count(what string, min int) int {
	n := d.uleb(32)
	if d.err == nil && n > uint64(len(d.b)-d.off)/uint64(min) {
		d.fail("%s claims %d entries, more than its %d bytes hold", what, n, len(d.b)-d.off)
		return 0
	}
	return int(n)
}

// limits skips a table's or memory's limits.
func (d *wasmDecoder) limits() {
	flags := d.uleb(32)
	d.uleb(64)
	if flags&1 != 0 {
		d.uleb(64)
	}
}

func readWasm(f *File, _ bool) (reader, error) {
	var hdr [8]byte
	n, _ := f.r.ReadAt(hdr[:], 0)
	if n >= 8 {
		f.Summary = wasmSummary(binary.LittleEndian.Uint32(hdr[4:]))
	}
	if n < 8 {
		return nil, malformed("WebAssembly", fmt.Errorf("truncated header: %d bytes, want 8", n))
	}
	if v := binary.LittleEndian.Uint32(hdr[4:]); v != 1 {
		return nil, malformed("WebAssembly", fmt.Errorf("version %#x is not a core module (version 0x1)", v))
	}
	b := &wasmBinary{f: f, code: -1, data: -1, name: -1}
	f.Class, f.ByteOrder, f.Arch, f.Machine = "32-bit", "LSB", "wasm", "WebAssembly"
	f.Type, f.Linkage = "executable", LinkageDynamic
	f.Hardening = Hardening{RELRO: "n/a", NXStack: true}
	if err := b.readSections(); err != nil {
		return nil, malformed("WebAssembly", err)
	}
	f.Stripped = b.name < 0 && f.DWARFBytes == 0
	f.GoBuildID = textBuildID(f, "go:buildid")
	switch {
	case slices.ContainsFunc(f.Imports, func(i Import) bool { return i.Module == "wasi_snapshot_preview1" }):
		f.OS = "wasip1"
	case slices.ContainsFunc(f.Imports, func(i Import) bool { return i.Module == "gojs" }):
		f.OS = "js"
	}
	// A wasip1 library (-buildmode=c-shared) is a reactor: it exports
	// _initialize instead of _start.
	hasExport := func(name string) bool {
		return slices.ContainsFunc(f.Exports, func(e Export) bool { return e.Name == name && e.Kind == "func" })
	}
	if hasExport("_initialize") && !hasExport("_start") {
		f.Type = "shared object"
	}
	return b, nil
}

// wasmSummary renders file(1)'s line, whose magic reads the version as a
// signed 32-bit number: "WebAssembly (wasm) binary module version 0x1
// (MVP)", the version alone above 1, nothing more for 0 or negative.
func wasmSummary(version uint32) string {
	s := "WebAssembly (wasm) binary module"
	switch v := int32(version); {
	case v == 1:
		s += " version 0x1 (MVP)"
	case v > 1:
		s += fmt.Sprintf(" version %#x", v)
	}
	return s
}

// readSections walks the section headers and reads the sections that
// inspect shows: imports, exports, the data segments (for the build
// info) and the sizes of the custom ones.
func (b *wasmBinary) readSections() error {
	f := b.f
	for off := int64(8); off < f.Size; {
		var buf [6]byte
		n, _ := f.r.ReadAt(buf[:min(int64(len(buf)), f.Size-off)], off)
		d := wasmDecoder{b: buf[:n]}
		id := d.byte()
		size := d.uleb(32)
		if d.err != nil {
			return fmt.Errorf("truncated section header at offset %d", off)
		}
		body := off + int64(d.off)
		if size > uint64(f.Size-body) {
			return fmt.Errorf("section %d (%d bytes at offset %d) extends past the end of the %d-byte file: truncated?", id, size, body, f.Size)
		}
		if len(b.secs) == wasmMaxSects {
			return fmt.Errorf("more than %d sections", wasmMaxSects)
		}
		if int(id) >= len(wasmSectionNames) {
			return fmt.Errorf("unknown section id %d at offset %d", id, off)
		}
		s := wasmSection{id: id, body: body, size: int64(size)}
		sec := Section{Name: wasmSectionNames[id], Offset: body, FileSize: int64(size)}
		switch id {
		case wasmCustom:
			// The name comes first; a custom section is known by it.
			nb, err := readAtMost(f.r, f.Size, body, min(int64(size), 5+1024))
			if err != nil {
				return err
			}
			nd := wasmDecoder{b: nb}
			sec.Name = nd.name()
			if nd.err != nil || sec.Name == "" {
				return fmt.Errorf("custom section at offset %d has no name", off)
			}
			sec.Kind = wasmCustomKind(sec.Name)
			switch {
			case sec.Name == "name":
				b.name = len(b.secs)
				f.SymtabBytes += sec.FileSize
			case sec.Kind == KindDebug:
				f.DWARFBytes += sec.FileSize
				f.DebugInfo = f.DebugInfo || sec.Name == ".debug_info"
			}
		case wasmCode:
			sec.Kind = KindCode
			sec.Addr, sec.VMSize = wasmPC(0), sec.FileSize
			b.code = len(b.secs)
		case wasmData:
			sec.Kind = KindData
			b.data = len(b.secs)
		default:
			sec.Kind = KindOther
		}
		var err error
		switch id {
		case wasmImport:
			err = b.readImports(s)
		case wasmExport:
			err = b.readExports(s)
		case wasmData:
			err = b.readData(s, &sec)
		}
		if err != nil {
			return fmt.Errorf("%s section: %w", wasmSectionNames[id], err)
		}
		b.secs = append(b.secs, s)
		f.Sections = append(f.Sections, sec)
		off = body + int64(size)
	}
	return nil
}

// wasmCustomKind tells what a custom section holds by its name: name is
// the symbol table (function names by index), .debug_* DWARF, go:buildid
// Go's build ID; the rest (producers…) other.
func wasmCustomKind(name string) Kind {
	switch {
	case name == "name":
		return KindSymtab
	case strings.HasPrefix(name, ".debug_"):
		return KindDebug
	case name == "go:buildid":
		return KindGoMetadata
	}
	return KindOther
}

func (b *wasmBinary) contents(s wasmSection) (*wasmDecoder, error) {
	data, err := readAtMost(b.f.r, b.f.Size, s.body, s.size)
	if err != nil {
		return nil, err
	}
	return &wasmDecoder{b: data}, nil
}

func wasmKind(k byte) string {
	if int(k) < len(wasmKinds) {
		return wasmKinds[k]
	}
	return fmt.Sprintf("kind %#x", k)
}

func (b *wasmBinary) readImports(s wasmSection) error {
	d, err := b.contents(s)
	if err != nil {
		return err
	}
	n := d.count("import section", 4)
	f := b.f
	for range n {
		imp := Import{Module: d.name(), Name: d.name()}
		k := d.byte()
		imp.Kind = wasmKind(k)
		switch k {
		case 0: // func: type index
			d.uleb(32)
			b.funcImport++
		case 1: // table: reference type, limits
			d.byte()
			d.limits()
		case 2: // memory
			d.limits()
		case 3: // global: value type, mutability
			d.byte()
			d.byte()
		case 4: // tag: attribute, type index
			d.byte()
			d.uleb(32)
		default:
			d.fail("import %d has unknown kind %#x", len(f.Imports), k)
		}
		if d.err != nil {
			return d.err
		}
		if !slices.Contains(f.Needed, imp.Module) {
			f.Needed = append(f.Needed, imp.Module)
		}
		f.Imports = append(f.Imports, imp)
	}
	return d.err
}

func (b *wasmBinary) readExports(s wasmSection) error {
	d, err := b.contents(s)
	if err != nil {
		return err
	}
	n := d.count("export section", 3)
	for range n {
		e := Export{Name: d.name()}
		e.Kind = wasmKind(d.byte())
		d.uleb(32)
		if d.err != nil {
			return d.err
		}
		b.f.Exports = append(b.f.Exports, e)
	}
	return d.err
}

// readData reads the data segments' headers: where each one's bytes are in
// the file and where in memory they go. Go's linker leaves runs of eight
// zeros or more out of the segments, so that a table of the runtime lies
// in many of them. The section's Addr and VMSize are the memory from the
// first segment's address to the end of the last.
func (b *wasmBinary) readData(s wasmSection, sec *Section) error {
	d, err := b.contents(s)
	if err != nil {
		return err
	}
	n := d.count("data section", 2)
	b.segs = make([]wasmSegment, 0, n)
	var lo, hi uint64
	for range n {
		flags := d.uleb(32)
		addr, active := uint64(0), flags&1 == 0
		if flags == 2 {
			d.uleb(32) // memory index
		}
		if active {
			switch op := d.byte(); op {
			case 0x41: // i32.const
				addr = uint64(uint32(d.sleb()))
			case 0x42: // i64.const (memory64)
				addr = uint64(d.sleb())
			default:
				// An address from a global: no place binscope can tell.
				active = false
				for d.err == nil && d.byte() != 0x0b {
				}
				d.off--
			}
			if d.byte() != 0x0b {
				d.fail("data segment %d: offset expression does not end", len(b.segs))
			}
		} else if flags > 2 {
			d.fail("data segment %d has unknown flags %#x", len(b.segs), flags)
		}
		size := d.uleb(32)
		at := d.off
		d.bytes(size)
		if d.err != nil {
			return d.err
		}
		if !active || size == 0 || addr+size < addr {
			continue
		}
		if len(b.segs) == 0 {
			lo = addr
		}
		lo, hi = min(lo, addr), max(hi, addr+size)
		b.segs = append(b.segs, wasmSegment{addr: addr, off: s.body + int64(at), size: int64(size)})
	}
	if len(b.segs) > 0 {
		sec.Addr, sec.VMSize = lo, int64(min(hi-lo, 1<<62))
	}
	// Memory is read through the segments in address order (Go writes
	// its sections' segments in the order rodata, type and itab links,
	// moduledata, pclntab, data, which need not be theirs in memory).
	b.byAddr = slices.Clone(b.segs)
	slices.SortStableFunc(b.byAddr, func(x, y wasmSegment) int { return cmp.Compare(x.addr, y.addr) })
	for k := 1; k < len(b.byAddr); k++ {
		if prev := b.byAddr[k-1]; b.byAddr[k].addr < prev.addr+uint64(prev.size) {
			b.overlap = true
		}
	}
	return d.err
}

// wasmMemory reads linear memory as the data segments initialize it:
// zeros where no segment is. Its segments ascend without overlapping.
type wasmMemory struct {
	r    io.ReaderAt
	segs []wasmSegment
}

func (m *wasmMemory) ReadAt(p []byte, off int64) (int, error) {
	clear(p)
	lo, hi := uint64(off), uint64(off)+uint64(len(p))
	i, _ := slices.BinarySearchFunc(m.segs, lo, func(s wasmSegment, a uint64) int {
		if s.addr+uint64(s.size) <= a {
			return -1
		}
		return 1
	})
	for ; i < len(m.segs) && m.segs[i].addr < hi; i++ {
		s := m.segs[i]
		a, z := max(s.addr, lo), min(s.addr+uint64(s.size), hi)
		if z <= a {
			continue
		}
		if _, err := m.r.ReadAt(p[a-lo:z-lo], s.off+int64(a-s.addr)); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// heldBytes returns how many bytes of memory [lo, hi) the segments hold.
func (m *wasmMemory) heldBytes(lo, hi uint64) int64 {
	var n int64
	for _, s := range m.segs {
		if a, z := max(s.addr, lo), min(s.addr+uint64(s.size), hi); z > a {
			n += int64(z - a)
		}
	}
	return n
}

// fileOffset returns the file offset of the byte of memory at addr, when a
// segment holds it.
func (m *wasmMemory) fileOffset(addr uint64) (int64, bool) {
	for _, s := range m.segs {
		if addr >= s.addr && addr-s.addr < uint64(s.size) {
			return s.off + int64(addr-s.addr), true
		}
	}
	return 0, false
}

// modinfo's markers, which cmd/go puts around the build info text it
// gives the linker as runtime.modinfo (cmd/go/internal/modload).
var (
	modinfoStart = []byte("0w\xaf\x0c\x92t\b\x02A\xe1\xc1\a\xe6\xd6\x18\xe6")
	modinfoEnd   = []byte("\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2")
)

// buildInfo reads the Go build information of a module. The linker does
// not write the go:buildinfo blob that debug/buildinfo looks for into
// WebAssembly (its section is none of those that become data segments),
// but the runtime's copy of the module text, runtime.modinfo, is in the
// data, between cmd/go's markers; the Go version is the one the
// producers section names for the language.
func (b *wasmBinary) buildInfo() (*debug.BuildInfo, error) {
	f := b.f
	for _, s := range b.segs {
		data, err := readAtMost(f.r, f.Size, s.off, s.size)
		if err != nil {
			return nil, err
		}
		i := bytes.Index(data, modinfoStart)
		if i < 0 {
			continue
		}
		rest := data[i+len(modinfoStart):]
		j := bytes.Index(rest, modinfoEnd)
		if j < 0 {
			return nil, fmt.Errorf("%w: Go build info runs past its data segment", ErrMalformed)
		}
		bi, err := debug.ParseBuildInfo(string(rest[:j]))
		if err != nil {
			return nil, err
		}
		bi.GoVersion = b.producer("language", "Go")
		return bi, nil
	}
	return nil, ErrNotGo
}

// producer returns the version the producers section gives a field's
// named value ("language" "Go" → go1.26.8), or "".
func (b *wasmBinary) producer(field, name string) string {
	for _, s := range b.secs {
		if s.id != wasmCustom || s.size > 1<<16 {
			continue
		}
		d, err := b.contents(s)
		if err != nil || d.name() != "producers" {
			continue
		}
		for n := d.count("producers section", 2); n > 0 && d.err == nil; n-- {
			fname := d.name()
			for m := d.count("producers field", 2); m > 0 && d.err == nil; m-- {
				vname, version := d.name(), d.name()
				if fname == field && vname == name && d.err == nil {
					return version
				}
			}
		}
	}
	return ""
}

// funcBodies returns the file extent of each defined function: its size
// and body in the code section.
func (b *wasmBinary) funcBodies() ([]Extent, error) {
	b.bodiesOnce.Do(func() {
		if b.code < 0 {
			return
		}
		s := b.secs[b.code]
		d, err := b.contents(s)
		if err != nil {
			b.bodiesErr = err
			return
		}
		n := d.count("code section", 1)
		bodies := make([]Extent, 0, n)
		for range n {
			at := d.off
			d.bytes(d.uleb(32))
			if d.err != nil {
				break
			}
			bodies = append(bodies, Extent{Offset: s.body + int64(at), Size: int64(d.off - at)})
		}
		if d.err != nil {
			b.bodiesErr = malformed("WebAssembly", fmt.Errorf("code section: %w", d.err))
			return
		}
		b.bodies = bodies
	})
	return b.bodies, b.bodiesErr
}

// symbols reads the name section's function names: one code symbol per
// named defined function, at its PC, sized by its body. Go's linker
// writes the names with every byte but letters, digits, '_' and '.'
// replaced by '_' (main.(*T).M is main.__T_.M); where the function table
// has the function, its real name is taken.
func (b *wasmBinary) symbols() ([]Symbol, error) {
	if b.name < 0 {
		return nil, nil
	}
	bodies, err := b.funcBodies()
	if err != nil {
		return nil, err
	}
	real := map[int]string{}
	if t, err := b.funcTable(); err == nil {
		for _, fn := range t.Funcs {
			real[wasmIndex(fn.Entry)] = fn.Name
		}
	}
	d, err := b.contents(b.secs[b.name])
	if err != nil {
		return nil, err
	}
	d.name()
	var out []Symbol
	for d.err == nil && d.off < len(d.b) {
		id := d.byte()
		sub := wasmDecoder{b: d.bytes(d.uleb(32))}
		if id != 1 { // function names
			continue
		}
		n := sub.count("function names", 2)
		for range n {
			idx, name := sub.uleb(32), sub.name()
			i := int(idx) - b.funcImport
			if sub.err != nil || i < 0 || i >= len(bodies) {
				continue
			}
			if r, ok := real[i]; ok && wasmSymbolName(r) == name {
				name = r
			}
			out = append(out, Symbol{Name: name, Addr: wasmPC(i), Size: bodies[i].Size, Code: 'T', Section: "code"})
		}
		if sub.err != nil {
			return nil, malformed("WebAssembly", fmt.Errorf("name section: %w", sub.err))
		}
	}
	if d.err != nil {
		return nil, malformed("WebAssembly", fmt.Errorf("name section: %w", d.err))
	}
	return out, nil
}

// wasmSymbolName spells a function's name as the Go linker writes it in
// the name section: every byte but [0-9A-Za-z_.] becomes '_'.
func wasmSymbolName(name string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, name)
}

// wasmIndex returns the index among the defined functions of the function
// whose entry PC is pc.
func wasmIndex(pc uint64) int {
	return int(pc>>16) - wasmFuncValueOffset
}

// pclntabSections is empty: the function table is in the data segments,
// which funcTable reads through memory.
func (b *wasmBinary) pclntabSections() []string { return nil }

// textSection: Go's PCs of WebAssembly count from the code section's
// first function.
func (b *wasmBinary) textSection() string { return "code" }

// The name section is a section.
func (b *wasmBinary) symtabExtents() []Extent { return nil }

func (b *wasmBinary) unwindTable() (string, []uint64) { return "", nil }

// headerSections names the sections that declare the module's structure
// rather than hold a package's code or data: function types, imports,
// the type of each function, the table and memory limits, globals,
// exports, the start function, the function table's initializer
// (an entry per function, in index order) and the data count.
func (b *wasmBinary) headerSections() []string {
	return []string{"type", "import", "function", "table", "memory", "global", "export", "start", "element", "datacount", "tag"}
}

func (b *wasmBinary) cSymbol(name string) (string, bool) { return name, false }

// spans maps the code section's function bodies to their functions' PCs
// and the data section's segments to their memory addresses.
func (b *wasmBinary) spans(section string) []Span {
	switch section {
	case "code":
		bodies, err := b.funcBodies()
		if err != nil {
			return nil
		}
		out := make([]Span, len(bodies))
		for i, e := range bodies {
			out[i] = Span{Offset: e.Offset, Size: e.Size, Addr: wasmPC(i)}
		}
		return out
	case "data":
		out := make([]Span, len(b.segs))
		for i, s := range b.segs {
			out[i] = Span{Offset: s.off, Size: s.size, Addr: s.addr}
		}
		return out
	}
	return nil
}

// funcTable reads the Go function table out of linear memory: the
// pclntab is in the data segments, found by its header, and the
// runtime's moduledata, next to it, bounds it. Function entries are PCs
// (index+0x1000)<<16; each function's End is its Entry plus the bytes of
// its body in the code section, so that End-Entry is its code. The
// Pclntab's Offset is the file offset of its header, and its Size its
// length in memory: the file holds less of it (pomo's: 5427973 bytes of
// memory in 3787636 bytes of 91906 segments), since the zeros are left
// out.
func (b *wasmBinary) funcTable() (*FuncTable, error) {
	b.tableOnce.Do(func() {
		// The tables are indexed with offsets read from them; a corrupt
		// one is a malformed input, reported as such.
		defer func() {
			if r := recover(); r != nil {
				b.table, b.tableErr = nil, fmt.Errorf("%w: corrupt pclntab: %v", ErrMalformed, r)
			}
		}()
		b.table, b.tableErr = b.readFuncTable()
	})
	if b.tableErr != nil {
		return nil, b.tableErr
	}
	t := *b.table
	t.Funcs = slices.Clone(t.Funcs)
	t.Parts = slices.Clone(t.Parts)
	p := *t.Pclntab
	t.Pclntab = &p
	return &t, nil
}

func (b *wasmBinary) readFuncTable() (*FuncTable, error) {
	if len(b.segs) == 0 {
		return nil, ErrNoPclntab
	}
	if b.overlap {
		return nil, fmt.Errorf("%w: data segments overlap", ErrNoPclntab)
	}
	bodies, err := b.funcBodies()
	if err != nil {
		return nil, err
	}
	mem := &wasmMemory{r: b.f.r, segs: b.byAddr}
	last := b.byAddr[len(b.byAddr)-1]
	memEnd := last.addr + uint64(last.size)
	d, err := b.contents(b.secs[b.data])
	if err != nil {
		return nil, err
	}
	segData := func(s wasmSegment) []byte {
		at := s.off - b.secs[b.data].body
		return d.b[at : at+s.size]
	}
	tries := 0
	var firstErr error
	for _, s := range b.segs {
		data := segData(s)
		for off := 0; ; {
			i := bytes.Index(data[off:], []byte{0xff, 0xff, 0xff, 0, 0})
			if i < 0 {
				break
			}
			at := off + i - 1
			off += i + 1
			addr := s.addr + uint64(at)
			if at < 0 || addr%4 != 0 || data[at] != 0xf1 && data[at] != 0xf0 {
				continue
			}
			if tries++; tries > maxPclntabCandidates {
				return nil, cmpErr(firstErr)
			}
			t, err := b.funcTableAt(mem, addr, memEnd, bodies, segData)
			if err == nil {
				return t, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	return nil, cmpErr(firstErr)
}

func cmpErr(err error) error {
	if err == nil || errors.Is(err, ErrNoPclntab) {
		return ErrNoPclntab
	}
	return err
}

// funcTableAt reads the function table whose header is at addr.
func (b *wasmBinary) funcTableAt(mem *wasmMemory, addr, memEnd uint64, bodies []Extent, segData func(wasmSegment) []byte) (*FuncTable, error) {
	var hdr [8 + 8*8]byte
	mem.ReadAt(hdr[:], int64(addr))
	version := "go1.20"
	if hdr[0] == 0xf0 {
		version = "go1.18"
	}
	if hdr[6] != 1 || hdr[7] != 8 {
		return nil, ErrNoPclntab // Go's wasm: quantum 1, 8-byte pointers
	}
	// A provisional bound, until the moduledata gives the end.
	held := mem.heldBytes(addr, memEnd)
	bound := min(memEnd-addr, uint64(held)*maxWasmMemoryRatio)
	h, err := parsePclnHeader(hdr[:], int64(bound), binary.LittleEndian, version)
	if err != nil {
		return nil, err
	}
	if h.nfunc > uint64(len(bodies)) {
		return nil, fmt.Errorf("%w: pclntab claims %d functions, and the code section has %d", ErrMalformed, h.nfunc, len(bodies))
	}
	// The view: memory as a file whose offsets are addresses, holding the
	// pclntab and each place the moduledata may be.
	// The view carries the module's Go version, which picks the moduledata
	// layout.
	view := &File{Format: FormatWasm, Size: int64(memEnd), ByteOrder: "LSB", r: mem, Go: b.f.Go}
	p := &Pclntab{Section: "data", Offset: int64(addr), Size: int64(bound), Version: version, TextStart: h.textStart}
	view.Sections = []Section{{Name: "pclntab", Kind: KindGoMetadata, Offset: int64(addr), Addr: addr, FileSize: p.Size, VMSize: p.Size}}
	var pat [8]byte
	binary.LittleEndian.PutUint64(pat[:], addr)
	for _, s := range b.segs {
		data := segData(s)
		for off := 0; ; {
			i := bytes.Index(data[off:], pat[:3])
			if i < 0 {
				break
			}
			at := s.addr + uint64(off+i)
			off += i + 1
			var w [8]byte
			if at%8 != 0 || at+moduledataWords*8 > memEnd {
				continue
			}
			if mem.ReadAt(w[:], int64(at)); w == pat && len(view.Sections) < 1+maxPclntabCandidates {
				view.Sections = append(view.Sections, Section{Name: "moduledata", Kind: KindData, Offset: int64(at), Addr: at, FileSize: moduledataWords * 8, VMSize: moduledataWords * 8})
			}
		}
	}
	md, _ := view.findModuledata(p, h)
	switch {
	case md != nil && md.Epclntab > addr && md.Epclntab-addr <= bound:
		p.Size = int64(md.Epclntab - addr)
	case md != nil && md.FunctabSize > 0 && h.pclnOffset+uint64(md.FunctabSize) <= bound:
		p.Size = int64(h.pclnOffset) + md.FunctabSize
	default:
		if n := view.exactPclntabSize(p); n > 0 {
			p.Size = n
		}
	}
	// The tables the header places must lie inside the size the moduledata
	// gave it.
	if h, err = parsePclnHeader(hdr[:], p.Size, binary.LittleEndian, version); err != nil {
		return nil, err
	}
	data, err := readAtMost(mem, view.Size, int64(addr), p.Size)
	if err != nil {
		return nil, err
	}
	view.Sections[0].FileSize, view.Sections[0].VMSize = p.Size, p.Size
	t, err := view.buildFuncTable(p, h, md, data)
	if err != nil {
		return nil, err
	}
	// The functab records (PC-text)>>16, the function's PC_F when
	// runtime.text is 0, as the linker makes it (cmd/link/internal/ld
	// pcln.go: "On Wasm, the function table contains just the function
	// index"); buildFuncTable added it to the text address.
	text := h.textStart
	if md != nil && md.Text != 0 {
		text = md.Text
	}
	// Since Go 1.26 a function's entry counts 64K units from the text
	// start; before, the table holds its PC itself (and the header's text
	// start is 0). The first function tells which.
	shift := uint(16)
	if len(t.Funcs) > 0 && text == 0 {
		if k := wasmIndex(t.Funcs[0].Entry); k >= 0 && k < len(bodies) && t.Funcs[0].Entry == wasmPC(k) {
			shift = 0
		}
	}
	for i := range t.Funcs {
		fn := &t.Funcs[i]
		pc := text + (fn.Entry-text)<<shift
		k := wasmIndex(pc)
		if k < 0 || k >= len(bodies) || pc != wasmPC(k) {
			return nil, fmt.Errorf("%w: pclntab at %#x: function %s at PC %#x is not in the code section's %d functions", ErrNoPclntab, addr, fn.Name, pc, len(bodies))
		}
		// A body is the function's code to its last byte: no padding. (The
		// pc range of its tables counts blocks, not bytes.)
		fn.Entry, fn.End, fn.Size = pc, pc+uint64(bodies[k].Size), 0
	}
	wasmFindfuncParts(t, md)
	// The table's header is in the file, where a segment holds it.
	off, ok := mem.fileOffset(addr)
	if !ok {
		return nil, ErrNoPclntab
	}
	t.Pclntab = &Pclntab{Section: "data", Offset: off, Size: p.Size, TextStart: p.TextStart, Version: version}
	return t, nil
}

// wasmFindfuncParts shares the pc lookup buckets (findfunctab) out again
// by the functions' PCs, which buildFuncTable could not compare with the
// buckets' PCs while the entries were function indices. The rule is
// buildFuncTable's: one byte per 256 PCs and four per 4096, each going
// to the package of the function at the start of the span it covers.
// On WebAssembly every function spans 1<<16 PCs, so the buckets are
// twenty bytes per function, a large part of the table.
func wasmFindfuncParts(t *FuncTable, md *Moduledata) {
	var total int64
	parts := t.Parts[:0]
	for _, p := range t.Parts {
		if p.What == "findfunctab" {
			total += p.Bytes
			continue
		}
		parts = append(parts, p)
	}
	t.Parts = parts
	if total == 0 || md == nil || len(t.Funcs) == 0 {
		t.Overhead += total
		return
	}
	perPkg := map[string]int64{}
	var order []string
	give := func(pkg string, n int64) {
		if _, ok := perPkg[pkg]; !ok {
			order = append(order, pkg)
		}
		perPkg[pkg] += n
	}
	nsub := (md.MaxPC - md.MinPC + 255) / 256
	k := 0
	owner := func(pc uint64) string {
		for k+1 < len(t.Funcs) && t.Funcs[k+1].Entry <= pc {
			k++
		}
		return t.Funcs[k].Package
	}
	var given int64
	for a := uint64(0); a < nsub && given < total; a++ {
		n := int64(1)
		if a%16 == 0 {
			n += 4
		}
		give(owner(md.MinPC+a*256), n)
		given += n
	}
	if given < total {
		give(owner(md.MaxPC), total-given)
	} else if given > total {
		perPkg[order[len(order)-1]] -= given - total
	}
	slices.Sort(order)
	for _, pkg := range order {
		if perPkg[pkg] > 0 {
			t.Parts = append(t.Parts, TablePart{Package: pkg, What: "findfunctab", Bytes: perPkg[pkg]})
		}
	}
}
