//go:build unix

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// terminalColumns is the width in columns of the terminal f is, 0 when f
// is no terminal or does not say. x/sys is in binscope already (through
// go-isatty, which tablewriter uses), so the ioctl costs no dependency.
func terminalColumns(f *os.File) int {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}
