package elfinfo

import (
	"bytes"
	"encoding/binary"
)

// The runtime's indexes of a function's inlining tables (runtime/symtab.go).
const (
	pcdataInlTreeIndex = 2 // PCDATA_InlTreeIndex: pc → index into the inline tree
	funcdataInlTree    = 3 // FUNCDATA_InlTree: the tree of inlined calls
)

// inlineTables is what FuncTable.Inlined reads: the pc-value tables, the
// function names, and each function's inline tables.
type inlineTables struct {
	f         *File
	pctab     []byte
	funcnames []byte
	quantum   uint64
	recSize   uint64 // an inline tree entry: 16 bytes from Go 1.20, 20 before
	gofunc    uint64 // where funcdata offsets count from
	funcs     []inlineOffsets
	tree      []byte // the funcdata area, read on first use
	treeAddr  uint64
	loaded    bool
}

type inlineOffsets struct{ pcdata, funcdata uint32 }

// InlineRange is a run of a function's code that is another function's,
// inlined: its pc range and the inlined function's name.
type InlineRange struct {
	Lo, Hi uint64
	Name   string
}

// Inlined returns the runs of the code of function i (an index into
// Funcs) that the compiler inlined from other functions, innermost
// callee first, from the function's inline tree (Go 1.18 and later; nil
// for older tables, for a function with no inlining, and where the
// tables do not decode).
func (t *FuncTable) Inlined(i int) []InlineRange {
	in := &t.inl
	if i < 0 || i >= len(in.funcs) || in.funcs[i].pcdata == 0 || in.gofunc == 0 {
		return nil
	}
	if !in.loaded {
		in.loaded = true
		if t.FuncdataAddr != 0 && t.FuncdataSize > 0 {
			if off, ok := in.f.addrToOffset(t.FuncdataAddr); ok {
				in.tree, _ = readAtMost(in.f.r, in.f.Size, off, t.FuncdataSize)
				in.treeAddr = t.FuncdataAddr
			}
		}
	}
	if in.tree == nil {
		return nil
	}
	o := in.funcs[i]
	if uint64(o.pcdata) >= uint64(len(in.pctab)) {
		return nil
	}
	treeOff := in.gofunc + uint64(o.funcdata) - in.treeAddr
	if treeOff >= uint64(len(in.tree)) {
		return nil
	}
	tree := in.tree[treeOff:]
	fn := t.Funcs[i]
	limit := fn.End - fn.Entry
	tab := in.pctab[o.pcdata:]
	bo := in.f.byteOrder()
	var out []InlineRange
	val, pc := int64(-1), uint64(0)
	for first := true; ; first = false {
		uv, n := binary.Uvarint(tab)
		if n <= 0 || uv == 0 && !first {
			return out
		}
		tab = tab[n:]
		// The value delta is zigzag-encoded.
		val += int64(uv>>1) ^ -int64(uv&1)
		step, n := binary.Uvarint(tab)
		if n <= 0 || step > limit {
			return out
		}
		tab = tab[n:]
		lo := pc
		pc += step * in.quantum
		if pc > limit {
			return out
		}
		if val < 0 {
			continue
		}
		e := uint64(val) * in.recSize
		if e+in.recSize > uint64(len(tree)) {
			return out
		}
		// Go 1.20: funcID, 3 bytes, nameOff; Go 1.18: parent, funcID,
		// byte, file, line, then the name's offset.
		nameAt := e + 4
		if in.recSize == 20 {
			nameAt = e + 12
		}
		nameOff := uint64(bo.Uint32(tree[nameAt:]))
		if nameOff >= uint64(len(in.funcnames)) {
			continue
		}
		name := in.funcnames[nameOff:]
		if j := bytes.IndexByte(name, 0); j >= 0 {
			name = name[:j]
		}
		r := InlineRange{Lo: fn.Entry + lo, Hi: fn.Entry + pc, Name: string(name)}
		if k := len(out) - 1; k >= 0 && out[k].Hi == r.Lo && out[k].Name == r.Name {
			out[k].Hi = r.Hi
			continue
		}
		out = append(out, r)
	}
}
