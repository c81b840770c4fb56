package elfinfo

import "encoding/binary"

// Extent is a range of the file.
type Extent struct {
	Offset int64
	Size   int64
}

// SymbolTableExtents returns the parts of the file that hold the symbol
// table and its strings but lie in no section: Mach-O's LC_SYMTAB ranges
// in __LINKEDIT, and a PE COFF symbol table that no section covers. ELF
// symbol tables are sections and are not listed. Ranges are clipped to the
// file.
func (f *File) SymbolTableExtents() []Extent {
	var out []Extent
	add := func(off, n int64) {
		if n <= 0 || off < 0 || off >= f.Size {
			return
		}
		out = append(out, Extent{Offset: off, Size: min(n, f.Size-off)})
	}
	switch b := f.impl.(type) {
	case *machoBinary:
		// debug/macho leaves Symtab.SymtabCmd zero; read the command.
		if st := b.mf.Symtab; st != nil && len(st.LoadBytes) >= 24 {
			raw, bo := st.LoadBytes, b.mf.ByteOrder
			entSize := int64(12)
			if f.Class == "64-bit" {
				entSize = 16
			}
			add(int64(bo.Uint32(raw[8:])), int64(bo.Uint32(raw[12:]))*entSize)
			add(int64(bo.Uint32(raw[16:])), int64(bo.Uint32(raw[20:])))
		}
	case *peBinary:
		if b.pf.NumberOfSymbols == 0 {
			return nil
		}
		off := int64(b.pf.PointerToSymbolTable)
		for _, s := range f.Sections {
			if off >= s.Offset && off < s.Offset+s.FileSize {
				return nil // the symbol table section holds it
			}
		}
		add(off, f.SymtabBytes)
	}
	return out
}

// UnwindTable returns the entry addresses of the functions listed in a PE
// binary's exception table (.pdata, one 12-byte RUNTIME_FUNCTION record
// per function, which Go writes for every function on amd64 and arm64),
// in the order of the records, and the name of the section. Other formats
// return nothing.
func (f *File) UnwindTable() (section string, entries []uint64) {
	b, ok := f.impl.(*peBinary)
	if !ok {
		return "", nil
	}
	base := peImageBase(b.pf)
	for i, s := range b.pf.Sections {
		if s.Name != ".pdata" || i >= len(f.Sections) {
			continue
		}
		sec := f.Sections[i]
		data, err := readAtMost(f.r, f.Size, sec.Offset, min(sec.FileSize, sec.VMSize))
		if err != nil {
			return "", nil
		}
		entries = make([]uint64, 0, len(data)/12)
		for off := 0; off+12 <= len(data); off += 12 {
			begin := binary.LittleEndian.Uint32(data[off:])
			if begin == 0 {
				break // zero padding after the last record
			}
			entries = append(entries, base+uint64(begin))
		}
		return s.Name, entries
	}
	return "", nil
}
