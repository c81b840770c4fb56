package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"binscope": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script. Scripts may
// run the go command to build fixtures from $POMO (testdata/pomo); the
// build cache is the developer's own, and nothing is downloaded.
func TestScripts(t *testing.T) {
	goEnv := goEnvValues(t, "GOCACHE", "GOPATH", "GOMODCACHE", "GOFLAGS", "GOROOT")
	pomo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "pomo"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOWORK", "off")
			env.Setenv("NO_COLOR", "")
			env.Setenv("POMO", pomo)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "cgo":
				return testbuild.HaveCC(), nil
			}
			return false, nil
		},
	})
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
