package reach

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// walker holds the scratch space of one traversal, reused.
type walker struct {
	seen     []bool
	queue    []int32
	condSeen []bool
	waiting  [][]int32 // by condition: the conditional edges (indices into cedges) that wait for it
	cut      []bool
}

func (g *Graph) newWalker() *walker {
	return &walker{seen: make([]bool, g.Nodes()), queue: make([]int32, 0, 1024), condSeen: make([]bool, g.conds), waiting: make([][]int32, g.conds)}
}

// seeds are the nodes a traversal starts from: the roots, and the
// symbols the linker kept without an edge leading to them (a few it marks
// reachable outside its flood, such as those the runtime names).
func (g *Graph) seeds() []int32 {
	g.seedOnce.Do(func() {
		w := g.newWalker()
		w.walk(g, []int32{0}, nil, true)
		g.seedList = []int32{0}
		for n, ok := range w.seen {
			if !ok {
				g.seedList = append(g.seedList, int32(n))
			}
		}
	})
	return g.seedList
}

// walk marks in w.seen the nodes reachable from from without entering a
// node that cut marks, following a method's edges once one of its
// conditions holds, as the linker does; reflect says whether reaching a
// function that calls reflect's Method keeps the exported methods.
func (w *walker) walk(g *Graph, from []int32, cut []bool, reflect bool) {
	clear(w.seen)
	clear(w.condSeen)
	for i := range w.waiting {
		w.waiting[i] = w.waiting[i][:0]
	}
	w.cut = cut
	w.queue = w.queue[:0]
	for _, n := range from {
		w.reach(n)
	}
	for len(w.queue) > 0 {
		n := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		for _, t := range g.adj[g.off[n]:g.off[n+1]] {
			w.reach(t)
		}
		for _, c := range g.trig[g.trigOff[n]:g.trigOff[n+1]] {
			if c == 0 && !reflect || w.condSeen[c] {
				continue
			}
			w.condSeen[c] = true
			for _, e := range w.waiting[c] {
				w.reach(g.cedges[e].to)
			}
			w.waiting[c] = w.waiting[c][:0]
		}
		for i := g.cOff[n]; i < g.cOff[n+1]; i++ {
			e := &g.cedges[i]
			if w.seen[e.to] {
				continue
			}
			held := false
			for _, c := range e.conds {
				if c >= 0 && w.condSeen[c] {
					held = true
					break
				}
			}
			if held {
				w.reach(e.to)
				continue
			}
			for _, c := range e.conds {
				if c >= 0 {
					w.waiting[c] = append(w.waiting[c], i)
				}
			}
		}
	}
}

func (w *walker) reach(n int32) {
	if !w.seen[n] && (w.cut == nil || !w.cut[n]) {
		w.seen[n] = true
		w.queue = append(w.queue, n)
	}
}

// Removal is what leaves the binary when a set of symbols is no longer
// reachable: the set itself and everything reachable only through it.
type Removal struct {
	Bytes   int64 // their weights (Weigh)
	Symbols int
	// ReflectFreed says that the set held every reachable symbol that
	// calls reflect's Method, so that the methods the linker kept for
	// them leave too, and are in Bytes.
	ReflectFreed bool
	// Watched says that none of the nodes Graph.Watch names is reached
	// any more (false when it names none).
	Watched bool
}

// remove computes the Removal of the nodes cut marks, with w's space.
func (g *Graph) remove(w *walker, cut []bool) Removal {
	var r Removal
	w.walk(g, g.seeds(), cut, true)
	r.ReflectFreed = len(g.ReflectMethod) > 0 && !w.condSeen[0]
	r.Watched = len(g.Watch) > 0 && !slices.ContainsFunc(g.Watch, func(n int32) bool { return w.seen[n] })
	for n, ok := range w.seen {
		if !ok && n > 0 {
			r.Bytes += g.Weights[n]
			r.Symbols++
		}
	}
	return r
}

// Remove is the Removal of nodes.
func (g *Graph) Remove(nodes []int32) Removal {
	cut := make([]bool, g.Nodes())
	for _, n := range nodes {
		cut[n] = true
	}
	return g.remove(g.newWalker(), cut)
}

// Primary reports which of the ReflectMethod nodes are reached without
// the methods kept for reflect: the ones that switch it on. The others
// are reached only through those methods.
func (g *Graph) Primary() map[int32]bool {
	w := g.newWalker()
	w.walk(g, g.seeds(), nil, false)
	out := map[int32]bool{}
	for _, n := range g.ReflectMethod {
		if w.seen[n] {
			out[n] = true
		}
	}
	return out
}

// PackageNodes returns the nodes of package p (an index into Packages).
func (g *Graph) PackageNodes(p int32) []int32 {
	var out []int32
	for n, q := range g.Package {
		if q == p {
			out = append(out, int32(n))
		}
	}
	return out
}

// PackageRemoval is the Removal of one package's symbols.
type PackageRemoval struct {
	Package string
	Removal
}

