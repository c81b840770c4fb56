package buildmatrix

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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
	tgt, err := LoadTarget(context.Background(), "go", dir, ".", testEnv("CGO_ENABLED=0"))
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
	tgt, err := LoadTarget(context.Background(), "go", dir, ".", testEnv())
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
	_, err := LoadTarget(context.Background(), "go", dir, ".", testEnv())
	if !errors.Is(err, ErrNotMain) || !strings.Contains(err.Error(), "package lib is a library") {
		t.Errorf("library: err = %v, want ErrNotMain naming the package", err)
	}
	_, err = LoadTarget(context.Background(), "go", filepath.Join(dir, "empty"), "", testEnv())
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

// A tag is unknown when nothing in the build names it: not the module's
// own files, not a dependency's, not the standard library's, and not the
// toolchain. Dependencies that only the tags or another platform bring
// into the build count too.
func TestUnknownTags(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/dep v0.0.0\n\texample.com/extra v0.0.0\n\texample.com/win v0.0.0\n)\n\n" +
			"replace example.com/dep => ./dep\n\nreplace example.com/extra => ./extra\n\nreplace example.com/win => ./win\n",
		"main.go":        "package main\n\nimport (\n\t\"crypto/sha256\"\n\n\t\"example.com/dep\"\n)\n\nfunc main() { dep.F(); sha256.Sum256(nil) }\n",
		"own.go":         "//go:build owntag\n\npackage main\n",
		"extra.go":       "//go:build withextra\n\npackage main\n\nimport _ \"example.com/extra\"\n",
		"win_windows.go": "package main\n\nimport _ \"example.com/win\"\n",
		"dep/go.mod":     "module example.com/dep\n\ngo 1.22\n",
		"dep/dep.go":     "package dep\n\nfunc F() {}\n",
		"dep/tag.go":     "//go:build deptag\n\npackage dep\n",
		"extra/go.mod":   "module example.com/extra\n\ngo 1.22\n",
		"extra/x.go":     "//go:build extratag\n\npackage extra\n",
		"extra/y.go":     "package extra\n",
		"win/go.mod":     "module example.com/win\n\ngo 1.22\n",
		"win/w.go":       "//go:build wintag\n\npackage win\n",
		"win/v.go":       "package win\n",
	})
	env := testEnv("CGO_ENABLED=0")
	tgt, err := LoadTarget(context.Background(), "go", dir, ".", env)
	if err != nil {
		t.Fatal(err)
	}
	linux := Platform{GOOS: "linux", GOARCH: "amd64"}
	windows := Platform{GOOS: "windows", GOARCH: "amd64"}
	tests := []struct {
		name      string
		tags      []string
		platforms []Platform
		want      []string
	}{
		{"own, dependency's, std's, std switches, toolchain's", []string{"owntag", "deptag", "purego", "netgo", "osusergo", "timetzdata", "race", "goexperiment.foo"}, []Platform{linux}, nil},
		{"misspelt", []string{"owntga", "deptag", "nosuch"}, []Platform{linux}, []string{"owntga", "nosuch"}},
		{"a dependency the tags bring in", []string{"withextra", "extratag"}, []Platform{linux}, nil},
		{"a tag of a dependency not in the build", []string{"extratag"}, []Platform{linux}, []string{"extratag"}},
		{"a dependency of another platform", []string{"wintag"}, []Platform{linux, windows}, nil},
		{"another platform not in the matrix", []string{"wintag"}, []Platform{linux}, []string{"wintag"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tgt.UnknownTags(context.Background(), "go", env, tc.tags, tc.platforms)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("UnknownTags(%q) (-want +got):\n%s", tc.tags, diff)
			}
		})
	}
}

// An import path builds in the folder it was resolved in, with the
// import path as the package; a dependency's package has its module's
// version.
func TestLoadTargetImportPath(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":                "module example.com/app\n\ngo 1.22\n\nrequire example.com/tool v1.2.0\n\nreplace example.com/tool v1.2.0 => ./tool\n",
		"cmd/app/main.go":       "package main\n\nfunc main() {}\n",
		"tools.go":              "//go:build tools\n\npackage app\n\nimport _ \"example.com/tool/cmd/tool\"\n",
		"tool/go.mod":           "module example.com/tool\n\ngo 1.22\n",
		"tool/cmd/tool/main.go": "package main\n\nfunc main() {}\n",
	})
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pkg  string
		want Target
	}{
		{"example.com/app/cmd/app", Target{Dir: abs, Package: "example.com/app/cmd/app", ImportPath: "example.com/app/cmd/app", Module: "example.com/app", BinaryName: "app"}},
		{"example.com/tool/cmd/tool", Target{Dir: abs, Package: "example.com/tool/cmd/tool", ImportPath: "example.com/tool/cmd/tool", Module: "example.com/tool", Version: "v1.2.0", BinaryName: "tool"}},
	} {
		got, err := LoadTarget(context.Background(), "go", dir, tc.pkg, testEnv())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, *got, cmpopts.IgnoreUnexported(Target{}), cmpopts.IgnoreFields(Target{}, "ModuleDir")); diff != "" {
			t.Errorf("LoadTarget(%s) (-want +got):\n%s", tc.pkg, diff)
		}
	}
}

func TestParseVersioned(t *testing.T) {
	for _, tc := range []struct {
		in           string
		pkg, version string
		ok           bool
		err          string
	}{
		{in: "./cmd/pomo", pkg: "./cmd/pomo"},
		{in: "example.com/m/cmd/tool@v1.2.0", pkg: "example.com/m/cmd/tool", version: "v1.2.0", ok: true},
		{in: "example.com/m/...@latest", pkg: "example.com/m/...", version: "latest", ok: true},
		{in: "example.com/m@", ok: true, err: "no version after the @ (such as example.com/m@latest)"},
		{in: "@latest", ok: true, err: "no package before the @version"},
		{in: "./cmd/x@v1", ok: true, err: "a version goes with an import path, not a folder (as in go install example.com/cmd/tool@v1.2.0)"},
		{in: "/abs/x@v1", ok: true, err: "a version goes with an import path, not a folder (as in go install example.com/cmd/tool@v1.2.0)"},
	} {
		pkg, version, ok, err := ParseVersioned(tc.in)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if pkg != tc.pkg || version != tc.version || ok != tc.ok || msg != tc.err {
			t.Errorf("ParseVersioned(%q) = %q, %q, %v, %q; want %q, %q, %v, %q", tc.in, pkg, version, ok, msg, tc.pkg, tc.version, tc.ok, tc.err)
		}
	}
}

// A module that cannot be made leaves no folder behind, whether go get
// fails or the run is interrupted first.
func TestNewTempModuleFails(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewTempModule(ctx, "go", parent, "example.com/nowhere@v1.0.0", testEnv()); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted: err = %v, want context.Canceled", err)
	}
	_, err := NewTempModule(context.Background(), "go", parent, "example.com/nowhere@v1.0.0", testEnv())
	if err == nil || !strings.HasPrefix(err.Error(), "go get: ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("GOPROXY=off: err = %v, want one line from go get", err)
	}
	if left, _ := os.ReadDir(parent); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
