package pipeline

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/reach"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// graphCache holds the graph linker for the package's tests, built once.
var graphCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "binscope-graph-")
	if err != nil {
		panic(err)
	}
	graphCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needGo(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
}

// strippedSize builds dir with tags and -s -w and returns the file's size.
func strippedSize(t *testing.T, dir, tags string) int64 {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bin")
	cmd := exec.Command("go", "build", "-tags="+tags, "-ldflags=-s -w", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags=%s: %v\n%s", tags, err, b)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func graphOf(t *testing.T, dir string, tags []string) *Graphed {
	t.Helper()
	req := Request{Target: dir, Strip: []bool{true}, TagSets: [][]string{tags}, TagsGiven: true, Jobs: 1}
	g, err := BuildGraph(context.Background(), req, append(os.Environ(), "GOFLAGS="), graphCache, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	return g
}

// The retained size binscope computes for an import is what the binary
// loses without it: each fixture build adds one import behind a tag,
// and the size it adds (-s -w, so that only the package view's bytes
// count) must match the import's retained size in the tagged build
// within 10%.
func TestRetainedSizes(t *testing.T) {
	needGo(t)
	dir := filepath.Join("..", "testdata", "why", "retained")
	base := strippedSize(t, dir, "")
	for _, c := range []struct{ tag, pkg string }{
		{"withxml", "encoding/xml"},
		{"withgzip", "compress/gzip"},
		{"withtemplate", "text/template"},  // brings reflect's blocker: the methods it keeps leave too
		{"withheavy", "example.com/heavy"}, // a module of its own, behind an interface
	} {
		t.Run(c.tag, func(t *testing.T) {
			with := strippedSize(t, dir, c.tag)
			g := graphOf(t, dir, []string{c.tag})
			if g.Cell.Size != with {
				t.Errorf("why's build is %d bytes, go build's %d: not the same binary", g.Cell.Size, with)
			}
			a, err := g.Program.Ask(c.pkg)
			if err != nil {
				t.Fatal(err)
			}
			added := with - base
			got := a.Retained.Bytes
			off := float64(got-added) / float64(added)
			t.Logf("%s: the tag adds %d bytes; retained %d (%+.1f%%), own %d, reflect freed %v", c.pkg, added, got, 100*off, a.Bytes, a.Retained.ReflectFreed)
			if off < -0.10 || off > 0.10 {
				t.Errorf("%s: retained %d bytes, but the import adds %d (%+.1f%%, want within 10%%)", c.pkg, got, added, 100*off)
			}
			if len(a.ImportChain) != 2 || a.ImportChain[0] != "example.com/retained" || a.ImportChain[1] != c.pkg {
				t.Errorf("%s: import chain %q, want [example.com/retained %s]", c.pkg, a.ImportChain, c.pkg)
			}
			if len(a.Cuts) != 1 || a.Cuts[0].From != "main" {
				t.Errorf("%s: cuts %+v, want the references from main alone", c.pkg, a.Cuts)
			}
			if len(a.Chain) == 0 || a.Chain[len(a.Chain)-1].Package != c.pkg {
				t.Errorf("%s: chain %+v does not end in the package", c.pkg, a.Chain)
			}
		})
	}
}

// MethodByName with a name known only at run time is a blocker, found at
// its line, whose cost is what the build with a constant name saves; with
// the constant there is none (Go 1.22 and later resolve it).
func TestBlockers(t *testing.T) {
	needGo(t)
	dir := filepath.Join("..", "testdata", "why", "blocker")
	g := graphOf(t, dir, []string{})
	b := g.Program.Blockers()
	if len(b.Functions) == 0 {
		t.Fatal("no blocker found")
	}
	first := b.Functions[0]
	if first.Symbol != "main.call" || !first.Primary || first.Standard {
		t.Fatalf("first blocker %+v, want main.call, primary, outside the standard library", first)
	}
	if c := first.Caller; c == nil || filepath.Base(c.File) != "call.go" || c.Line != 15 {
		t.Errorf("blocker at %+v, want call.go:15, the MethodByName call", first.Caller)
	}
	if len(first.Chain) < 2 || first.Chain[len(first.Chain)-2].Symbol != "main.main" {
		t.Errorf("chain %+v, want main.main → main.call", first.Chain)
	}
	for _, f := range b.Functions[1:] {
		if f.Primary {
			t.Errorf("%s: a second primary blocker", f.Symbol)
		}
	}
	saved := strippedSize(t, dir, "") - strippedSize(t, dir, "constname")
	off := float64(b.Cost.Bytes-saved) / float64(saved)
	t.Logf("cost %d bytes; the constant name saves %d (%+.1f%%)", b.Cost.Bytes, saved, 100*off)
	if off < -0.10 || off > 0.10 {
		t.Errorf("cost %d bytes, but the constant name saves %d (%+.1f%%, want within 10%%)", b.Cost.Bytes, saved, 100*off)
	}

	c := graphOf(t, dir, []string{"constname"})
	if b := c.Program.Blockers(); len(b.Functions) != 0 || b.Cost.Bytes != 0 {
		t.Errorf("with a constant name: blockers %+v", b)
	}
}

// The graph linker's binary is go build's, byte for byte: it is the
// toolchain's linker with a few lines that only write.
func TestGraphLinkerSameBinary(t *testing.T) {
	needGo(t)
	dir := filepath.Join("..", "testdata", "pomo")
	env := append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
	goenv, err := buildmatrix.ReadGoEnv(context.Background(), "go", dir, env)
	if err != nil {
		t.Fatal(err)
	}
	linker, err := buildmatrix.GraphLinker(context.Background(), goenv, env, graphCache)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	build := func(name string, extra ...string) []byte {
		out := filepath.Join(tmp, name)
		cmd := exec.Command("go", append(append([]string{"build"}, extra...), "-o", out, ".")...)
		cmd.Dir = dir
		cmd.Env = append(env, buildmatrix.GraphEnv(filepath.Join(tmp, name+".graph"))...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", cmd.Args, err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	plain := build("plain")
	graphed := build("graphed", "-toolexec", linker)
	if !bytes.Equal(plain, graphed) {
		t.Errorf("the graph linker's binary differs from go build's (%d and %d bytes)", len(graphed), len(plain))
	}
	g, err := os.ReadFile(filepath.Join(tmp, "graphed.graph"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(g), "binscope-linkgraph 2\n") || !strings.HasSuffix(string(g), "end\n") {
		t.Errorf("graph file starts %.30q and ends %q", g, g[max(0, len(g)-10):])
	}
	if _, err := os.Stat(filepath.Join(tmp, "plain.graph")); err == nil {
		t.Error("the plain build wrote a graph")
	}
}

// The graph linker builds from every toolchain the tests have (Go 1.19
// on), links the binary that toolchain's go build makes, and its graph
// answers: the fixture's go.binscope.test/dep is there, retained, and
// reached from main.
func TestGraphToolchains(t *testing.T) {
	needGo(t)
	for _, tc := range testbuild.Toolchains(t) {
		t.Run(tc.Version, func(t *testing.T) {
			dir := testbuild.Fixture(t, tc.Version)
			// The pipeline runs the go command on PATH, as binscope does.
			path := filepath.Dir(tc.Go) + string(os.PathListSeparator) + os.Getenv("PATH")
			t.Setenv("PATH", path)
			env := tc.Env("CGO_ENABLED=0", "PATH="+path)
			req := Request{Target: dir, Strip: []bool{false}, TagSets: [][]string{{}}, TagsGiven: true, Jobs: 1}
			g, err := BuildGraph(context.Background(), req, env, graphCache, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			if !strings.HasPrefix(g.Cell.GoVersion, "go"+tc.Version) {
				t.Errorf("built with %s, want Go %s", g.Cell.GoVersion, tc.Version)
			}
			out := filepath.Join(t.TempDir(), "plain")
			cmd := exec.Command(tc.Go, "build", "-o", out, ".")
			cmd.Dir, cmd.Env = dir, env
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, b)
			}
			if st, err := os.Stat(out); err != nil || st.Size() != g.Cell.Size {
				t.Errorf("go build's binary is not why's %d bytes (%v)", g.Cell.Size, err)
			}
			// Two independent references. The graph's weights add up to
			// the package view's rows (debug info, the symbol table and
			// the other fixed rows aside) within 3%: the same bytes, one
			// from the linker's symbols, one from the file.
			var weights, rows int64
			for _, w := range g.Program.Graph.Weights {
				weights += w
			}
			for _, r := range g.Program.Size.Packages {
				if !analyze.FixedRow(r.Name) {
					rows += r.Size
				}
			}
			if off := float64(weights-rows) / float64(rows); off < -0.03 || off > 0.03 {
				t.Errorf("the graph weighs %d bytes, the package view's rows %d (%+.1f%%)", weights, rows, 100*off)
			}
			// And every symbol go tool nm lists in the binary is a symbol
			// of the graph, but for those the linker makes after its dead
			// code pass: section markers and tables (runtime.text,
			// runtime.pclntab, go:buildinfo, type:*), a fixed few. Of the
			// others, the packages' own, at most 0.5% may be missing (a
			// local type's name is spelt differently). The symbol table
			// names ABI0 functions F.abi0.
			nm, err := exec.Command(tc.Go, "tool", "nm", out).Output()
			if err != nil {
				t.Fatalf("go tool nm: %v", err)
			}
			var listed, missing, linkers int
			for _, line := range strings.Split(string(nm), "\n") {
				f := strings.Fields(line)
				if len(f) < 3 || !strings.Contains("TtDdRrBb", f[1]) {
					continue
				}
				listed++
				name := strings.Join(f[2:], " ")
				if len(g.Program.Graph.Lookup(strings.TrimSuffix(name, ".abi0"))) > 0 {
					continue
				}
				if elfinfo.LinkerName(name) || strings.HasPrefix(name, "runtime.") {
					linkers++
				} else {
					missing++
					t.Logf("not in the graph: %s", line)
				}
			}
			if listed == 0 || float64(missing) > 0.005*float64(listed) || linkers > 60 {
				t.Errorf("of the %d symbols go tool nm lists, %d of packages and %d of the linker's are not in the graph", listed, missing, linkers)
			}
			t.Logf("Go %s: weights %d, package rows %d; of %d nm symbols, %d of packages and %d of the linker's not in the graph", tc.Version, weights, rows, listed, missing, linkers)
			a, err := g.Program.Ask("go.binscope.test/dep")
			if err != nil {
				t.Fatal(err)
			}
			if a.Bytes <= 0 || a.Retained.Bytes < a.Bytes/2 || len(a.Chain) == 0 {
				t.Errorf("go.binscope.test/dep: %d bytes, retained %d, chain %v", a.Bytes, a.Retained.Bytes, a.Chain)
			}
			t.Logf("Go %s: %d symbols, %d edges; dep %d bytes, retained %d", tc.Version, g.Program.Graph.Nodes(), g.Program.Graph.Edges(), a.Bytes, a.Retained.Bytes)
		})
	}
}

// BenchmarkWhy is the work of binscope why after the build, on
// binscope's own graph: reading the graph, and the answers.
func BenchmarkWhy(b *testing.B) {
	if _, err := exec.LookPath("go"); err != nil {
		b.Skip("no go command")
	}
	req := Request{Target: filepath.Join("..", "cmd", "binscope"), CGO: []bool{false}, Strip: []bool{false}, TagSets: [][]string{{}}, TagsGiven: true, Jobs: 1}
	g, err := BuildGraph(context.Background(), req, append(os.Environ(), "GOFLAGS="), graphCache, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	graph, err := os.ReadFile(g.graphFile)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ReadGraph", func(b *testing.B) {
		b.SetBytes(int64(len(graph)))
		for b.Loop() {
			if _, err := reach.ReadGraph(bytes.NewReader(graph)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Ask", func(b *testing.B) {
		for b.Loop() {
			if _, err := g.Program.Ask("fmt"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Blockers", func(b *testing.B) {
		for b.Loop() {
			g.Program.Blockers()
		}
	})
	b.Run("Top10", func(b *testing.B) {
		for b.Loop() {
			g.Program.Top(10)
		}
	})
	b.Run("RemoveEach", func(b *testing.B) {
		for b.Loop() {
			g.Program.Graph.RemoveEach(nil)
		}
	})
}
