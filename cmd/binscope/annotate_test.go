package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAnnotationPath: the file= of an annotation is the path from the
// repository root: $GITHUB_WORKSPACE, else the folder holding .git (a
// folder, or the file a git worktree has), through symbolic links; a file
// outside the root has none; without a root, the path from the working
// folder.
func TestAnnotationPath(t *testing.T) {
	tmp := t.TempDir()
	mk := func(p string) string {
		p = filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("repo/.git/HEAD")
	mk("repo/cmd/main.go")
	cfg := mk("repo/ci/budgets/.binscope.yaml")
	mk("worktree/.git") // a worktree's .git is a file
	wtCfg := mk("worktree/.binscope.yaml")
	loose := mk("loose/sub/.binscope.yaml")
	if err := os.Symlink(filepath.Join(tmp, "repo"), filepath.Join(tmp, "link")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	type out struct {
		Path string
		OK   bool
	}
	for _, tc := range []struct {
		name, dir, path, workspace string
		want                       out
	}{
		{"absolute, .git above", "", cfg, "", out{"ci/budgets/.binscope.yaml", true}},
		{"relative from a subfolder", "repo/ci/budgets", ".binscope.yaml", "", out{"ci/budgets/.binscope.yaml", true}},
		{"relative from a sibling", "repo/cmd", "../ci/budgets/.binscope.yaml", "", out{"ci/budgets/.binscope.yaml", true}},
		{"worktree", "", wtCfg, "", out{".binscope.yaml", true}},
		{"workspace", "", cfg, filepath.Join(tmp, "repo", "ci"), out{"budgets/.binscope.yaml", true}},
		{"workspace through a link", "", cfg, filepath.Join(tmp, "link"), out{"ci/budgets/.binscope.yaml", true}},
		{"file through a link", "", filepath.Join(tmp, "link", "ci", "budgets", ".binscope.yaml"), filepath.Join(tmp, "repo"), out{"ci/budgets/.binscope.yaml", true}},
		{"outside the workspace", "", loose, filepath.Join(tmp, "repo"), out{"", false}},
		{"no repository", "loose", "sub/.binscope.yaml", "", out{"sub/.binscope.yaml", true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dir != "" {
				t.Chdir(filepath.Join(tmp, filepath.FromSlash(tc.dir)))
			}
			getenv := func(k string) string {
				if k == "GITHUB_WORKSPACE" {
					return tc.workspace
				}
				return ""
			}
			p, ok := annotationPath(tc.path, getenv)
			if diff := cmp.Diff(tc.want, out{p, ok}); diff != "" {
				t.Errorf("annotationPath(%s) (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}
