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
	// after another: two of them side by side would mostly compile the
	// same standard library twice.
	CompileLane Lane = iota
	// LinkLane builds what the build cache makes cheap once the cell it
	// waits for is built: the -s -w twin of a cell, which only links,
	// and the other tag sets of a cgo setting and platform, which
	// compile only the packages the tags touch. These overlap with the
	// next compile.
	LinkLane
)

// Step says when one cell is built.
type Step struct {
	Lane  Lane
	After int // the index of the cell that must be built first, or -1
}

// Schedule decides how Run builds cells: cells[i] is built as steps[i]
// says. The first cell of each cgo setting and platform goes in the
// compile lane, in order; the other cells of its compile configuration
// (its -s -w twin) and the first cells of its other tag sets go in the
// link lane once it is built; their twins once they are built.
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
// their results in the order of cells. events, when not nil, is called
// (never concurrently) as each cell starts and ends; it must not block.
// When ctx ends Run interrupts the builds under way, builds nothing more,
// and returns ctx's error with the results it has; the cells it did not
// build have an empty Status.
func (p *Plan) Run(ctx context.Context, cells []Combination, events func(Event)) ([]Result, error) {
	results := make([]Result, len(cells))
	steps := Schedule(cells)
	var (
		mu       sync.Mutex
		done     int
		building = map[int]bool{}
	)
	emit := func(i int, r *Result) {
		if events == nil {
			return
		}
		var now []Combination
		for _, j := range slices.Sorted(maps.Keys(building)) {
			now = append(now, cells[j])
		}
		events(Event{Index: i, Result: r, Done: done, Total: len(cells), Building: now})
	}
	build := func(i int) {
		if ctx.Err() != nil {
			mu.Lock()
			results[i] = Result{Combination: cells[i], Reason: errCanceled.Error()}
			done++
			mu.Unlock()
			return
		}
		mu.Lock()
		building[i] = true
		emit(i, nil)
		mu.Unlock()
		r, err := p.Build(ctx, cells[i])
		if err != nil {
			r.Status, r.Reason = "", errCanceled.Error()
		}
		mu.Lock()
		delete(building, i)
		results[i] = r
		done++
		emit(i, &results[i])
		mu.Unlock()
	}

	jobs := p.Jobs
	if jobs < 2 {
		for i := range cells {
			build(i)
		}
		return results, ctx.Err()
	}

	// dependents[i] are the link-lane cells waiting for cell i.
	dependents := make([][]int, len(cells))
	light := 0
	for i, s := range steps {
		if s.Lane == LinkLane {
			dependents[s.After] = append(dependents[s.After], i)
			light++
		}
	}
	ready := make(chan int, len(cells))
	var qmu sync.Mutex
	queued := 0
	release := func(i int) { // cell i is finished: its dependents may go
		qmu.Lock()
		defer qmu.Unlock()
		for _, d := range dependents[i] {
			ready <- d
			queued++
			if queued == light {
				close(ready)
			}
		}
	}
	if light == 0 {
		close(ready)
	}
	var wg sync.WaitGroup
	for range jobs - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ready {
				build(i)
				release(i)
			}
		}()
	}
	for i, s := range steps {
		if s.Lane == CompileLane {
			build(i)
			release(i)
		}
	}
	wg.Wait()
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
