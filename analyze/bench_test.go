package analyze_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
)

// goCommand returns the running toolchain's go binary, the reference
// input of binscope's performance targets.
func goCommand(b *testing.B) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "bin", "go")
}

// BenchmarkSizeGo is binscope size on the go command: open, attribute
// every byte to sections, packages and modules.
func BenchmarkSizeGo(b *testing.B) {
	path := goCommand(b)
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
	path := goCommand(b)
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
