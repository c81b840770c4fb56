package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// runBinscope runs binscope in this process and returns its exit status
// and output.
func runBinscope(ctx context.Context, args ...string) (int, []byte, string) {
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, os.Environ(), &stdout, &stderr)
	return code, stdout.Bytes(), stderr.String()
}

// mustRun runs binscope as runBinscope does and returns its output,
// failing the test unless it exits 0.
func mustRun(t *testing.T, args ...string) []byte {
	t.Helper()
	code, out, stderr := runBinscope(context.Background(), args...)
	if code != 0 {
		t.Fatalf("binscope %v: status %d: %s", args, code, stderr)
	}
	return out
}

// TestCompareSchema builds a small real matrix of pomo (two platforms, so
// that a cgo cell for the foreign one is skipped) and its two shards, and
// checks the reports of compare and merge against
// docs/schema/compare.schema.json and against the binaries they describe.
func TestCompareSchema(t *testing.T) {
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOWORK", "off")
	pomo := testbuild.Pomo(t)
	dir := t.TempDir()
	matrix := []string{"compare", "--format", "json", "--platform", "linux/amd64,linux/arm64", "--strip", "off", "--tags", "", "--cgo", "1,0"}

	code, out, stderr := runBinscope(context.Background(), append(matrix, "--keep", dir, pomo)...)
	if code != 0 {
		t.Fatalf("compare exited %d: %s", code, stderr)
	}
	checkSchema(t, "compare.schema.json", out)
	var r compare.Report
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Cells) != 4 || len(r.Matrix.Cells) != 4 {
		t.Fatalf("%d cells, matrix of %d, want 4", len(r.Cells), len(r.Matrix.Cells))
	}
	statuses := map[string]compare.Status{}
	for _, c := range r.Cells {
		statuses[c.ID] = c.Status
		if c.Status != compare.StatusOK {
			continue
		}
		// The report describes the binary compare kept, byte for byte.
		st, err := os.Stat(c.Binary.Path)
		if err != nil {
			t.Errorf("%s: kept binary: %v", c.ID, err)
			continue
		}
		if st.Size() != c.Size || c.Binary.Size != c.Size {
			t.Errorf("%s: size %d, binary says %d, file is %d", c.ID, c.Size, c.Binary.Size, st.Size())
		}
		if c.Binary.Arch != c.Options.GOARCH || c.Binary.Go == nil {
			t.Errorf("%s: binary is %s, go info %v", c.ID, c.Binary.Arch, c.Binary.Go)
		}
		if !strings.HasPrefix(filepath.Base(c.Binary.Path), "pomo_"+c.Options.FileName()) {
			t.Errorf("%s: kept as %s", c.ID, c.Binary.Path)
		}
	}
	if s := statuses["cgo=0,goos=linux,goarch=arm64,strip=off,tags="]; s != compare.StatusOK {
		t.Errorf("cgo=0 linux/arm64: %s, want ok", s)
	}
	if testbuild.HaveCC() && runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		if s := statuses["cgo=1,goos=linux,goarch=arm64,strip=off,tags="]; s != compare.StatusSkipped {
			t.Errorf("cgo=1 linux/arm64: %s, want skipped", s)
		}
	}

	// Two shards, merged, make the same matrix.
	var names []string
	for _, k := range []string{"1/2", "2/2"} {
		name := filepath.Join(dir, "shard"+k[:1]+".json")
		code, _, stderr := runBinscope(context.Background(), append(matrix, "--shard", k, "-o", name, pomo)...)
		if code != 0 {
			t.Fatalf("compare --shard %s exited %d: %s", k, code, stderr)
		}
		shard, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checkSchema(t, "compare.schema.json", shard)
		names = append(names, name)
	}
	code, merged, stderr := runBinscope(context.Background(), append([]string{"merge", "--format", "json"}, names...)...)
	if code != 0 {
		t.Fatalf("merge exited %d: %s", code, stderr)
	}
	checkSchema(t, "compare.schema.json", merged)
	var m compare.Report
	if err := json.Unmarshal(merged, &m); err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, c := range m.Cells {
		got = append(got, c.ID+" "+string(c.Status))
	}
	for _, c := range r.Cells {
		want = append(want, c.ID+" "+string(c.Status))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("merged shards:\n%s\nwant, as one run:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCompareVersionSchema builds pkg@version from the test proxy and
// checks its report against the schema: the version resolved, an empty
// dir (the temporary module is gone), and each cell's go build of the
// import path.
func TestCompareVersionSchema(t *testing.T) {
	proxy := goproxytest.NewTestServer(t, filepath.Join("..", "..", "testdata", "mod"), "")
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("GOPROXY", proxy.URL)
	t.Setenv("GOSUMDB", "off")
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOFLAGS", "-modcacherw")
	t.Setenv("CGO_ENABLED", "0")
	out := mustRun(t, "compare", "--format", "json", "--cgo", "0", "--strip", "on", "--tags", "", "example.com/tool/cmd/tool@latest")
	checkSchema(t, "compare.schema.json", out)
	var r compare.Report
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	want := compare.Target{Dir: "", Module: "example.com/tool", Package: "example.com/tool/cmd/tool", Version: "v1.1.0", Binary: "tool"}
	got := compare.Target{Dir: r.Target.Dir, Module: r.Target.Module, Package: r.Target.Package, Version: r.Target.Version, Binary: r.Target.Binary}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("target (-want +got):\n%s", diff)
	}
	for _, c := range r.Cells {
		if c.Status != compare.StatusOK || !strings.HasSuffix(c.Command, " example.com/tool/cmd/tool") {
			t.Errorf("%s: %s, command %q", c.ID, c.Status, c.Command)
		}
	}
}

// TestCompareSchemaRejects makes sure the compare schema can fail.
func TestCompareSchemaRejects(t *testing.T) {
	sch := compileSchema(t, "compare.schema.json")
	cell := `{"id": "cgo=0,goos=linux,goarch=amd64,strip=on,tags=", "options": {"cgo": false, "goos": "linux", "goarch": "amd64", "strip": true, "tags": []},
		"command": "go build", "status": "%s", "reason": "%s", "size": 0, "binary": null, "build_seconds": 1, "index": 0, "label": "x",
		"env": [], "args": [], "go_version": "go1.26", "delta": null, "delta_percent": null}`
	doc := func(cells string) string {
		return `{"schema_version": 1, "target": {"dir": ".", "module": "m", "package": "m", "go_version": "go1.26", "host": "linux/amd64"},
			"baseline": "cgo=0,goos=linux,goarch=amd64,strip=off,tags=", "cells": [` + cells + `], "effects": [], "headline": null,
			"matrix": {"cgo": [false], "platforms": ["linux/amd64"], "strip": [true], "tags": [[]], "exclude": [], "settings": {"ldflags": "", "trimpath": false, "buildmode": ""}, "cc": {}, "cells": []}}`
	}
	valid := doc(strings.Replace(strings.Replace(cell, "%s", "skipped", 1), "%s", "no C compiler", 1))
	for _, tc := range []struct {
		name, doc string
		ok        bool
	}{
		{"a skipped cell", valid, true},
		{"unknown status", doc(strings.Replace(strings.Replace(cell, "%s", "cancelled", 1), "%s", "x", 1)), false},
		{"skipped without a reason", doc(strings.Replace(strings.Replace(cell, "%s", "skipped", 1), "%s", "", 1)), false},
		{"ok without a binary", doc(strings.Replace(strings.Replace(cell, "%s", "ok", 1), "%s", "", 1)), false},
		{"malformed id", strings.Replace(valid, `"id": "cgo=0,goos=linux,goarch=amd64,strip=on,tags="`, `"id": "cgo=0,strip=on"`, 1), false},
		{"cgo as a number", strings.Replace(valid, `"cgo": false, "goos"`, `"cgo": 0, "goos"`, 1), false},
		{"no effects", strings.Replace(valid, `"effects": [], `, ``, 1), false},
		{"a version", strings.Replace(valid, `"package": "m",`, `"package": "m", "version": "v1.0.0",`, 1), true},
		{"a version as a number", strings.Replace(valid, `"package": "m",`, `"package": "m", "version": 1,`, 1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(v); (err == nil) != tc.ok {
				t.Errorf("valid = %v, want %v (%v)", err == nil, tc.ok, err)
			}
		})
	}
}

// TestCompareInterrupt interrupts compare in the middle of a build and
// checks that it stops, says so, and leaves no process, binary or go work
// folder behind in the temporary folder.
func TestCompareInterrupt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("looks for leftover processes in /proc")
	}
	cache := t.TempDir()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("GOTMPDIR", "")
	// An empty build cache makes the first build long enough to
	// interrupt while the compiler runs.
	t.Setenv("GOCACHE", cache)
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("GOPROXY", "off")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sawCompiler := testbuild.CancelWhen(func() bool { return compilerRunning(t, tmp) }, cancel)
	code, out, stderr := runBinscope(ctx, "compare", "--cgo", "0", testbuild.Pomo(t))
	if !<-sawCompiler {
		t.Fatal("the compiler never ran under the temporary folder; nothing was interrupted")
	}
	if code != exitFailure || !strings.Contains(stderr, "compare: interrupted; no report written") {
		t.Errorf("exit %d, stderr %q; want 1 and the interruption", code, stderr)
	}
	if len(out) > 0 {
		t.Errorf("an interrupted run wrote a report:\n%s", out)
	}
	if left := testbuild.ProcessesNaming(t, tmp); len(left) > 0 {
		t.Errorf("processes left running: %v", left)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in the temporary folder: %s", e.Name())
	}
}

