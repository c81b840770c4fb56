package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/binscope/binscope/buildmatrix"
	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/goproxytest"
)

// locate reads a target as the go command reads a package argument,
// except that a relative path naming a folder is that folder; it runs
// nothing.
func TestLocate(t *testing.T) {
	from := t.TempDir()
	for _, d := range []string{"testdata/pomo", "cmd/x"} {
		if err := os.MkdirAll(filepath.Join(from, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(from, "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	type got struct {
		Dir, Pkg, Query string
		Folder, Missing bool
	}
	tests := []struct {
		target string
		want   got
		err    error // the RequestError wraps it
	}{
		{target: ".", want: got{Dir: from, Pkg: ".", Folder: true}},
		{target: "./cmd/x", want: got{Dir: filepath.Join(from, "cmd", "x"), Pkg: ".", Folder: true}},
		{target: "testdata/pomo", want: got{Dir: filepath.Join(from, "testdata", "pomo"), Pkg: ".", Folder: true}},
		{target: "./cmd/...", want: got{Dir: from, Pkg: "./cmd/..."}},
		{target: "example.com/m/cmd/...", want: got{Dir: from, Pkg: "example.com/m/cmd/..."}},
		{target: "example.com/m/cmd/tool", want: got{Dir: from, Pkg: "example.com/m/cmd/tool", Missing: true}},
		{target: "nothere", want: got{Dir: from, Pkg: "nothere", Missing: true}},
		{target: "example.com/m/cmd/tool@v1.2.0", want: got{Pkg: "example.com/m/cmd/tool", Query: "example.com/m/cmd/tool@v1.2.0"}},
		{target: "example.com/m/...@latest", want: got{Pkg: "example.com/m/...", Query: "example.com/m/...@latest"}},
		{target: "./nothere", err: os.ErrNotExist},
		{target: "main.go", err: ErrNotDir},
		{target: "./cmd/x@v1.0.0", err: ErrTargetSyntax},
		{target: "example.com/m@", err: ErrTargetSyntax},
		{target: "@v1.0.0", err: ErrTargetSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			loc, err := locate(tc.target, from)
			if tc.err != nil {
				var re *RequestError
				if !errors.As(err, &re) || re.Field != FieldDir || re.Value != tc.target || !errors.Is(err, tc.err) {
					t.Fatalf("locate = %v, %v; want a RequestError of field dir wrapping %v", loc, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := got{Dir: loc.dir, Pkg: loc.pkg, Query: loc.query, Folder: loc.folder, Missing: loc.missing}
			if diff := cmp.Diff(tc.want, g); diff != "" {
				t.Errorf("locate (-want +got):\n%s", diff)
			}
		})
	}
}

// A pkg@version run builds in a temporary module that is removed when
// the run ends, also when it is interrupted (Ctrl-C) while it builds.
func TestRunVersionInterrupted(t *testing.T) {
	if err := buildmatrix.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	proxy := goproxytest.NewTestServer(t, filepath.Join("..", "testdata", "mod"), "")
	tmp := t.TempDir()
	env := append(os.Environ(), "GOPROXY="+proxy.URL, "GOSUMDB=off", "GOMODCACHE="+t.TempDir(),
		"GOFLAGS=-modcacherw", "GOTOOLCHAIN=local", "TMPDIR="+tmp, "GOTMPDIR=", "CGO_ENABLED=0")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var dirs []string
	_, err := Run(ctx, Request{Target: "example.com/tool/cmd/tool@v1.0.0", CGO: []bool{false}, Strip: []bool{false}, TagsGiven: true, TagSets: [][]string{{}}, Jobs: 1}, env,
		func(ev Event) {
			if ev.Kind == EventStart {
				// The module is there while the builds run.
				m, _ := filepath.Glob(filepath.Join(tmp, "binscope-module-*", "go.mod"))
				dirs = m
				cancel()
			}
		})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	if len(dirs) != 1 {
		t.Errorf("temporary modules while building: %q, want one", dirs)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
}
