package analyze

import (
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
)

// SchemaVersion is the version of every JSON report binscope writes. It
// changes only when a field changes meaning or disappears; new fields do
// not change it.
const SchemaVersion = 1

// InspectReport is what binscope inspect reports about a set of files.
type InspectReport struct {
	SchemaVersion int         `json:"schema_version"`
	Binaries      []Binary    `json:"binaries"`
	Errors        []FileError `json:"errors"`
}

// Binary is one inspected binary: the facts elfinfo read, copied into the
// report, plus what binscope derives from them. Facts is nil in a report
// that carries no binary facts (a compare cell that did not build).
type Binary struct {
	*Facts
	SizeHuman string `json:"size_human"` // Size as ls -lh prints it
	// Container is the readiness verdict on each base of Bases, keyed by
	// its key (scratch, distroless-static, alpine, …); nil for binaries
	// Linux containers do not run, and ContainerNote then says why.
	Container     map[string]container.Readiness `json:"container"`
	ContainerNote string                         `json:"container_note,omitempty"`
}

// Facts are the facts of one executable as reports carry them: the
// object binscope reports under "binaries" (inspect) and "binary"
// (compare). Its fields and JSON names are elfinfo.File's, copied by
// factsOf, so that a report owns its facts and outlives the reader.
type Facts struct {
	Path         string                `json:"path"`
	Size         int64                 `json:"size"`
	Format       elfinfo.Format        `json:"format"`
	Class        string                `json:"class"`      // "32-bit" or "64-bit"
	ByteOrder    string                `json:"byte_order"` // "LSB" or "MSB"
	Arch         string                `json:"arch"`       // GOARCH spelling: amd64, arm64, 386…
	Machine      string                `json:"machine"`    // file(1)'s words: x86-64, ARM aarch64…
	OS           string                `json:"os"`         // GOOS spelling where it can be told
	OSABI        string                `json:"os_abi"`     // ELF EI_OSABI in file's words; "" elsewhere
	Type         string                `json:"type"`       // executable, pie executable, shared object, relocatable, core file
	Linkage      string                `json:"linkage"`    // static, static-pie or dynamic
	Interpreter  string                `json:"interpreter"`
	Needed       []string              `json:"needed"`
	Stripped     bool                  `json:"stripped"`
	DebugInfo    bool                  `json:"debug_info"`
	DWARFBytes   int64                 `json:"dwarf_bytes"`
	SymtabBytes  int64                 `json:"symtab_bytes"`
	GoBuildID    string                `json:"go_build_id"`
	GNUBuildID   string                `json:"gnu_build_id"`
	Hardening    elfinfo.Hardening     `json:"hardening"`
	VersionNeeds []elfinfo.VersionNeed `json:"version_needs"`
	Go           *elfinfo.GoInfo       `json:"go"`
	Sections     []elfinfo.Section     `json:"sections"`
	Summary      string                `json:"summary"`
	// Slices are the facts of each slice of a Mach-O universal binary,
	// in its header's order; Universal places a slice in its file.
	Slices    []*Facts           `json:"slices,omitempty"`
	Universal *elfinfo.SliceInfo `json:"universal,omitempty"`

	Imports []elfinfo.Import `json:"imports,omitempty"` // a WebAssembly module's
	Exports []elfinfo.Export `json:"exports,omitempty"`
}

// factsOf copies the facts of f into a report's own value, sharing no
// slice or pointer with f.
func factsOf(f *elfinfo.File) *Facts {
	out := &Facts{
		Path: f.Path, Size: f.Size, Format: f.Format, Class: f.Class, ByteOrder: f.ByteOrder,
		Arch: f.Arch, Machine: f.Machine, OS: f.OS, OSABI: f.OSABI, Type: f.Type,
		Linkage: f.Linkage, Interpreter: f.Interpreter, Needed: slices.Clone(f.Needed),
		Stripped: f.Stripped, DebugInfo: f.DebugInfo, DWARFBytes: f.DWARFBytes, SymtabBytes: f.SymtabBytes,
		GoBuildID: f.GoBuildID, GNUBuildID: f.GNUBuildID, Hardening: f.Hardening,
		Sections: slices.Clone(f.Sections), Summary: f.Summary,
		Imports: slices.Clone(f.Imports), Exports: slices.Clone(f.Exports),
	}
	if f.VersionNeeds != nil {
		out.VersionNeeds = make([]elfinfo.VersionNeed, len(f.VersionNeeds))
		for i, v := range f.VersionNeeds {
			out.VersionNeeds[i] = elfinfo.VersionNeed{Library: v.Library, Versions: slices.Clone(v.Versions)}
		}
	}
	if f.Go != nil {
		out.Go = f.Go.Clone()
	}
	for _, sl := range f.Slices {
		out.Slices = append(out.Slices, factsOf(sl))
	}
	out.Universal = cloneSliceInfo(f.Universal)
	return out
}

func cloneSliceInfo(u *elfinfo.SliceInfo) *elfinfo.SliceInfo {
	if u == nil {
		return nil
	}
	c := *u
	c.Arches = slices.Clone(u.Arches)
	return &c
}

// FileError records an input that could not be read.
type FileError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// NewBinary wraps the facts of one file for a report. It reads the Go
// function table for the container verdicts, so call it before closing
// a File that Open returned.
func NewBinary(f *elfinfo.File) Binary {
	return NewBinaryEnv(f, nil)
}

// NewBinaryEnv is NewBinary with the verdicts of a container run with
// the environment env (TZ, say).
func NewBinaryEnv(f *elfinfo.File, env container.Env) Binary {
	b := Binary{Facts: factsOf(f), SizeHuman: units.HumanSize(f.Size)}
	b.Container, b.ContainerNote = container.JudgeFile(f, env)
	return b
}

// NewBinaryFromFuncs is NewBinary for a caller that has read the
// function names already (container.FuncNames).
func NewBinaryFromFuncs(f *elfinfo.File, funcs []string, funcsErr error) Binary {
	b := Binary{Facts: factsOf(f), SizeHuman: units.HumanSize(f.Size)}
	b.Container, b.ContainerNote = container.Judge(f, funcs, funcsErr)
	return b
}

// CgoStubNote is the note of a build that compiled packages without
// their C code, for every report that shows one (compare, check,
// dockerfile).
func CgoStubNote(stubs []string) string {
	if len(stubs) == 1 {
		return "built without the C code of " + stubs[0] + ": with CGO_ENABLED=0 it compiles its !cgo fallback in place of its cgo files, which may be a stub that fails at run time"
	}
	return "built without the C code of " + strings.Join(stubs, ", ") + ": with CGO_ENABLED=0 they compile their !cgo fallbacks in place of their cgo files, which may be stubs that fail at run time"
}
