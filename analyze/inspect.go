package analyze

import "github.com/binscope/binscope/elfinfo"

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
}

// FileError records an input that could not be read.
type FileError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// NewBinary wraps the facts of one file for a report.
func NewBinary(f *elfinfo.File) Binary {
	return Binary{File: f, SizeHuman: HumanSize(f.Size)}
}
