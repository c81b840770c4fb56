package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/diff"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// TestSizeDiffSchemas validates real size and diff reports of a fixture
// against docs/schema.
func TestSizeDiffSchemas(t *testing.T) {
	dir := t.TempDir()
	plain := buildPomo(t, dir, "pomo")
	sw := buildPomo(t, dir, "pomo-sw", "-ldflags=-s -w")
	runJSON := func(args ...string) []byte {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, os.Environ(), &out, &errb); code != 0 {
			t.Fatalf("binscope %v: status %d: %s", args, code, errb.String())
		}
		return out.Bytes()
	}
	checkSchema(t, "size.schema.json", runJSON("size", "--format", "json", plain))
	checkSchema(t, "size.schema.json", runJSON("size", "--format", "json", "--by", "symbol", sw))
	checkSchema(t, "diff.schema.json", runJSON("diff", "--format", "json", plain, sw))
	compare := filepath.Join(dir, "compare.json")
	os.WriteFile(compare, []byte(`{"schema_version": 1, "cells": [
	  {"id": "a", "options": {"cgo": false, "goos": "linux", "goarch": "amd64", "strip": false, "tags": []}, "status": "ok", "size": 10,
	   "packages": [{"name": "runtime", "size": 10, "estimated": false}]}]}`), 0o644)
	checkSchema(t, "diff.schema.json", runJSON("diff", "--format", "json", compare, compare))
}

