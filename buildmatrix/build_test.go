package buildmatrix

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

func TestCommandLine(t *testing.T) {
	p := &Plan{GoEnv: GoEnv{Vars: map[string]string{}, Changed: map[string]string{}}}
	tests := []struct {
		name     string
		settings Settings
		cc       map[Platform]string
		env      []string
		c        Combination
		want     string
		wantEnv  []string
	}{
		{
			name:    "seed's container build",
			c:       Combination{GOOS: "linux", GOARCH: "amd64", Strip: true, Tags: []string{"containers"}},
			want:    `CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -ldflags="-s -w" -tags=containers`,
			wantEnv: []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOTOOLCHAIN=local"},
		},
		{
			name:    "plain build passes empty flags explicitly",
			c:       Combination{CGO: true, GOOS: "linux", GOARCH: "amd64"},
			want:    `CGO_ENABLED=1 GOOS=linux GOARCH=amd64 go build -ldflags="" -tags=""`,
			wantEnv: []string{"CGO_ENABLED=1", "GOOS=linux", "GOARCH=amd64", "GOTOOLCHAIN=local"},
		},
		{
			name:     "shared settings and a C cross compiler",
			settings: Settings{LDFlags: "-X main.version=1", Trimpath: true, BuildMode: "pie"},
			cc:       map[Platform]string{{"linux", "arm64"}: "aarch64-linux-gnu-gcc"},
			env:      []string{"GOTOOLCHAIN=go1.26.0"},
			c:        Combination{CGO: true, GOOS: "linux", GOARCH: "arm64", Strip: true, Tags: []string{"osusergo", "netgo"}},
			want:     `CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc go build -ldflags="-s -w -X main.version=1" -tags=netgo,osusergo -trimpath -buildmode=pie`,
			wantEnv:  []string{"CGO_ENABLED=1", "GOOS=linux", "GOARCH=arm64", "CC=aarch64-linux-gnu-gcc"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p.Settings, p.CC, p.Env = tc.settings, tc.cc, tc.env
			if got := p.CommandLine(tc.c); got != tc.want {
				t.Errorf("CommandLine:\n got %s\nwant %s", got, tc.want)
			}
			env, _ := p.Invocation(tc.c)
			if diff := cmp.Diff(tc.wantEnv, env); diff != "" {
				t.Errorf("Invocation env (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":                  `""`,
		"-s -w":             `"-s -w"`,
		"netgo,osusergo":    "netgo,osusergo",
		`-X "main.v=$HOME"`: `"-X \"main.v=\$HOME\""`,
		"/usr/bin/gcc":      "/usr/bin/gcc",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// newPlan reads the go settings of dir and returns a plan that builds
// into a temporary folder.
func newPlan(t *testing.T, dir string, env []string) *Plan {
	t.Helper()
	ge, err := ReadGoEnv(context.Background(), "go", dir, env)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for _, d := range []string{"bin", "work"} {
		if err := os.Mkdir(filepath.Join(tmp, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &Plan{GoCmd: "go", Dir: dir, Env: env, GoEnv: ge, Binary: "app",
		OutDir: filepath.Join(tmp, "bin"), TempDir: filepath.Join(tmp, "work"), Jobs: 2, Grace: time.Second}
}

// A cell that does not compile fails with the compiler's words, and the
// cells around it still build.
func TestRunFailingCellDoesNotStopOthers(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":    "module example.com/app\n\ngo 1.22\n",
		"main.go":   "package main\n\nfunc main() { println(msg) }\n",
		"msg.go":    "//go:build !broken\n\npackage main\n\nconst msg = \"hello\"\n",
		"broken.go": "//go:build broken\n\npackage main\n\nconst msg = undefinedThing\n",
	})
	p := newPlan(t, dir, testEnv())
	host := p.GoEnv.Host()
	cells := []Combination{
		{GOOS: host.GOOS, GOARCH: host.GOARCH},
		{GOOS: host.GOOS, GOARCH: host.GOARCH, Strip: true},
		{GOOS: host.GOOS, GOARCH: host.GOARCH, Tags: []string{"broken"}},
		{GOOS: host.GOOS, GOARCH: host.GOARCH, Strip: true, Tags: []string{"broken"}},
		{GOOS: host.GOOS, GOARCH: host.GOARCH, Tags: []string{"other"}},
	}
	var started, finished int
	steps := Schedule(cells)
	begun := map[int]bool{}
	results, err := p.Run(context.Background(), cells, func(ev Event) {
		if ev.Result == nil {
			started++
			// A cell never starts before the one it waits for.
			if a := steps[ev.Index].After; a >= 0 && !begun[a] {
				t.Errorf("%s started before %s", cells[ev.Index], cells[a])
			}
			begun[ev.Index] = true
			if len(ev.Building) > p.Jobs {
				t.Errorf("%d builds at once, want at most %d", len(ev.Building), p.Jobs)
			}
		} else {
			finished++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		got = append(got, r.Combination.String()+" "+r.Status)
		switch r.Status {
		case StatusOK:
			if st, err := os.Stat(r.Path); err != nil || st.Size() == 0 {
				t.Errorf("%s: ok but its binary %s: %v", r.Combination, r.Path, err)
			}
			if r.Duration <= 0 || r.Started.IsZero() {
				t.Errorf("%s: no build time", r.Combination)
			}
		case StatusFailed:
			if !strings.Contains(r.Reason, "undefined: undefinedThing") {
				t.Errorf("%s: reason %q does not carry the compiler's error", r.Combination, r.Reason)
			}
		}
	}
	want := []string{
		cells[0].String() + " ok",
		cells[1].String() + " ok",
		cells[2].String() + " failed",
		cells[3].String() + " failed",
		cells[4].String() + " ok",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if started != len(cells) || finished != len(cells) {
		t.Errorf("events: %d started, %d finished, want %d each", started, finished, len(cells))
	}
	if busy := BusyTime(results); busy <= 0 {
		t.Errorf("BusyTime = %v", busy)
	}
}

// Interrupting a run ends the go command and everything it started, and
// leaves no work folder behind.
func TestRunCancelEndsProcessGroup(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("looks for leftover processes in /proc")
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.22\n",
		"main.go": "package main\n\nimport _ \"net/http\"\n\nfunc main() {}\n",
	})
	// An empty build cache makes the build long enough to interrupt in
	// the middle of compiling the standard library.
	p := newPlan(t, dir, testEnv("GOCACHE="+t.TempDir()))
	host := p.GoEnv.Host()
	cells := []Combination{{GOOS: host.GOOS, GOARCH: host.GOARCH}, {GOOS: host.GOOS, GOARCH: host.GOARCH, Strip: true}}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupt once the compiler is running under the work folder.
	sawCompiler := testbuild.CancelWhen(func() bool { return len(testbuild.ProcessesNaming(t, p.TempDir)) > 0 }, cancel)
	results, err := p.Run(ctx, cells, nil)
	if !<-sawCompiler {
		t.Fatal("no compiler ran under the work folder; nothing was interrupted")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	// Run returned without waiting for the build to end on its own (no
	// binary in the output folder, checked below) and started nothing
	// after the interrupt. How fast it returns is BenchmarkRunCancel's.
	if len(results) == 2 && !results[1].Started.IsZero() {
		t.Errorf("%s was started after the interrupt", results[1].Combination)
	}
	for _, r := range results {
		if r.Status != "" {
			t.Errorf("%s: status %q after an interrupt, want none", r.Combination, r.Status)
		}
	}
	if left := testbuild.ProcessesNaming(t, filepath.Dir(p.TempDir)); len(left) > 0 {
		t.Errorf("processes left running after the interrupt: %v", left)
	}
	entries, _ := os.ReadDir(p.TempDir)
	for _, e := range entries {
		t.Errorf("left in the go work folder: %s", e.Name())
	}
	entries, _ = os.ReadDir(p.OutDir)
	for _, e := range entries {
		t.Errorf("left in the output folder: %s", e.Name())
	}
}

// BenchmarkRunCancel measures how long Run takes to return once its
// context is canceled in the middle of compiling: the time to end the go
// command's process group and remove its work folder (the cancel-s/op
// metric).
func BenchmarkRunCancel(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("finds the compiler in /proc")
	}
	dir := b.TempDir()
	for name, body := range map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.22\n",
		"main.go": "package main\n\nimport _ \"net/http\"\n\nfunc main() {}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	env := testEnv()
	ge, err := ReadGoEnv(context.Background(), "go", dir, env)
	if err != nil {
		b.Fatal(err)
	}
	host := ge.Host()
	var total time.Duration
	for b.Loop() {
		tmp := b.TempDir()
		for _, d := range []string{"bin", "work", "cache"} {
			if err := os.Mkdir(filepath.Join(tmp, d), 0o755); err != nil {
				b.Fatal(err)
			}
		}
		// An empty build cache keeps the compiler busy until the cancel.
		cenv := append(slices.Clone(env), "GOCACHE="+filepath.Join(tmp, "cache"))
		p := &Plan{GoCmd: "go", Dir: dir, Env: cenv, GoEnv: ge, Binary: "app",
			OutDir: filepath.Join(tmp, "bin"), TempDir: filepath.Join(tmp, "work"), Jobs: 2, Grace: time.Second}
		ctx, cancel := context.WithCancel(context.Background())
		var canceled time.Time
		saw := testbuild.CancelWhen(func() bool { return len(testbuild.ProcessesNaming(b, p.TempDir)) > 0 }, func() {
			canceled = time.Now()
			cancel()
		})
		_, err := p.Run(ctx, []Combination{{GOOS: host.GOOS, GOARCH: host.GOARCH}}, nil)
		if !<-saw || !errors.Is(err, context.Canceled) {
			b.Fatalf("the build was not interrupted: %v", err)
		}
		total += time.Since(canceled)
		cancel()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "cancel-s/op")
}

// watchLink signals when the go command creates the binary's folder in its
// work folder, which it does right before it links.
func TestWatchLink(t *testing.T) {
	tmp := t.TempDir()
	linked := make(chan struct{})
	stop := watchLink([]string{"PATH=/bin", "GOTMPDIR=" + tmp}, func() { close(linked) })
	defer stop()
	if err := os.MkdirAll(filepath.Join(tmp, "go-build123", "b002", "exe"), 0o755); err != nil {
		t.Fatal(err)
	}
	select {
	case <-linked:
		t.Fatal("signalled for another action's folder")
	case <-time.After(200 * time.Millisecond):
	}
	if err := os.MkdirAll(filepath.Join(tmp, "go-build123", "b001", "exe"), 0o755); err != nil {
		t.Fatal(err)
	}
	select {
	case <-linked:
	case <-time.After(5 * time.Second):
		t.Fatal("no signal after b001/exe appeared")
	}
}

func TestCompiledPackages(t *testing.T) {
	log := "internal/goarch\nruntime\nexample.com/pomo\n# example.com/pomo/x\nx/x.go:3:2: undefined: y\nexit status 1\n"
	n, rest := compiledPackages(log, "example.com/pomo")
	if n != 2 {
		t.Errorf("compiled %d packages, want 2 (the main package is not counted)", n)
	}
	if want := "# example.com/pomo/x\nx/x.go:3:2: undefined: y\nexit status 1\n"; rest != want {
		t.Errorf("rest = %q, want %q", rest, want)
	}
}
