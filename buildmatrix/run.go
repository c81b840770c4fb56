package buildmatrix

import (
	"context"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"
)

// Lane says which line of builds a cell waits in.
type Lane int

const (
	// CompileLane builds the compile configurations that share little
	// with the ones before them (a new cgo setting or platform), one
	// after another, each starting when the one before starts to link:
	// two of them compiling side by side would mostly compile the same
	// standard library twice.
	CompileLane Lane = iota
	// LinkLane builds what the build cache makes cheap once the cell it
	// waits for has compiled: the -s -w twin of a cell, which only links,
	// and the other tag sets of a cgo setting and platform, which compile
	// only the packages the tags touch. These overlap with the next
	// compile.
	LinkLane
)

// Step says when one cell is built.
type Step struct {
	Lane  Lane
	After int // the index of the cell that must have compiled first, or -1
}

// Schedule decides how Run builds cells: cells[i] is built as steps[i]
// says. The first cell of each cgo setting and platform goes in the
// compile lane, in order; the other cells of its compile configuration
// (its -s -w twin) and the first cells of its other tag sets go in the
// link lane, after it; their twins after them.
func Schedule(cells []Combination) []Step {
	steps := make([]Step, len(cells))
	primary := map[string]int{} // compile key → first cell
	family := map[string]int{}  // cgo and platform → first cell
	for i, c := range cells {
		fam := bit(c.CGO, "1", "0") + "," + c.Platform().String()
		switch p, ok := primary[c.CompileKey()]; {
		case ok:
			steps[i] = Step{Lane: LinkLane, After: p}
		default:
			primary[c.CompileKey()] = i
			if f, ok := family[fam]; ok {
				steps[i] = Step{Lane: LinkLane, After: f}
			} else {
				family[fam] = i
				steps[i] = Step{Lane: CompileLane, After: -1}
			}
		}
	}
	return steps
}

// Event tells Run's caller about progress.
type Event struct {
	Index    int     // the cell started or finished
	Result   *Result // nil when the cell started
	Done     int     // cells finished so far
	Total    int
	Building []Combination // the cells being built now, in matrix order
}

// Run builds cells as Schedule says, at most p.Jobs at a time, and returns
// their results in the order of cells.
//
// A cell may start once the cell it waits for has started linking (its
// packages are all in the build cache then) or has ended; the compile
// lane's cells wait so for the one before them. When a build slot is free
// the next compile-lane cell goes first, since compiles are the long pole;
// link-lane cells take the other slots in matrix order.
//
// events, when not nil, is called (never concurrently) as each cell starts
// and ends; it must not block. When ctx ends Run interrupts the builds
// under way, starts no more, and returns ctx's error with the results it
// has; the cells it did not build have an empty Status.
func (p *Plan) Run(ctx context.Context, cells []Combination, events func(Event)) ([]Result, error) {
	n := len(cells)
	results := make([]Result, n)
	steps := Schedule(cells)
	var heavy []int // the compile lane, in order
	prevHeavy := make([]int, n)
	for i, s := range steps {
		prevHeavy[i] = -1
		if s.Lane == CompileLane {
			if len(heavy) > 0 {
				prevHeavy[i] = heavy[len(heavy)-1]
			}
			heavy = append(heavy, i)
		}
	}
	jobs := max(p.Jobs, 1)

	type msg struct {
		i    int
		done bool // else: started linking
		r    Result
		err  error
	}
	msgs := make(chan msg, 2*n)
	var (
		released = make([]bool, n) // linking or done
		started  = make([]bool, n)
		building = map[int]bool{}
		running  int
		finished int
		next     int // next index into heavy
	)
	emit := func(i int, r *Result) {
		if events == nil {
			return
		}
		var now []Combination
		for _, j := range slices.Sorted(maps.Keys(building)) {
			now = append(now, cells[j])
		}
		events(Event{Index: i, Result: r, Done: finished, Total: n, Building: now})
	}
	ready := func(i int) bool {
		if steps[i].Lane == CompileLane {
			return prevHeavy[i] < 0 || released[prevHeavy[i]]
		}
		return released[steps[i].After]
	}
	start := func(i int) {
		started[i] = true
		running++
		building[i] = true
		emit(i, nil)
		go func() {
			var once sync.Once
			r, err := p.build(ctx, cells[i], func() {
				once.Do(func() { msgs <- msg{i: i} })
			})
			msgs <- msg{i: i, done: true, r: r, err: err}
		}()
	}
	dispatch := func() {
		if ctx.Err() != nil {
			for i := range cells {
				if !started[i] {
					started[i] = true
					results[i] = Result{Combination: cells[i], Reason: errCanceled.Error()}
					finished++
				}
			}
			return
		}
		for running < jobs {
			pick := -1
			if next < len(heavy) && ready(heavy[next]) {
				pick = heavy[next]
				next++
			} else {
				for i := range cells {
					if !started[i] && steps[i].Lane == LinkLane && ready(i) {
						pick = i
						break
					}
				}
			}
			if pick < 0 {
				return
			}
			start(pick)
		}
	}
	dispatch()
	for finished < n {
		m := <-msgs
		released[m.i] = true
		if m.done {
			running--
			finished++
			delete(building, m.i)
			results[m.i] = m.r
			if m.err != nil {
				results[m.i].Status, results[m.i].Reason = "", errCanceled.Error()
			}
			emit(m.i, &results[m.i])
		}
		dispatch()
	}
	return results, ctx.Err()
}

// BusyTime returns the wall time during which at least one of the
// results' go builds ran: the union of their intervals.
func BusyTime(results []Result) time.Duration {
	type span struct{ a, b time.Time }
	var spans []span
	for _, r := range results {
		if !r.Started.IsZero() {
			spans = append(spans, span{r.Started, r.Started.Add(r.Duration)})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a.Before(spans[j].a) })
	var total time.Duration
	var cur span
	for i, s := range spans {
		switch {
		case i == 0:
			cur = s
		case !s.a.After(cur.b):
			if s.b.After(cur.b) {
				cur.b = s.b
			}
		default:
			total += cur.b.Sub(cur.a)
			cur = s
		}
	}
	if len(spans) > 0 {
		total += cur.b.Sub(cur.a)
	}
	return total
}
