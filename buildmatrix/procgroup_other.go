//go:build !unix

package buildmatrix

import (
	"os/exec"
	"time"
)

// setProcessGroup kills the go command on cancellation; without Unix
// process groups its children end when their pipes close. Ending them
// all is left to the operating system's job objects, which binscope does
// not use yet.
func setProcessGroup(cmd *exec.Cmd, grace time.Duration) {
	cmd.WaitDelay = grace
}

func endProcessGroup(cmd *exec.Cmd) {}
