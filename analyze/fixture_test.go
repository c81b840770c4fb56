package analyze_test

import (
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
)

// TestFixturePackageNames builds testdata/fixture, whose dependencies have
// the import paths that trip up package naming: go.binscope.test/dep
// (a path that starts with "go.", as go.uber.org's do) and
// gopkg.in/binscope.v1 (escaped by the linker as binscope%2ev1), with a
// promoted unexported method of another package (main.wrapper.go.…/dep.reset)
// and generic instantiations. Each package gets its own row under its
// real name, with its code, in its module.
func TestFixturePackageNames(t *testing.T) {
	dir := testbuild.Fixture(t, testbuild.RunningGoVersion(t))
	for _, v := range []testbuild.Variant{
		{Name: "fixture-c0", Env: []string{"CGO_ENABLED=0"}},
		{Name: "fixture-c0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}},
		{Name: "fixture-c1", Env: []string{"CGO_ENABLED=1"}},
	} {
		t.Run(v.Name, func(t *testing.T) {
			r, _ := sizetest.SizeOf(t, testbuild.Build(t, dir, v), analyze.SizeOptions{})
			rows := sizetest.Rows(r)
			for _, pkg := range []string{"main", "go.binscope.test/dep", "gopkg.in/binscope.v1"} {
				if p, ok := rows[pkg]; !ok || p.Code == 0 {
					t.Errorf("package %s: row %+v, present %v; want a row with code", pkg, p, ok)
				}
			}
			for _, p := range r.Packages {
				if strings.ContainsAny(p.Name, "%()*") || strings.Contains(p.Name, ".go.") {
					t.Errorf("package row %q: an escaped name or a receiver", p.Name)
				}
			}
			mods := map[string]bool{}
			for _, m := range r.Modules {
				mods[m.Path] = true
			}
			for _, m := range []string{"example.com/fixture", "go.binscope.test/dep", "gopkg.in/binscope.v1"} {
				if !mods[m] {
					t.Errorf("no module row %s", m)
				}
			}
			if mods["(unknown module)"] {
				t.Error("a module row (unknown module) although the build info lists every module")
			}
			if g := rows[analyze.RowGenerated].Size; g*20 > r.Size {
				t.Errorf("<generated> holds %d of %d bytes, over 5%%", g, r.Size)
			}
		})
	}
}

// TestRaceRuntimeIsC builds the fixture with -race, which links the race
// detector's C++ runtime into the function table: its functions are C,
// never package rows of their own nor <generated>.
func TestRaceRuntimeIsC(t *testing.T) {
	dir := testbuild.Fixture(t, testbuild.RunningGoVersion(t))
	bin := testbuild.Build(t, dir, testbuild.Variant{Name: "fixture-race", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-race"}})
	r, _ := sizetest.SizeOf(t, bin, analyze.SizeOptions{})
	rows := sizetest.Rows(r)
	for _, p := range r.Packages {
		if strings.HasPrefix(p.Name, "_Z") || strings.HasPrefix(p.Name, "__") {
			t.Errorf("package row %q: the race runtime's C++", p.Name)
		}
	}
	if c := rows[analyze.RowC]; c.Code < 100<<10 {
		t.Errorf("C holds %d bytes of code; the race runtime alone has more than 100K", c.Code)
	}
	if g := rows[analyze.RowGenerated]; g.Code > rows[analyze.RowC].Code {
		t.Errorf("<generated> holds %d bytes of code, more than C's %d: the race runtime went to <generated>", g.Code, rows[analyze.RowC].Code)
	}
}
