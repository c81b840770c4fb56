package elfinfo

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// A Mach-O universal ("fat") binary, as lipo and GoReleaser's
// universal_binaries make it, is a big-endian header, magic 0xcafebabe
// and nfat_arch, then one fat_arch per slice (cputype, cpusubtype,
// offset, size, align: five 32-bit words), then the slices, each a thin
// Mach-O file at a multiple of its alignment. 0xcafebabf is the same
// with 64-bit offsets and sizes and a reserved word per entry.
//
// 0xcafebabe also starts every Java class file, whose next word is its
// version (minor << 16 | major, so more than 30). file(1) tells the two
// apart by that word: 1 to 19 is a universal binary; elfinfo does the
// same, and anything else is an unrecognized format.
//
// A universal File holds the facts of the whole file (Size, Summary,
// Type "universal binary", no Arch but the slices' CPUs as Machine, Class
// and ByteOrder when every slice has the same, each hardening flag when
// every slice has it, Stripped when every slice is, DebugInfo when any
// slice has it, the DWARF and symbol table bytes of all slices, no
// sections and no Go build info) and one File per slice in
// Slices, each read from its own range of the file as if it were a thin
// binary alone, with its own Size: every figure of a slice is exact on
// its own, and the fat header and the padding between slices belong to
// the whole file only.
const (
	fatMagic   = 0xcafebabe
	fatMagic64 = 0xcafebabf
	// fatMaxArch is file(1)'s bound: it reads a count of 1 to 19.
	fatMaxArch = 19
	// fileBytesMax is how much of a file file(1) 5.44 reads (its
	// FILE_BYTES_MAX): it describes no slice that starts beyond it.
	fileBytesMax = 7 << 20
	// fileMaxSlices is how many slices file(1)'s magic describes.
	fileMaxSlices = 6
)

// ErrNoSlice means a universal binary has no slice of the architecture
// asked for (or a thin binary is of another one).
var ErrNoSlice = errors.New("no slice of that architecture")

// SliceInfo places one slice of a universal binary in its file.
type SliceInfo struct {
	Arch          string   `json:"arch"`           // the slice's GOARCH, as its File.Arch
	Offset        int64    `json:"offset"`         // where the slice starts in the universal file
	Align         int64    `json:"align"`          // the alignment the fat header gives it, in bytes
	UniversalSize int64    `json:"universal_size"` // the size of the whole universal file
	Arches        []string `json:"arches"`         // the architectures of every slice, in the header's order
}

func isFat(m [4]byte) bool {
	be := binary.BigEndian.Uint32(m[:])
	return be == fatMagic || be == fatMagic64
}

// otherFormat is an opener's answer for a file whose magic matched its
// format but which is of another: read makes it ErrUnrecognizedFormat,
// saying what the file is.
type otherFormat string

func (o otherFormat) Error() string { return string(o) }

// fatArch is one entry of the fat header.
type fatArch struct {
	cpu, sub uint32
	off, n   int64
	align    uint32
}

