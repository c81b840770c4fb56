// Package testbuild builds fixture programs for binscope's tests with the
// running toolchain, into the test's temporary folder, so that tests check
// real binaries of every variant rather than committed ones.
package testbuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Variant is one way of building a program.
type Variant struct {
	Name  string   // file name of the binary; also the subtest name
	Env   []string // KEY=VALUE pairs added to the environment, such as CGO_ENABLED=0
	Flags []string // go build flags, such as -ldflags=-s -w
	// GNUStrip runs strip(1) on the result, as a distribution's packaging
	// would.
	GNUStrip bool
}

// NeedsCgo reports whether the variant links with a C toolchain.
func (v Variant) NeedsCgo() bool { return v.has("CGO_ENABLED=1") }

func (v Variant) has(kv string) bool {
	for _, e := range v.Env {
		if e == kv {
			return true
		}
	}
	return false
}

// Root returns the root of the binscope module.
func Root(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testbuild: cannot find the source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Pomo returns the folder of the bundled example program.
func Pomo(t testing.TB) string {
	return filepath.Join(Root(t), "testdata", "pomo")
}

// GoEnv returns an environment for running the go command in tests: the
// process's own, with toolchain switching and network fetching turned off
// so that a build never downloads anything.
func GoEnv(extra ...string) []string {
	env := append(os.Environ(), "GOTOOLCHAIN=local", "GOPROXY=off", "GOWORK=off")
	return append(env, extra...)
}

var (
	cacheMu sync.Mutex
	cache   = map[string]string{}
)

// Build builds the program in dir as v describes and returns the binary's
// path. Under Main, the binary lives as long as the test binary and two
// tests asking for the same variant share one build. Build skips the test,
// saying why, when the machine cannot build the variant (no C compiler for
// a cgo build, no strip for a GNU-stripped copy).
func Build(t testing.TB, dir string, v Variant) string {
	t.Helper()
	if v.NeedsCgo() && !HaveCC() {
		t.Skipf("%s: needs a C compiler (gcc) for CGO_ENABLED=1, and this machine has none", v.Name)
	}
	if v.GNUStrip {
		if _, err := exec.LookPath("strip"); err != nil {
			t.Skipf("%s: needs strip(1), which this machine lacks", v.Name)
		}
	}
	key := dir + "\x00" + v.Name + "\x00" + strings.Join(v.Env, " ") + "\x00" + strings.Join(v.Flags, "\x00")
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if p, ok := cache[key]; ok {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	// Without Main nothing would remove a shared folder, so each test
	// builds into its own temporary folder instead.
	outDir := t.TempDir()
	if mainCalled {
		outDir = sharedDir(t)
	}
	out := filepath.Join(outDir, v.Name)
	args := append([]string{"build", "-o", out}, v.Flags...)
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = GoEnv(v.Env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", v.Name, err, msg)
	}
	if v.GNUStrip {
		if msg, err := exec.Command("strip", out).CombinedOutput(); err != nil {
			t.Fatalf("strip %s: %v\n%s", v.Name, err, msg)
		}
	}
	if mainCalled {
		cache[key] = out
	}
	return out
}

var (
	sharedOnce sync.Once
	shared     string
)

// sharedDir is one temporary folder per test binary. It is removed by
// Cleanup, which a package's TestMain calls after its tests ran.
func sharedDir(t testing.TB) string {
	sharedOnce.Do(func() {
		d, err := os.MkdirTemp("", "binscope-fixtures-")
		if err != nil {
			t.Fatal(err)
		}
		shared = d
	})
	if shared == "" {
		t.Fatal("testbuild: no fixture folder")
	}
	return shared
}

// Cleanup removes the binaries built by Build in this process.
func Cleanup() {
	if shared != "" {
		os.RemoveAll(shared)
	}
}

var mainCalled bool

// Main runs a package's tests and then removes the fixtures they built.
// In a package whose TestMain calls it, tests share the builds of a
// variant; elsewhere each test builds its own.
func Main(m *testing.M) {
	mainCalled = true
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

var (
	ccOnce sync.Once
	haveCC bool
)

// HaveCC reports whether cgo builds can work here: the C compiler that
// `go env CC` names is installed.
func HaveCC() bool {
	ccOnce.Do(func() {
		out, err := exec.Command("go", "env", "CC").Output()
		cc := strings.TrimSpace(string(out))
		if err != nil || cc == "" {
			cc = "gcc"
		}
		_, err = exec.LookPath(strings.Fields(cc)[0])
		haveCC = err == nil
	})
	return haveCC
}

// ProcessesNaming lists the command lines (prefixed with their pids) of
// the live processes whose command line names dir: after an interrupt,
// the go command's compile, link and asm steps that would still write
// into a work folder under dir. It reads /proc, so it works on Linux only.
func ProcessesNaming(t testing.TB, dir string) []string {
	t.Helper()
	procs, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range procs {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		if stat, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); strings.Contains(string(stat), ") Z ") {
			continue // a zombie is already dead
		}
		if cmd := strings.ReplaceAll(string(b), "\x00", " "); strings.Contains(cmd, dir) {
			out = append(out, e.Name()+": "+cmd[:min(len(cmd), 160)])
		}
	}
	return out
}

// CancelWhen calls cancel once running reports true (polled every 20 ms
// for up to a minute), a moment later, so that an interrupt lands in the
// middle of the work. The channel says whether running ever reported
// true: if not, nothing was interrupted and the test proves nothing.
func CancelWhen(running func() bool, cancel func()) <-chan bool {
	saw := make(chan bool, 1)
	go func() {
		ok := false
		for deadline := time.Now().Add(time.Minute); !ok && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
			ok = running()
		}
		saw <- ok
		time.Sleep(300 * time.Millisecond)
		cancel()
	}()
	return saw
}

// GoCommand returns the running toolchain's go binary, the reference
// input of binscope's performance targets.
func GoCommand(b testing.TB) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "bin", "go")
}

// Fixture returns a copy of testdata/fixture, in the test's temporary
// folder, whose go.mod files say goVersion (such as "1.26"): the fixture
// has files for Go 1.15 on, and a toolchain builds generics and embed
// only when the module's go line allows them.
func Fixture(t testing.TB, goVersion string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "fixture")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join(Root(t), "testdata", "fixture"))); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.Name() != "go.mod" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "go ") {
				lines[i] = "go " + goVersion
			}
		}
		return os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// RunningGoVersion is the language version of the running toolchain, as
// a go.mod's go line spells it: "1.26".
func RunningGoVersion(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatalf("go env GOVERSION: %v", err)
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "go")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("go env GOVERSION: %q", out)
	}
	return parts[0] + "." + strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
}
