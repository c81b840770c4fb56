// Command tmp-dir writes a file into os.TempDir itself.
package main

import (
	"os"
	"path/filepath"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		return os.WriteFile(filepath.Join(os.TempDir(), "probe.txt"), []byte("x"), 0o600)
	})
}
