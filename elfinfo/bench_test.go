package elfinfo_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/elfinfo"
)

// goBinary returns the running toolchain's go command: a large, real,
// unstripped Go binary that every machine running these tests has.
func goBinary(b *testing.B) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "bin", "go")
}

// BenchmarkOpenGo measures what inspect does per file: open, read every
// fact (sections, notes, dynamic segment, build info), close.
func BenchmarkOpenGo(b *testing.B) {
	path := goBinary(b)
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
	path := goBinary(b)
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
