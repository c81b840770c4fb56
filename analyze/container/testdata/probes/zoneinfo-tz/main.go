// Command zoneinfo-tz checks that time.Local is the zone $TZ names: run
// it with TZ=Europe/Paris.
package main

import (
	"fmt"
	"time"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		if name, _ := time.Date(2026, 1, 15, 12, 0, 0, 0, time.Local).Zone(); name != "CET" {
			return fmt.Errorf("time.Local is %s (zone %s), not Europe/Paris", time.Local, name)
		}
		return nil
	})
}
