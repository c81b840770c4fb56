package elfinfo

import (
	"encoding/binary"
	"testing"
)

// FuzzGoTypes decodes fuzzed bytes as a type descriptor area: every
// descriptor, itab and name the reader is asked for at any offset, for
// each release's rules, and the typelinks and itablinks tables over it.
// Nothing may panic, and what it returns must lie in the area.
func FuzzGoTypes(f *testing.F) {
	// A seed that decodes: a named struct type with a name record.
	seed := make([]byte, 256)
	binary.LittleEndian.PutUint64(seed[0:], 16) // size
	seed[20], seed[21], seed[22], seed[23] = 5, 8, 8, byte(KindStruct)
	binary.LittleEndian.PutUint32(seed[40:], 200) // str nameOff
	seed[200], seed[201] = 1, 6
	copy(seed[202:], "main.T")
	f.Add(seed, uint8(26), uint16(3))
	f.Add(make([]byte, 64), uint8(17), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, minor uint8, nlinks uint16) {
		if len(data) > 1<<16 {
			return
		}
		const base = 0x10000
		file := &File{ByteOrder: "LSB"}
		im := &Image{segs: []imageSeg{{name: ".rodata", kind: KindRodata, addr: base, data: data}}, ptr: 8, f: file}
		if len(data) == 0 {
			return
		}
		md := &Moduledata{Types: base, Etypes: base + uint64(len(data)), Typelinks: base, NTypelinks: uint64(nlinks),
			Itablinks: base, NItablinks: uint64(nlinks)}
		if minor%2 == 1 {
			md.ItabOffset, md.ItabSize = uint64(nlinks)%uint64(len(data)), uint64(len(data))
		}
		tr := &TypeReader{im: im, md: md, minor: int(minor % 30), ptr: 8, types: md.Types, etypes: md.Etypes}
		in := func(r Range) bool { return r.Lo >= md.Types && r.Hi <= md.Etypes && r.Lo <= r.Hi }
		for off := uint64(0); off < uint64(len(data)); off += 4 {
			if typ, ok := tr.Type(base + off); ok {
				for _, n := range typ.Names {
					if !in(n) {
						t.Fatalf("type at %#x: name %+v outside the area", off, n)
					}
				}
			}
			tr.Itab(base + off)
			if _, n, ok := tr.Name(base + off); ok && base+off+n > md.Etypes {
				t.Fatalf("name at %#x runs %d bytes past the area", off, n)
			}
		}
		tr.Typelinks()
		tr.Itablinks()
	})
}

// FuzzCodeRefs scans fuzzed bytes as amd64 and arm64 code: every
// reference it reports comes from inside the code.
func FuzzCodeRefs(f *testing.F) {
	f.Add([]byte{0x48, 0x8d, 0x05, 1, 2, 3, 4, 0x90, 0x90})
	f.Add([]byte{0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x91})
	f.Fuzz(func(t *testing.T, code []byte) {
		const base = 0x400000
		check := func(from, to uint64) {
			if from < base || from >= base+uint64(len(code)) {
				t.Fatalf("reference from %#x, outside the code", from)
			}
		}
		scanAMD64(code, base, check)
		scanARM64(code, base, binary.LittleEndian, check)
	})
}
