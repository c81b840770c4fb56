package elfinfo

import (
	"debug/pe"
	"encoding/binary"
	"fmt"
	"strings"
)

// PE header bits that debug/pe names only in part.
const (
	peFileDLL           = 0x2000
	peFileDebugStripped = 0x0200
	peFileSystem        = 0x1000
	peDLLDynamicBase    = 0x0040
	peDLLNXCompat       = 0x0100
	peScnCode           = 0x00000020
	peScnUninitialized  = 0x00000080
	peScnExecute        = 0x20000000
	peScnWrite          = 0x80000000
	peSymbolSize        = 18 // bytes per COFF symbol record
)

type peBinary struct {
	pf *pe.File
	f  *File
}

// checkPEHeader refuses section and symbol tables that claim more bytes
// than the file has, before debug/pe reads them in 10 MB chunks.
func checkPEHeader(f *File) error {
	var buf [4]byte
	if _, err := f.r.ReadAt(buf[:], 0x3c); err != nil {
		return fmt.Errorf("truncated MS-DOS header")
	}
	off := int64(binary.LittleEndian.Uint32(buf[:]))
	var fh [24]byte
	if off > f.Size-int64(len(fh)) {
		return fmt.Errorf("PE header offset %d is past the end of the %d-byte file", off, f.Size)
	}
	if _, err := f.r.ReadAt(fh[:], off); err != nil {
		return fmt.Errorf("truncated PE header")
	}
	if string(fh[:4]) != "PE\x00\x00" {
		return fmt.Errorf("no PE signature at offset %d (an MS-DOS program?)", off)
	}
	nsect := int64(binary.LittleEndian.Uint16(fh[6:]))
	symoff := int64(binary.LittleEndian.Uint32(fh[12:]))
	nsyms := int64(binary.LittleEndian.Uint32(fh[16:]))
	optsz := int64(binary.LittleEndian.Uint16(fh[20:]))
	if optsz == 0 {
		// An object file, or a header whose size field was zeroed: either
		// way the section table would be read from the wrong place.
		return fmt.Errorf("no optional header (SizeOfOptionalHeader is 0): not an executable image")
	}
	if end := off + 24 + optsz + nsect*40; end > f.Size {
		return fmt.Errorf("%d section headers end at %d, past the end of the %d-byte file", nsect, end, f.Size)
	}
	if nsyms > 0 && (symoff > f.Size || nsyms*peSymbolSize > f.Size-symoff) {
		return fmt.Errorf("COFF symbol table (%d symbols at offset %d) extends past the end of the %d-byte file: truncated?", nsyms, symoff, f.Size)
	}
	return nil
}