// TestRenderGolden renders fixed reports as text and CSV and compares
// them with testdata/golden; -update rewrites the files.
func TestRenderGolden(t *testing.T) {
	size := &analyze.SizeReport{
		SchemaVersion: 1, Path: "pomo", Size: 10000, Attributed: 8000, Unattributed: 100, Coverage: 8000.0 / 8100,
		Format: "elf", GOOS: "linux", GOARCH: "amd64", GoVersion: "go1.26.8", Estimated: 1500, Method: "pclntab+symtab",
		Sections: []analyze.SectionSize{
			{Name: ".text", Kind: "code", FileSize: 5000, VMSize: 5000},
			{Name: ".rodata", Kind: "rodata", FileSize: 3100, VMSize: 3100},
			{Name: ".bss", Kind: "bss", VMSize: 700},
			{Name: ".symtab", Kind: "symtab", FileSize: 1500},
		},
		Kinds: []analyze.KindSize{
			{Kind: "code", Sections: 1, FileSize: 5000, VMSize: 5000}, {Kind: "rodata", Sections: 1, FileSize: 3100, VMSize: 3100},
			{Kind: "bss", Sections: 1, VMSize: 700}, {Kind: "symtab", Sections: 1, FileSize: 1500},
		},
		HeadersAndPadding: 400,
		Packages: []analyze.PackageSize{
			{Name: "runtime", Module: "std", Size: 5000, Estimated: true, Code: 3000, Functab: 1500, Data: 500, EstimatedBytes: 500, Functions: 40},
			{Name: "main", Module: "example.com/pomo", Size: 3000, Code: 2000, Functab: 1000, Functions: 3},
			{Name: analyze.RowSymbolTable, Size: 1500},
			{Name: analyze.RowHeaders, Size: 400},
			{Name: analyze.RowUnattributed, Size: 100},
			{Name: analyze.RowDebugInfo, Size: 0},
		},
		Modules: []analyze.ModuleSize{
			{Path: "std", Size: 5000, Estimated: true, Packages: 1, Code: 3000, EstimatedBytes: 500},
			{Path: "example.com/pomo", Version: "(devel)", Main: true, Size: 3000, Packages: 1, Code: 2000},
			{Path: analyze.RowSymbolTable, Size: 1500},
			{Path: analyze.RowHeaders, Size: 400},
			{Path: analyze.RowUnattributed, Size: 100},
			{Path: analyze.RowDebugInfo, Size: 0},
		},
		Symbols: []analyze.SymbolSize{
			{Name: "runtime.mallocgc", Package: "runtime", Kind: "code", Size: 900},
			{Name: "main.main", Package: "main", Kind: "code", Size: 700},
			{Name: "runtime.mheap_", Package: "runtime", Kind: "bss", Size: 600, Estimated: true},
		},
	}
	stripped := *size
	stripped.Path, stripped.Size = "pomo-sw", 8500
	stripped.Sections = size.Sections[:3]
	stripped.Packages = []analyze.PackageSize{size.Packages[0], size.Packages[1], {Name: analyze.RowHeaders, Size: 400}, {Name: analyze.RowUnattributed, Size: 100}}
	stripped.Modules = []analyze.ModuleSize{size.Modules[0], size.Modules[1], {Path: analyze.RowHeaders, Size: 400}, {Path: analyze.RowUnattributed, Size: 100}}
	stripped.Packages[0].Size, stripped.Modules[0].Size = 5000, 5000
	stripped.Symbols = size.Symbols[:2]
	dr := diff.Sizes(size, &stripped, diff.Options{})
	// A PIE: its relocations have a row, and the section view a TABLE
	// column.
	pie := *size
	pie.Path, pie.Unattributed, pie.Coverage = "pomo-pie", 0, 1
	pie.Sections = []analyze.SectionSize{size.Sections[0],
		{Name: ".rodata", Kind: "rodata", FileSize: 3000, VMSize: 3000},
		{Name: ".rela", Kind: "other", FileSize: 100, VMSize: 100, Table: "relocations"},
		size.Sections[2], size.Sections[3]}
	pie.Kinds = []analyze.KindSize{size.Kinds[0], {Kind: "rodata", Sections: 1, FileSize: 3000, VMSize: 3000}, size.Kinds[2], size.Kinds[3],
		{Kind: "other", Sections: 1, FileSize: 100, VMSize: 100}}
	pie.Packages = append(slices.Clone(size.Packages[:4]), analyze.PackageSize{Name: analyze.RowRelocations, Size: 100},
		analyze.PackageSize{Name: analyze.RowDebugInfo}, analyze.PackageSize{Name: analyze.RowUnattributed})
	pie.Modules = append(slices.Clone(size.Modules[:4]), analyze.ModuleSize{Path: analyze.RowRelocations, Size: 100},
		analyze.ModuleSize{Path: analyze.RowDebugInfo}, analyze.ModuleSize{Path: analyze.RowUnattributed})

	for _, tc := range []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"size_package.txt", func(b *bytes.Buffer) error { return renderSizeText(b, size, "package", 0, 0) }},
		{"size_package_top1.txt", func(b *bytes.Buffer) error { return renderSizeText(b, size, "package", 1, 0) }},
		{"size_section.txt", func(b *bytes.Buffer) error { return renderSizeText(b, size, "section", 0, 0) }},
		{"size_module.txt", func(b *bytes.Buffer) error { return renderSizeText(b, size, "module", 0, 0) }},
		{"size_symbol.txt", func(b *bytes.Buffer) error { return renderSizeText(b, size, "symbol", 2, 0) }},
		{"size_section_pie.txt", func(b *bytes.Buffer) error { return renderSizeText(b, &pie, "section", 0, 0) }},
		{"size_section_pie.csv", func(b *bytes.Buffer) error { return renderSizeCSV(b, &pie, "section") }},
		{"size_module_pie.txt", func(b *bytes.Buffer) error { return renderSizeText(b, &pie, "module", 0, 0) }},
		{"size_package.csv", func(b *bytes.Buffer) error { return renderSizeCSV(b, size, "package") }},
		{"size_module.csv", func(b *bytes.Buffer) error { return renderSizeCSV(b, size, "module") }},
		{"size.svg", func(b *bytes.Buffer) error { return renderSizeSVG(b, size) }},
		// The HTML page's data: the JSON block it embeds, indented.
		{"size_html_report.json", func(b *bytes.Buffer) error {
			var page bytes.Buffer
			if err := renderSizeHTML(&page, size); err != nil {
				return err
			}
			m := regexp.MustCompile(`(?s)<script type="application/json" id="report">(.*?)</script>`).FindSubmatch(page.Bytes())
			if m == nil {
				return errors.New("no embedded report")
			}
			return json.Indent(b, m[1], "", "  ")
		}},
		{"diff.txt", func(b *bytes.Buffer) error { return renderDiffText(b, dr, "", 0) }},
		{"diff_symbol.txt", func(b *bytes.Buffer) error { return renderDiffText(b, dr, "symbol", 0) }},
		{"diff.csv", func(b *bytes.Buffer) error { return renderDiffCSV(b, dr, "") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := tc.render(&got); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, got.Bytes())
		})
	}
	// The JSON form is the report itself.
	var buf bytes.Buffer
	if err := writeJSON(&buf, dr); err != nil {
		t.Fatal(err)
	}
	var back diff.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Delta != -1500 {
		t.Errorf("diff JSON round trip: %v, delta %d", err, back.Delta)
	}
}

