package elfinfo

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"fmt"
	"strings"
)

// Mach-O constants that debug/macho does not name.
const (
	machoLoadDylinker = 0xe
	machoBuildVersion = 0x32
	machoFlagPIE      = 0x200000
	machoFlagBindLoad = 0x8
	machoFlagStackX   = 0x20000
	machoSectZerofill = 0x1
	machoSectGBZero   = 0xc
	machoSectTLVZero  = 0x12
	machoNType        = 0x0e
	machoNStab        = 0xe0
	machoNUndf        = 0x0
)

// machoFlagNames are file(1)'s names for the header flags, bit by bit.
var machoFlagNames = []struct {
	bit  uint32
	name string
}{
	{0x1, "NOUNDEFS"}, {0x2, "INCRLINK"}, {0x4, "DYLDLINK"}, {0x8, "BINDATLOAD"}, {0x10, "PREBOUND"},
	{0x20, "SPLIT_SEGS"}, {0x40, "LAZY_INIT"}, {0x80, "TWOLEVEL"}, {0x100, "FORCE_FLAT"},
	{0x200, "NOMULTIDEFS"}, {0x400, "NOFIXPREBINDING"}, {0x800, "PREBINDABLE"}, {0x1000, "ALLMODSBOUND"},
	{0x2000, "SUBSECTIONS_VIA_SYMBOLS"}, {0x4000, "CANONICAL"}, {0x8000, "WEAK_DEFINES"},
	{0x10000, "BINDS_TO_WEAK"}, {0x20000, "ALLOW_STACK_EXECUTION"}, {0x40000, "ROOT_SAFE"},
	{0x80000, "SETUID_SAFE"}, {0x100000, "NO_REEXPORTED_DYLIBS"}, {0x200000, "PIE"},
	{0x400000, "DEAD_STRIPPABLE_DYLIB"}, {0x800000, "HAS_TLV_DESCRIPTORS"}, {0x1000000, "NO_HEAP_EXECUTION"},
	{0x2000000, "APP_EXTENSION_SAFE"}, {0x4000000, "NLIST_OUTOFSYNC_WITH_DYLDINFO"},
	{0x8000000, "SIM_SUPPORT"}, {0x80000000, "DYLIB_IN_CACHE"},
}

type machoBinary struct {
	mf *macho.File
	f  *File
}

// isMachO tells a thin Mach-O file or a universal binary (fat.go) by its
// magic.
func isMachO(m [4]byte) bool { return isThinMachO(m) || isFat(m) }

func isThinMachO(m [4]byte) bool {
	le := binary.LittleEndian.Uint32(m[:])
	be := binary.BigEndian.Uint32(m[:])
	return le&^1 == macho.Magic32 || be&^1 == macho.Magic32
}

// checkMachOHeader refuses load commands that claim more bytes than the
// file has, before debug/macho reads them in 10 MB chunks.
func checkMachOHeader(f *File) error {
	var h [32]byte
	if n, _ := f.r.ReadAt(h[:], 0); n < 28 {
		return fmt.Errorf("truncated Mach-O header (%d bytes)", n)
	}
	bo := binary.ByteOrder(binary.LittleEndian)
	if binary.BigEndian.Uint32(h[:])&^1 == macho.Magic32 {
		bo = binary.BigEndian
	}
	hdr := int64(28)
	if bo.Uint32(h[:]) == macho.Magic64 {
		hdr = 32
	}
	ncmds, cmdsz := int64(bo.Uint32(h[16:])), int64(bo.Uint32(h[20:]))
	if cmdsz > f.Size-hdr {
		return fmt.Errorf("load commands claim %d bytes, more than the %d-byte file holds", cmdsz, f.Size)
	}
	// debug/macho reads the symbol tables as it parses the commands and
	// says only "EOF" when a truncated file lost them: say which.
	cmds, err := readAtMost(f.r, f.Size, hdr, cmdsz)
	if err != nil {
		return err
	}
	past := func(what string, off, n int64) error {
		if n > 0 && (off > f.Size || n > f.Size-off) {
			return fmt.Errorf("%s (%d bytes at offset %d) extends past the end of the %d-byte file: truncated?", what, n, off, f.Size)
		}
		return nil
	}
	for i := int64(0); i < ncmds && len(cmds) >= 8; i++ {
		cmd, size := bo.Uint32(cmds), bo.Uint32(cmds[4:])
		if size < 8 || int64(size) > int64(len(cmds)) {
			break // debug/macho says what is wrong
		}
		c := cmds[:size]
		u32 := func(off int) int64 { return int64(bo.Uint32(c[off:])) }
		entSize := int64(12)
		if hdr == 32 {
			entSize = 16
		}
		switch {
		case cmd == uint32(macho.LoadCmdSymtab) && size >= 24:
			if err := past("symbol table", u32(8), u32(12)*entSize); err != nil {
				return err
			}
			if err := past("symbol string table", u32(16), u32(20)); err != nil {
				return err
			}
		case cmd == uint32(macho.LoadCmdDysymtab) && size >= 64:
			if err := past("indirect symbol table", u32(56), u32(60)*4); err != nil {
				return err
			}
		}
		cmds = cmds[size:]
	}
	return nil
}

