package analyze

import (
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

// Binary is one inspected binary: elfinfo's facts plus what binscope
// derives from them.
type Binary struct {
	*elfinfo.File
	SizeHuman string `json:"size_human"` // Size as ls -lh prints it
	// Container is the readiness verdict on each base of Bases, keyed by
	// its key (scratch, distroless-static, alpine, …); nil for binaries
	// Linux containers do not run, and ContainerNote then says why.
	Container     map[string]container.Readiness `json:"container"`
	ContainerNote string                         `json:"container_note,omitempty"`
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
	b := Binary{File: f, SizeHuman: units.HumanSize(f.Size)}
	b.Container, b.ContainerNote = container.JudgeFile(f)
	return b
}

// NewBinaryFromFuncs is NewBinary for a caller that has read the
// function names already (container.FuncNames).
func NewBinaryFromFuncs(f *elfinfo.File, funcs []string, funcsErr error) Binary {
	b := Binary{File: f, SizeHuman: units.HumanSize(f.Size)}
	b.Container, b.ContainerNote = container.Judge(f, funcs, funcsErr)
	return b
}
