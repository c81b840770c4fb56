// Command user-lookup looks a user up by name.
package main

import (
	"os/user"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		_, err := user.Lookup("nobody")
		return err
	})
}
