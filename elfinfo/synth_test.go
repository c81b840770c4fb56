package elfinfo_test

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
)

// synthELF builds a small, valid 64-bit little-endian ELF executable in
// memory: PT_INTERP, PT_LOAD and PT_DYNAMIC program headers, a dynamic
// segment needing libc.so.6, and section headers for .interp, .dynstr,
// .dynamic, .symtab, .strtab and .shstrtab. Tests mutate it to make every
// kind of broken input.
type synthELF struct {
	interp  string
	needed  []string
	flags1  uint64 // DT_FLAGS_1 value; 0 leaves the entry out
	dynamic bool   // emit PT_DYNAMIC
	symtab  bool
	etype   elf.Type
	machine elf.Machine // 0 means EM_X86_64
	eflags  uint32
	notes   []byte // the contents of a SHT_NOTE section .note, after the section headers
}

// layout offsets, fixed so that tests can poke at known places.
const (
	synthPhoff   = 64
	synthPhnum   = 3
	synthInterp  = 0x200
	synthDynstr  = 0x240
	synthDynamic = 0x300
	synthSymtab  = 0x400
	synthStrtab  = 0x460
	synthShstr   = 0x480
	synthShoff   = 0x500
	synthShnum   = 8
	synthSize    = synthShoff + synthShnum*64
	synthBase    = 0x400000
)

func defaultSynth() synthELF {
	return synthELF{interp: "/lib64/ld-linux-x86-64.so.2", needed: []string{"libc.so.6"}, dynamic: true, symtab: true, etype: elf.ET_EXEC}
}

