package analyze

import (
	"errors"

	"github.com/binscope/binscope/elfinfo"
)

// SizeReport says where the bytes of one binary go: by section, by Go
// package and by module. In the package view every byte of the file lands
// in exactly one row, so the sizes of Packages sum to Size.
type SizeReport struct {
	SchemaVersion int     `json:"schema_version"`
	Path          string  `json:"path"`
	Size          int64   `json:"size"`
	Attributed    int64   `json:"attributed"`   // bytes in package, C and generated rows
	Unattributed  int64   `json:"unattributed"` // program bytes no row could claim
	Coverage      float64 `json:"coverage"`     // Attributed / (Size - debug info - symbol table - headers and padding)

	Sections []SectionSize `json:"sections"`
	Packages []PackageSize `json:"packages"`
	Modules  []ModuleSize  `json:"modules"`
}

// SectionSize is one section's share of the file and of memory.
type SectionSize struct {
	Name     string       `json:"name"`
	Kind     elfinfo.Kind `json:"kind"`
	FileSize int64        `json:"file_size"`
	VMSize   int64        `json:"vm_size"`
}

// PackageSize is one row of the package view: a Go package, "C",
// "<generated>", or one of the fixed rows "debug info", "symbol table",
// "headers and padding", "unattributed".
type PackageSize struct {
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	Estimated bool   `json:"estimated"` // part of Size comes from a heuristic
}

// ModuleSize is the packages of one module summed: the standard library
// ("std"), the main module, or a dependency at its version.
type ModuleSize struct {
	Path      string `json:"path"`
	Version   string `json:"version"`
	Size      int64  `json:"size"`
	Estimated bool   `json:"estimated"`
}

// The fixed rows of the package view.
const (
	RowDebugInfo    = "debug info"
	RowSymbolTable  = "symbol table"
	RowHeaders      = "headers and padding"
	RowUnattributed = "unattributed"
	RowC            = "C"
	RowGenerated    = "<generated>"
	ModuleStd       = "std"
)

// ErrNotImplemented is returned by Size until size attribution lands.
var ErrNotImplemented = errors.New("size attribution is not implemented yet")

// Size attributes the bytes of f to sections, packages and modules.
func Size(f *elfinfo.File) (*SizeReport, error) {
	return nil, ErrNotImplemented
}
