package main

import (
	"os"
	"path/filepath"
	"strings"
)

// annotationPath returns the path a GitHub annotation's file= property
// names the file at p by: relative to the repository root, with forward
// slashes, as GitHub matches it against the files of the commit. The
// root is $GITHUB_WORKSPACE when it is set, else the nearest folder at or
// above p's folder that holds .git (a folder, or a file in a worktree).
// Without either, it is p relative to the working folder. ok is false
// for a file outside the root, which no annotation can point at.
func annotationPath(p string, getenv func(string) string) (path string, ok bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p), true
	}
	abs = realPath(abs)
	root := getenv("GITHUB_WORKSPACE")
	if root != "" {
		if r, err := filepath.Abs(root); err == nil {
			root = realPath(r)
		}
	} else {
		root = gitRoot(filepath.Dir(abs))
	}
	if root == "" {
		return filepath.ToSlash(relPath(p)), true
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// gitRoot is the nearest folder at or above dir that holds .git, or "".
func gitRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// realPath resolves the symbolic links in an absolute path, so that a
// workspace reached through a link and a file reached without one (or
// the other way round) compare; p itself when it cannot be resolved.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}
