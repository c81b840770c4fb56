package main

import (
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
	"github.com/rogpeppe/go-internal/goproxytest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(cleanupM{m}, map[string]func(){
		"binscope": func() { os.Exit(runMain()) },
	})
}

// cleanupM removes what the tests share (the graph linker's folder)
// once they have run.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := c.m.Run()
	if graphCacheDirTest != "" {
		os.RemoveAll(graphCacheDirTest)
	}
	return code
}

// TestScripts runs the end-to-end scripts in testdata/script. Scripts may
// run the go command to build fixtures from $POMO (testdata/pomo); the
// build cache is the developer's own, and nothing is downloaded from the
// network. $GOPROXYTEST is a module proxy on localhost that serves the
// modules of testdata/mod: a script that fetches modules sets GOPROXY to
// it, GOSUMDB=off, and a GOMODCACHE of its own (with -modcacherw, so
// that the script's folder can be removed).
func TestScripts(t *testing.T) {
	goEnv := goEnvValues(t, "GOCACHE", "GOPATH", "GOMODCACHE", "GOFLAGS", "GOROOT", "GOVERSION")
	graphCache := graphCacheForTests(t)
	// LOCALGO is the local Go's version as a golang image tag names it
	// (1.26 for go1.26.8), for Dockerfiles whose builder matches it.
	localGo := strings.TrimPrefix(goEnv["GOVERSION"], "go")
	if parts := strings.SplitN(localGo, ".", 3); len(parts) >= 2 {
		localGo = parts[0] + "." + parts[1]
	}
	delete(goEnv, "GOVERSION")
	pomo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "pomo"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := goproxytest.NewTestServer(t, filepath.Join("..", "..", "testdata", "mod"), "")
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			env.Setenv("HOME", env.WorkDir)
			// One graph linker (binscope why) for all the scripts.
			env.Setenv("BINSCOPE_CACHE", graphCache)
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOWORK", "off")
			env.Setenv("NO_COLOR", "")
			env.Setenv("POMO", pomo)
			env.Setenv("LOCALGO", localGo)
			env.Setenv("GOPROXYTEST", proxy.URL)
			// BINSCOPEBIN is the folder of the binscope command, for
			// scripts that set a PATH of their own (compare_nocc).
			if p, err := exec.LookPath("binscope"); err == nil {
				env.Setenv("BINSCOPEBIN", filepath.Dir(p))
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"truncate": cmdTruncate,
			"poke":     cmdPoke,
			"exits":    cmdExits,
			"cpdir":    cmdCpdir,
			"fat":      cmdFat,
			"blob":     cmdBlob,
			"pty":      cmdPTY,
			"fits":     cmdFits,
			"github":   cmdGitHub,
			"gitsha":   cmdGitSHA,
			"expand":   cmdExpand,
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "cgo":
				return testbuild.HaveCC(), nil
			case "pty":
				return havePTY(), nil
			case "ghapi":
				return newCIAPI != nil, nil // built with -tags ghapi
			}
			return false, nil
		},
	})
}

// cmdTruncate cuts a file to a length: truncate FILE BYTES.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate FILE BYTES")
	}
	n, err := strconv.ParseInt(args[1], 0, 64)
	ts.Check(err)
	ts.Check(os.Truncate(ts.MkAbs(args[0]), n))
}

// cmdPoke overwrites bytes of a file, to corrupt a binary at a known
// place: poke FILE OFFSET HEXBYTES (offset in decimal or 0x hex).
func cmdPoke(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: poke FILE OFFSET HEXBYTES")
	}
	off, err := strconv.ParseInt(args[1], 0, 64)
	ts.Check(err)
	b, err := hex.DecodeString(args[2])
	ts.Check(err)
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_WRONLY, 0)
	ts.Check(err)
	_, err = f.WriteAt(b, off)
	ts.Check(err)
	ts.Check(f.Close())
}

// cmdExits runs a program and checks its exit status, which plain
// `! exec` cannot tell apart: exits STATUS PROGRAM [ARGS...]. Its output
// is kept for stdout and stderr checks as after exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("run %s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdBlob writes a file of BYTES bytes that do not repeat (an xorshift
// sequence), to grow a program by a known amount: blob FILE BYTES.
func cmdBlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: blob FILE BYTES")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	data := make([]byte, n)
	x := uint64(0x9E3779B97F4A7C15)
	for i := range data {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		data[i] = byte(x)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o644))
}

// cmdFat joins thin Mach-O files into a universal binary, as lipo
// -create does: fat OUT THIN...
func cmdFat(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: fat OUT THIN...")
	}
	var slices [][]byte
	for _, a := range args[1:] {
		data, err := os.ReadFile(ts.MkAbs(a))
		ts.Check(err)
		slices = append(slices, data)
	}
	data, err := testbuild.Fat(testbuild.FatMagic, slices...)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o755))
}

// cmdCpdir copies a folder tree: cpdir SRC DST.
func cmdCpdir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cpdir SRC DST")
	}
	ts.Check(os.CopyFS(ts.MkAbs(args[1]), os.DirFS(ts.MkAbs(args[0]))))
}

// goEnvValues reads settings through `go env`, which also sees the go env
// file, so that scripts build with the same cache as the test run.
func goEnvValues(t *testing.T, keys ...string) map[string]string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"env"}, keys...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	m := map[string]string{}
	for i, k := range keys {
		if i < len(vals) {
			m[k] = vals[i]
		}
	}
	return m
}
