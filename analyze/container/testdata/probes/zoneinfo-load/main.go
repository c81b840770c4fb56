// Command zoneinfo-load loads a zone by name.
package main

import (
	"time"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		_, err := time.LoadLocation("Europe/Paris")
		return err
	})
}
