package elfinfo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Moduledata is what binscope reads of the runtime's moduledata record
// (runtime.firstmoduledata), which the linker fills with the bounds of
// every table the runtime uses. It survives -s -w and strip, since the
// runtime cannot start without it. Addresses are virtual addresses.
//
// The record's layout changes between Go releases; moduledataLayouts
// says where each field sits for every release from Go 1.16 on. The record
// is found by its first word, the address of the pclntab header, and
// accepted only when the slices that follow agree with the offsets in that
// header and its bounds are in order (validModuledata).
type Moduledata struct {
	Addr        uint64 // where the record itself is
	Layout      string // the releases whose layout it was read with: "go1.20-go1.25"
	Pclntab     uint64 // pcHeader
	Functab     uint64 // start of the functab (pclntable)
	FunctabSize int64  // its exact length in bytes
	Findfunctab uint64
	MinPC       uint64
	MaxPC       uint64
	Text        uint64
	Etext       uint64
	Types       uint64
	Etypes      uint64
	Rodata      uint64 // 0 before Go 1.18
	Gofunc      uint64 // go:func.*, the funcdata the function table points into; 0 before Go 1.18
	Epclntab    uint64 // end of the pclntab carrier; 0 before Go 1.26

	// GCData is the pointer bitmap of the data section, one bit per
	// word from Data on (1: the word may hold a pointer).
	GCData uint64
	// Typelinks and NTypelinks are the table of type descriptors the
	// linker lists for reflection (int32 offsets from Types); Itablinks
	// and NItablinks the table of pointers to the itabs. Go 1.27 dropped
	// both tables: TypedescLen is then the length of the descriptors at
	// Types that the tables listed, and ItabOffset and ItabSize place
	// the itabs after Types.
	Typelinks, NTypelinks uint64
	Itablinks, NItablinks uint64
	TypedescLen           uint64
	ItabOffset, ItabSize  uint64

	// The data bounds, which validate the record.
	Noptrdata, Enoptrdata, Data, Edata, Bss, Ebss, Noptrbss, Enoptrbss, End uint64
}

// errNoModuledata means the record could not be found.
var errNoModuledata = errors.New("no runtime moduledata found")

// moduledataLayout is where the fields binscope reads sit in the record
// of a range of Go releases, in pointer-sized words (a slice is three, a
// string two), as that release's runtime/symtab.go declares them. Every
// layout from Go 1.16 on starts the same way: pcHeader (0), the
// funcnametab (1), cutab (4), filetab (7), pctab (10), pclntable (13) and
// ftab (16) slices, findfunctab (19), minpc and maxpc (20, 21), text and
// etext (22, 23), then the noptrdata, data, bss and noptrbss bounds
// (24–31). -1 marks a field the layout lacks.
type moduledataLayout struct {
	from, to int    // Go 1.from to Go 1.to
	pcln     string // the pclntab header generation of those releases
	end      int    // the end word (after the data bounds)
	types    int    // types; etypes follows
	etypes   int
	rodata   int
	gofunc   int
	epclntab int
	// typelinks is the typelinks slice (the itablinks slice follows);
	// typedesclen and itaboffset (itabsize follows) replace both in Go
	// 1.27.
	typelinks   int
	typedesclen int
	itaboffset  int
	words       int // words read: up to the last field used
}

