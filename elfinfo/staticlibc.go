package elfinfo

import (
	"bytes"
	"regexp"
	"slices"
)

// StaticGlibc is the glibc that a statically linked ELF executable
// carries.
type StaticGlibc struct {
	// Version is the release it was linked with, "2.31"; "" when the
	// binary does not say.
	Version string `json:"version"`
	// Evidence says how Version was told: the symbol that holds it, or
	// the one version string of the read-only data.
	Evidence string `json:"evidence"`
}

// glibcRelease is how glibc writes its own version ("2.31"): nptl keeps
// it as nptl_version (__nptl_version from 2.34) for libthread_db to
// check against, so every glibc with threads carries it.
var glibcRelease = regexp.MustCompile(`^2\.[0-9]{1,2}$`)

// StaticGlibc reports whether f is a static ELF executable with glibc
// linked in, and which glibc. It is told by the GNU ABI note of glibc's
// startup code, which neither the Go linker nor musl's writes; the
// version, by nptl's version string: the symbol when the symbol table is
// there, else the one NUL-bounded "2.N" string of .rodata (a stripped
// binary). It returns nil for every other file.
func (f *File) StaticGlibc() *StaticGlibc {
	b, ok := f.reader().(*elfBinary)
	if !ok || !b.gnuABITag || f.Interpreter != "" || f.Linkage == LinkageDynamic ||
		f.Type != "executable" && f.Type != "pie executable" {
		return nil
	}
	g := &StaticGlibc{}
	for _, name := range []string{"__nptl_version", "nptl_version"} {
		addr, ok := f.symbolAddr(name)
		if !ok {
			continue
		}
		off, ok := f.addrToOffset(addr)
		if !ok {
			continue
		}
		buf, _ := readAtMost(f.r, f.Size, int64(off), 8)
		if i := bytes.IndexByte(buf, 0); i > 0 && glibcRelease.Match(buf[:i]) {
			g.Version, g.Evidence = string(buf[:i]), "symbol "+name
			return g
		}
	}
	for _, s := range f.Sections {
		if s.Name != ".rodata" || s.FileSize <= 0 {
			continue
		}
		var found []string
		// In windows, so that a large .rodata costs bounded memory; each
		// overlaps the next by a few bytes, so no string is cut.
		const window, overlap = 4 << 20, 8
		for off := int64(0); off < s.FileSize; off += window {
			n := min(window+overlap, s.FileSize-off)
			buf, err := readAtMost(f.r, f.Size, s.Offset+off, n)
			if err != nil {
				break
			}
			for i := 0; ; i++ {
				j := bytes.Index(buf[i:], []byte("2."))
				if j < 0 {
					break
				}
				i += j
				// A string of its own: NUL before it (or the section's
				// start; a later window's first byte was the one before's).
				if i > 0 && buf[i-1] != 0 || i == 0 && off > 0 {
					continue
				}
				k := bytes.IndexByte(buf[i:], 0)
				if k < 0 || k > 5 {
					continue
				}
				if v := string(buf[i : i+k]); glibcRelease.MatchString(v) && !slices.Contains(found, v) {
					found = append(found, v)
				}
			}
		}
		if len(found) == 1 {
			g.Version, g.Evidence = found[0], "the version string of .rodata"
		}
	}
	return g
}
