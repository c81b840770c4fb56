//go:build !unix

package main

import "os"

// terminalColumns is unknown off Unix; callers fall back to $COLUMNS or 80.
func terminalColumns(f *os.File) int { return 0 }
