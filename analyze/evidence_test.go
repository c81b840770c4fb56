package analyze_test

import (
	"cmp"
	"debug/dwarf"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
	gocmp "github.com/google/go-cmp/cmp"
)

// TestEvidence: on the go command, binscope's own binary and
// testdata/pomo, each plain and built with -s -w, at most 5% of the
// attributed bytes are estimates; every row's evidence sums to its size;
// and without the machine code (NoCodeRefs) more is estimated.
func TestEvidence(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the go command")
	}
	goSrc := filepath.Join(filepath.Dir(filepath.Dir(testbuild.GoCommand(t))), "src", "cmd", "go")
	sw := []string{"-ldflags=-s -w"}
	bins := []struct {
		name, dir string
		flags     []string
		env       []string
	}{
		{"go", goSrc, nil, []string{"CGO_ENABLED=0"}},
		{"go-sw", goSrc, sw, []string{"CGO_ENABLED=0"}},
		{"binscope", filepath.Join(testbuild.Root(t), "cmd", "binscope"), nil, nil},
		{"binscope-sw", filepath.Join(testbuild.Root(t), "cmd", "binscope"), sw, nil},
		{"pomo", testbuild.Pomo(t), nil, nil},
		{"pomo-sw", testbuild.Pomo(t), sw, nil},
	}
	for _, b := range bins {
		t.Run(b.name, func(t *testing.T) {
			path := testbuild.Build(t, b.dir, testbuild.Variant{Name: b.name, Env: b.env, Flags: b.flags})
			r, _ := sizetest.SizeOf(t, path, analyze.SizeOptions{})
			t.Logf("estimated %d of %d attributed bytes (%.2f%%)", r.Estimated, r.Attributed, 100*float64(r.Estimated)/float64(r.Attributed))
			if r.Estimated*20 > r.Attributed {
				t.Errorf("estimated %d of %d attributed bytes, over 5%%", r.Estimated, r.Attributed)
			}
			checkEvidenceSums(t, r)
			if strings.HasSuffix(b.name, "-sw") {
				n, _ := sizetest.SizeOf(t, path, analyze.SizeOptions{NoCodeRefs: true})
				if n.Estimated <= r.Estimated {
					t.Errorf("without the machine code %d bytes estimated, with it %d: want more without", n.Estimated, r.Estimated)
				}
			}
		})
	}
}

// checkEvidenceSums holds every row's evidence to its size and its
// estimate to estimated_bytes, and the module view to its packages.
func checkEvidenceSums(t *testing.T, r *analyze.SizeReport) {
	t.Helper()
	for _, p := range r.Packages {
		e := p.Evidence
		switch {
		case analyze.FixedRow(p.Name):
			if e != nil {
				t.Errorf("fixed row %s carries evidence %+v", p.Name, *e)
			}
		case e == nil:
			t.Errorf("row %s: no evidence", p.Name)
		case e.Exact()+e.Estimate != p.Size || e.Estimate != p.EstimatedBytes:
			t.Errorf("row %s: size %d, estimated %d; evidence %+v sums to %d", p.Name, p.Size, p.EstimatedBytes, *e, e.Exact()+e.Estimate)
		}
	}
	for _, m := range r.Modules {
		if e := m.Evidence; e != nil && e.Exact()+e.Estimate != m.Size {
			t.Errorf("module %s: size %d, evidence sums to %d", m.Path, m.Size, e.Exact()+e.Estimate)
		}
	}
}

