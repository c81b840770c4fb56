package buildmatrix

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// TempModule is a module made to build a program named pkg@version, as
// go install pkg@version builds it: outside of any module of the user's,
// it requires the module that provides the package at that version, and
// nothing else.
type TempModule struct {
	Dir string // the module's folder; builds run there
	// Env is the environment of every go command in Dir: the one
	// NewTempModule was given, with GOWORK=off, so that no workspace of
	// the user's reaches in, and -mod=mod in GOFLAGS in place of any
	// other -mod, so that a -mod=vendor of the user's does not apply to a
	// module without a vendor folder and the builds of other platforms
	// may add the go.sum lines they need.
	Env []string
}

// ParseVersioned splits a target written pkg@version, as go install
// takes it, into the package (or pattern) and the version query; ok is
// false when s has no version. The package must be an import path, not
// a folder, and both halves must be given; the error, which does not
// repeat s, says which is wrong.
func ParseVersioned(s string) (pkg, version string, ok bool, err error) {
	pkg, version, ok = strings.Cut(s, "@")
	if !ok {
		return s, "", false, nil
	}
	switch {
	case pkg == "":
		return "", "", true, errors.New("no package before the @version")
	case version == "":
		return "", "", true, fmt.Errorf("no version after the @ (such as %s@latest)", pkg)
	case IsLocalPath(pkg):
		return "", "", true, errors.New("a version goes with an import path, not a folder (as in go install example.com/cmd/tool@v1.2.0)")
	}
	return pkg, version, true, nil
}

// IsLocalPath reports whether the go command reads a package argument
// as a folder rather than an import path: ".", "..", or a path that
// starts with ./, ../ or / (or a volume, on Windows).
func IsLocalPath(s string) bool {
	if s == "." || s == ".." || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || strings.HasPrefix(s, "/") {
		return true
	}
	if len(s) >= 2 && s[1] == ':' || strings.HasPrefix(s, `.\`) || strings.HasPrefix(s, `..\`) || strings.HasPrefix(s, `\`) {
		return true // Windows
	}
	return false
}

// NewTempModule makes a module in a new folder under parent that requires
// the module providing query (pkg@version: an import path or a pattern,
// and a version, a branch, a commit or latest), with go mod init and go
// get query, run with env (less any workspace and -mod setting of the
// user's: see TempModule.Env). Remove removes it; NewTempModule removes
// it itself when it fails.
func NewTempModule(ctx context.Context, goCmd, parent, query string, env []string) (*TempModule, error) {
	dir, err := os.MkdirTemp(parent, "binscope-module-")
	if err != nil {
		return nil, err
	}
	m := &TempModule{Dir: dir}
	fail := func(err error) (*TempModule, error) {
		m.Remove()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ge *GoError
		if errors.As(err, &ge) {
			msg := oneLine(cmp.Or(LastLines(ge.Stderr, 3), ge.Err.Error()))
			err = fmt.Errorf("go %s: %s", ge.Args[0], strings.TrimPrefix(msg, "go: "))
		}
		return nil, err
	}
	base := make([]string, 0, len(env)+2)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != "GOWORK" {
			base = append(base, kv)
		}
	}
	base = append(base, "GOWORK=off")
	// GOFLAGS as the go command reads it, from the environment or the go
	// env file.
	out, err := RunGo(ctx, goCmd, dir, base, "env", "GOFLAGS")
	if err != nil {
		return fail(err)
	}
	flags := []string{"-mod=mod"}
	for _, f := range strings.Fields(string(out)) {
		if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "--mod=") {
			flags = append(flags, f)
		}
	}
	for _, kv := range base {
		if k, _, _ := strings.Cut(kv, "="); k != "GOFLAGS" {
			m.Env = append(m.Env, kv)
		}
	}
	m.Env = append(m.Env, "GOFLAGS="+strings.Join(flags, " "))
	if _, err := RunGo(ctx, goCmd, dir, m.Env, "mod", "init", "binscope-target"); err != nil {
		return fail(err)
	}
	if _, err := RunGo(ctx, goCmd, dir, m.Env, "get", "--", query); err != nil {
		return fail(err)
	}
	return m, nil
}

// Remove removes the module's folder.
func (m *TempModule) Remove() error { return os.RemoveAll(m.Dir) }
