// Command tmp-create creates a temporary file.
package main

import (
	"os"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		f, err := os.CreateTemp("", "probe")
		if err != nil {
			return err
		}
		return f.Close()
	})
}