// TestEmbedFound: the fixture embeds a 300,000-byte file that only main
// reads. With symbols it is found through main.blob's pointer; without,
// through the code that reads len(blob) and the string header there.
func TestEmbedFound(t *testing.T) {
	dir := testbuild.Fixture(t, testbuild.RunningGoVersion(t))
	for _, v := range []testbuild.Variant{
		{Name: "fixture-c0", Env: []string{"CGO_ENABLED=0"}},
		{Name: "fixture-c0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}},
	} {
		t.Run(v.Name, func(t *testing.T) {
			r, _ := sizetest.SizeOf(t, testbuild.Build(t, dir, v), analyze.SizeOptions{})
			if m := sizetest.Rows(r)["main"]; m.Size < 290_000 {
				t.Errorf("main holds %d bytes (data %d, evidence %+v); want the 300,000-byte embed in it", m.Size, m.Data, m.Evidence)
			}
		})
	}
}

// TestDWARFAgrees reads the global variables of binaries built with
// DWARF straight from debug/dwarf, each to the package its name says,
// and holds binscope's attribution of those bytes to that truth: for the
// 20 packages with the most variable bytes, the bytes of the variables
// binscope gives to each package are within 5% of the package's own. In
// ELF binscope reads the symbols, in Mach-O and PE DWARF itself (their
// symbols record no sizes).
func TestDWARFAgrees(t *testing.T) {
	dir := testbuild.Fixture(t, testbuild.RunningGoVersion(t))
	for _, v := range []testbuild.Variant{
		{Name: "fixture-c0", Env: []string{"CGO_ENABLED=0"}},
		{Name: "darwin-amd64", Env: []string{"CGO_ENABLED=0", "GOOS=darwin", "GOARCH=amd64"}},
		{Name: "windows.exe", Env: []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64"}},
	} {
		t.Run(v.Name, func(t *testing.T) {
			path := testbuild.Build(t, dir, v)
			vars := dwarfVariables(t, path)
			f, err := elfinfo.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Only the variables the file holds bytes of (not .bss).
			var kept []dwarfVar
			for _, dv := range vars {
				for _, s := range f.Sections {
					if s.FileSize > 0 && s.VMSize > 0 && dv.addr >= s.Addr && dv.addr+uint64(dv.size) <= s.Addr+uint64(min(s.FileSize, s.VMSize)) {
						kept = append(kept, dv)
						break
					}
				}
			}
			truth := map[string]int64{}
			ranges := make([][2]uint64, len(kept))
			for i, dv := range kept {
				truth[dv.pkg] += dv.size
				ranges[i] = [2]uint64{dv.addr, dv.addr + uint64(dv.size)}
			}
			if f.Format != elfinfo.FormatELF {
				// Mach-O and PE symbols record no sizes: binscope reads
				// DWARF's instead, and says so.
				r, err := analyze.Size(f)
				if err != nil {
					t.Fatal(err)
				}
				var fromDWARF int64
				for _, p := range r.Packages {
					if p.Evidence != nil {
						fromDWARF += p.Evidence.DWARF
					}
				}
				if fromDWARF == 0 {
					t.Errorf("no bytes rest on DWARF in a %s binary with DWARF", f.Format)
				}
			}
			owners, err := analyze.DataOwners(f, ranges)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, m := range owners {
				for row, n := range m {
					got[row] += n
				}
			}
			var pkgs []string
			for p := range truth {
				pkgs = append(pkgs, p)
			}
			slices.SortFunc(pkgs, func(a, b string) int { return cmp.Or(cmp.Compare(truth[b], truth[a]), cmp.Compare(a, b)) })
			if len(pkgs) < 20 {
				t.Fatalf("DWARF names variables of %d packages; want at least 20", len(pkgs))
			}
			for _, p := range pkgs[:20] {
				d := got[p] - truth[p]
				if d < 0 {
					d = -d
				}
				if d*20 > truth[p] {
					t.Errorf("package %s: DWARF's variables %d bytes, binscope gives it %d of their bytes", p, truth[p], got[p])
				}
			}
		})
	}
}

type dwarfVar struct {
	pkg  string
	addr uint64
	size int64
	name string
}

// dwarfVariables reads the variables at fixed addresses with the standard
// library alone, each to the package of its name: the part before the
// first dot after the last slash, unescaped.
func dwarfVariables(t *testing.T, path string) []dwarfVar {
	t.Helper()
	var d *dwarf.Data
	var err error
	if ef, e := elf.Open(path); e == nil {
		defer ef.Close()
		d, err = ef.DWARF()
	} else if mf, e := macho.Open(path); e == nil {
		defer mf.Close()
		d, err = mf.DWARF()
	} else if pf, e := pe.Open(path); e == nil {
		defer pf.Close()
		d, err = pf.DWARF()
	} else {
		t.Fatalf("%s: not ELF, Mach-O or PE", path)
	}
	if err != nil {
		t.Fatalf("DWARF: %v", err)
	}
	var out []dwarfVar
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			return out
		}
		if e.Tag != dwarf.TagVariable {
			if e.Tag != dwarf.TagCompileUnit && e.Children {
				r.SkipChildren()
			}
			continue
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		loc, _ := e.Val(dwarf.AttrLocation).([]byte)
		off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
		if name == "" || !ok || len(loc) != 9 || loc[0] != 0x03 {
			continue
		}
		typ, err := d.Type(off)
		if err != nil || typ.Size() <= 0 {
			continue
		}
		addr := uint64(loc[1]) | uint64(loc[2])<<8 | uint64(loc[3])<<16 | uint64(loc[4])<<24 |
			uint64(loc[5])<<32 | uint64(loc[6])<<40 | uint64(loc[7])<<48 | uint64(loc[8])<<56
		slash := strings.LastIndexByte(name, '/')
		dot := strings.IndexByte(name[slash+1:], '.')
		if dot < 0 {
			continue
		}
		// The linker escapes dots in a path's last element (binscope%2ev1).
		pkg, err := url.PathUnescape(name[:slash+1+dot])
		if err != nil {
			pkg = name[:slash+1+dot]
		}
		out = append(out, dwarfVar{pkg: pkg, addr: addr, size: typ.Size(), name: name})
	}
}

// TestSizeDeterministic: the same binary gives the same report every time
// (the evidence layer keeps points in maps; no row may depend on their
// order).
func TestSizeDeterministic(t *testing.T) {
	path := sizetest.Build(t, sizetest.PomoStatic)
	first, _ := sizetest.SizeOf(t, path, analyze.SizeOptions{})
	for i := 0; i < 6; i++ {
		again, _ := sizetest.SizeOf(t, path, analyze.SizeOptions{})
		if diff := gocmp.Diff(first, again); diff != "" {
			t.Fatalf("run %d differs from the first (-first +again):\n%s", i+2, diff)
		}
	}
}
