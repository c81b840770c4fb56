// Package usecgo makes a probe call C, so that its cgo builds link the
// C library (dynamically, or statically with -extldflags -static).
package usecgo

// #include <unistd.h>
import "C"

// Pid is the process id, from C's getpid.
var Pid = int(C.getpid())
