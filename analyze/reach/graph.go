// Package reach answers why a symbol or package is in a Go binary and
// what removing it would save, from the linker's reachability graph: the
// symbols its dead code pass kept and every edge it followed to keep them
// (buildmatrix.GraphLinker writes the graph; ReadGraph reads it).
//
// The retained size of a package is the bytes that leave the binary when
// the package's symbols are no longer reachable: every symbol that cannot
// be reached from the roots without passing through one of them. It is
// the dominator relation lifted to a set of nodes (see docs/why.md).
// Like the rest of analyze it computes only: it reads what it is given
// and opens, prints and runs nothing.
package reach

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Graph is the reachability graph of one link. Node 0 is the roots (the
// linker's "_": the entry point, main.main, the init tasks, the runtime's
// own); the others are the reachable symbols.
type Graph struct {
	Names []string // symbol names; "" for the roots and for unnamed symbols
	Kinds []string // the linker's symbol kinds (STEXT, SRODATA, STYPE, …)
	Sizes []int64  // the linker's sizes, before layout
	// Weights are the bytes of the binary each symbol accounts for
	// (Weigh); Sizes until then.
	Weights []int64
	// Package is the index into Packages of each symbol's package, or -1
	// for the toolchain's own symbols (type:…, go:…) and the roots.
	Package  []int32
	Packages []string

	// Watch are nodes a Removal says whether it takes all of
	// (Removal.Watched): those of the packages that link C code.
	Watch []int32

	// ReflectMethod are the symbols that call reflect's Method or
	// MethodByName with a name that is not a constant.
	ReflectMethod []int32

	// Edges in compressed rows: the targets of node n are
	// adj[off[n]:off[n+1]], sorted, without repeats.
	off []int32
	adj []int32

	// The edges of methods are followed on condition, as the linker
	// keeps a method of a reachable type: when a reachable function calls
	// an interface method of its signature, names it (MethodByName with
	// a constant), or, for an exported one, when any function that calls
	// reflect's Method is reachable (condition 0). Node n triggers the
	// conditions trig[trigOff[n]:trigOff[n+1]]; its conditional edges
	// are cedges[cOff[n]:cOff[n+1]].
	conds   int
	trigOff []int32
	trig    []int32
	cOff    []int32
	cedges  []condEdge

	byName map[string][]int32

	seedOnce sync.Once
	seedList []int32
}

// ErrGraph is the error of a graph file that is not one.
var ErrGraph = errors.New("not a binscope link graph")

const graphHeader = "binscope-linkgraph 2"

type rawEdge struct{ from, to int64 } // loader numbers; nodes once placed

// condEdge is an edge followed once one of its conditions holds.
type condEdge struct {
	to    int32
	conds [3]int32 // -1 for none
}

// condKey names a condition: an interface method's signature (its
// type's loader number and name), or a name alone (typ -1).
type condKey struct {
	typ  int64
	name string
}

type rawMethod struct {
	src     int64
	targets [3]int64
	sig     condKey
	named   string
	exp     bool
}

type rawTrigger struct {
	from int64
	cond condKey
}

// ReadGraph reads a graph as the graph linker writes it. It reads the
// input once, as a stream; memory grows with the symbols and edges it
// holds, never with the numbers it names.
func ReadGraph(r io.Reader) (*Graph, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var (
		edges    []rawEdge
		methods  []rawMethod
		triggers []rawTrigger
		reflect  []int64
		ids      = map[int64]int32{0: 0}
		g        = &Graph{Names: []string{""}, Kinds: []string{""}, Sizes: []int64{0}}
		line     int
		ended    bool
		fields   [8]string
	)
	kinds := map[string]string{}
	var long []byte // a line longer than the reader's buffer, gathered
	for {
		raw, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long = append(long, raw...)
			continue
		}
		if long != nil {
			raw, long = append(long, raw...), nil
		}
		if err == io.EOF && len(raw) == 0 {
			break
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		line++
		raw = bytes.TrimSuffix(raw, []byte("\n"))
		// The common record, an edge, is read without a string.
		if line > 1 && !ended && len(raw) > 2 && raw[0] == 'e' && raw[1] == '\t' {
			if from, rest, ok := parseID(raw[2:]); ok && len(rest) > 0 && rest[0] == '\t' {
				if to, rest, ok := parseID(rest[1:]); ok && len(rest) == 0 && to > 0 {
					edges = append(edges, rawEdge{from, to})
					continue
				}
			}
		}
		text := string(raw)
		if line == 1 {
			if text != graphHeader {
				return nil, fmt.Errorf("%w: line 1 is %.40q, want %q", ErrGraph, text, graphHeader)
			}
			continue
		}
		if ended {
			return nil, fmt.Errorf("%w: line %d: a record after the end", ErrGraph, line)
		}
		n := splitFields(text, fields[:])
		bad := func(what string) error {
			return fmt.Errorf("%w: line %d: %s: %.60q", ErrGraph, line, what, text)
		}
		switch {
		case n == 3 && fields[0] == "e":
			from, err1 := strconv.ParseInt(fields[1], 10, 32)
			to, err2 := strconv.ParseInt(fields[2], 10, 32)
			if err1 != nil || err2 != nil || from < 0 || to <= 0 {
				return nil, bad("not an edge of two symbol numbers")
			}
			edges = append(edges, rawEdge{from, to})
		case n == 4 && fields[0] == "i", n == 3 && fields[0] == "n":
			from, err1 := strconv.ParseInt(fields[1], 10, 32)
			key := condKey{typ: -1, name: unescape(fields[n-1])}
			var err2 error
			if n == 4 {
				key.typ, err2 = strconv.ParseInt(fields[2], 10, 32)
			}
			if err1 != nil || err2 != nil || from <= 0 || key.typ < -1 {
				return nil, bad("not a method use")
			}
			triggers = append(triggers, rawTrigger{from, key})
		case n == 8 && fields[0] == "k":
			var m rawMethod
			var err error
			for i, f := range fields[1:5] {
				var v int64
				if v, err = strconv.ParseInt(f, 10, 32); err != nil || v < 0 {
					return nil, bad("not a kept method")
				}
				if i == 0 {
					m.src = v
				} else {
					m.targets[i-1] = v
				}
			}
			typ, err := strconv.ParseInt(fields[6], 10, 32)
			if err != nil || typ < 0 || m.src == 0 || fields[5] != "0" && fields[5] != "1" {
				return nil, bad("not a kept method")
			}
			m.exp = fields[5] == "1"
			m.sig = condKey{typ, unescape(fields[7])}
			m.named = m.sig.name
			methods = append(methods, m)
		case n == 2 && fields[0] == "r":
			s, err := strconv.ParseInt(fields[1], 10, 32)
			if err != nil || s <= 0 {
				return nil, bad("not a symbol number")
			}
			reflect = append(reflect, s)
		case n == 6 && fields[0] == "s":
			s, err1 := strconv.ParseInt(fields[1], 10, 32)
			size, err2 := strconv.ParseInt(fields[2], 10, 64)
			if err1 != nil || err2 != nil || s <= 0 || size < 0 {
				return nil, bad("not a symbol record")
			}
			if _, dup := ids[s]; dup {
				return nil, bad("a symbol listed twice")
			}
			ids[s] = int32(len(g.Names))
			g.Names = append(g.Names, unescape(fields[5]))
			kind, ok := kinds[fields[3]]
			if !ok {
				kind = fields[3]
				kinds[kind] = kind
			}
			g.Kinds = append(g.Kinds, kind)
			g.Sizes = append(g.Sizes, size)
		case n == 1 && fields[0] == "end":
			ended = true
		default:
			return nil, bad("not a record")
		}
		if err == io.EOF {
			break
		}
	}
	if line == 0 {
		return nil, fmt.Errorf("%w: empty", ErrGraph)
	}
	if !ended {
		return nil, fmt.Errorf("%w: cut short after line %d (the link did not finish?)", ErrGraph, line)
	}
	nodes := len(g.Names)
	if nodes > 1<<31-1 {
		return nil, fmt.Errorf("%w: too many symbols", ErrGraph)
	}
	type pair struct{ from, to int32 }
	// Symbol numbers are the loader's, dense from 1: a table finds them
	// faster than the map, when it is not much larger than the graph
	// (a graph that names a huge number gets the map).
	var dense []int32
	maxID := int64(0)
	for id := range ids {
		maxID = max(maxID, id)
	}
	if maxID < int64(8*len(ids))+1<<16 {
		dense = make([]int32, maxID+1)
		for i := range dense {
			dense[i] = -1
		}
		for id, n := range ids {
			dense[id] = n
		}
	}
	node := func(id int64) (int32, bool) {
		if dense != nil {
			if id < 0 || id >= int64(len(dense)) || dense[id] < 0 {
				return 0, false
			}
			return dense[id], true
		}
		n, ok := ids[id]
		return n, ok
	}
	// The method edges, on condition; the same edges among the e
	// records are left out of the plain ones.
	condIndex := map[condKey]int32{}
	cond := func(k condKey) int32 {
		c, ok := condIndex[k]
		if !ok {
			c = int32(len(condIndex) + 1) // 0 is reflect
			condIndex[k] = c
		}
		return c
	}
	methodEdge := map[pair]bool{}
	type rawCond struct {
		from int32
		e    condEdge
	}
	var conditional []rawCond
	for _, m := range methods {
		src, ok := node(m.src)
		if !ok {
			return nil, fmt.Errorf("%w: a kept method of symbol %d, which the graph does not list", ErrGraph, m.src)
		}
		ce := condEdge{conds: [3]int32{cond(m.sig), cond(condKey{-1, m.named}), -1}}
		if m.exp {
			ce.conds[2] = 0
		}
		for _, t := range m.targets {
			to, ok := node(t)
			if t == 0 || !ok {
				continue
			}
			methodEdge[pair{src, to}] = true
			ce.to = to
			conditional = append(conditional, rawCond{src, ce})
		}
	}
	// The plain edges in rows by source: counted, placed, then each row
	// sorted and its repeats dropped (a counting sort: the graph of a
	// large program has millions of edges).
	g.off = make([]int32, nodes+1)
	for i, e := range edges {
		from, ok1 := node(e.from)
		to, ok2 := node(e.to)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%w: an edge %d -> %d names a symbol the graph does not list", ErrGraph, e.from, e.to)
		}
		if from == to || len(methodEdge) > 0 && methodEdge[pair{from, to}] {
			from = -1 // dropped
		} else {
			g.off[from+1]++
		}
		edges[i] = rawEdge{int64(from), int64(to)}
	}
	for i := 1; i <= nodes; i++ {
		g.off[i] += g.off[i-1]
	}
	adj := make([]int32, g.off[nodes])
	fill := slices.Clone(g.off[:nodes])
	for _, e := range edges {
		if e.from >= 0 {
			adj[fill[e.from]] = int32(e.to)
			fill[e.from]++
		}
	}
	edges = nil
	// Each row sorted, its repeats dropped, the rows packed.
	w := int32(0)
	for n := 0; n < nodes; n++ {
		row := adj[g.off[n]:g.off[n+1]]
		slices.Sort(row)
		row = slices.Compact(row)
		g.off[n] = w
		w += int32(copy(adj[w:], row))
	}
	g.off[nodes] = w
	g.adj = adj[:w:w]
	sort.SliceStable(conditional, func(i, j int) bool { return conditional[i].from < conditional[j].from })
	g.cOff = make([]int32, nodes+1)
	g.cedges = make([]condEdge, len(conditional))
	for i, c := range conditional {
		g.cOff[c.from+1]++
		g.cedges[i] = c.e
	}
	type trig struct{ from, cond int32 }
	var trigs []trig
	for _, t := range triggers {
		from, ok := node(t.from)
		if !ok {
			return nil, fmt.Errorf("%w: a method use in symbol %d, which the graph does not list", ErrGraph, t.from)
		}
		if c, ok := condIndex[t.cond]; ok { // a use no kept method waits for changes nothing
			trigs = append(trigs, trig{from, c})
		}
	}
	for _, s := range reflect {
		n, ok := node(s)
		if !ok {
			return nil, fmt.Errorf("%w: a reflect mark on symbol %d, which the graph does not list", ErrGraph, s)
		}
		g.ReflectMethod = append(g.ReflectMethod, n)
	}
	slices.Sort(g.ReflectMethod)
	g.ReflectMethod = slices.Compact(g.ReflectMethod)
	for _, n := range g.ReflectMethod {
		trigs = append(trigs, trig{n, 0})
	}
	sort.SliceStable(trigs, func(i, j int) bool { return trigs[i].from < trigs[j].from })
	g.trigOff = make([]int32, nodes+1)
	g.trig = make([]int32, len(trigs))
	for i, t := range trigs {
		g.trigOff[t.from+1]++
		g.trig[i] = t.cond
	}
	for i := 1; i <= nodes; i++ {
		g.cOff[i] += g.cOff[i-1]
		g.trigOff[i] += g.trigOff[i-1]
	}
	g.conds = len(condIndex) + 1
	g.Weights = slices.Clone(g.Sizes)
	g.byName = make(map[string][]int32, nodes)
	for i, name := range g.Names {
		if i > 0 && name != "" {
			g.byName[name] = append(g.byName[name], int32(i))
		}
	}
	g.assignPackages(nil)
	return g, nil
}

