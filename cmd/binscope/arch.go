package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/binscope/binscope/elfinfo"
	"github.com/spf13/cobra"
)

// archFlag is --arch of size and diff: which slice of a macOS universal
// binary to read. One definition for both commands.
type archFlag string

func (a *archFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar((*string)(a), "arch", "",
		"read the slice of this `GOARCH` (amd64, arm64) of a macOS universal binary (default: in diff, the other side's architecture; else this machine's, "+runtime.GOARCH+", when the binary has it; else its first slice)")
}

// pick returns the slice of f to read: f itself for a thin binary of the
// architecture asked for (or of any, without --arch). A value f has no
// slice of is a usage error naming the architectures it has.
func (a archFlag) pick(f *elfinfo.File) (*elfinfo.File, error) {
	if a == "" {
		return f.DefaultSlice(runtime.GOARCH), nil
	}
	s, err := f.Slice(string(a))
	if err != nil {
		arches := []string{f.Arch}
		if f.IsUniversal() {
			arches = arches[:0]
			for _, s := range f.Slices {
				arches = append(arches, s.Arch)
			}
		}
		return nil, usageErrorf("invalid --arch %q: %s has %s", string(a), f.Path, strings.Join(arches, ", "))
	}
	return s, nil
}

// describeSlice says which slice of a universal binary a size report
// is of: "slice arm64 of a universal binary (amd64, arm64), 11671794 of
// 24107250 bytes"; "" for a thin binary.
func describeSlice(u *elfinfo.SliceInfo, size int64) string {
	if u == nil {
		return ""
	}
	return fmt.Sprintf("slice %s of a universal binary (%s), %d of %d bytes", u.Arch, strings.Join(u.Arches, ", "), size, u.UniversalSize)
}
