package main

import (
	"regexp"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// TestInspectNoBuildInfo: a Go binary whose build info was removed is
// "Go, no build info" with the version runtime.buildVersion gives, in
// text, and build_info false in JSON that the schema accepts.
func TestInspectNoBuildInfo(t *testing.T) {
	src := testbuild.Build(t, testbuild.Pomo(t), testbuild.Variant{Name: "static", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w", "-tags=containers"}})
	path := testbuild.WithoutBuildInfo(t, src, "static-nobi")
	text := mustRun(t, "inspect", path)
	if re := regexp.MustCompile(`(?m)^  go +Go, no build info \(go1\.\d+\S* from runtime\.buildVersion\)$`); !re.Match(text) {
		t.Errorf("inspect text has no line matching %s:\n%s", re, text)
	}
	checkSchema(t, "inspect.schema.json", mustRun(t, "inspect", "--format", "json", path))
}

// TestDescribeBinary: size's header names the target as GOOS/GOARCH, and
// only the architecture when the OS cannot be told (no build info, an ELF
// file with OSABI SYSV and no OS note).
func TestDescribeBinary(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    analyze.SizeReport
		want string
	}{
		{"build info", analyze.SizeReport{Format: "elf", GOOS: "linux", GOARCH: "amd64", GoVersion: "go1.26.8", Method: "pclntab"},
			"ELF linux/amd64 go1.26.8, from pclntab"},
		{"no OS", analyze.SizeReport{Format: "elf", GOARCH: "amd64", GoVersion: "go1.26.8", Stripped: true, Method: "pclntab"},
			"ELF amd64 go1.26.8, stripped, from pclntab"},
		{"no OS, no version", analyze.SizeReport{Format: "elf", GOARCH: "arm64", Method: "symtab"},
			"ELF arm64, from symtab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, describeBinary(&tc.r)); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
		})
	}
}