// splitFields splits a record at tabs into out, returning how many
// fields it has (len(out)+1 when there are more than out holds).
func splitFields(s string, out []string) int {
	n := 0
	for {
		i := strings.IndexByte(s, '\t')
		if n == len(out) {
			return n + 1
		}
		if i < 0 {
			out[n] = s
			return n + 1
		}
		out[n] = s[:i]
		s = s[i+1:]
		n++
	}
}

// parseID parses a symbol number (0 to 2^31-1) at the start of b.
func parseID(b []byte) (int64, []byte, bool) {
	var n int64
	i := 0
	for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
		if n > 1<<31-1 {
			return 0, nil, false
		}
	}
	return n, b[i:], i > 0
}

// unescape undoes the graph linker's escaping of \, tab and newline.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Nodes is the number of nodes, the roots included.
func (g *Graph) Nodes() int { return len(g.Names) }

// Edges is the number of distinct edges, those of methods included.
func (g *Graph) Edges() int { return len(g.adj) + len(g.cedges) }

// Lookup returns the nodes of the symbols named name: more than one for
// a function and its ABI wrapper.
func (g *Graph) Lookup(name string) []int32 { return g.byName[name] }

// Targets returns the nodes n has edges to.
func (g *Graph) Targets(n int32) []int32 { return g.adj[g.off[n]:g.off[n+1]] }

// PackageOf returns the package of node n, "" for none.
func (g *Graph) PackageOf(n int32) string {
	if p := g.Package[n]; p >= 0 {
		return g.Packages[p]
	}
	return ""
}

// PackageIndex returns the index of pkg in Packages, or -1.
func (g *Graph) PackageIndex(pkg string) int32 {
	if i, ok := slices.BinarySearch(g.Packages, pkg); ok {
		return int32(i)
	}
	return -1
}