func readPE(f *File, _ bool) (reader, error) {
	if err := checkPEHeader(f); err != nil {
		return nil, malformed("PE", err)
	}
	pf, err := pe.NewFile(f.r)
	if err != nil {
		return nil, malformed("PE", err)
	}
	b := &peBinary{pf: pf, f: f}
	f.ByteOrder = "LSB"
	f.OS = "windows"

	var dllChars, subsystem uint16
	switch oh := pf.OptionalHeader.(type) {
	case *pe.OptionalHeader32:
		f.Class = "32-bit"
		dllChars, subsystem = oh.DllCharacteristics, oh.Subsystem
	case *pe.OptionalHeader64:
		f.Class = "64-bit"
		dllChars, subsystem = oh.DllCharacteristics, oh.Subsystem
	default:
		return nil, malformed("PE", fmt.Errorf("no optional header"))
	}
	f.Machine, f.Arch = peMachine(pf.Machine)
	f.Type = "executable"
	if pf.Characteristics&peFileDLL != 0 {
		f.Type = "shared object"
	}
	// Windows programs always load system DLLs (a Go program imports
	// kernel32.dll and finds the rest at run time), so they are dynamic.
	f.Linkage = LinkageDynamic
	// debug/pe's ImportedLibraries returns nil: the DLLs are named in the
	// import table, which ImportedSymbols reads as "symbol:dll".
	syms, err := pf.ImportedSymbols()
	if err != nil {
		return nil, malformed("PE", fmt.Errorf("import table: %v", err))
	}
	seen := map[string]bool{}
	for _, s := range syms {
		_, dll, ok := strings.Cut(s, ":")
		if ok && !seen[strings.ToLower(dll)] {
			seen[strings.ToLower(dll)] = true
			f.Needed = append(f.Needed, dll)
		}
	}

	for _, s := range pf.Sections {
		if uint64(s.Offset) > uint64(f.Size) || uint64(s.Size) > uint64(f.Size)-uint64(s.Offset) {
			return nil, malformed("PE", fmt.Errorf("section %s (%d bytes at offset %d) extends past the end of the %d-byte file: truncated?", s.Name, s.Size, s.Offset, f.Size))
		}
		sec := Section{
			Name: s.Name, Kind: peKind(s), FileSize: int64(s.Size), VMSize: int64(s.VirtualSize),
			Offset: int64(s.Offset), Addr: peImageBase(pf) + uint64(s.VirtualAddress), Table: peTable(s.Name),
		}
		switch sec.Kind {
		case KindDebug:
			f.DWARFBytes += sec.FileSize
			if strings.HasPrefix(s.Name, ".zdebug_") {
				f.DWARFCompressed = true
			}
			if s.Name == ".debug_info" || s.Name == ".zdebug_info" {
				f.DebugInfo = true
			}
		case KindSymtab:
			f.SymtabBytes += sec.FileSize
		}
		f.Sections = append(f.Sections, sec)
	}
	if f.SymtabBytes == 0 && pf.NumberOfSymbols > 0 {
		// The COFF symbol table lies outside any section: its records, then
		// a string table that starts with its own 4-byte length.
		off, n := int64(pf.PointerToSymbolTable), int64(pf.NumberOfSymbols)*peSymbolSize
		f.SymtabBytes = n
		var l [4]byte
		if _, err := f.r.ReadAt(l[:], off+n); err == nil {
			// A corrupt length reaches no further than the file.
			f.SymtabBytes += min(int64(binary.LittleEndian.Uint32(l[:])), f.Size-off-n)
		}
	}
	f.Stripped = pf.NumberOfSymbols == 0 && f.DWARFBytes == 0
	f.Hardening = Hardening{
		PIE:     dllChars&peDLLDynamicBase != 0,
		RELRO:   "n/a",
		NXStack: dllChars&peDLLNXCompat != 0,
	}
	f.GoBuildID = textBuildID(f, ".text")
	f.Summary = peSummary(f, pf, subsystem)
	return b, nil
}

func peImageBase(pf *pe.File) uint64 {
	switch oh := pf.OptionalHeader.(type) {
	case *pe.OptionalHeader32:
		return uint64(oh.ImageBase)
	case *pe.OptionalHeader64:
		return oh.ImageBase
	}
	return 0
}

func peKind(s *pe.Section) Kind {
	switch {
	case strings.HasPrefix(s.Name, ".debug_"), strings.HasPrefix(s.Name, ".zdebug_"):
		return KindDebug
	case s.Name == ".symtab":
		return KindSymtab
	case s.Name == ".idata", s.Name == ".reloc", s.Name == ".pdata", s.Name == ".xdata", s.Name == ".rsrc", s.Name == ".edata", s.Name == ".tls":
		return KindOther
	case s.Characteristics&(peScnCode|peScnExecute) != 0:
		return KindCode
	case s.Characteristics&peScnUninitialized != 0 && s.Size == 0:
		return KindBSS
	case s.Characteristics&peScnWrite != 0:
		return KindData
	}
	return KindRodata
}

func peMachine(m uint16) (machine, arch string) {
	switch m {
	case pe.IMAGE_FILE_MACHINE_I386:
		return "Intel 80386", "386"
	case pe.IMAGE_FILE_MACHINE_AMD64:
		return "x86-64", "amd64"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		return "Aarch64", "arm64"
	case pe.IMAGE_FILE_MACHINE_ARMNT:
		return "ARMv7 Thumb", "arm"
	case pe.IMAGE_FILE_MACHINE_ARM:
		return "ARM", "arm"
	case pe.IMAGE_FILE_MACHINE_RISCV64:
		return "RISC-V 64-bit", "riscv64"
	}
	return fmt.Sprintf("Unknown processor type %#x", m), "unknown"
}

