package elfinfo

import (
	"encoding/binary"
	"errors"
)

// Moduledata is what binscope reads of the runtime's moduledata record
// (runtime.firstmoduledata), which the linker fills with the bounds of
// every table the runtime uses. It survives -s -w and strip, since the
// runtime cannot start without it. Addresses are virtual addresses.
//
// The layout read is Go 1.26's (runtime/symtab.go); the record is found by
// its first word, the address of the pclntab header, and accepted only
// when the slices that follow agree with the offsets in that header.
type Moduledata struct {
	Addr        uint64 // where the record itself is
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
	Rodata      uint64
	Gofunc      uint64 // go:func.*, the funcdata the function table points into
	Epclntab    uint64 // end of the pclntab carrier (0 when the layout lacks it)
}

// errNoModuledata means the record could not be found.
var errNoModuledata = errors.New("no runtime moduledata found")

// moduledataWords is how many pointer-sized words of the record are read:
// up to and including epclntab.
const moduledataWords = 42

// findModuledata looks for the moduledata record in the data and Go
// metadata sections: a pointer-aligned word holding the address of the pclntab
// header, followed by the funcnametab, cutab, filetab, pctab and pclntable
// slices at the offsets the header gives.
func (f *File) findModuledata(p *Pclntab, hdr *pclnHeader) (*Moduledata, error) {
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
	for _, s := range f.Sections {
		// Go 1.26 gives the record a section of its own (.go.module).
		if s.Kind != KindData && s.Kind != KindGoMetadata || s.FileSize < moduledataWords*ptr {
			continue
		}
		data, err := readAtMost(f.r, f.Size, s.Offset, s.FileSize)
		if err != nil {
			continue
		}
		for off := int64(0); off+moduledataWords*ptr <= int64(len(data)); off += ptr {
			if string(data[off:off+ptr]) != string(pat[:ptr]) {
				continue
			}
			w := func(i int) uint64 { return word(data[off+int64(i)*ptr:]) }
			// Each slice is pointer, length, capacity.
			if w(1) != pcAddr+hdr.funcnameOffset || w(4) != pcAddr+hdr.cuOffset ||
				w(7) != pcAddr+hdr.filetabOffset || w(10) != pcAddr+hdr.pctabOffset ||
				w(13) != pcAddr+hdr.pclnOffset || w(14) != w(15) {
				continue
			}
			m := &Moduledata{
				Addr: s.Addr + uint64(off), Pclntab: pcAddr, Functab: w(13), FunctabSize: int64(w(14)),
				Findfunctab: w(19), MinPC: w(20), MaxPC: w(21), Text: w(22), Etext: w(23),
				Types: w(37), Etypes: w(38), Rodata: w(39), Gofunc: w(40), Epclntab: w(41),
			}
			if m.FunctabSize < 0 || m.FunctabSize > p.Size || m.MinPC > m.MaxPC || m.Text > m.Etext {
				continue
			}
			// Before the funcdata moved into the pclntab the record had no
			// epclntab word; what sits there then is not an end above both.
			if m.Epclntab <= m.Gofunc || m.Epclntab <= m.Findfunctab || m.Epclntab <= pcAddr ||
				m.Epclntab-pcAddr > uint64(f.Size) {
				m.Epclntab = 0
			}
			return m, nil
		}
	}
	return nil, errNoModuledata
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
