package analyze_test

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// BenchmarkSizeGo is binscope size on the go command: open, attribute
// every byte to sections, packages and modules.
func BenchmarkSizeGo(b *testing.B) {
	path := testbuild.GoCommand(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := elfinfo.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := analyze.Size(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkInspectGo is binscope inspect on the go command: its facts and
// its container verdicts, which read the function table.
func BenchmarkInspectGo(b *testing.B) {
	path := testbuild.GoCommand(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := elfinfo.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		analyze.NewBinary(f)
		f.Close()
	}
}

// BenchmarkSizeGoNoDisasm is BenchmarkSizeGo without reading the machine
// code for the data it names (size --no-disasm).
func BenchmarkSizeGoNoDisasm(b *testing.B) {
	path := testbuild.GoCommand(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := elfinfo.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := analyze.SizeOf(f, analyze.SizeOptions{NoCodeRefs: true}); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
