// Package sizetest holds the fixtures and helpers that the size and diff
// tests share: variants of testdata/pomo, and a one-call size report.
package sizetest

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// Fixture variants of testdata/pomo; each is built once per test binary.
var (
	PomoStatic   = testbuild.Variant{Name: "pomo-c0", Env: []string{"CGO_ENABLED=0"}}
	PomoSW       = testbuild.Variant{Name: "pomo-c0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}}
	PomoStrip    = testbuild.Variant{Name: "pomo-c0-strip", Env: []string{"CGO_ENABLED=0"}, GNUStrip: true}
	PomoTag      = testbuild.Variant{Name: "pomo-c0-containers", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-tags=containers"}}
	PomoCgo      = testbuild.Variant{Name: "pomo-c1", Env: []string{"CGO_ENABLED=1"}}
	PomoExtStat  = testbuild.Variant{Name: "pomo-c1-static", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-ldflags=-linkmode=external -extldflags=-static"}}
	PomoWindows  = testbuild.Variant{Name: "pomo.exe", Env: []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64"}}
	PomoWindowsS = testbuild.Variant{Name: "pomo-sw.exe", Env: []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64"}, Flags: []string{"-ldflags=-s -w"}}
	PomoDarwin   = testbuild.Variant{Name: "pomo-darwin", Env: []string{"CGO_ENABLED=0", "GOOS=darwin", "GOARCH=arm64"}}
	PomoDarwinS  = testbuild.Variant{Name: "pomo-darwin-sw", Env: []string{"CGO_ENABLED=0", "GOOS=darwin", "GOARCH=arm64"}, Flags: []string{"-ldflags=-s -w"}}
)

// Build builds a variant of testdata/pomo once per test binary.
func Build(t *testing.T, v testbuild.Variant) string {
	t.Helper()
	return testbuild.Build(t, testbuild.Pomo(t), v)
}

// SizeOf opens path and attributes its bytes; the file closes with the test.
func SizeOf(t *testing.T, path string, opts analyze.SizeOptions) (*analyze.SizeReport, *elfinfo.File) {
	t.Helper()
	f, err := elfinfo.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := analyze.SizeOf(f, opts)
	if err != nil {
		t.Fatalf("Size(%s): %v", path, err)
	}
	return r, f
}

// Rows indexes the package view of r by name.
func Rows(r *analyze.SizeReport) map[string]analyze.PackageSize {
	m := map[string]analyze.PackageSize{}
	for _, p := range r.Packages {
		m[p.Name] = p
	}
	return m
}

// WithoutPclntab copies the Go binary at src as name with the magic of
// its function table zeroed: a Go binary whose table cannot be read.
func WithoutPclntab(t *testing.T, src, name string) string {
	t.Helper()
	f, err := elfinfo.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Pclntab()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	return testbuild.Patch(t, src, name, p.Offset, make([]byte, 4))
}
