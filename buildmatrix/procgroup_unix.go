//go:build unix

package buildmatrix

import (
	"os/exec"
	"syscall"
	"time"
)

// setProcessGroup starts the go command in a process group of its own,
// so that an interrupt reaches the compiler, linker and C compiler it
// runs, not only go itself: exec.CommandContext alone would kill go and
// leave them running. On cancellation the whole group gets SIGINT, as a
// terminal's Ctrl-C would send; go then removes its work folder. If go has
// not ended after grace, Wait kills it.
func setProcessGroup(cmd *exec.Cmd, grace time.Duration) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	}
	cmd.WaitDelay = grace
}

// endProcessGroup kills whatever is left of the go command's process
// group once go has ended: compile, link or gcc processes that outlived
// it after an interrupt. SIGKILL takes effect when the process next runs,
// which on a busy machine is a while later, so it then waits (at most a
// second) for the group to be gone: nothing is left to write into the
// work folder once Build returns. It is harmless when the group is
// already gone.
func endProcessGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	pgid := -cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGKILL)
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if syscall.Kill(pgid, 0) == syscall.ESRCH {
			return
		}
	}
}
