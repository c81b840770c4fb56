package analyze_test

import (
	"bytes"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// FuzzSizeOf attributes the bytes of small ELF files whose Go function
// table and data section hold fuzzed bytes, through every path of size
// attribution (function table, moduledata, symbols). Nothing may panic,
// and a report must keep its promise: every row non-negative, the rows of
// the package view and of the module view summing to the file size.
func FuzzSizeOf(f *testing.F) {
	f.Add(testbuild.Pclntab(0, 0), []byte{})
	f.Add(testbuild.Pclntab(1, 0x40), []byte{})
	f.Add(testbuild.Pclntab(3, 0x100), bytes.Repeat([]byte{0xff}, 64))
	f.Fuzz(func(t *testing.T, pcln, data []byte) {
		if len(pcln) > 1<<16 || len(data) > 1<<16 {
			return
		}
		bin := testbuild.GoELF(pcln, data)
		file, err := elfinfo.Read(bytes.NewReader(bin), int64(len(bin)))
		if err != nil {
			return
		}
		r, err := analyze.SizeOf(file, analyze.SizeOptions{Symbols: true})
		if err != nil {
			return
		}
		var pkgs, mods int64
		for _, p := range r.Packages {
			if p.Size < 0 || p.EstimatedBytes < 0 || p.Code < 0 || p.Functab < 0 || p.Data < 0 {
				t.Fatalf("negative row %+v", p)
			}
			pkgs += p.Size
		}
		for _, m := range r.Modules {
			mods += m.Size
		}
		if pkgs != r.Size || mods != r.Size {
			t.Fatalf("packages sum to %d, modules to %d, file is %d bytes", pkgs, mods, r.Size)
		}
		if r.Coverage < 0 || r.Coverage > 1 {
			t.Fatalf("coverage %v", r.Coverage)
		}
	})
}
