package main

import (
	"os"
	"runtime/debug"
)

// memoryHeadroom is how far beyond the size of the binary it reads
// binscope lets its heap grow before the garbage collector works harder:
// docs/performance.md holds size's peak RSS to the file's size plus 100
// MiB, and the runtime's own memory and the code take the rest.
const memoryHeadroom = 96 << 20

// boundMemory sets a soft limit on the heap (debug.SetMemoryLimit) of the
// largest of the files at paths plus memoryHeadroom, for a command that
// reads binaries whole (size, diff): the collector then runs more often
// on a large binary instead of letting garbage double the heap. A
// GOMEMLIMIT in the environment wins. The returned func restores the
// limit before.
func (o *globalOptions) boundMemory(paths ...string) func() {
	if o.getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	var most int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			most = max(most, st.Size())
		}
	}
	prev := debug.SetMemoryLimit(most + memoryHeadroom)
	return func() { debug.SetMemoryLimit(prev) }
}
