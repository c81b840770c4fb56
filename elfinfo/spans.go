package elfinfo

import "runtime/debug"

// Span is a run of a section's file bytes and the address it is loaded at.
type Span struct {
	Offset int64
	Size   int64
	Addr   uint64
}

// Spans returns the runs of the named section's bytes and their
// addresses, when the section is not loaded as one run at its Addr:
// WebAssembly's code section, whose function bodies Go addresses by
// their PCs ((index+0x1000)<<16), and its data section, a list of
// segments, each copied to its own address, between which the linker
// left out runs of zeros. The bytes of the section in no span (a body's
// count, a segment's header) are the format's framing. Spans returns nil
// for a section loaded as one run, as every section of ELF, Mach-O and
// PE is.
func (f *File) Spans(section string) []Span {
	if r, ok := f.reader().(spanReader); ok {
		return r.spans(section)
	}
	return nil
}

// The readers of formats that differ from the rest in more than their
// answers to the reader interface implement these as well: WebAssembly,
// whose function table and build info are in linear memory rather than
// at a file offset. Each is asked for where the question is.
type (
	spanReader interface {
		spans(section string) []Span
	}
	funcTableReader interface {
		// funcTable reads the whole function table; its Pclntab is what
		// Pclntab returns, its functions what Funcs returns.
		funcTable() (*FuncTable, error)
	}
	buildInfoReader interface {
		// buildInfo returns ErrNotGo when the binary has none.
		buildInfo() (*debug.BuildInfo, error)
	}
)
