package elfinfo

import (
	"bytes"
	"debug/gosym"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// ErrNoPclntab means the binary has no Go function table: it is not a Go
// binary, or the table cannot be found.
var ErrNoPclntab = errors.New("no Go function table (pclntab)")

// Pclntab locates the Go function table in the file. It survives -s -w
// and GNU strip, because the runtime needs it for stack traces.
type Pclntab struct {
	Section   string // the section holding it: .gopclntab, __DATA_CONST,__gopclntab, .rdata (PE)
	Offset    int64  // file offset of its header
	Size      int64  // its length in bytes: the section's, or in PE, where it shares .rdata, to the runtime's epclntab (or its last function record)
	TextStart uint64 // address its function offsets count from (runtime.text)
	Version   string // header generation: go1.2, go1.16, go1.18 or go1.20
}

// Func is one function of the Go function table.
type Func struct {
	Name    string
	Package string // package path; "" for compiler-generated functions (type:.eq.*, go:*)
	Entry   uint64
	End     uint64
}

// maxPclntabCandidates bounds the headers scanPclntab parses in full:
// a real binary has one, and seldom a stray constant that looks like it.
const maxPclntabCandidates = 16

// pclntab magic numbers, little-endian, by the Go release that introduced
// each layout.
var pclnMagics = []struct {
	magic   uint32
	version string
}{
	{0xfffffff1, "go1.20"},
	{0xfffffff0, "go1.18"},
	{0xfffffffa, "go1.16"},
	{0xfffffffb, "go1.2"},
}

// Pclntab finds the Go function table: in the section the format's reader
// names for it (ELF and Mach-O, as the Go linker lays them out); where the
// external linker merged it into another section (.data.rel.ro in a PIE
// linked by gcc on Go 1.24 and earlier, .rdata in PE), at the address of
// the runtime.pclntab symbol, or at the address the runtime's moduledata
// record (runtime.firstmoduledata) starts with; and, in a stripped binary,
// by its header magic in any section of data. Every find is validated by
// parsing its functions.
func (f *File) Pclntab() (*Pclntab, error) {
	if r, ok := f.reader().(funcTableReader); ok {
		t, err := r.funcTable()
		if err != nil {
			return nil, err
		}
		return t.Pclntab, nil
	}
	names := f.reader().pclntabSections()
	for _, s := range f.Sections {
		if slices.Contains(names, s.Name) {
			return f.pclntabAt(s, s.Offset, s.FileSize)
		}
	}
	if p, err := f.pclntabBySymbol(); err == nil {
		return p, nil
	}
	// Read-only data first (where a Go linker puts it), then the rest.
	var candidates []Section
	for _, pass := range [][]Kind{{KindRodata, KindGoMetadata}, {KindData}} {
		for _, s := range f.Sections {
			if s.FileSize > 0 && slices.Contains(pass, s.Kind) {
				candidates = append(candidates, s)
			}
		}
	}
	for _, s := range candidates {
		if p, err := f.scanPclntab(s); err == nil {
			return p, nil
		}
	}
	return nil, ErrNoPclntab
}

// symbolAddrs returns the addresses of the named symbols of the symbol
// table (not the dynamic symbols), as the format spells them before its
// decoration; a name it lacks is left out.
func (f *File) symbolAddrs(names ...string) map[string]uint64 {
	out := map[string]uint64{}
	syms, err := f.reader().symbols()
	if err != nil {
		return out
	}
	for _, s := range syms {
		if name, _ := f.reader().cSymbol(s.Name); slices.Contains(names, name) && s.Addr != 0 {
			out[name] = s.Addr
		}
	}
	return out
}

// symbolAddr returns the address of one symbol of the symbol table.
func (f *File) symbolAddr(name string) (uint64, bool) {
	a, ok := f.symbolAddrs(name)[name]
	return a, ok
}

// pclntabBySymbol finds the function table through the symbol table:
// runtime.pclntab (to runtime.epclntab), or the first word of
// runtime.firstmoduledata, which points at the table's header.
func (f *File) pclntabBySymbol() (*Pclntab, error) {
	addrs := f.symbolAddrs("runtime.pclntab", "runtime.epclntab", "runtime.firstmoduledata")
	start, end, md := addrs["runtime.pclntab"], addrs["runtime.epclntab"], addrs["runtime.firstmoduledata"]
	if start == 0 && md != 0 {
		if off, ok := f.addrToOffset(md); ok {
			var w [8]byte
			if _, err := f.r.ReadAt(w[:], off); err == nil {
				start = f.byteOrder().Uint64(w[:])
				if f.Class == "32-bit" {
					start = uint64(f.byteOrder().Uint32(w[:]))
				}
			}
		}
	}
	off, ok := f.addrToOffset(start)
	if start == 0 || !ok {
		return nil, ErrNoPclntab
	}
	var sec Section
	for _, s := range f.Sections {
		if s.FileSize > 0 && off >= s.Offset && off < s.Offset+s.FileSize {
			sec = s
		}
	}
	size := sec.Offset + sec.FileSize - off
	fromEnd := end > start && end-start <= uint64(size)
	if fromEnd {
		size = int64(end - start)
	}
	p, err := f.pclntabAt(sec, off, size)
	if err != nil {
		return nil, err
	}
	if fn, err := f.funcsOf(p); err != nil || len(fn) == 0 {
		return nil, ErrNoPclntab
	}
	if !fromEnd {
		if n := f.exactPclntabSize(p); n > 0 {
			p.Size = n
		}
	}
	return p, nil
}

// scanPclntab looks for a pclntab header in a section: the magic, two zero
// bytes, an instruction quantum of 1, 2 or 4 and a pointer size of 4 or 8.
// A match must also parse, so that a stray constant is not taken for it.
func (f *File) scanPclntab(s Section) (*Pclntab, error) {
	data, err := readAtMost(f.r, f.Size, s.Offset, s.FileSize)
	if err != nil {
		return nil, err
	}
	// Each candidate costs a parse of the rest of the section; a section
	// full of look-alike headers must not make that quadratic.
	tries := 0
	for _, m := range pclnMagics {
		var pat [6]byte
		if f.ByteOrder == "MSB" {
			binary.BigEndian.PutUint32(pat[:], m.magic)
		} else {
			binary.LittleEndian.PutUint32(pat[:], m.magic)
		}
		for off := 0; ; {
			i := bytes.Index(data[off:], pat[:])
			if i < 0 {
				break
			}
			at := off + i
			off = at + 1
			if at%4 != 0 || at+8 > len(data) {
				continue
			}
			quantum, ptr := data[at+6], data[at+7]
			if quantum != 1 && quantum != 2 && quantum != 4 || ptr != 4 && ptr != 8 {
				continue
			}
			p, err := f.pclntabAt(s, s.Offset+int64(at), s.FileSize-int64(at))
			if err != nil {
				continue
			}
			if tries++; tries > maxPclntabCandidates {
				return nil, ErrNoPclntab
			}
			if fn, err := f.funcsIn(data[at:], p); err == nil && len(fn) > 0 {
				// The section holds more than the pclntab; bound it.
				if n := f.exactPclntabSize(p); n > 0 {
					p.Size = n
				}
				return p, nil
			}
		}
	}
	return nil, ErrNoPclntab
}

func (f *File) pclntabAt(s Section, off, size int64) (*Pclntab, error) {
	var hdr [8]byte
	if size < int64(len(hdr)) {
		return nil, fmt.Errorf("%w: %s is %d bytes", ErrNoPclntab, s.Name, size)
	}
	if _, err := f.r.ReadAt(hdr[:], off); err != nil {
		return nil, err
	}
	magic := binary.LittleEndian.Uint32(hdr[:])
	if f.ByteOrder == "MSB" {
		magic = binary.BigEndian.Uint32(hdr[:])
	}
	p := &Pclntab{Section: s.Name, Offset: off, Size: size}
	for _, m := range pclnMagics {
		if m.magic == magic {
			p.Version = m.version
		}
	}
	if p.Version == "" {
		return nil, fmt.Errorf("%w: %s has no pclntab header", ErrNoPclntab, s.Name)
	}
	// The pointer size sizes the reads that follow; only 4 and 8 exist.
	if hdr[7] != 4 && hdr[7] != 8 {
		return nil, fmt.Errorf("%w: pclntab in %s: pointer size %d", ErrMalformed, s.Name, hdr[7])
	}
	p.TextStart = f.textStart(p, hdr[7])
	return p, nil
}

// textStart returns the address function offsets count from. Since Go
// 1.18 the header records it, but in a position-independent binary the
// recorded value may be left for the dynamic loader to fill in (zero in
// the file); then, as cmd/internal/objfile does, take the start of the
// text section, where the Go linker puts runtime.text.
func (f *File) textStart(p *Pclntab, ptrSize byte) uint64 {
	if p.Version == "go1.18" || p.Version == "go1.20" {
		// magic, pad, quantum, ptrsize (8 bytes), nfunc, nfiles, textStart.
		off := p.Offset + 8 + 2*int64(ptrSize)
		buf := make([]byte, ptrSize)
		if _, err := f.r.ReadAt(buf, off); err == nil {
			var v uint64
			bo := binary.ByteOrder(binary.LittleEndian)
			if f.ByteOrder == "MSB" {
				bo = binary.BigEndian
			}
			if ptrSize == 8 {
				v = bo.Uint64(buf)
			} else {
				v = uint64(bo.Uint32(buf))
			}
			if v != 0 {
				return v
			}
		}
	}
	if name := f.reader().textSection(); name != "" {
		for _, s := range f.Sections {
			if s.Name == name {
				return s.Addr
			}
		}
	}
	return 0
}

// Funcs returns the functions of the Go function table, in address order.
// It reads only the table, so it works on stripped binaries.
func (f *File) Funcs() ([]Func, error) {
	if r, ok := f.reader().(funcTableReader); ok {
		t, err := r.funcTable()
		if err != nil {
			return nil, err
		}
		funcs := make([]Func, len(t.Funcs))
		for i, fn := range t.Funcs {
			funcs[i] = Func{Name: fn.Name, Package: fn.Package, Entry: fn.Entry, End: fn.End}
		}
		return funcs, nil
	}
	p, err := f.Pclntab()
	if err != nil {
		return nil, err
	}
	return f.funcsOf(p)
}

func (f *File) funcsOf(p *Pclntab) ([]Func, error) {
	data, err := readAtMost(f.r, f.Size, p.Offset, p.Size)
	if err != nil {
		return nil, fmt.Errorf("read pclntab: %w", err)
	}
	return f.funcsIn(data, p)
}

// funcsIn parses the functions of p, whose bytes are data.
func (f *File) funcsIn(data []byte, p *Pclntab) (funcs []Func, err error) {
	// debug/gosym indexes the table with offsets read from it and panics
	// on a corrupt one; that is a malformed input, reported as such.
	defer func() {
		if r := recover(); r != nil {
			funcs, err = nil, fmt.Errorf("%w: corrupt pclntab: %v", ErrMalformed, r)
		}
	}()
	// debug/gosym allocates a Func for every function the header claims
	// before it checks the table holds them: bound the claim by the bytes
	// (each function has a functab entry of at least 8 bytes).
	if len(data) >= 16 && (data[7] == 4 || data[7] == 8) {
		var nfunc uint64
		if data[7] == 8 {
			nfunc = f.byteOrder().Uint64(data[8:])
		} else {
			nfunc = uint64(f.byteOrder().Uint32(data[8:]))
		}
		if nfunc > uint64(len(data))/8 {
			return nil, fmt.Errorf("%w: pclntab claims %d functions, more than its %d bytes hold", ErrMalformed, nfunc, len(data))
		}
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, p.TextStart))
	if err != nil {
		return nil, fmt.Errorf("%w: pclntab: %v", ErrMalformed, err)
	}
	funcs = make([]Func, 0, len(tab.Funcs))
	for i := range tab.Funcs {
		fn := &tab.Funcs[i]
		funcs = append(funcs, Func{Name: fn.Name, Package: PackageOf(fn.Name), Entry: fn.Entry, End: fn.End})
	}
	return funcs, nil
}
