package elfinfo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode"
)

// Format names a container format of executables.
type Format string

// Name returns the format's name as people write it: ELF, Mach-O, PE.
// A format elfinfo does not read is named by its own string.
func (f Format) Name() string {
	if s := specOf(f); s != nil {
		return s.name
	}
	return string(f)
}

// Known reports whether elfinfo reads the format.
func (f Format) Known() bool { return specOf(f) != nil }

// CanLinkStatically reports whether binaries of the format can be linked
// without system libraries, so that their linkage (static, static-pie or
// dynamic) tells something about them. Mach-O and PE binaries always load
// libSystem or kernel32.dll; an unknown format answers false.
func (f Format) CanLinkStatically() bool {
	s := specOf(f)
	return s != nil && s.staticLinkable
}

// DefaultOS returns the system every binary of the format is for (GOOS
// spelling), or "" when the format serves several, as ELF does.
func (f Format) DefaultOS() string {
	if s := specOf(f); s != nil {
		return s.defaultOS
	}
	return ""
}

// formatSpec is one format elfinfo reads: how its files start, how to
// open one, and what holds for all of its binaries. Each format's file
// defines its spec next to its reader.
type formatSpec struct {
	format Format
	name   string // as people write it: ELF, Mach-O, PE
	// match tells the format's magic from the first four bytes.
	match func(magic [4]byte) bool
	// open fills in the facts of f, whose Format is already set, and
	// returns the reader that answers the rest. executable is the file's
	// execute bit (false for Read), which ELF's type verdict needs.
	open func(f *File, executable bool) (reader, error)
	// staticLinkable: binaries can be linked without system libraries.
	staticLinkable bool
	// defaultOS is the system every binary of the format is for, or "".
	defaultOS string
}

// formats is the table of magic → opener, tried in order. Adding a
// format is adding its spec here (see doc.go).
var formats = []*formatSpec{&elfSpec, &machoSpec, &peSpec, &wasmSpec}

func specOf(f Format) *formatSpec {
	for _, s := range formats {
		if s.format == f {
			return s
		}
	}
	return nil
}