func readMachO(f *File, executable bool) (reader, error) {
	var m [4]byte
	if _, err := f.r.ReadAt(m[:], 0); err == nil && isFat(m) {
		return readFat(f, executable)
	}
	if err := checkMachOHeader(f); err != nil {
		return nil, malformed("Mach-O", err)
	}
	mf, err := macho.NewFile(f.r)
	if err != nil {
		return nil, malformed("Mach-O", err)
	}
	b := &machoBinary{mf: mf, f: f}

	f.Class = "32-bit"
	if mf.Magic == macho.Magic64 {
		f.Class = "64-bit"
	}
	f.ByteOrder = "LSB"
	if mf.ByteOrder == binary.BigEndian {
		f.ByteOrder = "MSB"
	}
	f.Machine, f.Arch = machoCPU(mf)
	f.OS = "darwin"
	switch mf.Type {
	case macho.TypeExec:
		f.Type = "executable"
	case macho.TypeDylib, macho.TypeBundle:
		f.Type = "shared object"
	case macho.TypeObj:
		f.Type = "relocatable"
	default:
		f.Type = fmt.Sprintf("filetype=%d", mf.Type)
	}
	// Every Mach-O program is loaded by dyld and links libSystem; even a
	// CGO_ENABLED=0 Go build calls the kernel through it.
	f.Linkage = LinkageDynamic
	libs, err := mf.ImportedLibraries()
	if err != nil {
		return nil, malformed("Mach-O", err)
	}
	f.Needed = append(f.Needed, libs...)

	for _, l := range mf.Loads {
		raw := l.Raw()
		if len(raw) < 12 {
			continue
		}
		switch mf.ByteOrder.Uint32(raw) {
		case machoLoadDylinker:
			off := mf.ByteOrder.Uint32(raw[8:])
			if int(off) < len(raw) {
				name := raw[off:]
				if i := bytes.IndexByte(name, 0); i >= 0 {
					name = name[:i]
				}
				f.Interpreter = string(name)
			}
		case machoBuildVersion:
			if p := mf.ByteOrder.Uint32(raw[8:]); p == 2 || p == 7 {
				f.OS = "ios" // PLATFORM_IOS, PLATFORM_IOSSIMULATOR
			}
		}
		if seg, ok := l.(*macho.Segment); ok {
			if seg.Filesz > 0 && (seg.Offset > uint64(f.Size) || seg.Filesz > uint64(f.Size)-seg.Offset) {
				return nil, malformed("Mach-O", fmt.Errorf("segment %s (%d bytes at offset %d) extends past the end of the %d-byte file", seg.Name, seg.Filesz, seg.Offset, f.Size))
			}
		}
	}

	hasDWARFSeg := mf.Segment("__DWARF") != nil
	for _, s := range mf.Sections {
		zerofill := s.Flags&0xff == machoSectZerofill || s.Flags&0xff == machoSectGBZero || s.Flags&0xff == machoSectTLVZero
		sec := Section{Name: s.Seg + "," + s.Name, Kind: machoKind(s, zerofill), Offset: int64(s.Offset), Addr: s.Addr, Table: machoTable(s.Name)}
		if !zerofill {
			sec.FileSize = int64(s.Size)
			if uint64(s.Offset) > uint64(f.Size) || s.Size > uint64(f.Size)-uint64(s.Offset) {
				return nil, malformed("Mach-O", fmt.Errorf("section %s (%d bytes at offset %d) extends past the end of the %d-byte file", sec.Name, s.Size, s.Offset, f.Size))
			}
		}
		if sec.Kind != KindDebug {
			sec.VMSize = int64(s.Size)
		} else {
			f.DWARFBytes += sec.FileSize
			if strings.HasPrefix(s.Name, "__zdebug_") {
				f.DWARFCompressed = true
			}
			if s.Name == "__debug_info" || s.Name == "__zdebug_info" {
				f.DebugInfo = true
			}
		}
		f.Sections = append(f.Sections, sec)
	}

	definedSyms := false
	if st := mf.Symtab; st != nil {
		entSize := int64(12)
		if mf.Magic == macho.Magic64 {
			entSize = 16
		}
		// debug/macho leaves Symtab.SymtabCmd zero; the raw command has
		// the counts: cmd, cmdsize, symoff, nsyms, stroff, strsize.
		if raw := st.Raw(); len(raw) >= 24 {
			nsyms, strsize := mf.ByteOrder.Uint32(raw[12:]), mf.ByteOrder.Uint32(raw[20:])
			f.SymtabBytes = int64(nsyms)*entSize + int64(strsize)
		}
		for _, s := range st.Syms {
			if s.Type&machoNStab != 0 || s.Type&machoNType != machoNUndf {
				definedSyms = true
				break
			}
		}
	}
	// file(1) has no strip verdict for Mach-O; binscope calls a binary
	// stripped when its symbol table defines nothing (only imports remain)
	// and it has no DWARF segment, which is what -s -w and strip leave.
	f.Stripped = !definedSyms && !hasDWARFSeg

	f.Hardening = Hardening{
		PIE:     mf.Flags&machoFlagPIE != 0,
		RELRO:   "n/a",
		NXStack: mf.Flags&machoFlagStackX == 0,
		BindNow: mf.Flags&machoFlagBindLoad != 0,
	}
	f.GoBuildID = textBuildID(f, "__TEXT,__text")
	f.Summary = machoSummary(f, mf)
	return b, nil
}

