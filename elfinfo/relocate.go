package elfinfo

import "debug/elf"

// relativeReloc is each machine's relocation type that sets a word to the
// load address plus an addend (R_*_RELATIVE).
var relativeReloc = map[elf.Machine]uint32{
	elf.EM_X86_64:    uint32(elf.R_X86_64_RELATIVE),
	elf.EM_AARCH64:   uint32(elf.R_AARCH64_RELATIVE),
	elf.EM_RISCV:     uint32(elf.R_RISCV_RELATIVE),
	elf.EM_PPC64:     uint32(elf.R_PPC64_RELATIVE),
	elf.EM_S390:      uint32(elf.R_390_RELATIVE),
	elf.EM_LOONGARCH: uint32(elf.R_LARCH_RELATIVE),
}

// relocate applies a PIE's relative relocations to the image, as the
// dynamic loader would at load address 0, so that the image holds the
// addresses the binary's own sections give: a position-independent Go
// binary leaves the words of its pointers in data zero in the file (RELA
// keeps the value in the record, not in place). Other relocations, and
// REL and RELR records (whose values are in place), are left as they are.
func (b *elfBinary) relocate(im *Image) {
	rel, ok := relativeReloc[b.ef.Machine]
	if !ok {
		return
	}
	is64 := b.ef.Class == elf.ELFCLASS64
	entry := int64(12)
	if is64 {
		entry = 24
	}
	bo := b.f.byteOrder()
	for _, s := range b.ef.Sections {
		if s.Type != elf.SHT_RELA || s.Flags&elf.SHF_ALLOC == 0 || s.Size == 0 {
			continue
		}
		data, err := readAtMost(b.f.r, b.f.Size, int64(s.Offset), int64(s.Size))
		if err != nil {
			continue
		}
		for off := int64(0); off+entry <= int64(len(data)); off += entry {
			var at, info, addend uint64
			var typ uint32
			if is64 {
				at, info, addend = bo.Uint64(data[off:]), bo.Uint64(data[off+8:]), bo.Uint64(data[off+16:])
				typ = uint32(info)
			} else {
				at, info, addend = uint64(bo.Uint32(data[off:])), uint64(bo.Uint32(data[off+4:])), uint64(int64(int32(bo.Uint32(data[off+8:]))))
				typ = uint32(info & 0xff)
			}
			if typ == rel {
				im.put(at, addend)
			}
		}
	}
}