// formatNames lists the names of the formats: "ELF, Mach-O, PE or
// WebAssembly".
func formatNames() string {
	var names []string
	for _, s := range formats {
		names = append(names, s.name)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Linkage values, in file(1)'s terms.
const (
	LinkageStatic    = "static"
	LinkageStaticPIE = "static-pie"
	LinkageDynamic   = "dynamic"
)

// Sentinel errors that callers branch on.
var (
	// ErrUnrecognizedFormat means the input is none of the formats
	// elfinfo reads (ELF, Mach-O, PE or WebAssembly).
	ErrUnrecognizedFormat = errors.New("unrecognized format (not " + formatNames() + ")")
	// ErrMalformed means the input has a known magic number but its headers
	// cannot be read: truncated, corrupted, or claiming absurd sizes.
	ErrMalformed = errors.New("malformed binary")
	// ErrNotGo means the binary carries no Go build information.
	ErrNotGo = errors.New("not a Go binary")
)

// File holds the facts about one executable. Its JSON form is the object
// that binscope reports under "binaries" (inspect) and "binary" (compare).
type File struct {
	Path        string   `json:"path"`
	Size        int64    `json:"size"`
	Format      Format   `json:"format"`
	Class       string   `json:"class"`      // "32-bit" or "64-bit"
	ByteOrder   string   `json:"byte_order"` // "LSB" or "MSB"
	Arch        string   `json:"arch"`       // GOARCH spelling: amd64, arm64, 386…
	Machine     string   `json:"machine"`    // file(1)'s words: x86-64, ARM aarch64…
	OS          string   `json:"os"`         // GOOS spelling where it can be told: linux, darwin, windows…
	OSABI       string   `json:"os_abi"`     // ELF EI_OSABI in file's words (SYSV, GNU/Linux…); "" elsewhere
	Type        string   `json:"type"`       // executable, pie executable, shared object, relocatable, core file
	Linkage     string   `json:"linkage"`    // static, static-pie or dynamic
	Interpreter string   `json:"interpreter"`
	Needed      []string `json:"needed"`
	Stripped    bool     `json:"stripped"`
	DebugInfo   bool     `json:"debug_info"`
	DWARFBytes  int64    `json:"dwarf_bytes"` // file bytes of DWARF sections
	// DWARFCompressed says that the DWARF sections are compressed (ELF's
	// SHF_COMPRESSED, or .zdebug_ sections), as the Go linker writes them
	// unless -ldflags=-compressdwarf=false.
	DWARFCompressed bool      `json:"-"`
	SymtabBytes     int64     `json:"symtab_bytes"` // file bytes of the symbol table and its strings
	GoBuildID       string    `json:"go_build_id"`
	GNUBuildID      string    `json:"gnu_build_id"`
	Hardening       Hardening `json:"hardening"`
	// VersionNeeds lists, per needed library, the symbol versions the
	// binary requires (ELF .gnu.version_r), such as GLIBC_2.34.
	VersionNeeds []VersionNeed `json:"version_needs"`
	Go           *GoInfo       `json:"go"`
	Sections     []Section     `json:"sections"`
	Summary      string        `json:"summary"`
	// Slices are the slices of a Mach-O universal binary, one File per
	// architecture in the fat header's order, each read from its own
	// range of the file; nil for a thin binary. See fat.go.
	Slices []*File `json:"slices,omitempty"`
	// Universal places a File of Slices in its universal binary; nil
	// for every other File.
	Universal *SliceInfo `json:"universal,omitempty"`

	// Imports and Exports are a WebAssembly module's (whose Needed lists
	// the modules it imports from); empty for other formats.
	Imports []Import `json:"imports,omitempty"`
	Exports []Export `json:"exports,omitempty"`

	// GoError says why Go is nil (ErrNotGo, or a malformed build info
	// blob), or why a Go binary has no build info (Go.BuildInfo false):
	// nil when the blob is simply absent.
	GoError error `json:"-"`

	r      io.ReaderAt
	closer io.Closer
	impl   reader
}

// Section is one section of a binary. FileSize is what it occupies in the
// file (0 for .bss and other zero-fill sections), VMSize what it occupies
// in memory once loaded (0 for sections that are not loaded, such as DWARF
// and the symbol table).
type Section struct {
	Name     string `json:"name"`
	Kind     Kind   `json:"kind"`
	FileSize int64  `json:"file_size"`
	VMSize   int64  `json:"vm_size"`
	Offset   int64  `json:"offset"`
	Addr     uint64 `json:"addr"`
	// Table is the linker table the section holds (dynamic linking,
	// relocations, unwind tables), or "" when it holds none.
	Table Table `json:"table,omitempty"`
}

// Kind groups sections by what their bytes are for. The same kinds serve
// inspect's section table and size's section view.
type Kind string

// The section kinds.
const (
	KindCode       Kind = "code"
	KindRodata     Kind = "rodata"
	KindData       Kind = "data"
	KindBSS        Kind = "bss"
	KindGoMetadata Kind = "go-metadata" // pclntab, type and itab links, build info
	KindSymtab     Kind = "symtab"
	KindDebug      Kind = "debug"
	KindOther      Kind = "other"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindCode, KindRodata, KindData, KindBSS, KindGoMetadata, KindSymtab, KindDebug, KindOther}

// Hardening holds the exploit mitigations a loader applies.
type Hardening struct {
	PIE     bool   `json:"pie"`
	RELRO   string `json:"relro"` // none, partial, full; n/a outside ELF
	NXStack bool   `json:"nx_stack"`
	BindNow bool   `json:"bind_now"`
}

// VersionNeed is one library's entry in the ELF version-needed section.
type VersionNeed struct {
	Library  string   `json:"library"`
	Versions []string `json:"versions"`
}

// reader is what each format's file provides beyond the facts its opener
// fills in: the parts that cost time to read and that only some commands
// need, and every fact that differs by format. Nothing outside a format's
// file asks which reader it has; it asks the reader.
type reader interface {
	// symbols returns the symbol table (not the dynamic symbols), nil when
	// there is none, with sizes inferred where the format records none.
	symbols() ([]Symbol, error)
	// pclntabSections names the sections the Go linker puts the function
	// table in. When the file has none of them (PE has no section of its
	// own for it), Pclntab looks for its header in read-only data.
	pclntabSections() []string
	// textSection names the section that starts at runtime.text.
	textSection() string
	// symtabExtents returns the ranges of the file that hold the symbol
	// table and its strings but lie in no section, unclipped.
	symtabExtents() []Extent
	// unwindTable returns the name of the section holding the table of
	// function unwind records and the entry addresses it lists, or "" and
	// nil when the format has none.
	unwindTable() (section string, entries []uint64)
	// headerSections names the sections that are part of the file's
	// headers in all but name (ELF's section name table, .shstrtab).
	headerSections() []string
	// cSymbol reports whether name, as symbols spells it, is a C-level
	// symbol by the format's naming rule, and returns it without the
	// decoration the rule adds.
	cSymbol(name string) (string, bool)
}

// noReader answers for a File that no opener made (one built by hand in
// a test): nothing beyond its fields.
type noReader struct{}

func (noReader) symbols() ([]Symbol, error)         { return nil, nil }
func (noReader) pclntabSections() []string          { return nil }
func (noReader) textSection() string                { return "" }
func (noReader) symtabExtents() []Extent            { return nil }
func (noReader) unwindTable() (string, []uint64)    { return "", nil }
func (noReader) headerSections() []string           { return nil }
func (noReader) cSymbol(name string) (string, bool) { return name, false }

// reader returns the format's reader of f.
func (f *File) reader() reader {
	if f.impl == nil {
		return noReader{}
	}
	return f.impl
}

// Open reads the facts of the named file. The caller must Close the File
// when done with it; until then Symbols and Funcs can read more of it.
// Errors name the file: "open pomo: truncated ELF section header".
func Open(name string) (*File, error) {
	fd, err := os.Open(name)
	if err != nil {
		return nil, err // *fs.PathError already reads "open NAME: …"
	}
	st, err := fd.Stat()
	if err != nil {
		fd.Close()
		return nil, err
	}
	if st.IsDir() {
		fd.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("is a directory")}
	}
	if !st.Mode().IsRegular() {
		fd.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("not a regular file (%s)", st.Mode().Type())}
	}
	f, err := read(fd, st.Size(), st.Mode()&0o111 != 0)
	if err != nil {
		fd.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f.Path = name
	for _, s := range f.Slices {
		s.Path = name
	}
	f.closer = fd
	f.Summary = modePrefix(st.Mode()) + f.Summary
	return f, nil
}

// modePrefix is what file(1) puts before its verdict for the special
// mode bits: "setuid ", "setuid, setgid ", "sticky ".
func modePrefix(m fs.FileMode) string {
	var bits []string
	for _, b := range []struct {
		bit  fs.FileMode
		name string
	}{{fs.ModeSetuid, "setuid"}, {fs.ModeSetgid, "setgid"}, {fs.ModeSticky, "sticky"}} {
		if m&b.bit != 0 {
			bits = append(bits, b.name)
		}
	}
	if len(bits) == 0 {
		return ""
	}
	return strings.Join(bits, ", ") + " "
}

// Read reads the facts of a binary of the given size from r. The File
// keeps r for Symbols and Funcs. An ET_DYN ELF file without a dynamic
// segment is judged as if its execute bit were clear; Open looks at the
// real mode.
func Read(r io.ReaderAt, size int64) (*File, error) {
	return read(r, size, false)
}

func read(r io.ReaderAt, size int64, executable bool) (f *File, err error) {
	if size == 0 {
		return nil, errors.New("empty file")
	}
	var magic [4]byte
	if n, _ := r.ReadAt(magic[:], 0); n < len(magic) {
		return nil, fmt.Errorf("%w: %d-byte file is too short to be a binary", ErrUnrecognizedFormat, n)
	}
	// The standard library's parsers are hardened and fuzzed, but
	// debug/gosym and a few corners of debug/macho still index slices
	// with values read from the file. A panic there is a malformed input,
	// not a binscope bug the user can do anything about.
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("%w: %v", ErrMalformed, p)
		}
	}()
	f = &File{Size: size, r: r, Needed: []string{}, VersionNeeds: []VersionNeed{}}
	var spec *formatSpec
	for _, s := range formats {
		if s.match(magic) {
			spec = s
			break
		}
	}
	if spec == nil {
		if what := notBinary(r); what != "" {
			return nil, fmt.Errorf("%w: %s", ErrUnrecognizedFormat, what)
		}
		return nil, fmt.Errorf("%w: starts with %s", ErrUnrecognizedFormat, describeStart(r))
	}
	f.Format = spec.format
	impl, err := spec.open(f, executable)
	if o, ok := err.(otherFormat); ok {
		return nil, fmt.Errorf("%w: starts with %s: %s", ErrUnrecognizedFormat, describeStart(r), o)
	}
	if err != nil {
		return nil, err
	}
	f.impl = impl
	if !f.IsUniversal() { // a universal binary's build info is per slice
		readGo(f)
		if f.OS == "" && f.Go != nil && f.Format == FormatELF {
			f.OS = osOfFuncs(f)
		}
	}
	return f, nil
}

