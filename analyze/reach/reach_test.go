package reach

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// graphText is a small graph as the graph linker writes it:
//
//	roots → main.main → a.F → c.H → d.K
//	              main.main → b.G → d.K
//	              main.main → type:*t.T, whose method Foo (t.(*T).foo) is
//	              kept because b.G calls an interface method Foo, and
//	              whose exported Bar is kept because x.R calls reflect's
//	              Method (x.R is reached from main.main too).
const graphText = `binscope-linkgraph 2
e	0	11
e	11	12
e	11	13
e	12	14
e	14	15
e	13	15
e	11	16
e	16	17
e	16	18
e	16	19
e	16	20
e	11	21
k	16	17	18	18	0	100	foo
k	16	17	19	19	1	200	Bar
i	13	100	foo
r	21
s	11	100	STEXT	main	main.main
s	12	1000	STEXT	a	a.F
s	13	2000	STEXT	b	b.G
s	14	400	STEXT	c	c.H
s	15	80	STEXT	d	d.K
s	16	64	SRODATA	t	type:*t.T
s	17	8	SRODATA	t	type:func()
s	18	300	STEXT	t	t.(*T).foo
s	19	500	STEXT	t	t.(*T).Bar
s	20	0	SBSS	t	t.buf
s	21	30	STEXT	x	x.R
end
`

func readTestGraph(t *testing.T) *Graph {
	t.Helper()
	g, err := ReadGraph(strings.NewReader(graphText))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func names(g *Graph, nodes []int32) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, g.Names[n])
	}
	return out
}

func TestReadGraph(t *testing.T) {
	g := readTestGraph(t)
	if g.Nodes() != 12 {
		t.Errorf("%d nodes, want 12 (11 symbols and the roots)", g.Nodes())
	}
	// 9 plain edges; those of the two methods (their type, their code
	// twice: ifn and tfn) are on condition.
	if g.Edges() != 9+6 {
		t.Errorf("%d edges, want 15", g.Edges())
	}
	if got := names(g, g.ReflectMethod); !slices.Equal(got, []string{"x.R"}) {
		t.Errorf("reflect marks %q, want x.R", got)
	}
	if got := g.PackageOf(g.Lookup("type:*t.T")[0]); got != "t" {
		t.Errorf("type:*t.T is in %q, want t", got)
	}
}

func TestRemove(t *testing.T) {
	g := readTestGraph(t)
	pkg := func(p string) []int32 { return g.PackageNodes(g.PackageIndex(p)) }
	for _, c := range []struct {
		pkg   string
		bytes int64
		why   string
	}{
		{"a", 1000 + 400, "a.F and c.H, which only it reaches; d.K stays for b.G"},
		{"c", 400, "c.H alone"},
		// b.G is the only caller of the interface method Foo: t.(*T).foo
		// goes with it, as the linker would drop it.
		{"b", 2000 + 300, "b.G and the method Foo that only its interface call keeps"},
		// x.R is the only function that calls reflect's Method: Bar goes.
		{"x", 30 + 500, "x.R and the exported method Bar kept for reflect"},
		{"d", 80, "d.K"},
	} {
		r := g.Remove(pkg(c.pkg))
		if r.Bytes != c.bytes {
			t.Errorf("removing %s: %d bytes, want %d (%s)", c.pkg, r.Bytes, c.bytes, c.why)
		}
	}
	if r := g.Remove(pkg("x")); !r.ReflectFreed {
		t.Error("removing x, which holds the only reflect mark: ReflectFreed false")
	}
	if r := g.ReflectCost(); r.Bytes != 500 {
		t.Errorf("reflect cost %d bytes, want 500 (Bar; x.R itself stays)", r.Bytes)
	}
	if p := g.Primary(); !p[g.Lookup("x.R")[0]] {
		t.Error("x.R is reached from main.main, yet not primary")
	}
}

func TestChain(t *testing.T) {
	g := readTestGraph(t)
	target := g.Lookup("d.K")[0]
	got := names(g, g.Chain(func(n int32) bool { return n == target }))
	if !slices.Equal(got, []string{"main.main", "b.G", "d.K"}) {
		t.Errorf("chain %q, want the shortest, main.main b.G d.K", got)
	}
}

func TestEntries(t *testing.T) {
	g := readTestGraph(t)
	e := g.Entries(g.PackageIndex("d"))
	if len(e) != 2 || e[0].From != "b" && e[0].From != "c" {
		t.Errorf("entries into d: %+v, want from b and c", e)
	}
}

// Every malformed graph is one error that names its line, never a
// panic.
func TestReadGraphErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "empty"},
		{"binscope-linkgraph 1\nend\n", "line 1"},
		{"hello\n", "line 1"},
		{"binscope-linkgraph 2\ne\t0\n", "line 2"},
		{"binscope-linkgraph 2\ne\t0\t99999999999\nend\n", "line 2"},
		{"binscope-linkgraph 2\ne\t0\t5\nend\n", "does not list"},
		{"binscope-linkgraph 2\ns\t1\t-4\tSTEXT\tp\tp.F\nend\n", "line 2"},
		{"binscope-linkgraph 2\ns\t1\t4\tSTEXT\tp\tp.F\ns\t1\t4\tSTEXT\tp\tp.G\nend\n", "twice"},
		{"binscope-linkgraph 2\ns\t1\t4\tSTEXT\tp\tp.F\n", "cut short"},
		{"binscope-linkgraph 2\nend\ne\t0\t1\n", "after the end"},
		{"binscope-linkgraph 2\nr\t7\nend\n", "does not list"},
		{"binscope-linkgraph 2\nk\t1\t2\t3\t4\t2\t5\tM\nend\n", "line 2"},
		{"binscope-linkgraph 2\nx\n", "line 2"},
	} {
		_, err := ReadGraph(strings.NewReader(c.text))
		if err == nil || !errors.Is(err, ErrGraph) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.40q: error %v, want one with %q", c.text, err, c.want)
		}
	}
}

func TestSymbolPackage(t *testing.T) {
	for name, want := range map[string]string{
		"type:*example.com/a.T":                          "example.com/a",
		"type:[]example.com/a.T":                         "example.com/a",
		"type:[4]*go.uber.org/zap.Field":                 "go.uber.org/zap",
		"type:struct { F int }":                          "",
		"type:map[string]int":                            "",
		"type:.namedata.*main.T.":                        "",
		"go:itab.*os.File,io.Writer":                     "os",
		"encoding/json..stmp_28":                         "",
		"net/http.(*conn).serve.stkobj":                  "",
		"gclocals·abc":                                   "",
		"net/http.(*Server).Serve":                       "net/http",
		"slices.Sort[go.shape.int]":                      "slices",
		"github.com/mattn/go-sqlite3.(*SQLiteConn).Exec": "github.com/mattn/go-sqlite3",
	} {
		if got := SymbolPackage(name); got != want {
			t.Errorf("SymbolPackage(%q) = %q, want %q", name, got, want)
		}
	}
}

func FuzzReadGraph(f *testing.F) {
	f.Add(graphText)
	f.Add("binscope-linkgraph 2\nend\n")
	f.Add("binscope-linkgraph 2\ns\t1\t4\tSTEXT\tp\tp.F\ne\t0\t1\nend\n")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		g, err := ReadGraph(strings.NewReader(text))
		if err != nil {
			return
		}
		for p := range g.Packages {
			g.Remove(g.PackageNodes(int32(p)))
		}
		g.ReflectCost()
		g.Chain(func(n int32) bool { return n == int32(g.Nodes()-1) })
	})
}
