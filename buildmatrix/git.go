package buildmatrix

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// git runs git in dir with env and returns its output, trimmed; an error
// carries git's first line of complaint.
func git(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return strings.TrimSpace(out.String()), nil
}

// GitTopLevel returns the root of the git work tree that holds dir.
func GitTopLevel(ctx context.Context, dir string, env []string) (string, error) {
	return git(ctx, dir, env, "rev-parse", "--show-toplevel")
}

// MergeBase returns the best common ancestor of commits a and b in the
// repository at dir; it fails in a clone too shallow to hold one.
func MergeBase(ctx context.Context, dir string, env []string, a, b string) (string, error) {
	return git(ctx, dir, env, "merge-base", a, b)
}

// AddWorktree checks out rev, detached, into a new work tree at path of
// the repository at dir, so that the base of a change builds beside it.
// remove takes the work tree away again, files and git's record of it.
func AddWorktree(ctx context.Context, dir string, env []string, path, rev string) (remove func() error, err error) {
	if _, err := git(ctx, dir, env, "worktree", "add", "--detach", path, rev); err != nil {
		return nil, err
	}
	return func() error {
		// Not ctx: the work tree goes also when the run was interrupted.
		_, err := git(context.Background(), dir, env, "worktree", "remove", "--force", path)
		return err
	}, nil
}