func machoKind(s *macho.Section, zerofill bool) Kind {
	switch {
	case s.Seg == "__DWARF", strings.HasPrefix(s.Name, "__debug_"), strings.HasPrefix(s.Name, "__zdebug_"):
		return KindDebug
	case zerofill:
		return KindBSS
	}
	switch s.Name {
	case "__gopclntab", "__gosymtab", "__typelink", "__itablink", "__go_buildinfo", "__go_fipsinfo", "__go_module":
		return KindGoMetadata
	case "__text", "__symbol_stub1", "__stubs", "__stub_helper":
		return KindCode
	case "__got", "__nl_symbol_ptr", "__la_symbol_ptr":
		return KindData
	}
	switch s.Seg {
	case "__TEXT":
		if s.Flags&0x80000000 != 0 { // S_ATTR_PURE_INSTRUCTIONS
			return KindCode
		}
		return KindRodata
	case "__DATA_CONST":
		return KindRodata
	case "__DATA":
		return KindData
	}
	return KindOther
}

// machoCPU returns file(1)'s name for the CPU type and the GOARCH name.
func machoCPU(mf *macho.File) (machine, arch string) {
	return machoCPUName(uint32(mf.Cpu), mf.SubCpu)
}

// machoCPUName names a CPU type and subtype, of a Mach-O header or of a
// universal binary's fat header, as file(1) does, with its GOARCH name.
func machoCPUName(cpu, subCPU uint32) (machine, arch string) {
	sub := subCPU & 0x00ffffff
	switch macho.Cpu(cpu) {
	case macho.CpuAmd64:
		m := "x86_64"
		switch sub {
		case 3:
		case 4:
			m += "_arch1"
		case 8:
			m += "_haswell"
		default:
			m += fmt.Sprintf(" subarchitecture=%d", sub)
		}
		return m, "amd64"
	case macho.CpuArm64:
		m := "arm64"
		switch sub {
		case 0:
		case 1:
			m += "v8"
		case 2:
			m += "e"
		default:
			m += fmt.Sprintf(" subarchitecture=%d", sub)
		}
		return m, "arm64"
	case macho.Cpu386:
		return "i386", "386"
	case macho.CpuArm:
		return "arm", "arm"
	case macho.CpuPpc64:
		return "ppc64", "ppc64"
	case macho.CpuPpc:
		return "ppc", "ppc"
	}
	if cpu&0x01000000 != 0 {
		return fmt.Sprintf("64-bit architecture=%d", cpu&0x00ffffff), "unknown"
	}
	return fmt.Sprintf("architecture=%d", cpu), "unknown"
}

// machoSummary renders file(1)'s line: "Mach-O 64-bit arm64 executable,
// flags:<|DYLDLINK|PIE>". The bar before the first name other than
// NOUNDEFS is file's own.
func machoSummary(f *File, mf *macho.File) string {
	var s strings.Builder
	s.WriteString("Mach-O")
	if mf.Magic == macho.Magic64 {
		s.WriteString(" 64-bit")
	}
	fmt.Fprintf(&s, " %s", f.Machine)
	switch mf.Type {
	case macho.TypeObj:
		s.WriteString(" object")
	case macho.TypeExec:
		s.WriteString(" executable")
	case macho.TypeDylib:
		s.WriteString(" dynamically linked shared library")
	case macho.TypeBundle:
		s.WriteString(" bundle")
	default:
		fmt.Fprintf(&s, " filetype=%d", mf.Type)
	}
	if mf.Flags > 0 {
		s.WriteString(", flags:<")
		for _, fl := range machoFlagNames {
			if mf.Flags&fl.bit == 0 {
				continue
			}
			if fl.bit != 0x1 {
				s.WriteString("|")
			}
			s.WriteString(fl.name)
		}
		s.WriteString(">")
	}
	return s.String()
}

