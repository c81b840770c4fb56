package elfinfo

import (
	"strings"
)

// Where GoInfo.Version comes from.
const (
	VersionFromBuildInfo    = "build info"
	VersionFromBuildVersion = "runtime.buildVersion"
)

// maxVersionLen bounds the Go version string read from a binary:
// "go1.26.8", "devel go1.27-0123456789 Tue Jan 6 12:00:00 2026 +0000" and
// an experiment suffix all fit.
const maxVersionLen = 128

// goWithoutBuildInfo fills in f.Go for a binary whose build info blob is
// missing (some release pipelines remove .go.buildinfo or its magic) but
// which has a Go function table: it is a Go binary, of the version the
// runtime's buildVersion string says when that can be read, else of no
// known version. A binary without either is not a Go binary.
func goWithoutBuildInfo(f *File) bool {
	if _, err := f.Pclntab(); err != nil {
		return false
	}
	g := &GoInfo{Deps: []Module{}, Settings: []Setting{}}
	if v := buildVersion(f); v != "" {
		g.Version, g.VersionFrom = v, VersionFromBuildVersion
	}
	f.Go = g
	return true
}

// buildVersion returns the runtime's buildVersion (what runtime.Version
// reports), a Go string header in data that the linker points at the
// version. With a symbol table it reads the header the symbol names;
// without one it scans writable data for headers pointing at a version
// string, and answers only when every one it finds agrees.
func buildVersion(f *File) string {
	ptr := int64(4)
	if f.Class == "64-bit" {
		ptr = 8
	}
	syms, _ := f.Symbols()
	for _, s := range syms {
		if strings.TrimPrefix(s.Name, "_") == "runtime.buildVersion" {
			off, ok := f.addrToOffset(s.Addr)
			if !ok {
				return ""
			}
			hdr, err := readAtMost(f.r, f.Size, off, 2*ptr)
			if err != nil {
				return ""
			}
			return f.versionAt(hdr, ptr, syms)
		}
	}
	if len(syms) > 0 {
		return "" // a symbol table without the runtime's variable: not the Go runtime
	}
	found := ""
	for _, s := range f.Sections {
		if s.Kind != KindData || s.FileSize <= 0 {
			continue
		}
		data, err := readAtMost(f.r, f.Size, s.Offset, s.FileSize)
		if err != nil {
			continue
		}
		for off := 0; off+int(2*ptr) <= len(data); off += int(ptr) {
			v := f.versionAt(data[off:off+int(2*ptr)], ptr, nil)
			switch {
			case v == "":
			case found == "":
				found = v
			case found != v:
				return "" // two candidates disagree: say nothing rather than guess
			}
		}
	}
	return found
}

// versionAt reads the Go string whose header (pointer, length) is hdr and
// returns it when it is a Go version. In a position-independent binary
// the pointer may be left for the loader to fill in (zero in the file);
// then the string is the one the symbol table names
// runtime.buildVersion.str, when it has it.
func (f *File) versionAt(hdr []byte, ptr int64, syms []Symbol) string {
	bo := f.byteOrder()
	var addr, n uint64
	if ptr == 8 {
		addr, n = bo.Uint64(hdr), bo.Uint64(hdr[8:])
	} else {
		addr, n = uint64(bo.Uint32(hdr)), uint64(bo.Uint32(hdr[4:]))
	}
	if n < 4 || n > maxVersionLen {
		return ""
	}
	if addr == 0 {
		for _, s := range syms {
			if strings.TrimPrefix(s.Name, "_") == "runtime.buildVersion.str" {
				addr = s.Addr
			}
		}
	}
	off, ok := f.addrToOffset(addr)
	if !ok {
		return ""
	}
	b, err := readAtMost(f.r, f.Size, off, int64(n))
	if err != nil {
		return ""
	}
	v := string(b)
	if !goVersion(v) {
		return ""
	}
	return v
}

// goVersion reports whether s reads as a Go release or development
// version: go1.N…, or devel go1.N…, in printable ASCII.
func goVersion(s string) bool {
	rest, ok := strings.CutPrefix(s, "go1.")
	if !ok {
		rest, ok = strings.CutPrefix(s, "devel go1.")
	}
	if !ok || rest == "" || rest[0] < '0' || rest[0] > '9' {
		return false
	}
	for _, c := range s {
		if c < ' ' || c > '~' {
			return false
		}
	}
	return true
}

// osMarkers are functions of the Go runtime that exist only on one
// system: what says which a Go ELF binary is for when neither its build
// info (absent, or without settings before Go 1.18) nor its ELF header
// and notes (OSABI SYSV, no ABI tag in a static Linux binary) do.
var osMarkers = []struct{ fn, goos string }{
	{"runtime.futex", "linux"}, // android too, whose binaries carry an ABI note
	{"runtime.thr_new", "freebsd"},
	{"runtime.thrsleep", "openbsd"},
	{"runtime.lwp_park", "netbsd"},
	{"runtime.sys_umtx_sleep", "dragonfly"},
	{"runtime.sysvicall0", "solaris"},
}

// osOfFuncs returns the system the Go function table's runtime is for,
// or "" when no marker or more than one is there.
func osOfFuncs(f *File) string {
	funcs, err := f.Funcs()
	if err != nil {
		return ""
	}
	found := ""
	for _, fn := range funcs {
		for _, m := range osMarkers {
			if fn.Name == m.fn {
				if found != "" && found != m.goos {
					return ""
				}
				found = m.goos
			}
		}
	}
	return found
}
