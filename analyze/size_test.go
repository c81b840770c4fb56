package analyze_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// checkInvariants holds for every binary: the package view and the module
// view each sum to the file size, attributed + unattributed + the other
// fixed rows == size, coverage follows, rows are in order.
func checkInvariants(t *testing.T, r *analyze.SizeReport) {
	t.Helper()
	var sum, attributed, known int64
	for _, p := range r.Packages {
		if p.Size < 0 || p.Code < 0 || p.Functab < 0 || p.Data < 0 || p.EstimatedBytes < 0 || p.EstimatedBytes > p.Size {
			t.Errorf("row %+v has a negative or inconsistent part", p)
		}
		switch {
		case analyze.FixedRow(p.Name):
			if p.Name != analyze.RowUnattributed {
				known += p.Size
			}
		default:
			attributed += p.Size
			if p.Code+p.Functab+p.Data != p.Size || p.Padding < 0 || p.Padding > p.Code {
				t.Errorf("row %s: code %d (padding %d) + functab %d + data %d != size %d", p.Name, p.Code, p.Padding, p.Functab, p.Data, p.Size)
			}
		}
		sum += p.Size
	}
	if sum != r.Size {
		t.Errorf("package rows sum to %d, file is %d bytes", sum, r.Size)
	}
	if attributed != r.Attributed {
		t.Errorf("attributed = %d, rows say %d", r.Attributed, attributed)
	}
	if r.Attributed+r.Unattributed+known != r.Size {
		t.Errorf("attributed %d + unattributed %d + fixed %d != size %d", r.Attributed, r.Unattributed, known, r.Size)
	}
	if want := float64(r.Attributed) / float64(r.Size-known); r.Coverage != want {
		t.Errorf("coverage = %v, want %v", r.Coverage, want)
	}
	var msum int64
	for _, m := range r.Modules {
		msum += m.Size
	}
	if msum != r.Size {
		t.Errorf("module rows sum to %d, file is %d bytes", msum, r.Size)
	}
	if !slices.IsSortedFunc(r.Packages, func(a, b analyze.PackageSize) int {
		if a.Size != b.Size {
			return int(b.Size - a.Size)
		}
		return cmpString(a.Name, b.Name)
	}) {
		t.Error("package rows are not sorted by size, then name")
	}
	var secSum int64
	for _, s := range r.Sections {
		secSum += s.FileSize
	}
	if r.HeadersAndPadding < 0 || r.HeadersAndPadding > r.Size {
		t.Errorf("headers and padding %d out of range", r.HeadersAndPadding)
	}
	// The section view sums to the file too: no section of these
	// binaries overlaps another.
	if got := secSum + r.SymbolTableOutside + r.HeadersAndPadding; got != r.Size {
		t.Errorf("sections %d + symbol table outside them %d + headers and padding %d = %d, file is %d bytes",
			secSum, r.SymbolTableOutside, r.HeadersAndPadding, got, r.Size)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func codeBytes(f *elfinfo.File) int64 {
	var n int64
	for _, s := range f.Sections {
		if s.Kind == elfinfo.KindCode {
			n += s.FileSize
		}
	}
	return n
}

// TestSizeInvariants checks every variant the machine can build.
func TestSizeInvariants(t *testing.T) {
	for _, tc := range []struct {
		v           testbuild.Variant
		minCoverage float64
		wantC       bool
	}{
		{sizetest.PomoStatic, 0.95, false},
		{sizetest.PomoSW, 0.95, false},
		{sizetest.PomoStrip, 0.95, false},
		{sizetest.PomoCgo, 0.95, true},
		{sizetest.PomoExtStat, 0.90, true},
		{sizetest.PomoWindows, 0.95, false},
		{sizetest.PomoWindowsS, 0.95, false},
		{sizetest.PomoDarwin, 0.95, false},
		{sizetest.PomoDarwinS, 0.95, false},
	} {
		t.Run(tc.v.Name, func(t *testing.T) {
			r, _ := sizetest.SizeOf(t, sizetest.Build(t, tc.v), analyze.SizeOptions{})
			checkInvariants(t, r)
			if r.Coverage < tc.minCoverage {
				t.Errorf("coverage %.4f, want at least %.2f", r.Coverage, tc.minCoverage)
			}
			rows := sizetest.Rows(r)
			for _, pkg := range []string{"runtime", "main", "fmt", "os/user"} {
				if rows[pkg].Code == 0 || rows[pkg].Functab == 0 {
					t.Errorf("package %s has code %d, functab %d; want both", pkg, rows[pkg].Code, rows[pkg].Functab)
				}
			}
			if got := rows[analyze.RowC].Size > 0; got != tc.wantC {
				t.Errorf("C row %d bytes; want it present: %v", rows[analyze.RowC].Size, tc.wantC)
			}
			if m := rows["main"].Module; m != "example.com/pomo" {
				t.Errorf("main is in module %q, want example.com/pomo", m)
			}
		})
	}
}

// TestSizeCodeMatchesText: in a pure-Go binary, the code attributed to
// packages (and to compiler-generated functions) is the .text section,
// within 1%.
func TestSizeCodeMatchesText(t *testing.T) {
	for _, v := range []testbuild.Variant{sizetest.PomoStatic, sizetest.PomoWindows, sizetest.PomoDarwin} {
		t.Run(v.Name, func(t *testing.T) {
			r, f := sizetest.SizeOf(t, sizetest.Build(t, v), analyze.SizeOptions{})
			var code int64
			for _, p := range r.Packages {
				code += p.Code
			}
			text := codeBytes(f)
			if d := float64(text-code) / float64(text); d < 0 || d > 0.01 {
				t.Errorf("code attributed %d bytes, code sections %d: off by %.2f%%", code, text, d*100)
			}
		})
	}
}

// TestSizeStrippedSameCode: -s -w and strip keep the function table, so
// every package's code and function table figures are the same.
func TestSizeStrippedSameCode(t *testing.T) {
	type figures struct{ Code, Functab int64 }
	get := func(r *analyze.SizeReport) map[string]figures {
		m := map[string]figures{}
		for _, p := range r.Packages {
			if p.Code > 0 || p.Functab > 0 {
				m[p.Name] = figures{p.Code, p.Functab}
			}
		}
		return m
	}
	full, _ := sizetest.SizeOf(t, sizetest.Build(t, sizetest.PomoStatic), analyze.SizeOptions{})
	for _, v := range []testbuild.Variant{sizetest.PomoSW, sizetest.PomoStrip} {
		t.Run(v.Name, func(t *testing.T) {
			stripped, f := sizetest.SizeOf(t, sizetest.Build(t, v), analyze.SizeOptions{})
			if !f.Stripped {
				t.Fatalf("%s is not stripped", v.Name)
			}
			if diff := cmp.Diff(get(full), get(stripped)); diff != "" {
				t.Errorf("per-package code and functab differ (-unstripped +stripped):\n%s", diff)
			}
		})
	}
}

// TestSizeCrossFormats: PE and Mach-O builds get package figures, and the
// PE pclntab, which has no section, is bounded exactly.
func TestSizeCrossFormats(t *testing.T) {
	for _, v := range []testbuild.Variant{sizetest.PomoWindows, sizetest.PomoDarwin} {
		t.Run(v.Name, func(t *testing.T) {
			r, f := sizetest.SizeOf(t, sizetest.Build(t, v), analyze.SizeOptions{})
			if r.Method != "pclntab+symtab" {
				t.Errorf("method %q", r.Method)
			}
			tab, err := f.FuncTable()
			if err != nil {
				t.Fatal(err)
			}
			md := tab.Moduledata
			if md == nil {
				t.Fatal("moduledata not found")
			}
			if got, want := tab.Pclntab.Size, int64(md.Epclntab-md.Pclntab); got != want {
				t.Errorf("pclntab size %d, runtime says %d", got, want)
			}
			// Overhead is the header and a few bytes of alignment.
			if tab.Overhead > 4096 {
				t.Errorf("pclntab overhead %d bytes", tab.Overhead)
			}
		})
	}
}

// TestPclntabExtent: the bounds found from the runtime's moduledata agree
// with the ELF section, and the symbol table, where there is one.
func TestPclntabExtent(t *testing.T) {
	path := sizetest.Build(t, sizetest.PomoStatic)
	f, err := elfinfo.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := f.FuncTable()
	if err != nil {
		t.Fatal(err)
	}
	md := tab.Moduledata
	if md == nil {
		t.Fatal("moduledata not found")
	}
	syms, _ := f.Symbols()
	want := map[string]uint64{}
	for _, s := range syms {
		want[s.Name] = s.Addr
	}
	got := map[string]uint64{
		"runtime.pclntab": md.Pclntab, "runtime.epclntab": md.Epclntab, "runtime.text": md.Text,
		"runtime.etext": md.Etext, "go:func.*": md.Gofunc, "runtime.findfunctab": md.Findfunctab,
		"runtime.types": md.Types, "runtime.etypes": md.Etypes,
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			delete(got, k)
		}
	}
	wantSub := map[string]uint64{}
	for k := range got {
		wantSub[k] = want[k]
	}
	if diff := cmp.Diff(wantSub, got); diff != "" {
		t.Errorf("moduledata vs symbols (-symbols +moduledata):\n%s", diff)
	}
	if int64(md.Epclntab-md.Pclntab) != tab.Pclntab.Size {
		t.Errorf("section .gopclntab is %d bytes, runtime says %d", tab.Pclntab.Size, md.Epclntab-md.Pclntab)
	}
}

// TestSizeGoCommand runs on the toolchain's own go binary: a large,
// real program with many modules of cmd.
func TestSizeGoCommand(t *testing.T) {
	path := filepath.Join(runtime.GOROOT(), "bin", "go"+exeSuffix())
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no go binary at %s", path)
	}
	r, _ := sizetest.SizeOf(t, path, analyze.SizeOptions{Symbols: true})
	checkInvariants(t, r)
	if r.Coverage < 0.95 {
		t.Errorf("coverage %.4f", r.Coverage)
	}
	rows := sizetest.Rows(r)
	if rows["cmd/go/internal/modload"].Code == 0 {
		t.Error("no code for cmd/go/internal/modload")
	}
	if len(r.Symbols) == 0 {
		t.Error("no symbols")
	}
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

func TestSizeOfNonGo(t *testing.T) {
	// A non-Go ELF binary from the system, when there is one: everything
	// is C or a fixed row (its loader and unwind tables included).
	path := "/bin/true"
	if _, err := os.Stat(path); err != nil {
		t.Skip("no /bin/true")
	}
	r, f := sizetest.SizeOf(t, path, analyze.SizeOptions{})
	if f.Go != nil {
		t.Skip("/bin/true is a Go binary here")
	}
	checkInvariants(t, r)
	for _, p := range r.Packages {
		if p.Name != analyze.RowC && !analyze.FixedRow(p.Name) {
			t.Errorf("unexpected row %q in a C binary", p.Name)
		}
	}
}

// TestSizeGeneratedNotC: in a binary that links C, the symbols only Go's
// compiler and linker make (go:itab.*, go:buildinfo, type:*) are
// <generated>, not C. There is no C toolchain for darwin here: the build
// info of a pure-Go darwin build is made to say CGO_ENABLED=1 instead.
func TestSizeGeneratedNotC(t *testing.T) {
	data, err := os.ReadFile(sizetest.Build(t, sizetest.PomoDarwin))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("build\tCGO_ENABLED=0\n"), []byte("build\tCGO_ENABLED=1\n"))
	darwin := filepath.Join(t.TempDir(), "pomo-darwin-cgo")
	if err := os.WriteFile(darwin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	paths := []string{darwin}
	if testbuild.HaveCC() {
		paths = append(paths, sizetest.Build(t, sizetest.PomoCgo))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r, f := sizetest.SizeOf(t, path, analyze.SizeOptions{Symbols: true})
			if f.Go == nil || f.Go.CGOEnabled == nil || !*f.Go.CGOEnabled {
				t.Fatal("the build info does not say CGO_ENABLED=1")
			}
			checkInvariants(t, r)
			var n int
			for _, s := range r.Symbols {
				if s.Package == analyze.RowC && (strings.HasPrefix(s.Name, "go:") || strings.HasPrefix(s.Name, "type:")) {
					if n++; n <= 3 {
						t.Errorf("%s (%d bytes) is in the C row", s.Name, s.Size)
					}
				}
			}
			if n == 0 && !slices.ContainsFunc(r.Symbols, func(s analyze.SymbolSize) bool {
				return strings.HasPrefix(s.Name, "go:") && s.Package == analyze.RowGenerated
			}) {
				t.Error("no go: symbol in the <generated> row")
			}
		})
	}
}
