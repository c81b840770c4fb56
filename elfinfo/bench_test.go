package elfinfo_test

import (
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// BenchmarkOpenGo measures what inspect does per file: open, read every
// fact (sections, notes, dynamic segment, build info), close.
func BenchmarkOpenGo(b *testing.B) {
	path := testbuild.GoCommand(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := elfinfo.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkFuncsGo measures reading the Go function table of the go
// command, which size attribution and container checks build on.
func BenchmarkFuncsGo(b *testing.B) {
	path := testbuild.GoCommand(b)
	f, err := elfinfo.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Funcs(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCodeRefsGo is the scan of the go command's machine code for
// the data it names.
func BenchmarkCodeRefsGo(b *testing.B) {
	f, err := elfinfo.Open(testbuild.GoCommand(b))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		f.CodeRefs(func(from, to uint64) { n++ })
		if n == 0 {
			b.Fatal("no references")
		}
	}
}
