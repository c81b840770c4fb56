package buildmatrix

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree writes files (slash-separated names relative to dir).
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// testEnv is the environment for go commands in tests: the process's own,
// never downloading anything.
func testEnv(extra ...string) []string {
	env := append(os.Environ(), "GOTOOLCHAIN=local", "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod")
	return append(env, extra...)
}

func TestLoadTargetTags(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ./dep\n",
		"main.go": `package main

import (
	"example.com/app/internal/x"
	"example.com/dep"
)

func main() { x.F(); dep.F() }
`,
		// A custom tag next to toolchain tags, on a file the default
		// build includes.
		"a.go": "//go:build !containers && (linux || darwin) && cgo\n\npackage main\n",
		// Excluded by its constraint (IgnoredGoFiles), with only a
		// legacy plus-build line.
		"b.go": "// Copyright line.\n\n// +build legacy,!windows\n\npackage main\n",
		// The ignore convention, Go versions and architecture features
		// are the toolchain's.
		"c.go": "//go:build ignore\n\npackage main\n",
		"d.go": "//go:build go1.21 && (amd64.v2 || arm64.v8.1 || goexperiment.rangefunc) && !race\n\npackage main\n",
		// A constraint after code is not a constraint.
		"e.go":                   "/* A block\ncomment. */\n\npackage main\n\n//go:build notatag\n",
		"f_linux.go":             "//go:build featurex\n\npackage main\n",
		"main_test.go":           "//go:build testonly\n\npackage main\n",
		"internal/x/x.go":        "package x\n\nfunc F() {}\n",
		"internal/x/x_purego.go": "//go:build purego || netgo\n\npackage x\n",
		"internal/x/asm.s":       "//go:build asmtag\n",
		"unused/u.go":            "//go:build unusedtag\n\npackage unused\n",
		"dep/go.mod":             "module example.com/dep\n\ngo 1.22\n",
		"dep/dep.go":             "package dep\n\nfunc F() {}\n",
		"dep/dep_tag.go":         "//go:build deptag\n\npackage dep\n",
	})
	tgt, err := LoadTarget(context.Background(), "go", dir, testEnv("CGO_ENABLED=0"))
	if err != nil {
		t.Fatal(err)
	}
	want := []TagUse{
		{Tag: "asmtag", Files: []string{"internal/x/asm.s"}},
		{Tag: "containers", Files: []string{"a.go"}},
		{Tag: "featurex", Files: []string{"f_linux.go"}},
		{Tag: "legacy", Files: []string{"b.go"}},
		{Tag: "netgo", Files: []string{"internal/x/x_purego.go"}},
		{Tag: "purego", Files: []string{"internal/x/x_purego.go"}},
	}
	if diff := cmp.Diff(want, tgt.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if tgt.ImportPath != "example.com/app" || tgt.Module != "example.com/app" || tgt.BinaryName != "app" {
		t.Errorf("target = %+v", tgt)
	}
}

func TestLoadTargetPomo(t *testing.T) {
	dir := filepath.Join("..", "testdata", "pomo")
	tgt, err := LoadTarget(context.Background(), "go", dir, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	want := []TagUse{{Tag: "containers", Files: []string{"notify.go", "notify_containers.go"}}}
	if diff := cmp.Diff(want, tgt.Tags); diff != "" {
		t.Errorf("pomo's tags (-want +got):\n%s", diff)
	}
	if tgt.BinaryName != "pomo" {
		t.Errorf("binary name %q, want pomo", tgt.BinaryName)
	}
}

func TestLoadTargetErrors(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":     "module example.com/lib\n\ngo 1.22\n",
		"lib.go":     "package lib\n",
		"empty/x.md": "no Go here\n",
	})
	_, err := LoadTarget(context.Background(), "go", dir, testEnv())
	if !errors.Is(err, ErrNotMain) || !strings.Contains(err.Error(), "package lib is a library") {
		t.Errorf("library: err = %v, want ErrNotMain naming the package", err)
	}
	_, err = LoadTarget(context.Background(), "go", filepath.Join(dir, "empty"), testEnv())
	if err == nil || !strings.Contains(err.Error(), "no Go files") {
		t.Errorf("no Go files: err = %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "\n") {
		t.Errorf("error is more than one line: %q", err)
	}
}

func TestToolchainTag(t *testing.T) {
	for tag, want := range map[string]bool{
		"linux": true, "wasip1": true, "amd64": true, "loong64": true, "cgo": true, "gc": true, "unix": true,
		"ignore": true, "go1.22": true, "go1.9": true, "amd64.v3": true, "arm.7": true, "goexperiment.arenas": true,
		"containers": false, "netgo": false, "osusergo": false, "go2": false, "go1.x": false, "purego": false, "linuxish": false,
	} {
		if got := ToolchainTag(tag); got != want {
			t.Errorf("ToolchainTag(%q) = %v, want %v", tag, got, want)
		}
	}
}
