package pipeline

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/binscope/binscope/buildmatrix"
)

// The analyses of built cells run at most limit at a time, however many
// builds end together, and add never blocks the build events.
func TestAnalyzerBound(t *testing.T) {
	for _, limit := range []int{1, 2, 3} {
		var running, peak atomic.Int32
		release := make(chan struct{})
		var mu sync.Mutex
		seen := map[int]bool{}
		a := newAnalyzer(limit, func(i int, r buildmatrix.Result) {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			<-release
			running.Add(-1)
			mu.Lock()
			seen[i] = true
			mu.Unlock()
		})
		const cells = 10
		for i := range cells {
			a.add(i, buildmatrix.Result{}) // returns at once although all block
		}
		// Once limit analyses run, give more the chance to start (they
		// would if the bound were broken), then let them all end.
		if g := a.goroutines(); g > limit {
			t.Errorf("limit %d: %d goroutines for %d queued cells", limit, g, cells)
		}
		for running.Load() < int32(limit) {
			runtime.Gosched()
		}
		time.Sleep(20 * time.Millisecond)
		close(release)
		a.wait()
		if p := peak.Load(); p > int32(limit) {
			t.Errorf("limit %d: %d analyses ran at once", limit, p)
		}
		if len(seen) != cells {
			t.Errorf("limit %d: %d of %d cells analyzed", limit, len(seen), cells)
		}
	}
}
