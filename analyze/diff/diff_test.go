package diff_test

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/diff"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

func rowOf(rows []diff.Row, name string) (diff.Row, bool) {
	for _, r := range rows {
		if r.Name == name {
			return r, true
		}
	}
	return diff.Row{}, false
}

// TestDiffContainersTag: the containers tag drops net/http and
// html/template; the diff shows them removed with their full sizes.
func TestDiffContainersTag(t *testing.T) {
	plain, _ := sizetest.SizeOf(t, sizetest.Build(t, sizetest.PomoStatic), analyze.SizeOptions{})
	tagged, _ := sizetest.SizeOf(t, sizetest.Build(t, sizetest.PomoTag), analyze.SizeOptions{})
	d := diff.Sizes(plain, tagged, diff.Options{})
	if d.Delta != tagged.Size-plain.Size || d.Delta >= 0 {
		t.Errorf("delta %d, sizes %d → %d", d.Delta, plain.Size, tagged.Size)
	}
	old := sizetest.Rows(plain)
	for _, pkg := range []string{"net/http", "html/template", "text/template", "crypto/tls"} {
		r, ok := rowOf(d.Packages, pkg)
		if !ok {
			t.Errorf("%s missing from the diff", pkg)
			continue
		}
		want := diff.Row{Name: pkg, Status: diff.Removed, Old: old[pkg].Size, New: 0, Delta: -old[pkg].Size, Estimated: old[pkg].Estimated,
			OldEstimated: old[pkg].EstimatedBytes}
		r.Percent = nil
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("%s (-want +got):\n%s", pkg, diff)
		}
	}
	// Sorted by the size of the delta.
	for i := 1; i < len(d.Packages); i++ {
		a, b := d.Packages[i-1].Delta, d.Packages[i].Delta
		if max(a, -a) < max(b, -b) {
			t.Fatalf("rows %d and %d out of order: %d, %d", i-1, i, a, b)
		}
	}
}

// TestDiffStripped: the sections and rows that stripping removes read as
// removed with their full sizes.
func TestDiffStripped(t *testing.T) {
	full, _ := sizetest.SizeOf(t, sizetest.Build(t, sizetest.PomoStatic), analyze.SizeOptions{})
	sw, _ := sizetest.SizeOf(t, sizetest.Build(t, sizetest.PomoSW), analyze.SizeOptions{})
	d := diff.Sizes(full, sw, diff.Options{})
	var want []diff.Row
	for _, s := range full.Sections {
		if s.Kind == "debug" || s.Kind == "symtab" {
			want = append(want, diff.Row{Name: s.Name, Kind: string(s.Kind), Status: diff.Removed, Old: s.FileSize, Delta: -s.FileSize})
		}
	}
	for _, w := range want {
		got, ok := rowOf(d.Sections, w.Name)
		if !ok {
			t.Errorf("section %s missing", w.Name)
			continue
		}
		if got.Percent == nil || *got.Percent != -100 {
			t.Errorf("section %s: percent %v, want -100", w.Name, got.Percent)
		}
		got.Percent = nil
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	for _, name := range []string{analyze.RowDebugInfo, analyze.RowSymbolTable} {
		r, ok := rowOf(d.Packages, name)
		if !ok || r.Status != diff.Removed || r.New != 0 || r.Delta != -r.Old || r.Old == 0 {
			t.Errorf("%s row: %+v", name, r)
		}
	}
	// --min-delta hides small rows and counts them.
	small := diff.Sizes(full, sw, diff.Options{MinDelta: 100 << 10})
	for _, r := range small.Packages {
		if max(r.Delta, -r.Delta) < 100<<10 {
			t.Errorf("row %s with delta %d shown under --min-delta 100K", r.Name, r.Delta)
		}
	}
	if small.Hidden == 0 {
		t.Error("no rows hidden by --min-delta 100K")
	}
	if g := d.Grown("packages", 3); len(g) == 0 || g[0].Delta <= 0 {
		t.Errorf("Grown: %+v", g)
	}
}

// TestDiffSectionsExplainTotal: the section rows of a diff add up to the
// total delta in every format, the symbol table outside sections
// (Mach-O's, which -s removes) and the headers included.
func TestDiffSectionsExplainTotal(t *testing.T) {
	for _, tc := range []struct {
		full, stripped testbuild.Variant
		symtabOutside  bool
	}{
		{sizetest.PomoStatic, sizetest.PomoSW, false},
		{sizetest.PomoDarwin, sizetest.PomoDarwinS, true},
		{sizetest.PomoWindows, sizetest.PomoWindowsS, false},
	} {
		t.Run(tc.full.Name, func(t *testing.T) {
			full, _ := sizetest.SizeOf(t, sizetest.Build(t, tc.full), analyze.SizeOptions{})
			sw, _ := sizetest.SizeOf(t, sizetest.Build(t, tc.stripped), analyze.SizeOptions{})
			d := diff.Sizes(full, sw, diff.Options{})
			var sum int64
			for _, r := range d.Sections {
				sum += r.Delta
			}
			if sum != d.Delta {
				t.Errorf("section rows add up to %d, the total delta is %d", sum, d.Delta)
			}
			// -s leaves a Mach-O binary the symbols it imports.
			r, ok := rowOf(d.Sections, "("+analyze.RowSymbolTable+")")
			if ok != tc.symtabOutside || ok && (r.Old != full.SymbolTableOutside || r.New != sw.SymbolTableOutside || r.New >= r.Old) {
				t.Errorf("(symbol table) row %+v (listed: %v), want it to shrink: %v", r, ok, tc.symtabOutside)
			}
		})
	}
}

func TestDiffCompareCells(t *testing.T) {
	mk := func(id string, strip bool, pkgs ...analyze.PackageSize) compare.Cell {
		var size int64
		for _, p := range pkgs {
			size += p.Size
		}
		c := compare.Cell{ID: id, Status: compare.StatusOK, Size: size, Packages: pkgs}
		c.Options.GOOS, c.Options.GOARCH, c.Options.Strip = "linux", "amd64", strip
		return c
	}
	old := &compare.Report{SchemaVersion: 1, Cells: []compare.Cell{
		mk("a", false, analyze.PackageSize{Name: "runtime", Size: 100}, analyze.PackageSize{Name: "fmt", Size: 50}),
		mk("b", true, analyze.PackageSize{Name: "runtime", Size: 80}),
	}}
	new := &compare.Report{SchemaVersion: 1, Cells: []compare.Cell{
		mk("b2", true, analyze.PackageSize{Name: "runtime", Size: 90}),
		mk("a2", false, analyze.PackageSize{Name: "runtime", Size: 100}, analyze.PackageSize{Name: "net", Size: 7}),
	}}
	d := diff.Compare(old, new, "old.json", "new.json", diff.Options{})
	got := map[string][]diff.Row{}
	for _, c := range d.Cells {
		if c.Diff == nil {
			t.Fatalf("cell %s not matched: %+v", c.ID, c)
		}
		for i := range c.Diff.Packages {
			c.Diff.Packages[i].Percent = nil
		}
		got[c.ID] = c.Diff.Packages
	}
	want := map[string][]diff.Row{
		"a2": {
			{Name: "fmt", Status: diff.Removed, Old: 50, Delta: -50},
			{Name: "net", Status: diff.Added, New: 7, Delta: 7},
		},
		"b2": {{Name: "runtime", Status: diff.Changed, Old: 80, New: 90, Delta: 10}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cell diffs (-want +got):\n%s", diff)
	}
	if d.OldSize != 230 || d.NewSize != 197 {
		t.Errorf("totals %d → %d", d.OldSize, d.NewSize)
	}
}
