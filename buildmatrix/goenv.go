package buildmatrix

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// GoEnv is what the go command says about its settings in a folder, from
// `go env -json`: the process environment and the go env file together.
type GoEnv struct {
	Vars map[string]string
	// Changed holds the settings that differ from the toolchain's
	// defaults (`go env -changed`): what the user's environment and go
	// env file bring to every build.
	Changed map[string]string
}

// Get returns the value of a setting, "" when unset.
func (e GoEnv) Get(key string) string { return e.Vars[key] }

// Host returns the platform of the machine.
func (e GoEnv) Host() Platform { return Platform{GOOS: e.Get("GOHOSTOS"), GOARCH: e.Get("GOHOSTARCH")} }

// Target returns the platform a plain go build targets.
func (e GoEnv) Target() Platform { return Platform{GOOS: e.Get("GOOS"), GOARCH: e.Get("GOARCH")} }

// CGOEnabled reports whether a plain go build uses cgo: CGO_ENABLED as
// the environment gives it, or as the go command decides when unset (off
// when it finds no C compiler).
func (e GoEnv) CGOEnabled() bool { return e.Get("CGO_ENABLED") == "1" }

// Version returns the toolchain's version, such as go1.26.1.
func (e GoEnv) Version() string { return e.Get("GOVERSION") }

// perCell are the settings compare gives each cell explicitly, so that
// what the environment says about them is not inherited.
var perCell = []string{"CGO_ENABLED", "GOOS", "GOARCH", "GOTMPDIR"}

// Inherited returns the changed settings that reach every build as they
// are, leaving out those compare sets per cell.
func (e GoEnv) Inherited() map[string]string {
	m := map[string]string{}
	for k, v := range e.Changed {
		if !slices.Contains(perCell, k) {
			m[k] = v
		}
	}
	return m
}

// ReadGoEnv runs `go env -json` and `go env -json -changed` in dir with
// env as the environment. goCmd is the go command to run ("go" for the one
// on PATH).
func ReadGoEnv(ctx context.Context, goCmd, dir string, env []string) (GoEnv, error) {
	type result struct {
		m   map[string]string
		err error
	}
	changed := make(chan result, 1)
	go func() {
		m, err := goEnvJSON(ctx, goCmd, dir, env, "-changed")
		changed <- result{m, err}
	}()
	vars, err := goEnvJSON(ctx, goCmd, dir, env)
	ch := <-changed
	if err != nil {
		return GoEnv{}, err
	}
	if ch.err != nil {
		// go env -changed arrived in Go 1.23; an older toolchain still
		// builds, it only cannot say what the user changed.
		ch.m = map[string]string{}
	}
	return GoEnv{Vars: vars, Changed: ch.m}, nil
}

func goEnvJSON(ctx context.Context, goCmd, dir string, env []string, extra ...string) (map[string]string, error) {
	out, err := RunGo(ctx, goCmd, dir, env, append([]string{"env", "-json"}, extra...)...)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("go env: reading its JSON: %w", err)
	}
	return m, nil
}

// stderrLine renders a command's error output as ": LAST LINES", or "".
func stderrLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return ""
	}
	return ": " + LastLines(s, 5)
}

// LastLines returns at most n of the last non-empty lines of s, joined by
// newlines.
func LastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, "\r "))
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
