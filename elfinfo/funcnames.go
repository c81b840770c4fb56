package elfinfo

import (
	"bytes"
	"slices"
)

// FuncNames returns the names the Go function table holds: each
// function's, and, for the tables of Go 1.18 and later, those of the
// functions the compiler inlined, which the inline trees name in the same
// name table. A function inlined into every caller leaves no function of
// its own (os.TempDir and net.LookupPort are such wrappers), so this is
// the list to ask whether a program uses one. The names are sorted and
// each is listed once. For older tables, only the functions' names.
func (f *File) FuncNames() ([]string, error) {
	// From Go 1.18 the name table holds every function's name too, so it
	// alone answers, without decoding the functions.
	if names := f.nameTable(); names != nil {
		slices.Sort(names)
		return slices.Compact(names), nil
	}
	funcs, err := f.Funcs()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(funcs))
	for _, fn := range funcs {
		names = append(names, fn.Name)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// nameTable returns the strings of the function name table, which holds
// every function's name and every inlined function's once each; nil when
// the table's layout keeps no such table apart (before Go 1.18 here) or
// its header does not check out.
func (f *File) nameTable() []string {
	var tab []byte
	if r, ok := f.reader().(funcTableReader); ok {
		t, err := r.funcTable()
		if err != nil {
			return nil
		}
		tab = t.inl.funcnames
	} else {
		p, err := f.Pclntab()
		if err != nil {
			return nil
		}
		h, err := f.pclntabHeader(p)
		if err != nil {
			return nil
		}
		tab, err = readAtMost(f.r, f.Size, p.Offset+int64(h.funcnameOffset), int64(h.cuOffset-h.funcnameOffset))
		if err != nil {
			return nil
		}
	}
	var out []string
	for len(tab) > 0 {
		i := bytes.IndexByte(tab, 0)
		if i < 0 {
			i = len(tab)
		}
		if i > 0 {
			out = append(out, string(tab[:i]))
		}
		tab = tab[min(i+1, len(tab)):]
	}
	return out
}
