package elfinfo

import "slices"

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
	for _, e := range f.reader().symtabExtents() {
		if e.Size <= 0 || e.Offset < 0 || e.Offset >= f.Size {
			continue
		}
		out = append(out, Extent{Offset: e.Offset, Size: min(e.Size, f.Size-e.Offset)})
	}
	return out
}

// UnwindTable returns the entry addresses of the functions listed in the
// binary's table of unwind records, in the order of the records, and the
// name of the section holding it: a PE binary's exception table (.pdata).
// Formats whose unwind tables are not read return nothing.
func (f *File) UnwindTable() (section string, entries []uint64) {
	return f.reader().unwindTable()
}

// CSymbol reports whether name, as Symbols spells it, is a C-level symbol
// by the format's naming rule, and returns it without the decoration the
// rule adds: Mach-O puts "_" before every C name ("_malloc" → "malloc",
// true). Formats that spell C names plainly return name and false.
func (f *File) CSymbol(name string) (string, bool) {
	return f.reader().cSymbol(name)
}

// HeaderSection reports whether the named section is part of the file's
// headers in all but name, as ELF's section name table (.shstrtab) is.
func (f *File) HeaderSection(name string) bool {
	return slices.Contains(f.reader().headerSections(), name)
}
