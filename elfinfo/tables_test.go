package elfinfo

import (
	"debug/elf"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLinkerTables: each format names its loader and unwinder tables in
// the one vocabulary of Table.
func TestLinkerTables(t *testing.T) {
	alloc := elf.SHF_ALLOC
	for _, tc := range []struct {
		format string
		name   string
		typ    elf.SectionType
		flags  elf.SectionFlag
		want   Table
	}{
		{"ELF", ".rela", elf.SHT_RELA, alloc, TableRelocations}, // Go's linker in a PIE
		{"ELF", ".rela.dyn", elf.SHT_RELA, alloc, TableRelocations},
		{"ELF", ".relr.dyn", shtRELR, alloc, TableRelocations},
		{"ELF", ".rela.text", elf.SHT_RELA, 0, ""}, // an object file's, not the loader's
		{"ELF", ".rela.plt", elf.SHT_RELA, alloc, TableDynamicLinking},
		{"ELF", ".dynsym", elf.SHT_DYNSYM, alloc, TableDynamicLinking},
		{"ELF", ".dynstr", elf.SHT_STRTAB, alloc, TableDynamicLinking},
		{"ELF", ".gnu.hash", elf.SHT_GNU_HASH, alloc, TableDynamicLinking},
		{"ELF", ".gnu.version_r", elf.SHT_GNU_VERNEED, alloc, TableDynamicLinking},
		{"ELF", ".plt.got", elf.SHT_PROGBITS, alloc | elf.SHF_EXECINSTR, TableDynamicLinking},
		{"ELF", ".eh_frame", elf.SHT_PROGBITS, alloc, TableUnwind},
		{"ELF", ".text", elf.SHT_PROGBITS, alloc | elf.SHF_EXECINSTR, ""},
		{"ELF", ".note.go.buildid", elf.SHT_NOTE, alloc, ""},
		{"Mach-O", "__stubs", 0, 0, TableDynamicLinking},
		{"Mach-O", "__unwind_info", 0, 0, TableUnwind},
		{"Mach-O", "__text", 0, 0, ""},
		{"PE", ".reloc", 0, 0, TableRelocations},
		{"PE", ".idata", 0, 0, TableDynamicLinking},
		{"PE", ".pdata", 0, 0, TableUnwind},
		{"PE", ".rsrc", 0, 0, ""},
	} {
		t.Run(tc.format+" "+tc.name, func(t *testing.T) {
			var got Table
			switch tc.format {
			case "ELF":
				got = elfTable(&elf.Section{SectionHeader: elf.SectionHeader{Name: tc.name, Type: tc.typ, Flags: tc.flags}})
			case "Mach-O":
				got = machoTable(tc.name)
			case "PE":
				got = peTable(tc.name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
		})
	}
}
