package elfinfo

import (
	"bytes"
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
)

// FuzzFuncTable feeds the Go function table parser, and the symbol table
// and moduledata paths behind it, with synthetic ELF files whose
// .gopclntab holds fuzzed bytes. The invariant is that it never panics,
// never allocates from a length the input cannot back, and, when it
// succeeds, accounts for every byte exactly once.
func FuzzFuncTable(f *testing.F) {
	f.Add(testbuild.Pclntab(0, 0), []byte{})
	f.Add(testbuild.Pclntab(1, 0x40), []byte{})
	f.Add(testbuild.Pclntab(3, 0x100), bytes.Repeat([]byte{0xff}, 64))
	f.Add(testbuild.Pclntab(2, 0x7fffffff), []byte{})
	f.Fuzz(func(t *testing.T, pcln, data []byte) {
		if len(pcln) > 1<<16 || len(data) > 1<<16 {
			return
		}
		bin := testbuild.GoELF(pcln, data)
		file, err := Read(bytes.NewReader(bin), int64(len(bin)))
		if err != nil {
			return
		}
		file.Symbols()
		tab, err := file.FuncTable()
		if err != nil {
			return
		}
		var sum int64
		for _, fn := range tab.Funcs {
			if fn.Table < 0 || fn.Funcdata < 0 || fn.Shared < 0 {
				t.Fatalf("negative share: %+v", fn)
			}
			sum += fn.Table + fn.Funcdata
		}
		for _, p := range tab.Parts {
			if p.Bytes < 0 {
				t.Fatalf("negative part: %+v", p)
			}
			sum += p.Bytes
		}
		total := tab.Pclntab.Size
		if tab.FuncdataSize > 0 && !tab.FuncdataInPclntab {
			total += tab.FuncdataSize
		}
		if sum+tab.Overhead != total || tab.Overhead < 0 {
			t.Fatalf("accounted %d + overhead %d != %d", sum, tab.Overhead, total)
		}
		if tab.FuncdataSize > 0 && !tab.FuncdataInPclntab {
			var fd int64
			for _, fn := range tab.Funcs {
				fd += fn.Funcdata
			}
			if fd > tab.FuncdataSize || sum-fd > tab.Pclntab.Size {
				t.Fatalf("funcdata shares %d of %d, pclntab shares %d of %d", fd, tab.FuncdataSize, sum-fd, tab.Pclntab.Size)
			}
		}
	})
}
