package elfinfo_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// wasmVariants are the fixture's WebAssembly builds.
var wasmVariants = []testbuild.Variant{
	{Name: "fixture-js.wasm", Env: []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"}},
	{Name: "fixture-js-sw.wasm", Env: []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}},
	{Name: "fixture-wasip1.wasm", Env: []string{"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0"}},
	{Name: "fixture-wasip1-sw.wasm", Env: []string{"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}},
}

// TestWasmFixture builds the fixture for js/wasm and wasip1/wasm, with and
// without -s -w, and checks what elfinfo reads against the build: the
// summary against file -b, the system against GOOS, the build info, the
// imports the system is told by, and the function table against the
// code section, function by function, with the name section's names as
// an independent check of which body is which function's.
func TestWasmFixture(t *testing.T) {
	var fileCmd string
	if p, err := exec.LookPath("file"); err == nil && isFile544(p) {
		fileCmd = p
	}
	dir := testbuild.Fixture(t, testbuild.RunningGoVersion(t))
	for _, v := range wasmVariants {
		t.Run(v.Name, func(t *testing.T) {
			path := testbuild.Build(t, dir, v)
			f, err := elfinfo.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			goos := strings.TrimPrefix(v.Env[0], "GOOS=")
			stripped := len(v.Flags) > 0
			type facts struct {
				Format                 elfinfo.Format
				Arch, OS, Type, Module string
				Stripped, HasBuildID   bool
				Needed                 []string
			}
			wantNeeded := map[string][]string{"js": {"gojs"}, "wasip1": {"wasi_snapshot_preview1"}}[goos]
			want := facts{elfinfo.FormatWasm, "wasm", goos, "executable", "example.com/fixture", stripped, true, wantNeeded}
			got := facts{Format: f.Format, Arch: f.Arch, OS: f.OS, Type: f.Type, Stripped: f.Stripped, HasBuildID: f.GoBuildID != "", Needed: f.Needed}
			if f.Go != nil {
				got.Module = f.Go.Main.Path
			} else {
				t.Errorf("no Go build info: %v", f.GoError)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
			if f.Go != nil && (f.Go.GOOS != goos || !strings.HasPrefix(f.Go.Version, "go1.")) {
				t.Errorf("build info GOOS %q, version %q", f.Go.GOOS, f.Go.Version)
			}
			entry := map[string]string{"js": "run", "wasip1": "_start"}[goos]
			if !slices.ContainsFunc(f.Exports, func(e elfinfo.Export) bool { return e.Name == entry && e.Kind == "func" }) {
				t.Errorf("exports %v lack %s", f.Exports, entry)
			}
			if fileCmd != "" {
				out, err := exec.Command(fileCmd, "-b", path).Output()
				if err != nil {
					t.Fatalf("file -b: %v", err)
				}
				if line := strings.TrimSpace(string(out)); line != f.Summary {
					t.Errorf("summary differs from file -b\nfile:     %s\nbinscope: %s", line, f.Summary)
				}
			}
			// Sections and their headers make up the file.
			var secs int64
			names := map[string]bool{}
			for _, s := range f.Sections {
				secs += s.FileSize
				names[s.Name] = true
			}
			if secs > f.Size || f.Size-secs > 8+6*int64(len(f.Sections)) {
				t.Errorf("sections hold %d of %d bytes; the rest is more than the header and section headers", secs, f.Size)
			}
			if names["name"] == stripped || !names["code"] || !names["data"] {
				t.Errorf("sections %v: want code, data, and name unless stripped", names)
			}

			ft, err := f.FuncTable()
			if err != nil {
				t.Fatal(err)
			}
			code := f.Spans("code")
			if len(ft.Funcs) == 0 || len(ft.Funcs) > len(code) {
				t.Fatalf("%d functions in the table, %d bodies in the code section", len(ft.Funcs), len(code))
			}
			byAddr := map[uint64]elfinfo.Span{}
			for _, s := range code {
				byAddr[s.Addr] = s
			}
			var pkgs []string
			for _, fn := range ft.Funcs {
				s, ok := byAddr[fn.Entry]
				if !ok || fn.End-fn.Entry != uint64(s.Size) {
					t.Fatalf("function %s [%#x, %#x) is not a body of the code section (%+v)", fn.Name, fn.Entry, fn.End, s)
				}
				pkgs = append(pkgs, fn.Package)
			}
			for _, p := range []string{"main", "go.binscope.test/dep", "gopkg.in/binscope.v1"} {
				if !slices.Contains(pkgs, p) {
					t.Errorf("no function of package %s in the table", p)
				}
			}
			syms, err := f.Symbols()
			if err != nil {
				t.Fatal(err)
			}
			if stripped {
				if len(syms) != 0 {
					t.Errorf("%d symbols in a stripped module", len(syms))
				}
				return
			}
			if len(syms) != len(code) {
				t.Errorf("%d names in the name section, %d bodies", len(syms), len(code))
			}
			named := map[uint64]string{}
			for _, s := range syms {
				named[s.Addr] = s.Name
			}
			for _, fn := range ft.Funcs {
				if named[fn.Entry] != fn.Name {
					t.Errorf("function at %#x: table says %q, name section %q", fn.Entry, fn.Name, named[fn.Entry])
				}
			}
		})
	}
}

// wasmModule assembles a module of the given sections (id, contents).
func wasmModule(version uint32, sections ...[]byte) []byte {
	b := append([]byte("\x00asm"), binary.LittleEndian.AppendUint32(nil, version)...)
	for _, s := range sections {
		b = append(b, s[0])
		b = binary.AppendUvarint(b, uint64(len(s)-1))
		b = append(b, s[1:]...)
	}
	return b
}

func wasmSec(id byte, parts ...[]byte) []byte {
	return append([]byte{id}, bytes.Join(parts, nil)...)
}

func wasmName(s string) []byte { return append(binary.AppendUvarint(nil, uint64(len(s))), s...) }

// synthWasm is a small module with every section binscope reads: a wasip1
// import, an export, two function bodies, two data segments (one holding
// a pclntab magic that is not one) and a name section.
func synthWasm() []byte {
	return wasmModule(1,
		wasmSec(0, wasmName("go:buildid"), []byte("\xff Go build ID: \"abc/def\"\n \xff")),
		wasmSec(1, []byte{1, 0x60, 1, 0x7f, 1, 0x7f}),
		wasmSec(2, []byte{1}, wasmName("wasi_snapshot_preview1"), wasmName("proc_exit"), []byte{0, 0}),
		wasmSec(3, []byte{2, 0, 0}),
		wasmSec(7, []byte{2}, wasmName("_start"), []byte{0, 1}, wasmName("memory"), []byte{2, 0}),
		wasmSec(10, []byte{2, 2, 0, 0x0b, 3, 0, 0x41, 0x0b}),
		wasmSec(11, []byte{2, 0, 0x41, 0x80, 0x20, 0x0b, 8}, []byte("\xf1\xff\xff\xff\x00\x00\x01\x08"),
			[]byte{0, 0x41, 0x90, 0x20, 0x0b, 4, 1, 2, 3, 4}),
		wasmSec(0, wasmName("name"), []byte{1, 11, 2, 1}, wasmName("a.F"), []byte{2}, wasmName("b.G")),
	)
}

// TestWasmSynth reads the synthetic module, and file(1)'s verdict on the
// header's versions: file reads the version as a signed number.
func TestWasmSynth(t *testing.T) {
	data := synthWasm()
	f, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	type facts struct {
		OS, Summary, BuildID string
		Imports              []elfinfo.Import
		Exports              []elfinfo.Export
		Sections             []string
		Symbols              []string
		Stripped             bool
	}
	got := facts{OS: f.OS, Summary: f.Summary, BuildID: f.GoBuildID, Imports: f.Imports, Exports: f.Exports, Stripped: f.Stripped}
	for _, s := range f.Sections {
		got.Sections = append(got.Sections, s.Name+":"+string(s.Kind))
	}
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range syms {
		got.Symbols = append(got.Symbols, s.Name)
	}
	want := facts{
		OS: "wasip1", Summary: "WebAssembly (wasm) binary module version 0x1 (MVP)", BuildID: "abc/def",
		Imports:  []elfinfo.Import{{Module: "wasi_snapshot_preview1", Name: "proc_exit", Kind: "func"}},
		Exports:  []elfinfo.Export{{Name: "_start", Kind: "func"}, {Name: "memory", Kind: "memory"}},
		Sections: []string{"go:buildid:go-metadata", "type:other", "import:other", "function:other", "export:other", "code:code", "data:data", "name:symtab"},
		Symbols:  []string{"a.F", "b.G"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("synthetic module (-want +got):\n%s", diff)
	}
	if _, err := f.FuncTable(); err == nil {
		t.Error("FuncTable of a module with a stray pclntab magic succeeded")
	}
	var fileCmd string
	if p, err := exec.LookPath("file"); err == nil && isFile544(p) {
		fileCmd = p
	}
	for _, tc := range []struct {
		version uint32
		want    string
	}{
		{0, "WebAssembly (wasm) binary module"},
		{1, "WebAssembly (wasm) binary module version 0x1 (MVP)"},
		{2, "WebAssembly (wasm) binary module version 0x2"},
		{0x1000d, "WebAssembly (wasm) binary module version 0x1000d"},
		{0x80000000, "WebAssembly (wasm) binary module"},
	} {
		path := filepath.Join(t.TempDir(), "m.wasm")
		data := wasmModule(tc.version)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
		if tc.version == 1 && err != nil || tc.version != 1 && err == nil {
			t.Errorf("version %#x: Read error %v", tc.version, err)
		}
		if got := elfinfo.WasmSummary(data); got != tc.want {
			t.Errorf("version %#x: summary %q, want %q", tc.version, got, tc.want)
		}
		if fileCmd == "" {
			continue
		}
		out, err := exec.Command(fileCmd, "-b", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		if line := strings.TrimSpace(string(out)); line != tc.want {
			t.Errorf("version %#x: file -b says %q, the test wants %q", tc.version, line, tc.want)
		}
	}
}
