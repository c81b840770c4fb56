// Package probe is what every probe program shares: it says that the
// program started, then runs one check and says ok or why not.
package probe

import (
	"fmt"
	"os"
)

// Run prints "started", runs check, and exits 0 with "ok" when it
// succeeds, 1 with the error otherwise. A probe whose output lacks
// "started" did not start (the loader refused it).
func Run(check func() error) {
	fmt.Fprintln(os.Stderr, "started")
	if err := check(); err != nil {
		fmt.Fprintln(os.Stderr, "fail:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "ok")
}
