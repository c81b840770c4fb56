package testbuild

import (
	"encoding/binary"
	"fmt"
	"os"
	"testing"
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

// Fat joins thin Mach-O files into one universal binary, as lipo and
// GoReleaser's universal_binaries do: a big-endian fat header (magic,
// nfat_arch), one fat_arch per slice (cputype, cpusubtype, offset, size,
// align), then the slices in the order given, each at a multiple of its
// alignment: 2^14 for arm64 and 2^12 for the rest, as lipo aligns them.
// With magic FatMagic64 the offsets and sizes are 64-bit and each entry
// has a reserved word. The slices' CPU types are read from their own
// headers.
func Fat(magic uint32, slices ...[]byte) ([]byte, error) {
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
			return nil, fmt.Errorf("fat: slice %d is not a little-endian Mach-O file", i)
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

// Universal builds the program in dir for darwin/amd64 and darwin/arm64
// (CGO_ENABLED=0, with the flags given) and joins the two into a
// universal binary named name, amd64 first as lipo orders them. It
// returns the universal binary's path and the thin binaries' paths.
func Universal(t testing.TB, dir, name string, flags ...string) (universal string, thin []string) {
	t.Helper()
	var slices [][]byte
	for _, arch := range []string{"amd64", "arm64"} {
		p := Build(t, dir, Variant{Name: name + "-" + arch, Env: []string{"CGO_ENABLED=0", "GOOS=darwin", "GOARCH=" + arch}, Flags: flags})
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		slices = append(slices, data)
		thin = append(thin, p)
	}
	data, err := Fat(FatMagic, slices...)
	if err != nil {
		t.Fatal(err)
	}
	universal = thin[0][:len(thin[0])-len("-amd64")]
	if err := os.WriteFile(universal, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return universal, thin
}
