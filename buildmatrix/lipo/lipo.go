// Package lipo joins thin Mach-O files into a macOS universal binary, as
// lipo -create and GoReleaser's universal_binaries do. compare builds
// GoReleaser's universal cells with it; the tests make fixtures with it.
package lipo

import (
	"encoding/binary"
	"fmt"
)

// Mach-O CPU types of the fat header, as <mach/machine.h> numbers them.
const (
	cpuAMD64 = 0x01000007
	cpuARM64 = 0x0100000c
)

// FatMagic and FatMagic64 are the first four bytes, big-endian, of a
// universal binary with 32-bit and with 64-bit offsets.
const (
	FatMagic   = 0xcafebabe
	FatMagic64 = 0xcafebabf
)

// Create joins thin Mach-O files into one universal binary, as lipo and
// GoReleaser's universal_binaries do: a big-endian fat header (magic,
// nfat_arch), one fat_arch per slice (cputype, cpusubtype, offset, size,
// align), then the slices in the order given, each at a multiple of its
// alignment: 2^14 for arm64 and 2^12 for the rest, as lipo aligns them.
// With magic FatMagic64 the offsets and sizes are 64-bit and each entry
// has a reserved word. The slices' CPU types are read from their own
// headers.
func Create(magic uint32, slices ...[]byte) ([]byte, error) {
	type entry struct {
		cpu, sub uint32
		off      uint64
		align    uint32
	}
	entSize := 20
	if magic == FatMagic64 {
		entSize = 32
	}
	out := make([]byte, 8+entSize*len(slices))
	be := binary.BigEndian
	be.PutUint32(out, magic)
	be.PutUint32(out[4:], uint32(len(slices)))
	var ents []entry
	for i, s := range slices {
		if len(s) < 28 || binary.LittleEndian.Uint32(s)&^1 != 0xfeedface {
			return nil, fmt.Errorf("lipo: slice %d is not a little-endian Mach-O file", i)
		}
		e := entry{cpu: binary.LittleEndian.Uint32(s[4:]), sub: binary.LittleEndian.Uint32(s[8:]), align: 12}
		if e.cpu == cpuARM64 {
			e.align = 14
		}
		for len(out)%(1<<e.align) != 0 {
			out = append(out, 0)
		}
		e.off = uint64(len(out))
		out = append(out, s...)
		ents = append(ents, e)
	}
	for i, e := range ents {
		h := out[8+entSize*i:]
		be.PutUint32(h[0:], e.cpu)
		be.PutUint32(h[4:], e.sub)
		if magic == FatMagic64 {
			be.PutUint64(h[8:], e.off)
			be.PutUint64(h[16:], uint64(len(slices[i])))
			be.PutUint32(h[24:], e.align)
		} else {
			be.PutUint32(h[8:], uint32(e.off))
			be.PutUint32(h[12:], uint32(len(slices[i])))
			be.PutUint32(h[16:], e.align)
		}
	}
	return out, nil
}
