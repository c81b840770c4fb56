// Package depcheck holds the test that keeps binscope's packages in their
// rooms: data flows one way, build (buildmatrix) → open (elfinfo) →
// attribute, compare, judge (the analysis packages) → render
// (cmd/binscope), and only the command talks to people.
package depcheck

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/binscope/binscope"

// ui are the packages only cmd/binscope may use.
var ui = []string{"github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}

// rooms lists, for every package of the module, the module's packages it
// may import directly: the arrows of docs/architecture.md. A package
// missing here fails the test, so a new package declares its arrows when
// it is added. "*" is any.
var rooms = map[string][]string{
	// Readers and builders: they know nothing of the analyses.
	"elfinfo":          {},
	"buildmatrix":      {"buildmatrix/lipo"},
	"buildmatrix/lipo": {},
	"dockerfile":       {"internal/ldflags"},
	"internal/units":   {},
	"internal/ldflags": {},
	// GitHub's API for binscope ci: its values, and the client (the
	// network, no processes), linked only with -tags ghapi.
	"internal/ghapi":    {},
	"internal/ghclient": {"internal/ghapi"},
	// The analyses: values in, values out.
	"analyze/container":   {"elfinfo"},
	"analyze":             {"elfinfo", "analyze/container", "internal/units"},
	"analyze/compare":     {"analyze", "buildmatrix", "internal/units"},
	"analyze/diff":        {"analyze", "analyze/compare", "elfinfo", "internal/units"},
	"analyze/report":      {"analyze", "analyze/compare"},
	"analyze/budget":      {"analyze", "analyze/compare", "analyze/diff", "buildmatrix", "elfinfo", "internal/units"},
	"analyze/dockercheck": {"analyze", "analyze/container", "dockerfile", "elfinfo", "internal/units"},
	"analyze/treemap":     {"analyze", "elfinfo"},
	"analyze/reach":       {"analyze", "elfinfo"},
	"analyze/advise":      {"analyze", "analyze/compare", "analyze/reach", "buildmatrix", "internal/units"},
	"config":              {"analyze/budget", "buildmatrix", "internal/units"},
	// The workflows: build, open, analyze, in that order.
	"pipeline": {"analyze", "analyze/advise", "analyze/compare", "analyze/container", "analyze/dockercheck", "analyze/reach", "buildmatrix", "config", "dockerfile", "elfinfo", "internal/ldflags"},
	// The command talks to people.
	"cmd/binscope": {"*"},
	// Test helpers, never linked into binscope (TestTestHelpersStayOut).
	"internal/testbuild":    {"buildmatrix/lipo"},
	"internal/sizetest":     {"analyze", "elfinfo", "internal/testbuild"},
	"internal/depcheck":     {},
	"internal/doccheck":     {},
	"internal/ghapi/fakegh": {},
}

// internalLibraries are the internal packages linked into binscope, which
// keep the library packages' rules; the other internal packages are test
// helpers.
var internalLibraries = []string{"internal/units", "internal/ldflags", "internal/ghapi", "internal/ghclient"}

// runsCommands are the packages that may import os/exec. Only buildmatrix
// runs processes; internal/testbuild builds the tests' fixtures and is
// never part of binscope.
var runsCommands = []string{"buildmatrix", "internal/testbuild"}

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

func list(t *testing.T, pattern string) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", pattern)
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

func rel(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
}

// violations returns what breaks the rules in one package: each import of
// a module package outside its arrows, os/exec outside runsCommands, and
// the UI libraries outside cmd/binscope. It is the test's logic, apart
// from go list, so that TestViolationsCatchReversedArrows can feed it a
// package with an arrow turned back.
func violations(p pkg) []string {
	name := rel(p.ImportPath)
	allowed, known := rooms[name]
	if !known {
		return []string{name + " has no entry in depcheck's rooms: add its arrows here and in docs/architecture.md"}
	}
	var out []string
	for _, imp := range p.Imports {
		switch {
		case imp == "os/exec" && !slices.Contains(runsCommands, name):
			out = append(out, name+" imports os/exec: only buildmatrix runs processes")
		case strings.HasPrefix(imp, module+"/"):
			if !slices.Contains(allowed, "*") && !slices.Contains(allowed, rel(imp)) {
				arrows := strings.Join(allowed, ", ")
				if arrows == "" {
					arrows = "none"
				}
				out = append(out, name+" imports "+rel(imp)+", which is not one of its arrows ("+arrows+"): data flows build → open → analyze → render")
			}
		}
	}
	// Even indirectly, through the standard library or a dependency, a
	// package that does not depend on buildmatrix (for its types, such as
	// Combination) depends on no os/exec at all.
	if !slices.Contains(runsCommands, name) && !slices.Contains(p.Deps, module+"/buildmatrix") && !slices.Contains(p.Deps, module+"/internal/testbuild") && slices.Contains(p.Deps, "os/exec") {
		out = append(out, name+" depends on os/exec (indirectly): only buildmatrix runs processes")
	}
	if name != "cmd/binscope" {
		for _, d := range p.Deps {
			for _, u := range ui {
				if d == u || strings.HasPrefix(d, u+"/") {
					out = append(out, name+" depends on "+d+": only cmd/binscope talks to people")
				}
			}
		}
	}
	return out
}

func TestPackageRooms(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range list(t, module+"/...") {
		seen[rel(p.ImportPath)] = true
		for _, v := range violations(p) {
			t.Error(v)
		}
	}
	for name := range rooms {
		if !seen[name] {
			t.Errorf("depcheck's rooms name %s, which is not a package of the module", name)
		}
	}
}

// TestViolationsCatchReversedArrows turns arrows back on purpose and
// checks that each is reported.
func TestViolationsCatchReversedArrows(t *testing.T) {
	for _, tc := range []struct {
		p    pkg
		want string
	}{
		{pkg{ImportPath: module + "/elfinfo", Imports: []string{module + "/analyze"}}, "elfinfo imports analyze, which is not one of its arrows"},
		{pkg{ImportPath: module + "/buildmatrix", Imports: []string{module + "/elfinfo"}}, "buildmatrix imports elfinfo"},
		{pkg{ImportPath: module + "/analyze/container", Imports: []string{module + "/analyze"}}, "analyze/container imports analyze"},
		{pkg{ImportPath: module + "/analyze", Imports: []string{"os/exec"}}, "analyze imports os/exec"},
		{pkg{ImportPath: module + "/cmd/binscope", Imports: []string{"os/exec"}}, "cmd/binscope imports os/exec"},
		{pkg{ImportPath: module + "/config", Deps: []string{"github.com/spf13/cobra"}}, "config depends on github.com/spf13/cobra"},
		{pkg{ImportPath: module + "/newpkg"}, "newpkg has no entry"},
		{pkg{ImportPath: module + "/elfinfo", Imports: []string{"some/lib"}, Deps: []string{"some/lib", "os/exec"}}, "elfinfo depends on os/exec (indirectly)"},
	} {
		got := strings.Join(violations(tc.p), "\n")
		if !strings.Contains(got, tc.want) {
			t.Errorf("violations(%s imports %v) = %q, want one containing %q", rel(tc.p.ImportPath), tc.p.Imports, got, tc.want)
		}
	}
}

// TestTestHelpersStayOut checks that the test helpers, which may run the
// go command, are never linked into binscope.
func TestTestHelpersStayOut(t *testing.T) {
	for _, p := range list(t, module+"/cmd/binscope") {
		for _, d := range p.Deps {
			if strings.HasPrefix(d, module+"/internal/testbuild") || strings.HasPrefix(d, module+"/internal/sizetest") || d == module+"/internal/ghapi/fakegh" {
				t.Errorf("cmd/binscope depends on %s", d)
			}
		}
	}
}

// TestNoNetworkByDefault checks that binscope, built without -tags ghapi,
// links no HTTP client: net/http and crypto/tls would add 3.7M to a
// stripped binscope (measured with binscope diff) for binscope ci's
// calls of GitHub's API, which only the Action's build needs.
func TestNoNetworkByDefault(t *testing.T) {
	for _, p := range list(t, module+"/cmd/binscope") {
		for _, d := range p.Deps {
			if d == "net/http" || d == "crypto/tls" || d == module+"/internal/ghclient" {
				t.Errorf("cmd/binscope depends on %s without -tags ghapi", d)
			}
		}
	}
}

// TestDomainPackagesTakeTheirWorld checks that the library packages never
// reach for the process's own streams, arguments, environment or exit:
// they take readers, writers, contexts and environments as parameters.
func TestDomainPackagesTakeTheirWorld(t *testing.T) {
	banned := map[string]bool{"Stdout": true, "Stderr": true, "Stdin": true, "Exit": true, "Args": true,
		"Setenv": true, "Unsetenv": true, "Chdir": true, "Getenv": true, "LookupEnv": true, "Environ": true}
	for _, p := range list(t, module+"/...") {
		name := rel(p.ImportPath)
		if strings.HasPrefix(name, "internal/") && !slices.Contains(internalLibraries, name) {
			continue // test helpers
		}
		fset := token.NewFileSet()
		for _, file := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, file), nil, 0)
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
					if name == "cmd/binscope" && file == "main.go" {
						return true // main hands the process's world to run
					}
					t.Errorf("%s: %s uses os.%s; packages take their world as parameters", name, fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// TestArchitectureDoc keeps docs/architecture.md true: its folder map
// names every package of the module and no other, and its diagram lists
// exactly the imports between the library packages that the code has.
func TestArchitectureDoc(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	pkgs := list(t, module+"/...")

	// The folder map: the first cell of each table row names packages.
	mapped := map[string]bool{}
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "| "), " | ")
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(first, -1) {
			mapped[m[1]] = true
		}
	}
	have := map[string]bool{}
	for _, p := range pkgs {
		have[rel(p.ImportPath)] = true
		if !mapped[rel(p.ImportPath)] {
			t.Errorf("docs/architecture.md: the folder map does not name %s", rel(p.ImportPath))
		}
	}
	for name := range mapped {
		if !have[name] {
			t.Errorf("docs/architecture.md: the folder map names %s, which is not a package of the module", name)
		}
	}

	// The diagram.
	_, block, ok := strings.Cut(doc, "```mermaid\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok {
		t.Fatal("docs/architecture.md has no mermaid diagram")
	}
	// Mermaid ids cannot hold a slash: nodes are declared as
	// id[package] and edges drawn between ids.
	label := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+)\[([^\]]+)\]\s*$`).FindAllStringSubmatch(block, -1) {
		label[m[1]] = m[2]
	}
	name := func(id string) string {
		if l, ok := label[id]; ok {
			return l
		}
		return id
	}
	drawn := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+) --> (\w+)\s*$`).FindAllStringSubmatch(block, -1) {
		drawn[name(m[1])+" --> "+name(m[2])] = true
	}
	actual := map[string]bool{}
	for _, p := range pkgs {
		from := rel(p.ImportPath)
		if from == "cmd/binscope" || strings.HasPrefix(from, "internal/") && !slices.Contains(internalLibraries, from) {
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module+"/") {
				actual[from+" --> "+rel(imp)] = true
			}
		}
	}
	for e := range actual {
		if !drawn[e] {
			t.Errorf("docs/architecture.md: the diagram lacks %s, an import of the code", e)
		}
	}
	for e := range drawn {
		if !actual[e] {
			t.Errorf("docs/architecture.md: the diagram draws %s, which the code does not import", e)
		}
	}
}