// peSummary renders file(1)'s line: "PE32+ executable (console) x86-64,
// for MS Windows, 16 sections".
func peSummary(f *File, pf *pe.File, subsystem uint16) string {
	var s strings.Builder
	if f.Class == "64-bit" {
		s.WriteString("PE32+ executable")
	} else {
		s.WriteString("PE32 executable")
	}
	if pf.Characteristics&peFileDLL != 0 {
		s.WriteString(" (DLL)")
	}
	switch subsystem {
	case 1:
		s.WriteString(" (native)")
	case 2:
		s.WriteString(" (GUI)")
	case 3:
		s.WriteString(" (console)")
	case 5:
		s.WriteString(" (OS/2)")
	case 7:
		s.WriteString(" (POSIX)")
	case 8:
		s.WriteString(" (Win9x)")
	case 9:
		s.WriteString(" (Windows CE)")
	case 10:
		s.WriteString(" (EFI application)")
	case 11:
		s.WriteString(" (EFI boot service driver)")
	case 12:
		s.WriteString(" (EFI runtime driver)")
	case 13:
		s.WriteString(" (EFI ROM)")
	case 14:
		s.WriteString(" (XBOX)")
	case 16:
		s.WriteString(" (Windows boot application)")
	default:
		fmt.Fprintf(&s, " (Unknown subsystem %#x)", subsystem)
	}
	fmt.Fprintf(&s, " %s", f.Machine)
	if pf.Characteristics&peFileDebugStripped != 0 {
		s.WriteString(" (stripped to external PDB)")
	}
	if pf.Characteristics&peFileSystem != 0 {
		s.WriteString(" system file")
	}
	s.WriteString(", for MS Windows")
	if pf.NumberOfSections > 1 {
		fmt.Fprintf(&s, ", %d sections", pf.NumberOfSections)
	}
	return s.String()
}

func (b *peBinary) symbols() ([]Symbol, error) {
	if len(b.pf.Symbols) == 0 {
		return nil, nil
	}
	base := peImageBase(b.pf)
	out := make([]Symbol, 0, len(b.pf.Symbols))
	for _, s := range b.pf.Symbols {
		sym := Symbol{Name: s.Name, Code: 'U'}
		switch {
		case s.SectionNumber > 0 && int(s.SectionNumber) <= len(b.pf.Sections):
			sec := b.pf.Sections[s.SectionNumber-1]
			sym.Section = sec.Name
			sym.Addr = base + uint64(sec.VirtualAddress) + uint64(s.Value)
			sym.Code = kindCode(b.f.Sections[s.SectionNumber-1].Kind)
		case s.SectionNumber == -1: // IMAGE_SYM_ABSOLUTE
			sym.Code = 'A'
			sym.Addr = uint64(s.Value)
		case s.SectionNumber == -2: // IMAGE_SYM_DEBUG
			continue
		}
		out = append(out, sym)
	}
	inferSizes(out, b.f.Sections)
	return out, nil
}

// FormatPE is the Portable Executable format of Windows.
const FormatPE Format = "pe"

var _ reader = (*peBinary)(nil)

var peSpec = formatSpec{
	format:    FormatPE,
	name:      "PE",
	match:     func(m [4]byte) bool { return m[0] == 'M' && m[1] == 'Z' },
	open:      readPE,
	defaultOS: "windows",
}

// PE has no section for the function table: Pclntab finds its header in
// .rdata. runtime.text is the start of .text.
func (b *peBinary) pclntabSections() []string { return nil }
func (b *peBinary) textSection() string       { return ".text" }

// symtabExtents returns the COFF symbol table and its string table when
// no section covers them (Go's linker writes them after the last
// section; SymtabBytes counts both).
func (b *peBinary) symtabExtents() []Extent {
	if b.pf.NumberOfSymbols == 0 {
		return nil
	}
	off := int64(b.pf.PointerToSymbolTable)
	for _, s := range b.f.Sections {
		if off >= s.Offset && off < s.Offset+s.FileSize {
			return nil // the symbol table section holds it
		}
	}
	return []Extent{{Offset: off, Size: b.f.SymtabBytes}}
}

// unwindTable reads the exception table (.pdata, one 12-byte
// RUNTIME_FUNCTION record per function, which Go writes for every
// function on amd64 and arm64): the entry addresses, in record order.
func (b *peBinary) unwindTable() (string, []uint64) {
	f := b.f
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
		entries := make([]uint64, 0, len(data)/12)
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

// PE section names live in the section headers (long ones in the COFF
// string table, which the symbol table's extent counts).
func (b *peBinary) headerSections() []string { return nil }

// PE symbol tables spell C symbols as the C compiler did; binscope does
// not tell them apart by name.
func (b *peBinary) cSymbol(name string) (string, bool) { return name, false }
