// Package depcheck holds the test that keeps binscope's packages in their
// rooms: data flows one way, build (buildmatrix) → open (elfinfo) →
// attribute, compare, judge (analyze) → render (cmd/binscope), and only
// the command talks to people.
package depcheck

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/binscope/binscope"

// ui are the packages only cmd/binscope may use.
var ui = []string{"github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}

// forbidden lists, per domain package, what it must not depend on, even
// indirectly.
var forbidden = map[string][]string{
	"elfinfo":     {module + "/analyze", module + "/buildmatrix", "os/exec"},
	"buildmatrix": {module + "/elfinfo", module + "/analyze"},
	"analyze":     {},
	"dockerfile":  {module + "/analyze", module + "/buildmatrix", module + "/elfinfo", "os/exec"},
	// The analysis packages take values and return values.
	"analyze/compare": {module + "/pipeline"},
	"analyze/budget":  {module + "/pipeline"},
}

// runsProcesses are the packages that may import os/exec: buildmatrix,
// and the test helpers that build fixtures.
var runsProcesses = map[string]bool{"buildmatrix": true, "internal/testbuild": true}

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", module+"/...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestPackageRooms(t *testing.T) {
	for _, p := range list(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		deps := map[string]bool{}
		for _, d := range p.Deps {
			deps[d] = true
		}
		if rel != "cmd/binscope" {
			for _, u := range ui {
				for d := range deps {
					if d == u || strings.HasPrefix(d, u+"/") {
						t.Errorf("%s depends on %s: only cmd/binscope talks to people", rel, d)
					}
				}
			}
		}
		for _, bad := range forbidden[rel] {
			if deps[bad] {
				t.Errorf("%s depends on %s, which is against the flow build → open → analyze → render", rel, bad)
			}
		}
		if !runsProcesses[rel] {
			for _, imp := range p.Imports {
				if imp == "os/exec" {
					t.Errorf("%s imports os/exec: only buildmatrix runs processes (go commands go through buildmatrix.RunGo)", rel)
				}
			}
		}
	}
}

// TestDomainPackagesTakeTheirWorld checks that the domain packages never
// reach for the process's own streams, arguments or exit: they take
// readers, writers, contexts and environments as parameters.
func TestDomainPackagesTakeTheirWorld(t *testing.T) {
	banned := map[string]bool{"Stdout": true, "Stderr": true, "Stdin": true, "Exit": true, "Args": true, "Setenv": true, "Unsetenv": true, "Chdir": true}
	for _, p := range list(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if strings.HasPrefix(rel, "cmd/") || strings.HasPrefix(rel, "internal/") {
			continue
		}
		fset := token.NewFileSet()
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			osName := ""
			for _, imp := range f.Imports {
				if imp.Path.Value == `"os"` {
					osName = "os"
					if imp.Name != nil {
						osName = imp.Name.Name
					}
				}
			}
			if osName == "" {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == osName && banned[sel.Sel.Name] {
					t.Errorf("%s: %s uses os.%s; domain packages take their world as parameters", rel, fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
}
