package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Find looks for .binscope.yaml in start and its parents, up to and
// including the module root (the first folder with a go.mod), and returns
// its path. It does not look above the module root: a budget file of an
// enclosing project is not this module's.
func Find(start string) (string, error) {
	return findUp(start, []string{FileName}, ErrNotFound)
}

// GoReleaserNames are the names GoReleaser looks for its config under,
// in its order.
var GoReleaserNames = []string{
	".config/goreleaser.yml", ".config/goreleaser.yaml",
	".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml", "goreleaser.yaml",
}

// ErrNoGoReleaser is FindGoReleaser's error when there is none.
var ErrNoGoReleaser = errors.New("no .goreleaser.yaml (nor .goreleaser.yml, goreleaser.yaml, .config/goreleaser.yaml) found")

// FindGoReleaser looks for a GoReleaser config as Find looks for
// .binscope.yaml, trying GoReleaserNames in each folder.
func FindGoReleaser(start string) (string, error) {
	return findUp(start, GoReleaserNames, ErrNoGoReleaser)
}

// findUp looks for the first of names in start and its parents, up to the
// module root; notFound, with the folders looked in, when there is none.
func findUp(start string, names []string, notFound error) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	var looked []string
	for {
		looked = append(looked, dir)
		for _, name := range names {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !st.IsDir() {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	where := looked[0]
	if len(looked) > 1 {
		where = fmt.Sprintf("%s and up to %s", looked[0], looked[len(looked)-1])
	}
	return "", fmt.Errorf("%w (looked in %s)", notFound, where)
}
