package main

import "strings"

// GitHub Actions workflow commands (::error file=…,line=…::message), as
// check and dockerfile print them with --format github.

// escapeData escapes a workflow command's message as the Actions runner
// reads it back (toolkit's command.ts: % \r \n).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value, which also
// may not hold : or ,.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