// moduledataLayouts: one row per layout, oldest first.
//   - Go 1.16: the pclntab split into funcnametab, cutab, filetab, pctab.
//   - Go 1.18: rodata and gofunc after types, etypes.
//   - Go 1.20: covctrs, ecovctrs before end.
//   - Go 1.26: epclntab after gofunc.
//   - Go 1.27: typedesclen between types and etypes, then itaboffset and
//     itabsize before rodata.
var moduledataLayouts = []moduledataLayout{
	{from: 16, to: 17, pcln: "go1.16", end: 32, types: 35, etypes: 36, rodata: -1, gofunc: -1, epclntab: -1, typelinks: 40, typedesclen: -1, itaboffset: -1, words: 45},
	{from: 18, to: 19, pcln: "go1.18", end: 32, types: 35, etypes: 36, rodata: 37, gofunc: 38, epclntab: -1, typelinks: 42, typedesclen: -1, itaboffset: -1, words: 47},
	{from: 20, to: 25, pcln: "go1.20", end: 34, types: 37, etypes: 38, rodata: 39, gofunc: 40, epclntab: -1, typelinks: 44, typedesclen: -1, itaboffset: -1, words: 49},
	{from: 26, to: 26, pcln: "go1.20", end: 34, types: 37, etypes: 38, rodata: 39, gofunc: 40, epclntab: 41, typelinks: 45, typedesclen: -1, itaboffset: -1, words: 50},
	{from: 27, to: 27, pcln: "go1.20", end: 34, types: 37, etypes: 39, rodata: 42, gofunc: 43, epclntab: 44, typelinks: -1, typedesclen: 38, itaboffset: 40, words: 45},
}

// moduledataWords is the most words a layout reads (Go 1.26's).
const moduledataWords = 50

// newestModuledataLayout is the last release moduledataLayouts knows.
var newestModuledataLayout = moduledataLayouts[len(moduledataLayouts)-1].to

func (l moduledataLayout) String() string {
	if l.from == l.to {
		return fmt.Sprintf("go1.%d", l.from)
	}
	return fmt.Sprintf("go1.%d-go1.%d", l.from, l.to)
}

// goMinor returns N of a Go version "go1.N…", or 0 when v is not one
// (unknown, or a development version).
func goMinor(v string) int {
	// A development toolchain says "devel go1.28-abcdef …".
	rest, ok := strings.CutPrefix(strings.TrimPrefix(v, "devel "), "go1.")
	if !ok {
		return 0
	}
	n := 0
	for _, c := range rest {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
		if n > 1000 {
			return 0
		}
	}
	return n
}

// ErrNewerGo means the binary was built by a Go release newer than the
// moduledata layouts binscope knows: the function table is read alone.
var ErrNewerGo = errors.New("built by a Go release newer than binscope knows")