func (b *machoBinary) symbols() ([]Symbol, error) {
	st := b.mf.Symtab
	if st == nil {
		return nil, nil
	}
	out := make([]Symbol, 0, len(st.Syms))
	for _, s := range st.Syms {
		if s.Type&machoNStab != 0 {
			continue
		}
		sym := Symbol{Name: s.Name, Addr: s.Value, Code: 'U'}
		if s.Type&machoNType == 0x0e && s.Sect > 0 && int(s.Sect) <= len(b.mf.Sections) { // N_SECT
			sec := b.mf.Sections[s.Sect-1]
			sym.Section = sec.Seg + "," + sec.Name
			sym.Code = kindCode(b.f.Sections[s.Sect-1].Kind)
		} else if s.Type&machoNType == 0x2 { // N_ABS
			sym.Code = 'A'
		}
		out = append(out, sym)
	}
	inferSizes(out, b.f.Sections)
	return out, nil
}

// kindCode maps a section kind to nm's letter for symbols defined in it.
func kindCode(k Kind) byte {
	switch k {
	case KindCode:
		return 'T'
	case KindBSS:
		return 'B'
	case KindData:
		return 'D'
	case KindRodata, KindGoMetadata:
		return 'R'
	}
	return '?'
}

// textBuildID finds the Go build ID that cmd/link writes at the start of
// the text section of formats without ELF notes: `\xff Go build ID: "…"`.
func textBuildID(f *File, section string) string {
	for _, s := range f.Sections {
		if s.Name != section || s.FileSize == 0 {
			continue
		}
		buf := make([]byte, min(s.FileSize, 4096))
		n, _ := f.r.ReadAt(buf, s.Offset)
		buf = buf[:n]
		const prefix = "\xff Go build ID: \""
		i := bytes.Index(buf, []byte(prefix))
		if i < 0 {
			return ""
		}
		rest := buf[i+len(prefix):]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			return ""
		}
		return string(rest[:j])
	}
	return ""
}

// FormatMachO is the Mach object format of macOS and iOS.
const FormatMachO Format = "macho"

var _ reader = (*machoBinary)(nil)

var machoSpec = formatSpec{
	format:    FormatMachO,
	name:      "Mach-O",
	match:     isMachO,
	open:      readMachO,
	defaultOS: "darwin",
}

// The function table is __TEXT,__gopclntab or __DATA_CONST,__gopclntab,
// depending on the Go release and the link mode; runtime.text is the
// start of __TEXT,__text.
func (b *machoBinary) pclntabSections() []string {
	return []string{"__TEXT,__gopclntab", "__DATA_CONST,__gopclntab"}
}
func (b *machoBinary) textSection() string { return "__TEXT,__text" }

// symtabExtents returns LC_SYMTAB's symbol and string ranges, which lie in
// __LINKEDIT, a segment without sections.
func (b *machoBinary) symtabExtents() []Extent {
	// debug/macho leaves Symtab.SymtabCmd zero; read the command.
	st := b.mf.Symtab
	if st == nil || len(st.LoadBytes) < 24 {
		return nil
	}
	raw, bo := st.LoadBytes, b.mf.ByteOrder
	entSize := int64(12)
	if b.f.Class == "64-bit" {
		entSize = 16
	}
	return []Extent{
		{Offset: int64(bo.Uint32(raw[8:])), Size: int64(bo.Uint32(raw[12:])) * entSize},
		{Offset: int64(bo.Uint32(raw[16:])), Size: int64(bo.Uint32(raw[20:]))},
	}
}

// Mach-O's unwind info (__TEXT,__unwind_info) is not read.
func (b *machoBinary) unwindTable() (string, []uint64) { return "", nil }

// Mach-O section names live in the load commands, not in a section.
func (b *machoBinary) headerSections() []string { return nil }

// cSymbol: Mach-O puts "_" before every name; debug/macho takes it off
// Go's (those with a dot), so what keeps one is C's, or a Go name such as
// _cgo_init.
func (b *machoBinary) cSymbol(name string) (string, bool) {
	return strings.CutPrefix(name, "_")
}
