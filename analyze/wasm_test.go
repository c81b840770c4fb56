package analyze_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
)

// TestWasmSize attributes the fixture and pomo built for js/wasm and
// wasip1/wasm, with and without -s -w. go tool nm cannot read WebAssembly
// ("unrecognized object file"), so the reference for each package's code
// is the code section itself: the bodies of the functions that the name
// section names after the package (the names as the linker writes them
// there, with '/' and the like as '_', matched against go list's
// packages), in the builds that have a name section.
func TestWasmSize(t *testing.T) {
	fixture := testbuild.Fixture(t, testbuild.RunningGoVersion(t))
	pomo := testbuild.Pomo(t)
	type build struct {
		dir  string
		v    testbuild.Variant
		pkgs []string // packages that must have code
	}
	var builds []build
	for _, goos := range []string{"js", "wasip1"} {
		env := []string{"GOOS=" + goos, "GOARCH=wasm", "CGO_ENABLED=0"}
		for _, sw := range []bool{false, true} {
			var flags []string
			suffix := ""
			if sw {
				flags, suffix = []string{"-ldflags=-s -w"}, "-sw"
			}
			builds = append(builds,
				build{fixture, testbuild.Variant{Name: "fixture-" + goos + suffix + ".wasm", Env: env, Flags: flags}, []string{"main", "go.binscope.test/dep", "gopkg.in/binscope.v1"}},
				build{pomo, testbuild.Variant{Name: "pomo-" + goos + suffix + ".wasm", Env: env, Flags: flags}, []string{"main", "net/http", "runtime"}})
		}
	}
	for _, b := range builds {
		t.Run(b.v.Name, func(t *testing.T) {
			r, f := sizetest.SizeOf(t, testbuild.Build(t, b.dir, b.v), analyze.SizeOptions{})
			rows := sizetest.Rows(r)
			if !strings.Contains(r.Method, "pclntab") {
				t.Errorf("method %q: the function table was not read", r.Method)
			}
			var sum int64
			for _, p := range r.Packages {
				sum += p.Size
				if strings.ContainsAny(p.Name, "%()*_") && !strings.HasPrefix(p.Name, "<") || strings.Contains(p.Name, ".go.") {
					t.Errorf("package row %q: an escaped name, a receiver or a name section spelling", p.Name)
				}
			}
			if sum != r.Size {
				t.Errorf("rows sum to %d, file is %d", sum, r.Size)
			}
			if r.Coverage < 0.99 {
				t.Errorf("coverage %.4f, want at least 0.99 (unattributed %d)", r.Coverage, r.Unattributed)
			}
			if g := rows[analyze.RowGenerated].Size; g*20 > r.Size {
				t.Errorf("<generated> holds %d of %d bytes, over 5%%", g, r.Size)
			}
			for _, pkg := range b.pkgs {
				if p, ok := rows[pkg]; !ok || p.Code == 0 || p.Functab == 0 {
					t.Errorf("package %s: row %+v, present %v; want code and function table", pkg, p, ok)
				}
			}
			var code int64
			for _, s := range r.Sections {
				if s.Name == "code" {
					code = s.FileSize
				}
			}
			var attributedCode int64
			for _, p := range r.Packages {
				attributedCode += p.Code
			}
			// The section's bytes but its function count are the bodies.
			if attributedCode > code || code-attributedCode > 5 {
				t.Errorf("package rows hold %d bytes of code, the code section %d", attributedCode, code)
			}

			t.Logf("%d bytes: coverage %.4f, unattributed %d, <generated> %d, headers %d, estimated %d",
				r.Size, r.Coverage, r.Unattributed, rows[analyze.RowGenerated].Size, rows[analyze.RowHeaders].Size, r.Estimated)
			syms, err := f.Symbols()
			if err != nil {
				t.Fatal(err)
			}
			if len(syms) == 0 {
				return // -s: no name section
			}
			cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".")
			cmd.Dir, cmd.Env = b.dir, testbuild.GoEnv(b.v.Env...)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list -deps: %v", err)
			}
			pkgs := strings.Fields(string(out))
			ref := map[string]int64{}
			for _, s := range syms {
				name := nameSectionSpelling(s.Name)
				best := ""
				for _, p := range pkgs {
					if p == b.dir || strings.HasSuffix(p, "/fixture") || strings.HasSuffix(p, "/pomo") {
						p = "main"
					}
					if strings.HasPrefix(name, nameSectionSpelling(p)+".") && len(p) > len(best) {
						best = p
					}
				}
				if best != "" {
					ref[best] += s.Size
				}
			}
			worst, compared := 0.0, 0
			defer func() {
				t.Logf("%d packages with 4K of code or more; the largest gap from the name section's bodies %.2f%%", compared, worst)
			}()
			for pkg, want := range ref {
				if want < 4<<10 {
					continue
				}
				got := rows[pkg].Code
				compared++
				worst = max(worst, 100*float64(max(got-want, want-got))/float64(want))
				if d := got - want; d*100 > want*6 || -d*100 > want*6 {
					t.Errorf("package %s: %d bytes of code, the name section's bodies %d (over 6%% apart)", pkg, got, want)
				}
			}
		})
	}
}

// nameSectionSpelling spells a name as Go's linker writes it in the name
// section: every byte but [0-9A-Za-z_.] as '_'.
func nameSectionSpelling(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}