// RemoveEach computes the Removal of every package, on all processors,
// largest first. also, when not nil, adds to a package's cut the nodes
// that go with it (the init tasks of the packages only it imports).
func (g *Graph) RemoveEach(also func(pkg string) []int32) []PackageRemoval {
	out := make([]PackageRemoval, len(g.Packages))
	g.seeds()
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := g.newWalker()
			cut := make([]bool, g.Nodes())
			for p := range next {
				clear(cut)
				for n, q := range g.Package {
					cut[n] = q == int32(p)
				}
				if also != nil {
					for _, n := range also(g.Packages[p]) {
						cut[n] = true
					}
				}
				out[p] = PackageRemoval{Package: g.Packages[p], Removal: g.remove(w, cut)}
			}
		}()
	}
	for p := range g.Packages {
		next <- p
	}
	close(next)
	wg.Wait()
	sort.SliceStable(out, func(i, j int) bool {
		return cmp.Or(cmp.Compare(out[j].Bytes, out[i].Bytes), cmp.Compare(out[i].Package, out[j].Package)) < 0
	})
	return out
}

// ReflectCost is what the methods kept only for reflect weigh: the
// bytes that leave when reaching a function that calls reflect's Method
// no longer keeps the exported methods (the functions themselves stay).
func (g *Graph) ReflectCost() Removal {
	if len(g.ReflectMethod) == 0 {
		return Removal{}
	}
	w := g.newWalker()
	w.walk(g, g.seeds(), nil, false)
	r := Removal{ReflectFreed: true}
	for n, ok := range w.seen {
		if !ok && n > 0 && !slices.Contains(g.ReflectMethod, int32(n)) {
			r.Bytes += g.Weights[n]
			r.Symbols++
		}
	}
	return r
}

// Chain returns a shortest path of edges from the roots to one of the
// nodes target marks, the roots left out: the first node is one the
// linker keeps as a root (main.main, an init task, the runtime's entry),
// the last a target. nil when no target is reachable.
//
// A chain through an init task says only that the package is imported;
// a chain of references from code is looked for first.
func (g *Graph) Chain(target func(int32) bool) []int32 {
	if path := g.chain(target, true); path != nil {
		return path
	}
	return g.chain(target, false)
}

func (g *Graph) chain(target func(int32) bool, skipInit bool) []int32 {
	parent := make([]int32, g.Nodes())
	for i := range parent {
		parent[i] = -1
	}
	queue := []int32{}
	for _, s := range g.seeds() {
		parent[s] = s
		queue = append(queue, s)
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n != 0 && target(n) {
			var path []int32
			for ; parent[n] != n; n = parent[n] {
				path = append(path, n)
			}
			if n != 0 {
				path = append(path, n)
			}
			slices.Reverse(path)
			return path
		}
		for _, t := range g.allTargets(n) {
			if skipInit && strings.HasSuffix(g.Names[t], "..inittask") {
				continue
			}
			if parent[t] < 0 {
				parent[t] = n
				queue = append(queue, t)
			}
		}
	}
	return nil
}

// Entry is the edges into a package from outside it, grouped by where
// they come from.
type Entry struct {
	From  string // the package of their sources; "" for the toolchain's symbols and the roots
	Edges int
	// Example is one of them: the source symbol and the target.
	Example [2]string
}

// Entries returns the edges into package p from the other packages,
// most edges first: the references that keep it in the binary.
func (g *Graph) Entries(p int32) []Entry {
	by := map[int32]*Entry{}
	for n, name := range g.Names {
		q := g.Package[n]
		if q == p || n > 0 && (name == "" || strings.HasPrefix(g.Kinds[n], "SDWARF")) {
			continue // the package itself; a function's DWARF and unnamed pieces
		}
		for _, t := range g.allTargets(int32(n)) {
			if g.Package[t] != p {
				continue
			}
			e := by[q]
			if e == nil {
				e = &Entry{From: g.PackageOf(int32(n)), Example: [2]string{g.Names[n], g.Names[t]}}
				if n == 0 {
					e.Example[0] = "(roots)"
				}
				by[q] = e
			}
			e.Edges++
		}
	}
	out := make([]Entry, 0, len(by))
	for _, e := range by {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		return cmp.Or(cmp.Compare(out[j].Edges, out[i].Edges), cmp.Compare(out[i].From, out[j].From)) < 0
	})
	return out
}

// Bytes is the weight of a set of nodes.
func (g *Graph) Bytes(nodes []int32) int64 {
	var n int64
	for _, s := range nodes {
		n += g.Weights[s]
	}
	return n
}

// allTargets are the nodes n has edges to, those of methods included.
func (g *Graph) allTargets(n int32) []int32 {
	out := slices.Clone(g.Targets(n))
	for _, e := range g.cedges[g.cOff[n]:g.cOff[n+1]] {
		out = append(out, e.to)
	}
	return out
}
