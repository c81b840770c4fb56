// Command resolve looks up localhost, which the container runtime's
// /etc/hosts names.
package main

import (
	"net"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		_, err := net.LookupHost("localhost")
		return err
	})
}