// buildPomo builds testdata/pomo with CGO_ENABLED=0 into dir, here rather
// than through testbuild.Build, whose shared folder this package's
// TestMain (testscript's) does not clean up.
func buildPomo(t *testing.T, dir, name string, flags ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, flags...), ".")...)
	cmd.Dir = testbuild.Pomo(t)
	cmd.Env = testbuild.GoEnv("CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", name, err, msg)
	}
	return out
}

// TestSizeCorruptPclntab corrupts the Go function table of a real build
// in several ways: size and diff must say so on one line naming the file,
// with status 1; where the table still parses, the rows must still sum to
// the file size.
func TestSizeCorruptPclntab(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(buildPomo(t, dir, "pomo", "-ldflags=-s -w"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := elfinfo.Read(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Pclntab()
	if err != nil {
		t.Fatal(err)
	}
	off := int(p.Offset)
	le := binary.LittleEndian
	for _, tc := range []struct {
		name string
		mut  func(b []byte)
	}{
		{"nfunc", func(b []byte) { le.PutUint64(b[off+8:], 1<<48) }},
		{"offsets", func(b []byte) { le.PutUint64(b[off+8+24:], uint64(p.Size)*10) }},
		{"ptrsize", func(b []byte) { b[off+7] = 3 }},
		{"records", func(b []byte) {
			ftab := off + int(le.Uint64(b[off+8+56:]))
			for i := range 500 {
				le.PutUint32(b[ftab+8*i+4:], 0xfff00000+uint32(i))
			}
		}},
		{"entries", func(b []byte) {
			ftab := off + int(le.Uint64(b[off+8+56:]))
			for i := range 500 {
				le.PutUint32(b[ftab+8*i:], uint32(i)*0x9e3779b9)
			}
		}},
		{"zeros", func(b []byte) { clear(b[off+72 : off+int(p.Size)]) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := bytes.Clone(good)
			tc.mut(bad)
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, bad, 0o755); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"size", "--format", "json", path}, os.Environ(), &out, &errb)
			switch code {
			case 1:
				msg := errb.String()
				if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "binscope: size "+path+": malformed binary: ") {
					t.Errorf("stderr = %q, want one line naming %s as malformed", msg, path)
				}
				errb.Reset()
				if code := run(context.Background(), []string{"diff", path, path}, os.Environ(), &out, &errb); code != 1 || strings.Count(errb.String(), "\n") != 2 {
					t.Errorf("diff: status %d, stderr %q; want 1 and a line for each side", code, errb.String())
				}
			case 0:
				var r analyze.SizeReport
				if err := json.Unmarshal(out.Bytes(), &r); err != nil {
					t.Fatal(err)
				}
				var sum int64
				for _, p := range r.Packages {
					sum += p.Size
				}
				if sum != r.Size {
					t.Errorf("packages sum to %d, not the size %d", sum, r.Size)
				}
			default:
				t.Errorf("size: status %d, stderr %q", code, errb.String())
			}
		})
	}
}

// TestRenderSizeHTMLEscapes: a path with markup in it stays text in the
// page and in its embedded report, and the assets cannot end their own
// elements.
func TestRenderSizeHTMLEscapes(t *testing.T) {
	for name, asset := range map[string]string{"report.css": reportCSS, "treemap.js": treemapJS} {
		if strings.Contains(strings.ToLower(asset), "</style") || strings.Contains(strings.ToLower(asset), "</script") {
			t.Errorf("%s would end its element early", name)
		}
	}
	evil := `x</script><script>alert(1)</script>&"@@CSS@@`
	r := &analyze.SizeReport{SchemaVersion: 1, Path: evil, Size: 10, Packages: []analyze.PackageSize{{Name: "main", Size: 10, Code: 10}}}
	var b bytes.Buffer
	if err := renderSizeHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "<script>alert(1)") {
		t.Error("the path's markup reached the page")
	}
	if n := strings.Count(page, "</script>"); n != 5 {
		t.Errorf("%d </script> in the page, want the 5 of its own elements", n)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="report">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no embedded report")
	}
	var got analyze.SizeReport
	if err := json.Unmarshal([]byte(m[1]), &got); err != nil || got.Path != evil {
		t.Errorf("embedded report: path %q, %v", got.Path, err)
	}
	if !strings.Contains(page, "<h1>x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#34;@@CSS@@</h1>") {
		t.Errorf("the heading does not hold the path as text")
	}
}
