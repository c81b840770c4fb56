package buildmatrix

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
)

// GoError is a go subcommand that failed: the subcommand's arguments, how
// it ended and what it wrote to stderr.
type GoError struct {
	Args   []string // after "go", such as env -json
	Err    error    // how the command ended (an *exec.ExitError, say)
	Stderr string
}

func (e *GoError) Error() string {
	return fmt.Sprintf("go %s: %v%s", e.Args[0], e.Err, stderrLine([]byte(e.Stderr)))
}

func (e *GoError) Unwrap() error { return e.Err }

// goRunner runs a go subcommand and returns its standard output. runGo is
// the real one; tests put a counting one in its place.
type goRunner func(ctx context.Context, goCmd, dir string, env []string, args ...string) ([]byte, error)

// RunGo runs goCmd ("go" when empty) with args in dir, with env as its
// whole environment, and returns its standard output. A command that
// fails is a *GoError holding its stderr. It is the one place binscope
// runs a go subcommand other than go build.
func RunGo(ctx context.Context, goCmd, dir string, env []string, args ...string) ([]byte, error) {
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &GoError{Args: args, Err: err, Stderr: stderr.String()}
	}
	return out, nil
}

// LookPath reports whether the first word of command (a go command or a
// C compiler such as "zig cc") names a program on PATH; the error says
// why not.
func LookPath(command string) error {
	words := strings.Fields(command)
	if len(words) == 0 {
		return fmt.Errorf("empty command")
	}
	_, err := exec.LookPath(words[0])
	return err
}

// Platforms returns the platforms the toolchain builds for, from
// go tool dist list.
func Platforms(ctx context.Context, goCmd, dir string, env []string) ([]Platform, error) {
	out, err := RunGo(ctx, goCmd, dir, env, "tool", "dist", "list")
	if err != nil {
		return nil, err
	}
	var ps []Platform
	for _, f := range strings.Fields(string(out)) {
		if p, err := ParsePlatform(f); err == nil && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	return ps, nil
}