// readFat reads the fat header of f and each slice it lists.
func readFat(f *File, executable bool) (reader, error) {
	var h [8]byte
	if n, _ := f.r.ReadAt(h[:], 0); n < len(h) {
		return nil, malformed("Mach-O universal", fmt.Errorf("truncated fat header (%d bytes)", n))
	}
	magic, count := binary.BigEndian.Uint32(h[:]), binary.BigEndian.Uint32(h[4:])
	if magic == fatMagic && (count == 0 || count > fatMaxArch) {
		if count > 30 {
			return nil, otherFormat(fmt.Sprintf("compiled Java class data, version %d.%d, not a Mach-O universal binary", count&0xffff, count>>16))
		}
		return nil, otherFormat(fmt.Sprintf("a Mach-O universal binary header claiming %d architectures (file(1) reads 1 to %d)", count, fatMaxArch))
	}
	if count == 0 {
		return nil, malformed("Mach-O universal", errors.New("fat header lists no architectures"))
	}
	entSize := int64(20)
	if magic == fatMagic64 {
		entSize = 32
	}
	hdrEnd := 8 + int64(count)*entSize
	if hdrEnd > f.Size {
		return nil, malformed("Mach-O universal", fmt.Errorf("fat header claims %d architectures (%d bytes), more than the %d-byte file holds: truncated?", count, hdrEnd, f.Size))
	}
	raw, err := readAtMost(f.r, f.Size, 8, hdrEnd-8)
	if err != nil {
		return nil, malformed("Mach-O universal", err)
	}
	be := binary.BigEndian
	arches := make([]fatArch, count)
	for i := range arches {
		e := raw[int64(i)*entSize:]
		a := fatArch{cpu: be.Uint32(e), sub: be.Uint32(e[4:])}
		if magic == fatMagic64 {
			off, n := be.Uint64(e[8:]), be.Uint64(e[16:])
			if off > uint64(f.Size) || n > uint64(f.Size) {
				return nil, malformed("Mach-O universal", fmt.Errorf("slice %d (%d bytes at offset %d) extends past the end of the %d-byte file", i, n, off, f.Size))
			}
			a.off, a.n, a.align = int64(off), int64(n), be.Uint32(e[24:])
		} else {
			a.off, a.n, a.align = int64(be.Uint32(e[8:])), int64(be.Uint32(e[12:])), be.Uint32(e[16:])
		}
		switch {
		case a.off+a.n > f.Size:
			return nil, malformed("Mach-O universal", fmt.Errorf("slice %d (%d bytes at offset %d) extends past the end of the %d-byte file: truncated?", i, a.n, a.off, f.Size))
		case a.off < hdrEnd:
			return nil, malformed("Mach-O universal", fmt.Errorf("slice %d at offset %d overlaps the %d-byte fat header", i, a.off, hdrEnd))
		case a.n == 0:
			return nil, malformed("Mach-O universal", fmt.Errorf("slice %d is empty", i))
		case a.align > 31:
			return nil, malformed("Mach-O universal", fmt.Errorf("slice %d has alignment 2^%d", i, a.align))
		}
		arches[i] = a
	}
	byOffset := slices.Clone(arches)
	slices.SortFunc(byOffset, func(x, y fatArch) int { return cmp.Compare(x.off, y.off) })
	for i := 1; i < len(byOffset); i++ {
		if p, q := byOffset[i-1], byOffset[i]; q.off < p.off+p.n {
			return nil, malformed("Mach-O universal", fmt.Errorf("slices at offsets %d (%d bytes) and %d overlap", p.off, p.n, q.off))
		}
	}

	for i, a := range arches {
		s, err := readSlice(f, a, executable)
		if err != nil {
			return nil, malformed("Mach-O universal", fmt.Errorf("slice %d (%s at offset %d): %w", i, fatCPUName(a), a.off, err))
		}
		f.Slices = append(f.Slices, s)
	}
	var names, cpus []string
	for i, s := range f.Slices {
		names = append(names, s.Arch)
		cpus = append(cpus, fatCPUName(arches[i]))
	}
	// The facts of the whole file: the slices' CPUs in file(1)'s words,
	// and no GOARCH, since there are several.
	f.Machine = strings.Join(cpus, ", ")
	f.Class, f.ByteOrder = f.Slices[0].Class, f.Slices[0].ByteOrder
	f.Hardening = Hardening{PIE: true, RELRO: "n/a", NXStack: true, BindNow: true}
	f.OS = "darwin"
	f.Type = "universal binary"
	f.Linkage = LinkageDynamic
	f.Stripped = true
	f.Sections = []Section{}
	for i, s := range f.Slices {
		s.Universal = &SliceInfo{Arch: s.Arch, Offset: arches[i].off, Align: 1 << arches[i].align, UniversalSize: f.Size, Arches: slices.Clone(names)}
		if s.Class != f.Class {
			f.Class = ""
		}
		if s.ByteOrder != f.ByteOrder {
			f.ByteOrder = ""
		}
		h := s.Hardening
		f.Hardening.PIE = f.Hardening.PIE && h.PIE
		f.Hardening.NXStack = f.Hardening.NXStack && h.NXStack
		f.Hardening.BindNow = f.Hardening.BindNow && h.BindNow
		f.Stripped = f.Stripped && s.Stripped
		f.DebugInfo = f.DebugInfo || s.DebugInfo
		f.DWARFBytes += s.DWARFBytes
		f.SymtabBytes += s.SymtabBytes
	}
	f.GoError = errors.New("a universal binary: its Go build info is per slice")
	f.Summary = fatSummary(f, arches)
	return fatReader{}, nil
}