func (s synthELF) bytes() []byte {
	buf := make([]byte, synthSize)
	le := binary.LittleEndian
	copy(buf, "\x7fELF")
	buf[4], buf[5], buf[6] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	le.PutUint16(buf[16:], uint16(s.etype))
	machine := s.machine
	if machine == 0 {
		machine = elf.EM_X86_64
	}
	le.PutUint16(buf[18:], uint16(machine))
	le.PutUint32(buf[48:], s.eflags)
	le.PutUint32(buf[20:], uint32(elf.EV_CURRENT))
	le.PutUint64(buf[24:], synthBase+0x1000)
	le.PutUint64(buf[32:], synthPhoff)
	le.PutUint64(buf[40:], synthShoff)
	le.PutUint16(buf[52:], 64)
	le.PutUint16(buf[54:], 56)
	le.PutUint16(buf[56:], synthPhnum)
	le.PutUint16(buf[58:], 64)
	le.PutUint16(buf[60:], synthShnum)
	le.PutUint16(buf[62:], synthShnum-1) // .shstrtab is last

	ph := func(i int, typ elf.ProgType, off, size uint64) {
		p := buf[synthPhoff+56*i:]
		le.PutUint32(p[0:], uint32(typ))
		le.PutUint32(p[4:], uint32(elf.PF_R))
		le.PutUint64(p[8:], off)
		le.PutUint64(p[16:], synthBase+off)
		le.PutUint64(p[24:], synthBase+off)
		le.PutUint64(p[32:], size)
		le.PutUint64(p[40:], size)
		le.PutUint64(p[48:], 8)
	}
	ph(0, elf.PT_LOAD, 0, synthSize)
	if s.interp != "" {
		copy(buf[synthInterp:], s.interp+"\x00")
		ph(1, elf.PT_INTERP, synthInterp, uint64(len(s.interp)+1))
	} else {
		ph(1, elf.PT_NOTE, synthInterp, 0)
	}
	// .dynstr: "\0" then the needed names.
	dynstr := []byte{0}
	var offs []uint64
	for _, n := range s.needed {
		offs = append(offs, uint64(len(dynstr)))
		dynstr = append(append(dynstr, n...), 0)
	}
	copy(buf[synthDynstr:], dynstr)
	var dyn []uint64
	for _, o := range offs {
		dyn = append(dyn, uint64(elf.DT_NEEDED), o)
	}
	dyn = append(dyn, uint64(elf.DT_STRTAB), synthBase+synthDynstr, uint64(elf.DT_STRSZ), uint64(len(dynstr)))
	if s.flags1 != 0 {
		dyn = append(dyn, uint64(elf.DT_FLAGS_1), s.flags1)
	}
	dyn = append(dyn, uint64(elf.DT_NULL), 0)
	for i, v := range dyn {
		le.PutUint64(buf[synthDynamic+8*i:], v)
	}
	if s.dynamic {
		ph(2, elf.PT_DYNAMIC, synthDynamic, uint64(8*len(dyn)))
	} else {
		ph(2, elf.PT_GNU_STACK, 0, 0)
	}

	// .symtab: a null symbol and one function; .strtab names it.
	copy(buf[synthStrtab:], "\x00main\x00")
	sym := buf[synthSymtab+24:]
	le.PutUint32(sym[0:], 1)
	sym[4] = byte(elf.ST_INFO(elf.STB_GLOBAL, elf.STT_FUNC))
	le.PutUint16(sym[6:], 1) // section 1, .interp; good enough for a name
	le.PutUint64(sym[8:], synthBase+synthInterp)
	le.PutUint64(sym[16:], 4)

	names := "\x00.interp\x00.dynstr\x00.dynamic\x00.symtab\x00.strtab\x00.shstrtab\x00.text\x00.note\x00"
	copy(buf[synthShstr:], names)
	nameOff := func(n string) uint32 { return uint32(bytes.Index([]byte(names), []byte("\x00"+n+"\x00")) + 1) }
	sh := func(i int, name string, typ elf.SectionType, flags elf.SectionFlag, off, size, link, entsize uint64) {
		p := buf[synthShoff+64*i:]
		le.PutUint32(p[0:], nameOff(name))
		le.PutUint32(p[4:], uint32(typ))
		le.PutUint64(p[8:], uint64(flags))
		if flags&elf.SHF_ALLOC != 0 {
			le.PutUint64(p[16:], synthBase+off)
		}
		le.PutUint64(p[24:], off)
		le.PutUint64(p[32:], size)
		le.PutUint32(p[40:], uint32(link))
		le.PutUint64(p[48:], 1)
		le.PutUint64(p[56:], entsize)
	}
	sh(1, ".interp", elf.SHT_PROGBITS, elf.SHF_ALLOC, synthInterp, uint64(len(s.interp)+1), 0, 0)
	sh(2, ".dynstr", elf.SHT_STRTAB, elf.SHF_ALLOC, synthDynstr, uint64(len(dynstr)), 0, 0)
	sh(3, ".dynamic", elf.SHT_DYNAMIC, elf.SHF_ALLOC|elf.SHF_WRITE, synthDynamic, uint64(8*len(dyn)), 2, 16)
	if s.symtab {
		sh(4, ".symtab", elf.SHT_SYMTAB, 0, synthSymtab, 48, 5, 24)
	} else {
		sh(4, ".text", elf.SHT_PROGBITS, elf.SHF_ALLOC|elf.SHF_EXECINSTR, synthSymtab, 48, 0, 0)
	}
	sh(5, ".strtab", elf.SHT_STRTAB, 0, synthStrtab, 6, 0, 0)
	if s.notes != nil {
		buf = append(buf, s.notes...)
		sh(6, ".note", elf.SHT_NOTE, 0, synthSize, uint64(len(s.notes)), 0, 0)
	} else {
		sh(6, ".text", elf.SHT_PROGBITS, elf.SHF_ALLOC|elf.SHF_EXECINSTR, 0x1000-0x800, 0, 0, 0)
	}
	sh(7, ".shstrtab", elf.SHT_STRTAB, 0, synthShstr, uint64(len(names)), 0, 0)
	return buf
}

// elfNote encodes one 4-byte aligned ELF note, as in a SHT_NOTE section.
func elfNote(name string, typ uint32, desc []byte) []byte {
	le := binary.LittleEndian
	pad := func(b []byte) []byte {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	n := le.AppendUint32(nil, uint32(len(name)+1))
	n = le.AppendUint32(n, uint32(len(desc)))
	n = le.AppendUint32(n, typ)
	n = pad(append(append(n, name...), 0))
	return pad(append(n, desc...))
}
