package analyze_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
)

// shape is one way people ship a Go binary, for the tests that read
// binaries of every Go toolchain the machine has.
type shape struct {
	testbuild.Variant
	since int    // first Go 1.N that builds it
	nmOf  string // the shape whose symbol table stands in for this one's (same code, not stripped)
}

var shapes = []shape{
	{Variant: testbuild.Variant{Name: "plain", Env: []string{"CGO_ENABLED=1"}}},
	{Variant: testbuild.Variant{Name: "c0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}}, nmOf: "c0"},
	{Variant: testbuild.Variant{Name: "c0", Env: []string{"CGO_ENABLED=0"}}},
	{Variant: testbuild.Variant{Name: "pie-ext", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-buildmode=pie", "-ldflags=-linkmode=external"}}},
	{Variant: testbuild.Variant{Name: "pie-ext-sw", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-buildmode=pie", "-ldflags=-linkmode=external -s -w"}}, nmOf: "pie-ext"},
	{Variant: testbuild.Variant{Name: "static-pie", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-buildmode=pie", "-ldflags=-linkmode=external -extldflags=-static-pie"}}},
	{Variant: testbuild.Variant{Name: "windows.exe", Env: []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64"}}},
	{Variant: testbuild.Variant{Name: "darwin-arm64", Env: []string{"CGO_ENABLED=0", "GOOS=darwin", "GOARCH=arm64"}}, since: 16},
	{Variant: testbuild.Variant{Name: "darwin-amd64", Env: []string{"CGO_ENABLED=0", "GOOS=darwin", "GOARCH=amd64"}}},
	// Go 1.15's wasm function table has the Go 1.2 header, which the
	// WebAssembly reader does not read.
	{Variant: testbuild.Variant{Name: "js.wasm", Env: []string{"CGO_ENABLED=0", "GOOS=js", "GOARCH=wasm"}}, since: 16},
	{Variant: testbuild.Variant{Name: "wasip1.wasm", Env: []string{"CGO_ENABLED=0", "GOOS=wasip1", "GOARCH=wasm"}}, since: 21},
}

// TestGoVersions reads the fixture program built by every Go toolchain
// the machine has (scripts/fetch-toolchains fetches Go 1.19, 1.21, 1.24 and
// 1.27; the running one is always there) in every shape people ship, and
// holds each binary to what must be true of any Go binary:
//   - inspect's summary is file(1)'s verdict, to the letter;
//   - its package figures come from the Go function table, and at least
//     99% of its program bytes are attributed;
//   - every package that `go tool nm` of the same toolchain shows with at
//     least 4 KB of code has a row, with code no less than nm's and at
//     most 6% more (in ELF, whose symbols have sizes, code without its
//     padding; in Mach-O and PE, where nm's sizes run to the next symbol,
//     code with it); a stripped binary is held to the symbols of its
//     unstripped twin;
//   - no package name is escaped or holds a receiver, no module is
//     unknown where the build info lists modules, and <generated> holds
//     at most 5% of the file.
func TestGoVersions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the fixture with every toolchain")
	}
	tcs := testbuild.Toolchains(t)
	var names []string
	for _, tc := range tcs {
		names = append(names, tc.Version)
	}
	t.Logf("toolchains: %s (scripts/fetch-toolchains fetches more)", strings.Join(names, ", "))
	for _, tc := range tcs {
		t.Run("go"+tc.Version, func(t *testing.T) {
			// Two toolchains build at once: a cold build spends much of
			// its time in steps that use one core.
			t.Parallel()
			dir := testbuild.Fixture(t, tc.Version)
			bins := map[string]string{}
			for _, sh := range shapes {
				if tc.Minor() < sh.since {
					continue
				}
				sh := sh
				t.Run(sh.Name, func(t *testing.T) {
					bin := testbuild.BuildWith(t, tc, dir, sh.Variant)
					bins[sh.Name] = bin
					nmBin := bin
					if sh.nmOf != "" {
						for _, o := range shapes {
							if o.Name == sh.nmOf {
								nmBin = testbuild.BuildWith(t, tc, dir, o.Variant)
							}
						}
					}
					checkGoBinary(t, tc, bin, nmBin)
				})
			}
			for _, pair := range [][2]string{{"c0", "c0-sw"}, {"pie-ext", "pie-ext-sw"}} {
				if bins[pair[0]] != "" && bins[pair[1]] != "" {
					t.Run(pair[1]+"-vs-"+pair[0], func(t *testing.T) { checkStripPair(t, bins[pair[0]], bins[pair[1]]) })
				}
			}
			if bins["darwin-amd64"] != "" && bins["darwin-arm64"] != "" {
				t.Run("universal", func(t *testing.T) { checkUniversal(t, bins["darwin-amd64"], bins["darwin-arm64"]) })
			}
		})
	}
}

// checkUniversal joins two thin Mach-O builds as lipo and GoReleaser do
// and holds the universal binary to file(1), and each slice to what the
// thin build gets.
func checkUniversal(t *testing.T, thin ...string) {
	var slices [][]byte
	for _, p := range thin {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		slices = append(slices, b)
	}
	fat, err := testbuild.Fat(0xcafebabe, slices...)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "universal")
	if err := os.WriteFile(path, fat, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := elfinfo.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checkSummary(t, f, path)
	if len(f.Slices) != len(thin) {
		t.Fatalf("%d slices, want %d", len(f.Slices), len(thin))
	}
	for i, s := range f.Slices {
		got, err := analyze.SizeOf(s, analyze.SizeOptions{})
		if err != nil {
			t.Fatalf("slice %s: %v", s.Arch, err)
		}
		want, _ := sizetest.SizeOf(t, thin[i], analyze.SizeOptions{})
		if got.Size != want.Size || got.Coverage != want.Coverage || len(got.Packages) != len(want.Packages) {
			t.Errorf("slice %s: size %d, coverage %.4f, %d packages; the thin build: %d, %.4f, %d",
				s.Arch, got.Size, got.Coverage, len(got.Packages), want.Size, want.Coverage, len(want.Packages))
		}
	}
}

// checkSummary holds f's summary to file -b, when file is installed.
func checkSummary(t *testing.T, f *elfinfo.File, path string) {
	t.Helper()
	file, err := exec.LookPath("file")
	if err != nil {
		return
	}
	out, err := exec.Command(file, "-b", path).Output()
	if err != nil {
		t.Fatalf("file -b: %v", err)
	}
	if want := strings.TrimSpace(string(out)); f.Summary != want {
		t.Errorf("summary:\n got %s\nwant %s (file -b)", f.Summary, want)
	}
}

func checkGoBinary(t *testing.T, tc testbuild.Toolchain, bin, nmBin string) {
	t.Helper()
	r, f := sizetest.SizeOf(t, bin, analyze.SizeOptions{})
	checkSummary(t, f, bin)
	if f.OS == "" || r.GOOS == "" {
		t.Errorf("os %q, size's goos %q: want the system the binary is for", f.OS, r.GOOS)
	}
	if !strings.Contains(r.Method, "pclntab") {
		t.Errorf("method %q: package figures not from the Go function table", r.Method)
	}
	rows := sizetest.Rows(r)
	for _, p := range r.Packages {
		if strings.ContainsAny(p.Name, "%()*[") || strings.Contains(p.Name, ".go.") {
			t.Errorf("package row %q: an escaped name or a receiver", p.Name)
		}
	}
	if g := rows[analyze.RowGenerated].Size; g*20 > r.Size {
		t.Errorf("<generated> holds %d of %d bytes, over 5%%", g, r.Size)
	}
	if r.Coverage < 0.99 {
		t.Errorf("coverage %.2f%%, want ≥ 99%% (unattributed %d of %d bytes)", 100*r.Coverage, r.Unattributed, r.Size)
	}
	if f.Go != nil && len(f.Go.Deps) > 0 {
		for _, m := range r.Modules {
			if m.Path == "(unknown module)" {
				t.Errorf("module row (unknown module), %d bytes, although the build info lists the modules", m.Size)
			}
		}
	}
	if tc.Minor() < 16 {
		// Before Go 1.16 the function table records no function ends
		// and no moduledata binscope reads: code against nm and the
		// moduledata are held from Go 1.16 on, the releases binscope
		// reads in full. (Go 1.15's build info has no settings either:
		// runtime/cgo's C functions tell that C is linked, so that C is
		// not <generated>, above.)
		return
	}
	// From Go 1.18 on, the runtime's moduledata is read, with the layout
	// of the binary's release, and nothing is an estimate for want of it.
	if tc.Minor() >= 18 {
		ft, err := f.FuncTable()
		if err != nil {
			t.Fatalf("FuncTable: %v", err)
		}
		if md := ft.Moduledata; md == nil {
			t.Errorf("no moduledata read")
		} else if lo, hi := layoutRange(md.Layout); tc.Minor() < lo || tc.Minor() > hi {
			t.Errorf("moduledata read with the layout of %s, for a Go 1.%d binary", md.Layout, tc.Minor())
		}
		if len(r.Notes) > 0 {
			t.Errorf("notes %q; want none", r.Notes)
		}
		// Data goes by evidence: type descriptors through the
		// moduledata everywhere, references from code where binscope
		// reads the machine code (amd64, arm64).
		if f.Format != elfinfo.FormatWasm && (f.Arch == "amd64" || f.Arch == "arm64") {
			if r.Estimated*20 > r.Attributed {
				t.Errorf("estimated %d of %d attributed bytes (%.1f%%), over 5%%", r.Estimated, r.Attributed, 100*float64(r.Estimated)/float64(r.Attributed))
			}
			// The fixture embeds 300,000 bytes that only main reads.
			if m := rows["main"]; m.Size < 290_000 {
				t.Errorf("main holds %d bytes; want the 300,000-byte embed in it", m.Size)
			}
		}
	}
	if f.Format == elfinfo.FormatWasm {
		// go tool nm does not read WebAssembly; analyze's TestWasmSize
		// holds its code to the code section's bodies instead.
		return
	}
	funcs, err := f.Funcs()
	if err != nil {
		t.Fatalf("Funcs: %v", err)
	}
	goFuncs := map[string]bool{}
	for _, fn := range funcs {
		goFuncs[fn.Name] = true
	}
	for pkg, want := range nmCode(t, tc, nmBin, goFuncs) {
		if want < 4<<10 {
			continue
		}
		got, ok := rows[pkg]
		code := got.Code
		if f.Format == elfinfo.FormatELF {
			// ELF records each function's size, without the padding
			// after it; Mach-O and PE record none, and nm's sizes run to
			// the next symbol, padding included.
			code -= got.Padding
		}
		switch {
		case !ok:
			t.Errorf("package %s: nm shows %d bytes of code, binscope has no row", pkg, want)
		case code < want || float64(code) > 1.06*float64(want):
			t.Errorf("package %s: code %d, nm %d (%+.1f%%); want nm's to nm's + 6%%", pkg, code, want, 100*float64(code-want)/float64(want))
		}
	}
}

// checkStripPair holds a build and its -s -w twin, whose code and data
// are the same bytes, to the same packages: no package row may differ by
// more than max(4 KB, 2%) between them.
func checkStripPair(t *testing.T, plain, stripped string) {
	t.Helper()
	a, _ := sizetest.SizeOf(t, plain, analyze.SizeOptions{})
	b, _ := sizetest.SizeOf(t, stripped, analyze.SizeOptions{})
	rowsA, rowsB := sizetest.Rows(a), sizetest.Rows(b)
	names := map[string]bool{}
	for n := range rowsA {
		names[n] = true
	}
	for n := range rowsB {
		names[n] = true
	}
	for n := range names {
		if analyze.FixedRow(n) {
			continue
		}
		x, y := rowsA[n].Size, rowsB[n].Size
		d := y - x
		if d < 0 {
			d = -d
		}
		if d > max(4<<10, max(x, y)/50) {
			t.Errorf("package %s: %d bytes with symbols, %d without (%+d); want within max(4 KB, 2%%)", n, x, y, y-x)
		}
	}
}

// layoutRange returns the Go 1.N releases of a moduledata layout's name:
// 20, 25 for "go1.20-go1.25", 26, 26 for "go1.26".
func layoutRange(name string) (lo, hi int) {
	a, b, ok := strings.Cut(name, "-")
	if !ok {
		b = a
	}
	lo, _ = strconv.Atoi(strings.TrimPrefix(a, "go1."))
	hi, _ = strconv.Atoi(strings.TrimPrefix(b, "go1."))
	return lo, hi
}

// nmCode sums the sizes of the text symbols `go tool nm -size` of the
// toolchain lists for bin, by package: those of the Go functions (the
// names of the function table), which leaves out C and the linker's
// markers.
func nmCode(t *testing.T, tc testbuild.Toolchain, bin string, goFuncs map[string]bool) map[string]int64 {
	t.Helper()
	cmd := exec.Command(tc.Go, "tool", "nm", "-size", bin)
	cmd.Env = tc.Env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go%s tool nm -size %s: %v\n%s", tc.Version, bin, err, stderr.Bytes())
	}
	code := map[string]int64{}
	for _, line := range strings.Split(string(out), "\n") {
		// address size type name; the name may hold spaces.
		fs := strings.Fields(line)
		if len(fs) < 4 || fs[2] != "T" && fs[2] != "t" {
			continue
		}
		n, err := strconv.ParseInt(fs[1], 10, 64)
		if err != nil {
			continue
		}
		// Assembly functions are name.abi0 in the symbol table of some
		// formats, name in the function table.
		name := strings.TrimSuffix(strings.Join(fs[3:], " "), ".abi0")
		if !goFuncs[name] {
			continue
		}
		pkg := elfinfo.PackageOf(name)
		if pkg == "" {
			continue
		}
		code[pkg] += n
	}
	if len(code) == 0 {
		t.Fatalf("go%s tool nm -size %s: no text symbols of Go packages\n%s", tc.Version, bin, fmt.Sprint(len(out)))
	}
	return code
}