func compilerRunning(t *testing.T, dir string) bool {
	for _, p := range testbuild.ProcessesNaming(t, dir) {
		if strings.Contains(p, "/compile ") || strings.Contains(p, "/asm ") {
			return true
		}
	}
	return false
}

// TestRenderCompareEmptyShard: a shard that holds no cell says so instead
// of printing a table header over nothing.
func TestRenderCompareEmptyShard(t *testing.T) {
	r := &compare.Report{
		Target: compare.Target{Package: "example.com/pomo", Dir: "pomo", GoVersion: "go1.26", Host: "linux/amd64"},
		Shard:  &buildmatrix.Shard{Index: 1, Count: 3},
		Matrix: compare.Matrix{Cells: []string{"a", "b"}},
		Cells:  []compare.Cell{},
	}
	var buf bytes.Buffer
	if err := renderCompareText(&buf, r, palette{}); err != nil {
		t.Fatal(err)
	}
	want := "example.com/pomo (pomo) with go1.26 on linux/amd64\n" +
		"custom build tags: none found\n" +
		"shard 1/3: 0 of the matrix's 2 cells (join the shards with binscope merge)\n\n" +
		"no cell of the matrix falls in this shard\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

// TestRenderCompare renders compare reports recorded from real runs
// (pomo's default matrix; four platforms with a skipped cell; a tag set
// that fails; a shard; a cold build cache) and compares the text with the golden files.
func TestRenderCompare(t *testing.T) {
	for _, name := range []string{"compare", "compare_platforms", "compare_failed", "compare_shard", "compare_cold"} {
		t.Run(name, func(t *testing.T) {
			var r compare.Report
			readReport(t, name+".json", &r)
			var buf bytes.Buffer
			if err := renderCompareText(&buf, &r, palette{}); err != nil {
				t.Fatal(err)
			}
			golden(t, name+".txt", buf.Bytes())
		})
	}
}

// The text header names a pkg@version target by the version it resolved
// to and says where it was built; a failed cell says where to reproduce it.
func TestCompareTargetText(t *testing.T) {
	for _, tc := range []struct {
		target            compare.Target
		name, where, repr string
	}{
		{compare.Target{Dir: "testdata/pomo", Package: "example.com/pomo", Module: "example.com/pomo"}, "example.com/pomo", "testdata/pomo", "testdata/pomo"},
		{compare.Target{Dir: ".", Package: "example.com/tool/cmd/tool", Module: "example.com/tool", Version: "v1.0.0"}, "example.com/tool/cmd/tool@v1.0.0", ".", "."},
		{compare.Target{Package: "example.com/tool/cmd/tool", Module: "example.com/tool", Version: "v1.1.0"}, "example.com/tool/cmd/tool@v1.1.0",
			"in a temporary module, as go install pkg@version builds",
			"a module that requires example.com/tool v1.1.0 (go mod init m && go get example.com/tool/cmd/tool@v1.1.0)"},
	} {
		got := []string{targetName(tc.target), targetWhere(tc.target), reproduceIn(tc.target)}
		if diff := cmp.Diff([]string{tc.name, tc.where, tc.repr}, got); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tc.target, diff)
		}
	}
}
