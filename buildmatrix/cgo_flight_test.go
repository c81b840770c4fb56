package buildmatrix

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Cells of one compile configuration that ask for its cgo packages at
// the same time share one go list.
func TestCgoPackagesSingleFlight(t *testing.T) {
	var calls atomic.Int32
	entered := make(chan struct{})
	release := make(chan struct{})
	p := &Plan{Dir: t.TempDir(), run: func(ctx context.Context, goCmd, dir string, env []string, args ...string) ([]byte, error) {
		if calls.Add(1) == 1 {
			close(entered)
		}
		<-release
		return []byte("example.com/app\t0\tfalse\nexample.com/app/c\t1\ttrue\n"), nil
	}}
	c := Combination{CGO: true, GOOS: "linux", GOARCH: "amd64"}
	twin := c
	twin.Strip = true // same compile configuration

	const n = 8
	got := make([][]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cell := c
			if i%2 == 1 {
				cell = twin
			}
			pkgs, err := p.cgoPackages(context.Background(), cell)
			if err != nil {
				t.Error(err)
			}
			got[i] = pkgs
		}()
	}
	<-entered
	// Give the other callers the time to pile up behind the first; the
	// assertion does not depend on how many did.
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("go list ran %d times, want 1", n)
	}
	for i, pkgs := range got {
		if diff := cmp.Diff([]string{"example.com/app/c"}, pkgs); diff != "" {
			t.Errorf("caller %d (-want +got):\n%s", i, diff)
		}
	}
}

// An answer cut short by the context is not kept: the next caller asks
// again.
func TestCgoPackagesCanceledNotKept(t *testing.T) {
	var calls atomic.Int32
	p := &Plan{Dir: t.TempDir(), run: func(ctx context.Context, goCmd, dir string, env []string, args ...string) ([]byte, error) {
		calls.Add(1)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return []byte("example.com/app\t0\tfalse\n"), nil
	}}
	c := Combination{CGO: true, GOOS: "linux", GOARCH: "amd64"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.cgoPackages(ctx, c); err == nil {
		t.Fatal("cgoPackages with a canceled context succeeded")
	}
	pkgs, err := p.cgoPackages(context.Background(), c)
	if err != nil || len(pkgs) != 0 {
		t.Fatalf("cgoPackages = %v, %v; want no packages", pkgs, err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("go list ran %d times, want 2", n)
	}
}