// Close releases the file opened by Open. It is a no-op for a File made
// by Read.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// describeStart renders the first bytes of an unrecognized file, so that
// the error says what the file looks like: a script, text, or bytes.
func describeStart(r io.ReaderAt) string {
	var buf [16]byte
	n, _ := r.ReadAt(buf[:], 0)
	b := buf[:n]
	printable := true
	for _, c := range string(b) {
		if c == unicode.ReplacementChar || (!unicode.IsPrint(c) && c != '\n' && c != '\t' && c != '\r') {
			printable = false
			break
		}
	}
	if printable {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[:i]
		}
		return "text " + strconv.Quote(string(b))
	}
	return fmt.Sprintf("bytes % x", b[:min(len(b), 8)])
}

// malformed wraps a parser's error as ErrMalformed, keeping its words.
func malformed(format string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// The standard parsers say only "EOF" when a header points
		// past the end of the data.
		return fmt.Errorf("%w: %s: unexpected end of file: truncated?", ErrMalformed, format)
	}
	return fmt.Errorf("%w: %s: %v", ErrMalformed, format, err)
}

// readAtMost reads n bytes at off, refusing ranges outside the file so that
// a header's claim never becomes an allocation the file cannot back.
func readAtMost(r io.ReaderAt, size, off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > size || n > size-off {
		return nil, fmt.Errorf("range %d+%d is outside the %d-byte file", off, n, size)
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, off); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil, err
	}
	return buf, nil
}