// readSlice reads one slice as a thin binary of its own.
func readSlice(f *File, a fatArch, executable bool) (*File, error) {
	sr := io.NewSectionReader(f.r, a.off, a.n)
	var m [4]byte
	if n, _ := sr.ReadAt(m[:], 0); n < len(m) || !isThinMachO(m) {
		return nil, fmt.Errorf("not a Mach-O file: starts with %s", describeStart(sr))
	}
	s := &File{Size: a.n, r: sr, Format: FormatMachO, Needed: []string{}, VersionNeeds: []VersionNeed{}}
	impl, err := readMachO(s, executable)
	if err != nil {
		return nil, err
	}
	s.impl = impl
	readGo(s)
	return s, nil
}

// fatCPUName is file(1)'s name of a fat entry's CPU: x86_64, arm64.
func fatCPUName(a fatArch) string {
	name, _ := machoCPUName(a.cpu, a.sub)
	return name
}

// fatSummary renders file(1)'s line: "Mach-O universal binary with 2
// architectures: [x86_64:\012- Mach-O 64-bit x86_64 executable, …]
// [\012- arm64:\012- Mach-O 64-bit arm64 executable, …]". The "\012- "
// is file's own: it prints each slice's verdict, found by its indirect
// magic, as a further match on a new line, and escapes the newline. file
// reads the first 7 MiB of a file, so a slice that starts beyond them
// gets its CPU name alone; and its magic describes the first six slices.
// file 5.44 does not know 0xcafebabf (it says "data"); binscope words
// those files as it words 0xcafebabe ones.
func fatSummary(f *File, arches []fatArch) string {
	var s strings.Builder
	if len(arches) == 1 {
		s.WriteString("Mach-O universal binary with 1 architecture:")
	} else {
		fmt.Fprintf(&s, "Mach-O universal binary with %d architectures:", len(arches))
	}
	for i, a := range arches[:min(len(arches), fileMaxSlices)] {
		if i == 0 {
			s.WriteString(" [")
		} else {
			s.WriteString(` [\012- `)
		}
		s.WriteString(fatCPUName(a))
		if a.off < fileBytesMax {
			s.WriteString(`:\012- `)
			s.WriteString(f.Slices[i].Summary)
		}
		s.WriteString("]")
	}
	return s.String()
}

// fatReader answers for the universal file itself: its own bytes are
// the fat header and padding, and everything else (sections, symbols,
// the Go function table) belongs to a slice.
type fatReader struct{ noReader }

// IsUniversal reports whether f is a universal binary, with Slices.
func (f *File) IsUniversal() bool { return len(f.Slices) > 0 }

// Slice returns the slice of f whose architecture (GOARCH spelling) is
// arch; for a thin binary, f itself when it is of that architecture. The
// error, ErrNoSlice, names the architectures there are.
func (f *File) Slice(arch string) (*File, error) {
	if !f.IsUniversal() {
		if f.Arch == arch {
			return f, nil
		}
		return nil, fmt.Errorf("%w: %s is a thin %s binary, not %s", ErrNoSlice, cmp.Or(f.Path, "the file"), f.Arch, arch)
	}
	var names []string
	for _, s := range f.Slices {
		if s.Arch == arch {
			return s, nil
		}
		names = append(names, s.Arch)
	}
	return nil, fmt.Errorf("%w: %s is a universal binary of %s, with no %s slice", ErrNoSlice, cmp.Or(f.Path, "the file"), strings.Join(names, ", "), arch)
}

// DefaultSlice returns the slice of f for the architecture host (the
// caller's own GOARCH) when f has one, else its first slice; f itself for
// a thin binary.
func (f *File) DefaultSlice(host string) *File {
	if !f.IsUniversal() {
		return f
	}
	if s, err := f.Slice(host); err == nil {
		return s
	}
	return f.Slices[0]
}