// layoutsFor returns the layouts to try for a binary built by Go version
// v (its build info's, or "" when unknown) with a pclntab of generation
// pcln: the one of its release when v is known, otherwise every layout of
// that generation, newest first. A release newer than the table gets
// ErrNewerGo rather than a guess.
func layoutsFor(v, pcln string) ([]moduledataLayout, error) {
	minor := goMinor(v)
	if minor > newestModuledataLayout {
		return nil, fmt.Errorf("%w (%s; the moduledata layouts go to go1.%d)", ErrNewerGo, v, newestModuledataLayout)
	}
	var out []moduledataLayout
	for i := len(moduledataLayouts) - 1; i >= 0; i-- {
		l := moduledataLayouts[i]
		if l.pcln != pcln || minor != 0 && (minor < l.from || minor > l.to) {
			continue
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, errNoModuledata
	}
	return out, nil
}

// pclnOffsets are the table offsets of a pclntab header that the
// moduledata's slices repeat, for every generation from Go 1.16.
type pclnOffsets struct {
	ptrSize                                                    uint8
	funcnameOffset, cuOffset, filetabOffset, pctabOffset, pcln uint64
}

// offsetsOf reads the table offsets of p's header: Go 1.18 and later
// through pclntabHeader; Go 1.16's header has no textStart word, so its
// offsets start one word earlier.
func (f *File) offsetsOf(p *Pclntab, h *pclnHeader) (pclnOffsets, bool) {
	if h != nil {
		return pclnOffsets{h.ptrSize, h.funcnameOffset, h.cuOffset, h.filetabOffset, h.pctabOffset, h.pclnOffset}, true
	}
	if p.Version != "go1.16" {
		return pclnOffsets{}, false
	}
	buf, err := readAtMost(f.r, f.Size, p.Offset, min(p.Size, 8+7*8))
	if err != nil || len(buf) < 8 || buf[7] != 4 && buf[7] != 8 || len(buf) < 8+7*int(buf[7]) {
		return pclnOffsets{}, false
	}
	ptr := int(buf[7])
	w := func(i int) uint64 {
		if ptr == 8 {
			return f.byteOrder().Uint64(buf[8+i*8:])
		}
		return uint64(f.byteOrder().Uint32(buf[8+i*4:]))
	}
	return pclnOffsets{uint8(ptr), w(2), w(3), w(4), w(5), w(6)}, true
}

// findModuledata looks for the moduledata record in the data and Go
// metadata sections: a pointer-aligned word holding the address of the
// pclntab header, followed by the funcnametab, cutab, filetab, pctab and
// pclntable slices at the offsets the header gives, read with the layout
// of the binary's Go release. h is p's decoded header, nil before Go 1.18.
func (f *File) findModuledata(p *Pclntab, h *pclnHeader) (*Moduledata, error) {
	hdr, ok := f.offsetsOf(p, h)
	if !ok {
		return nil, errNoModuledata
	}
	goVersion := ""
	if f.Go != nil {
		goVersion = f.Go.Version
	}
	layouts, err := layoutsFor(goVersion, p.Version)
	if err != nil {
		return nil, err
	}
	pcAddr, ok := f.offsetToAddr(p.Offset)
	if !ok {
		return nil, errNoModuledata
	}
	ptr := int64(hdr.ptrSize)
	bo := f.byteOrder()
	word := func(b []byte) uint64 {
		if ptr == 8 {
			return bo.Uint64(b)
		}
		return uint64(bo.Uint32(b))
	}
	var pat [8]byte
	if ptr == 8 {
		bo.PutUint64(pat[:], pcAddr)
	} else {
		bo.PutUint32(pat[:], uint32(pcAddr))
	}
	minWords := int64(layouts[len(layouts)-1].words)
	for _, l := range layouts {
		minWords = min(minWords, int64(l.words))
	}
	for _, s := range f.Sections {
		// Go 1.26 gives the record a section of its own (.go.module).
		if s.Kind != KindData && s.Kind != KindGoMetadata || s.FileSize < minWords*ptr {
			continue
		}
		data, err := readAtMost(f.r, f.Size, s.Offset, s.FileSize)
		if err != nil {
			continue
		}
		for off := int64(0); off+minWords*ptr <= int64(len(data)); off += ptr {
			if string(data[off:off+ptr]) != string(pat[:ptr]) {
				continue
			}
			w := func(i int) uint64 { return word(data[off+int64(i)*ptr:]) }
			// Each slice is pointer, length, capacity.
			if w(1) != pcAddr+hdr.funcnameOffset || w(4) != pcAddr+hdr.cuOffset ||
				w(7) != pcAddr+hdr.filetabOffset || w(10) != pcAddr+hdr.pctabOffset ||
				w(13) != pcAddr+hdr.pcln || w(14) != w(15) {
				continue
			}
			for _, l := range layouts {
				if off+int64(l.words)*ptr > int64(len(data)) {
					continue
				}
				at := func(i int) uint64 {
					if i < 0 {
						return 0
					}
					return w(i)
				}
				m := &Moduledata{
					Addr: s.Addr + uint64(off), Layout: l.String(), Pclntab: pcAddr, Functab: w(13), FunctabSize: int64(w(14)),
					Findfunctab: w(19), MinPC: w(20), MaxPC: w(21), Text: w(22), Etext: w(23),
					Noptrdata: w(24), Enoptrdata: w(25), Data: w(26), Edata: w(27),
					Bss: w(28), Ebss: w(29), Noptrbss: w(30), Enoptrbss: w(31), End: w(l.end),
					Types: w(l.types), Etypes: w(l.etypes), Rodata: at(l.rodata), Gofunc: at(l.gofunc), Epclntab: at(l.epclntab),
					GCData: w(l.end + 1), TypedescLen: at(l.typedesclen), ItabOffset: at(l.itaboffset),
				}
				if l.typelinks >= 0 {
					m.Typelinks, m.NTypelinks = w(l.typelinks), w(l.typelinks+1)
					m.Itablinks, m.NItablinks = w(l.typelinks+3), w(l.typelinks+4)
				}
				if l.itaboffset >= 0 {
					m.ItabSize = w(l.itaboffset + 1)
				}
				if f.validModuledata(m, p) {
					return m, nil
				}
			}
		}
	}
	return nil, errNoModuledata
}

// validModuledata checks what a layout read: bounds in order, the text
// range holding the functions' range, the types inside the file's
// sections, the funcdata and the pclntab's end after its start. A layout
// that puts a field one word off fails here.
func (f *File) validModuledata(m *Moduledata, p *Pclntab) bool {
	ordered := func(v ...uint64) bool {
		for i := 1; i < len(v); i++ {
			if v[i] < v[i-1] {
				return false
			}
		}
		return true
	}
	if f.Format == FormatWasm {
		// A module's functions are numbered, not placed: runtime.text is
		// 0, the PCs are function indexes times 64K, and the view of its
		// memory holds only the table and the record. The bounds of data
		// and the pclntab's end still tell a layout that is off.
		return m.FunctabSize >= 0 && m.FunctabSize <= p.Size &&
			ordered(m.Noptrdata, m.Enoptrdata) && ordered(m.Data, m.Edata) && ordered(m.Bss, m.Ebss) &&
			ordered(m.Noptrbss, m.Enoptrbss) && m.End >= m.Enoptrbss && ordered(m.Types, m.Etypes) &&
			(m.Epclntab == 0 || m.Epclntab > m.Pclntab && m.Epclntab-m.Pclntab <= uint64(f.Size))
	}
	if m.FunctabSize < 0 || m.FunctabSize > p.Size || m.Text == 0 ||
		!ordered(m.Text, m.MinPC, m.MaxPC, m.Etext) ||
		!ordered(m.Noptrdata, m.Enoptrdata) || !ordered(m.Data, m.Edata) ||
		!ordered(m.Bss, m.Ebss) || !ordered(m.Noptrbss, m.Enoptrbss) ||
		m.End < m.Enoptrbss || m.End < m.Ebss ||
		!ordered(m.Types, m.Etypes) || m.Etypes-m.Types > uint64(f.Size) {
		return false
	}
	if _, ok := f.addrToOffset(m.Types); !ok && m.Etypes > m.Types {
		return false
	}
	if m.Gofunc != 0 {
		if _, ok := f.addrToOffset(m.Gofunc); !ok {
			return false
		}
	}
	if m.Epclntab != 0 && (m.Epclntab <= m.Pclntab || m.Epclntab-m.Pclntab > uint64(f.Size) ||
		m.Epclntab <= m.Gofunc || m.Epclntab <= m.Findfunctab) {
		return false
	}
	return true
}

// offsetToAddr maps a file offset to the address it is loaded at, through
// the section holding it.
func (f *File) offsetToAddr(off int64) (uint64, bool) {
	for _, s := range f.Sections {
		if s.FileSize > 0 && s.VMSize > 0 && off >= s.Offset && off < s.Offset+s.FileSize {
			return s.Addr + uint64(off-s.Offset), true
		}
	}
	return 0, false
}

// addrToOffset maps an address to its file offset, through the section
// holding it; it fails for addresses outside the file-backed part of every
// section.
func (f *File) addrToOffset(addr uint64) (int64, bool) {
	for _, s := range f.Sections {
		if s.FileSize > 0 && s.VMSize > 0 && addr >= s.Addr && addr-s.Addr < uint64(s.FileSize) {
			return s.Offset + int64(addr-s.Addr), true
		}
	}
	return 0, false
}

func (f *File) byteOrder() binary.ByteOrder {
	if f.ByteOrder == "MSB" {
		return binary.BigEndian
	}
	return binary.LittleEndian
}
