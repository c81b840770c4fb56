package elfinfo

import (
	"bytes"
	"errors"
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
)

// TestInferSizes checks sizes taken from the next symbol: symbols at one
// address all reach the next address, the last reaches its section's
// end. A file may put any number of symbols at one address; the work
// stays linear (100,000 here took the quadratic version seconds).
func TestInferSizes(t *testing.T) {
	sections := []Section{{Name: "__TEXT,__text", Addr: 0x1000, VMSize: 0x100}, {Name: "__DATA,__data", Addr: 0x2000, VMSize: 0x10}}
	syms := []Symbol{
		{Name: "b", Addr: 0x1040, Section: "__TEXT,__text", Code: 'T'},
		{Name: "d", Addr: 0x2008, Section: "__DATA,__data", Code: 'D'},
		{Name: "u", Code: 'U'},
	}
	const same = 100000
	for range same {
		syms = append(syms, Symbol{Name: "a", Addr: 0x1000, Section: "__TEXT,__text", Code: 'T'})
	}
	inferSizes(syms, sections)
	want := map[string]int64{"b": 0xc0, "d": 0x8, "u": 0, "a": 0x40}
	for _, s := range syms {
		if s.Size != want[s.Name] {
			t.Fatalf("%s at %#x: size %#x, want %#x", s.Name, s.Addr, s.Size, want[s.Name])
		}
		if s.SizeInferred != (s.Code != 'U') {
			t.Fatalf("%s: SizeInferred = %v", s.Name, s.SizeInferred)
		}
	}
}

// TestScanPclntabLookAlikes gives the pclntab scan (the way to the table
// in PE, and in any binary without a .gopclntab section) a megabyte of
// headers that each pass the first checks but do not parse. It must give
// up after a few rather than parse the rest of the section from each
// (which took the unbounded scan minutes).
func TestScanPclntabLookAlikes(t *testing.T) {
	fake := bytes.Repeat([]byte{0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8}, 1<<17)
	bin := testbuild.GoELF(fake, nil)
	i := bytes.Index(bin, []byte(".gopclntab\x00"))
	copy(bin[i:], ".rodata\x00\x00\x00") // the same length, so offsets hold
	f, err := Read(bytes.NewReader(bin), int64(len(bin)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Pclntab(); !errors.Is(err, ErrNoPclntab) {
		t.Errorf("Pclntab() error = %v, want ErrNoPclntab", err)
	}
}
