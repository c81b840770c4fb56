package elfinfo

import (
	"cmp"
	"slices"
)

// Symbol is one entry of a binary's symbol table.
type Symbol struct {
	Name    string
	Addr    uint64
	Size    int64
	Code    byte   // as nm prints it: T code, R read-only data, D data, B bss, A absolute, U undefined, ? other
	Section string // name of the section it is defined in; "" when undefined
	// SizeInferred is true when the format records no symbol sizes
	// (Mach-O, PE) and Size was taken as the distance to the next symbol
	// in the same section, or to the section's end.
	SizeInferred bool
}

// Symbols returns the binary's symbol table (not the dynamic symbols), or
// nil when it has none, as after -s or strip.
func (f *File) Symbols() ([]Symbol, error) {
	return f.reader().symbols()
}

// inferSizes sets the size of symbols in formats that do not record one.
// We infer the size of a symbol by looking at where the next symbol begins,
// as Go's cmd/internal/objfile does, bounded by the end of its section.
func inferSizes(syms []Symbol, sections []Section) {
	end := map[string]uint64{}
	for _, s := range sections {
		end[s.Name] = s.Addr + uint64(s.VMSize)
	}
	idx := make([]int, 0, len(syms))
	for i, s := range syms {
		if s.Section != "" && s.Code != 'U' {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(syms[a].Section, syms[b].Section), cmp.Compare(syms[a].Addr, syms[b].Addr))
	})
	// Symbols at one address share the distance to the next address, so
	// take them a run at a time: linear however many share an address.
	for k := 0; k < len(idx); {
		first := syms[idx[k]]
		run := k + 1
		for run < len(idx) && syms[idx[run]].Section == first.Section && syms[idx[run]].Addr == first.Addr {
			run++
		}
		limit := end[first.Section]
		if run < len(idx) && syms[idx[run]].Section == first.Section {
			limit = syms[idx[run]].Addr
		}
		for _, i := range idx[k:run] {
			if limit > syms[i].Addr {
				syms[i].Size = int64(limit - syms[i].Addr)
			}
			syms[i].SizeInferred = true
		}
		k = run
	}
}
