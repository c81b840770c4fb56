// Package ldflags reads the linker flags of a go build (-ldflags) as the
// linker reads them: the one definition of what strips a binary, shared
// by the Dockerfile reader and by check's reading of a binary's build
// info, so that "-s" means the same everywhere.
package ldflags

import (
	"strconv"
	"strings"
)

// Strips reports what the linker flags words drop: the symbol table
// (-s) and DWARF (-w, or -s without -w=false: since Go 1.22 -s implies
// -w). A flag may be written -s, --s, -s=true or -s=false; the last one
// wins, as with the flag package.
func Strips(words []string) (symbols, dwarf bool) {
	symbols = Bool(words, "s")
	if v, ok := Last(words, "w"); ok {
		return symbols, v
	}
	return symbols, symbols
}

// Stripped reports whether the flags make what binscope's strip option
// means: -ldflags="-s -w", no symbol table and no DWARF.
func Stripped(words []string) bool {
	s, w := Strips(words)
	return s && w
}

// Bool reports whether the boolean flag name is set by the last of its
// occurrences in words.
func Bool(words []string, name string) bool {
	v, _ := Last(words, name)
	return v
}

// Last returns the value of the last occurrence of the boolean flag name
// in words, and whether it occurs at all. A value that is not a boolean
// counts as false, as the linker would refuse it.
func Last(words []string, name string) (value, ok bool) {
	for _, w := range words {
		if !strings.HasPrefix(w, "-") {
			continue
		}
		f := strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-")
		k, v, hasVal := strings.Cut(f, "=")
		if k != name {
			continue
		}
		ok = true
		value = true
		if hasVal {
			b, err := strconv.ParseBool(v)
			value = err == nil && b
		}
	}
	return value, ok
}
