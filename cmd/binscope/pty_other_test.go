//go:build !linux

package main

import "github.com/rogpeppe/go-internal/testscript"

// Pseudo-terminals are opened through Linux's /dev/ptmx only; elsewhere
// the [pty] condition is false and the scripts that need one skip.
func havePTY() bool { return false }

func cmdPTY(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("pty: no pseudo-terminals on this system (guard with [!pty] skip)")
}
