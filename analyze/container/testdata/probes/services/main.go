// Command services looks a port up by its service name.
package main

import (
	"fmt"
	"net"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		port, err := net.LookupPort("tcp", "postgresql")
		if err == nil && port != 5432 {
			err = fmt.Errorf("postgresql is port %d", port)
		}
		return err
	})
}
