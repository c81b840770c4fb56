// Command retained is binscope's fixture for retained sizes: each build
// tag brings in one import, and the size it adds is measured against what
// binscope why computes the import retains.
package main

import (
	"fmt"
	"os"
)

// uses are the optional imports' entry points, registered by the files
// the build tags select.
var uses []func() string

func main() {
	for _, u := range uses {
		fmt.Fprintln(os.Stdout, len(u()))
	}
	fmt.Println("done", len(os.Args))
}
