package elfinfo

import (
	"cmp"
	"slices"
)

// Image is the loaded, file-backed bytes of a binary's data: every
// section that is neither code nor debug info nor a symbol table, read
// once and looked up by address. The type descriptors and the pointers in
// data are read through it. It holds no more than those sections' bytes.
type Image struct {
	segs []imageSeg
	ptr  int
	f    *File
	last int // the segment the last lookup found (an Image is not safe for concurrent use)
}

type imageSeg struct {
	name string
	kind Kind
	addr uint64
	data []byte
}

// DataImage reads the loaded data of f (read-only data, data and Go
// metadata sections but the function table's own). A section that cannot be read is left out. It
// returns nil for a file with no such section or one loaded in runs
// (WebAssembly), whose addresses are not those of its sections.
func (f *File) DataImage() *Image {
	if f.Format == FormatWasm {
		return nil
	}
	im := &Image{f: f, ptr: 8}
	if f.Class == "32-bit" {
		im.ptr = 4
	}
	// The function table is read apart (FuncTable) and holds no pointers
	// to follow: it stays out of the image, which it would double.
	pcln := map[string]bool{}
	for _, n := range f.reader().pclntabSections() {
		pcln[n] = true
	}
	for _, s := range f.Sections {
		switch s.Kind {
		case KindRodata, KindData, KindGoMetadata:
		default:
			continue
		}
		if pcln[s.Name] {
			continue
		}
		n := min(s.FileSize, s.VMSize)
		if n <= 0 || s.Addr == 0 {
			continue
		}
		data, err := readAtMost(f.r, f.Size, s.Offset, n)
		if err != nil {
			continue
		}
		im.segs = append(im.segs, imageSeg{name: s.Name, kind: s.Kind, addr: s.Addr, data: data})
	}
	if len(im.segs) == 0 {
		return nil
	}
	slices.SortFunc(im.segs, func(x, y imageSeg) int { return cmp.Compare(x.addr, y.addr) })
	if r, ok := f.reader().(relocator); ok {
		r.relocate(im)
	}
	return im
}

// relocator is implemented by the formats whose loader writes pointers
// into data that the file leaves out: a PIE's words in ELF, which the
// dynamic loader sets from its relocation records.
type relocator interface {
	relocate(im *Image)
}

// put writes the pointer-sized word v at addr, when the image holds it.
func (im *Image) put(addr, v uint64) {
	b, ok := im.Bytes(addr, im.ptr)
	if !ok {
		return
	}
	if im.ptr == 4 {
		im.f.byteOrder().PutUint32(b, uint32(v))
	} else {
		im.f.byteOrder().PutUint64(b, v)
	}
}

// PtrSize is the binary's pointer size in bytes.
func (im *Image) PtrSize() int { return im.ptr }

func (im *Image) seg(addr uint64) *imageSeg {
	if s := &im.segs[im.last]; addr >= s.addr && addr-s.addr < uint64(len(s.data)) {
		return s
	}
	i, found := slices.BinarySearchFunc(im.segs, addr, func(s imageSeg, a uint64) int { return cmp.Compare(s.addr, a) })
	if !found {
		i--
	}
	if i < 0 || i >= len(im.segs) {
		return nil
	}
	s := &im.segs[i]
	if addr-s.addr >= uint64(len(s.data)) {
		return nil
	}
	im.last = i
	return s
}

// Bytes returns the n bytes at addr, or false when they are not all in
// one section of the image.
func (im *Image) Bytes(addr uint64, n int) ([]byte, bool) {
	s := im.seg(addr)
	if s == nil || n < 0 {
		return nil, false
	}
	off := addr - s.addr
	if uint64(n) > uint64(len(s.data))-off {
		return nil, false
	}
	return s.data[off : off+uint64(n)], true
}

// Has reports whether addr is in the image.
func (im *Image) Has(addr uint64) bool { return im.seg(addr) != nil }

// Word reads the pointer-sized word at addr.
func (im *Image) Word(addr uint64) (uint64, bool) {
	b, ok := im.Bytes(addr, im.ptr)
	if !ok {
		return 0, false
	}
	if im.ptr == 4 {
		return uint64(im.f.byteOrder().Uint32(b)), true
	}
	return im.f.byteOrder().Uint64(b), true
}

// Uint32 reads the 4-byte word at addr.
func (im *Image) Uint32(addr uint64) (uint32, bool) {
	b, ok := im.Bytes(addr, 4)
	if !ok {
		return 0, false
	}
	return im.f.byteOrder().Uint32(b), true
}

// Uint16 reads the 2-byte word at addr.
func (im *Image) Uint16(addr uint64) (uint16, bool) {
	b, ok := im.Bytes(addr, 2)
	if !ok {
		return 0, false
	}
	return im.f.byteOrder().Uint16(b), true
}

// Words calls fn for each pointer-aligned word of [lo, hi) in the image.
func (im *Image) Words(lo, hi uint64, fn func(at, v uint64)) {
	p := uint64(im.ptr)
	lo = (lo + p - 1) &^ (p - 1)
	bo := im.f.byteOrder()
	for lo+p <= hi {
		s := im.seg(lo)
		if s == nil {
			// Skip to the next section.
			i, _ := slices.BinarySearchFunc(im.segs, lo, func(s imageSeg, a uint64) int { return cmp.Compare(s.addr, a) })
			if i >= len(im.segs) || im.segs[i].addr >= hi {
				return
			}
			lo = (im.segs[i].addr + p - 1) &^ (p - 1)
			continue
		}
		end := min(hi, s.addr+uint64(len(s.data)))
		for ; lo+p <= end; lo += p {
			b := s.data[lo-s.addr:]
			if p == 4 {
				fn(lo, uint64(bo.Uint32(b)))
			} else {
				fn(lo, bo.Uint64(b))
			}
		}
		if lo < end {
			lo = end
		}
		lo = (lo + p - 1) &^ (p - 1)
	}
}
