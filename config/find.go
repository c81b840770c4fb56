package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// Find looks for .binscope.yaml in start and its parents, up to and
// including the module root (the first folder with a go.mod), and returns
// its path. It does not look above the module root: a budget file of an
// enclosing project is not this module's.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	var looked []string
	for {
		looked = append(looked, dir)
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
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
	return "", fmt.Errorf("%w (looked in %s)", ErrNotFound, where)
}
