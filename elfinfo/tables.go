package elfinfo

import (
	"debug/elf"
	"strings"
)

// Table names the linker-made tables a section can hold, in the same words
// for every format: the loader's and the unwinder's tables, which belong
// to no package but are not unknown either. A section that is none of them
// has Table "".
type Table string

// The linker tables.
const (
	// TableDynamicLinking is what the dynamic loader reads to load
	// libraries and bind symbols: ELF's .interp, .dynamic, .dynsym,
	// .dynstr, .hash, .gnu.hash, .gnu.version*, .rela.plt, .got, .got.plt
	// and .plt*; Mach-O's stubs and symbol pointers; PE's import and
	// export tables (.idata, .edata).
	TableDynamicLinking Table = "dynamic linking"
	// TableRelocations is the base relocations a position-independent
	// binary carries for the loader to apply at its load address: ELF's
	// .rela.dyn (.rela in Go's own linker), .rel.dyn and .relr.dyn; PE's
	// .reloc.
	TableRelocations Table = "relocations"
	// TableUnwind is the tables debuggers, profilers and exception
	// handling walk stacks with: ELF's .eh_frame and .eh_frame_hdr (and
	// ARM's .ARM.exidx and .ARM.extab), Mach-O's __unwind_info and
	// __eh_frame, PE's .pdata and .xdata.
	TableUnwind Table = "unwind tables"
)

// Tables lists every linker table in display order.
var Tables = []Table{TableDynamicLinking, TableRelocations, TableUnwind}

// shtRELR is SHT_RELR, the compact relative relocations of newer GNU and
// LLVM linkers (.relr.dyn), which debug/elf does not name.
const shtRELR elf.SectionType = 19

// elfTable tells an ELF section's table by its type where the type says
// it, else by the names the GNU linkers and Go's linker give. The PLT's
// relocations (.rela.plt, .rel.plt) bind symbols at call time, so they
// are dynamic linking; every other relocation section is relocations.
func elfTable(s *elf.Section) Table {
	switch s.Name {
	case ".interp", ".dynstr", ".got", ".got.plt", ".rela.plt", ".rel.plt":
		return TableDynamicLinking
	case ".eh_frame", ".eh_frame_hdr", ".ARM.exidx", ".ARM.extab":
		return TableUnwind
	}
	if s.Name == ".plt" || strings.HasPrefix(s.Name, ".plt.") {
		return TableDynamicLinking
	}
	switch s.Type {
	case elf.SHT_DYNAMIC, elf.SHT_DYNSYM, elf.SHT_HASH, elf.SHT_GNU_HASH,
		elf.SHT_GNU_VERSYM, elf.SHT_GNU_VERDEF, elf.SHT_GNU_VERNEED:
		return TableDynamicLinking
	case elf.SHT_RELA, elf.SHT_REL, shtRELR:
		if s.Flags&elf.SHF_ALLOC == 0 {
			return "" // a relocatable object's relocations, not the loader's
		}
		return TableRelocations
	}
	return ""
}

// machoTable tells a Mach-O section's table by its name: the stubs and
// symbol pointers dyld binds, the unwind info. The binding opcodes and
// export trie in __LINKEDIT are in no section.
func machoTable(sect string) Table {
	switch sect {
	case "__stubs", "__stub_helper", "__symbol_stub1", "__got", "__nl_symbol_ptr", "__la_symbol_ptr", "__auth_got", "__auth_stubs":
		return TableDynamicLinking
	case "__unwind_info", "__eh_frame":
		return TableUnwind
	}
	return ""
}

// peTable tells a PE section's table by its name, as Go's linker and the
// GNU and LLVM linkers name them.
func peTable(name string) Table {
	switch name {
	case ".idata", ".edata":
		return TableDynamicLinking
	case ".reloc":
		return TableRelocations
	case ".pdata", ".xdata":
		return TableUnwind
	}
	return ""
}
