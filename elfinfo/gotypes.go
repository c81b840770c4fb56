package elfinfo

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// The runtime's type descriptors (internal/abi.Type and the records that
// extend it, runtime/type.go before Go 1.21), as every release from Go
// 1.16 to 1.27 lays them out. A descriptor starts with a common header:
//
//	size, ptrdata       uintptr
//	hash                uint32
//	tflag, align, fieldAlign, kind uint8
//	equal               func
//	gcdata              *byte
//	str                 nameOff (int32 from moduledata.types)
//	ptrToThis           typeOff
//
// then the part of its kind (an element pointer, a field slice…), then,
// when tflag has TFlagUncommon, the uncommon record (pkgPath nameOff,
// mcount, xcount uint16, moff uint32, 4 bytes unused), then the kind's
// array (a struct's fields, a func's parameters, an interface's methods)
// and the method table at uncommon+moff.

// TypeKind is a type descriptor's kind (reflect.Kind's numbering).
type TypeKind uint8

// The kinds the reader looks into.
const (
	KindArray     TypeKind = 17
	KindChan      TypeKind = 18
	KindFunc      TypeKind = 19
	KindInterface TypeKind = 20
	KindMap       TypeKind = 21
	KindPointer   TypeKind = 22
	KindSlice     TypeKind = 23
	KindStruct    TypeKind = 25
	kindMax       TypeKind = 26
)

const (
	tflagUncommon  = 1 << 0
	tflagExtraStar = 1 << 1
	tflagNamed     = 1 << 2
)

// GoType is one type descriptor as the reader decoded it.
type GoType struct {
	Addr  uint64
	Kind  TypeKind
	Named bool
	// Name is the type's string as the runtime prints it: "*main.T",
	// "[]string", "yaml.Node" (a package name, not its path).
	Name string
	// PkgPath is the import path of the package that defines a named
	// type (from its uncommon record), or that a struct or interface
	// type with unexported fields or methods belongs to; "" for built-in
	// and unnamed types.
	PkgPath string
	// Elem is the element type of a pointer, slice, array, chan or map
	// (a map's value), 0 for other kinds; Key is a map's key type.
	Elem, Key uint64
	// Types are the other descriptors it refers to, Names the name
	// records (exact ranges), and Data the other data it points to (its
	// GC bitmap).
	Types []uint64
	Names []Range
	Data  []uint64
	// Size is the descriptor's own length: header, kind part, uncommon
	// record, the kind's array and the method table.
	Size uint64
}

// Range is an address range [Lo, Hi).
type Range struct{ Lo, Hi uint64 }

// Itab is one interface table: the interface type, the concrete type
// and the length of the record.
type Itab struct {
	Addr        uint64
	Inter, Type uint64
	Size        uint64
}

// TypeReader decodes the type descriptors of a Go binary through its
// moduledata. It reads from an Image and allocates only what it returns.
type TypeReader struct {
	im            *Image
	md            *Moduledata
	minor         int // Go 1.minor; 0 when unknown (then the newest rules)
	ptr           uint64
	types, etypes uint64
}

// ErrNoTypes means the binary has no moduledata to find its types by.
var ErrNoTypes = errors.New("no type descriptors (no moduledata)")

// GoTypes returns a reader of f's type descriptors. md is the
// function table's moduledata and im f's DataImage.
func (f *File) GoTypes(md *Moduledata, im *Image) (*TypeReader, error) {
	if md == nil || im == nil || md.Etypes <= md.Types {
		return nil, ErrNoTypes
	}
	minor := 0
	if f.Go != nil {
		minor = goMinor(f.Go.Version)
	}
	if minor == 0 {
		// No version: the layout the moduledata was read with says the
		// release range; take its last.
		for _, l := range moduledataLayouts {
			if l.String() == md.Layout {
				minor = l.to
			}
		}
	}
	return &TypeReader{im: im, md: md, minor: minor, ptr: uint64(im.ptr), types: md.Types, etypes: md.Etypes}, nil
}

// InTypes reports whether addr lies in the type descriptor area.
func (r *TypeReader) InTypes(addr uint64) bool { return addr >= r.types && addr < r.etypes }

// Typelinks returns the descriptors the typelinks table lists (before
// Go 1.27) and the table's own range.
func (r *TypeReader) Typelinks() (types []uint64, table Range) {
	md := r.md
	if md.NTypelinks == 0 || md.NTypelinks > uint64(r.etypes-r.types) {
		return nil, Range{}
	}
	for i := uint64(0); i < md.NTypelinks; i++ {
		off, ok := r.im.Uint32(md.Typelinks + 4*i)
		if !ok {
			return nil, Range{}
		}
		types = append(types, r.types+uint64(off))
	}
	return types, Range{md.Typelinks, md.Typelinks + 4*md.NTypelinks}
}

// Itablinks returns the itabs the itablinks table lists (before Go 1.27)
// and the table's own range; for Go 1.27 the itabs of the itab area.
func (r *TypeReader) Itablinks() (itabs []uint64, table Range) {
	md := r.md
	if md.ItabSize > 0 {
		// Go 1.27: the itabs are laid out one after the other.
		p, end := r.types+md.ItabOffset, r.types+md.ItabOffset+md.ItabSize
		for p < end && len(itabs) < 1<<22 {
			it, ok := r.Itab(p)
			if !ok || it.Size == 0 {
				break
			}
			itabs = append(itabs, p)
			p = (p + it.Size + r.ptr - 1) &^ (r.ptr - 1)
		}
		return itabs, Range{}
	}
	if md.NItablinks == 0 || md.NItablinks > 1<<24 {
		return nil, Range{}
	}
	for i := uint64(0); i < md.NItablinks; i++ {
		p, ok := r.im.Word(md.Itablinks + r.ptr*i)
		if !ok {
			return nil, Range{}
		}
		itabs = append(itabs, p)
	}
	return itabs, Range{md.Itablinks, md.Itablinks + r.ptr*md.NItablinks}
}

// headerSize is the common header's length: 4 words and 16 bytes.
func (r *TypeReader) headerSize() uint64 { return 4*r.ptr + 16 }

// kindPart is the length of a kind's part after the header, up to the
// uncommon record.
func (r *TypeReader) kindPart(k TypeKind) uint64 {
	p := r.ptr
	switch k {
	case KindArray:
		return 3 * p // elem, slice, len
	case KindChan:
		return 2 * p // elem, dir
	case KindFunc:
		return p // inCount, outCount uint16, padded to a word
	case KindInterface, KindStruct:
		return 4 * p // pkgPath name, and a slice
	case KindMap:
		switch {
		case r.minor >= 27:
			return 11 * p // key, elem, group, hasher, 6 words, flags
		case r.minor >= 24:
			return 8 * p // key, elem, group, hasher, 3 words, flags
		default:
			return 4*p + 8 // key, elem, bucket, hasher, sizes, flags
		}
	case KindPointer, KindSlice:
		return p
	}
	return 0
}

// Name reads the name record at addr: its text and its length in bytes.
func (r *TypeReader) Name(addr uint64) (string, uint64, bool) {
	text, size, ok := r.name(addr)
	if !ok || !utf8.Valid(text) {
		return "", 0, false
	}
	return string(text), size, true
}

// nameSize is the length of the name record at addr, without its text.
func (r *TypeReader) nameSize(addr uint64) (uint64, bool) {
	_, size, ok := r.name(addr)
	return size, ok
}

// name reads the name record at addr: its text, in the image, and its
// length in bytes.
func (r *TypeReader) name(addr uint64) ([]byte, uint64, bool) {
	if !r.InTypes(addr) {
		return nil, 0, false
	}
	flags, ok := r.im.Bytes(addr, 1)
	if !ok {
		return nil, 0, false
	}
	n, at, ok := r.nameLen(addr + 1)
	if !ok {
		return nil, 0, false
	}
	text, ok := r.im.Bytes(at, int(n))
	if !ok {
		return nil, 0, false
	}
	end := at + n
	if flags[0]&(1<<1) != 0 { // a tag follows
		tn, tat, ok := r.nameLen(end)
		if !ok || tat+tn > r.etypes {
			return nil, 0, false
		}
		end = tat + tn
	}
	if flags[0]&(1<<2) != 0 { // a pkgPath nameOff follows
		end += 4
	}
	if end > r.etypes {
		return nil, 0, false
	}
	return text, end - addr, true
}

// nameLen reads a name's length field at addr: a varint from Go 1.17 on,
// two big-endian bytes before. It returns the length and where the text
// starts.
func (r *TypeReader) nameLen(addr uint64) (n, text uint64, ok bool) {
	if r.minor != 0 && r.minor < 17 {
		b, ok := r.im.Bytes(addr, 2)
		if !ok {
			return 0, 0, false
		}
		return uint64(b[0])<<8 | uint64(b[1]), addr + 2, true
	}
	for i := uint64(0); i < 5; i++ {
		b, ok := r.im.Bytes(addr+i, 1)
		if !ok {
			return 0, 0, false
		}
		n |= uint64(b[0]&0x7f) << (7 * i)
		if b[0]&0x80 == 0 {
			if n > 1<<20 {
				return 0, 0, false
			}
			return n, addr + i + 1, true
		}
	}
	return 0, 0, false
}

// off resolves a nameOff or typeOff: 0 and -1 mean none.
func (r *TypeReader) off(v uint32) (uint64, bool) {
	if v == 0 || v == ^uint32(0) || int32(v) < 0 {
		return 0, false
	}
	a := r.types + uint64(v)
	return a, a < r.etypes
}

// Type decodes the type descriptor at addr, or returns false when addr
// holds none: a kind out of range, an alignment that is not a power of
// two, or a name that does not decode.
func (r *TypeReader) Type(addr uint64) (GoType, bool) {
	p := r.ptr
	if !r.InTypes(addr) || addr%p != 0 && addr%4 != 0 {
		return GoType{}, false
	}
	hs := r.headerSize()
	h, ok := r.im.Bytes(addr, int(hs))
	if !ok {
		return GoType{}, false
	}
	bo := r.im.f.byteOrder()
	word := func(b []byte) uint64 {
		if p == 4 {
			return uint64(bo.Uint32(b))
		}
		return bo.Uint64(b)
	}
	size, ptrdata := word(h), word(h[p:])
	tflag, align, falign, kind := h[2*p+4], h[2*p+5], h[2*p+6], TypeKind(h[2*p+7]&0x1f)
	gcdata := word(h[3*p+8:])
	str, ptrTo := bo.Uint32(h[4*p+8:]), bo.Uint32(h[4*p+12:])
	pow2 := func(v uint8) bool { return v != 0 && v&(v-1) == 0 && v <= 64 }
	if kind == 0 || kind > kindMax || !pow2(align) || !pow2(falign) || ptrdata > size || size > 1<<40 {
		return GoType{}, false
	}
	nameAt, ok := r.off(str)
	if !ok {
		return GoType{}, false
	}
	name, nlen, ok := r.Name(nameAt)
	if !ok || name == "" {
		return GoType{}, false
	}
	t := GoType{Addr: addr, Kind: kind, Named: tflag&tflagNamed != 0, Names: []Range{{nameAt, nameAt + nlen}}}
	if tflag&tflagExtraStar != 0 {
		name = strings.TrimPrefix(name, "*")
	}
	t.Name = name
	if pt, ok := r.off(ptrTo); ok {
		t.Types = append(t.Types, pt)
	}
	if gcdata != 0 {
		t.Data = append(t.Data, gcdata)
	}
	at := addr + hs
	w := func(i uint64) uint64 { v, _ := r.im.Word(at + i*p); return v }
	addType := func(v uint64) {
		if r.InTypes(v) {
			t.Types = append(t.Types, v)
		}
	}
	// The kind's array: where it starts (after the uncommon record) is
	// known once the record is; its pointer says so for struct and
	// interface, which also give its length.
	var arrayLen uint64
	switch kind {
	case KindArray:
		t.Elem = w(0)
		addType(w(0))
		addType(w(1))
	case KindChan, KindPointer, KindSlice:
		t.Elem = w(0)
		addType(w(0))
	case KindMap:
		t.Key, t.Elem = w(0), w(1)
		addType(w(0))
		addType(w(1))
		addType(w(2))
	case KindStruct, KindInterface:
		if pk := w(0); pk != 0 {
			if s, n, ok := r.Name(pk); ok {
				t.PkgPath = s
				t.Names = append(t.Names, Range{pk, pk + n})
			}
		}
		arr, n := w(1), w(2)
		if n > 1<<16 {
			return GoType{}, false
		}
		if kind == KindStruct {
			arrayLen = n * 3 * p
			for i := uint64(0); i < n; i++ {
				fa := arr + i*3*p
				fname, _ := r.im.Word(fa)
				ftyp, _ := r.im.Word(fa + p)
				if l, ok := r.nameSize(fname); ok {
					t.Names = append(t.Names, Range{fname, fname + l})
				}
				addType(ftyp)
			}
		} else {
			arrayLen = n * 8
			for i := uint64(0); i < n; i++ {
				mn, _ := r.im.Uint32(arr + 8*i)
				mt, _ := r.im.Uint32(arr + 8*i + 4)
				if a, ok := r.off(mn); ok {
					if l, ok := r.nameSize(a); ok {
						t.Names = append(t.Names, Range{a, a + l})
					}
				}
				if a, ok := r.off(mt); ok {
					t.Types = append(t.Types, a)
				}
			}
		}
	}
	u := at + r.kindPart(kind)
	end := u
	if tflag&tflagUncommon != 0 {
		b, ok := r.im.Bytes(u, 16)
		if !ok {
			return GoType{}, false
		}
		pkg, mcount, moff := bo.Uint32(b), uint64(bo.Uint16(b[4:])), uint64(bo.Uint32(b[8:]))
		if a, ok := r.off(pkg); ok {
			if s, n, ok := r.Name(a); ok {
				t.PkgPath = s
				t.Names = append(t.Names, Range{a, a + n})
			}
		}
		end = u + 16
		if mcount > 0 && moff >= 16 && moff < 1<<20 {
			m := u + moff
			for i := uint64(0); i < mcount; i++ {
				mn, _ := r.im.Uint32(m + 16*i)
				mt, _ := r.im.Uint32(m + 16*i + 4)
				if a, ok := r.off(mn); ok {
					if l, ok := r.nameSize(a); ok {
						t.Names = append(t.Names, Range{a, a + l})
					}
				}
				if a, ok := r.off(mt); ok {
					t.Types = append(t.Types, a)
				}
			}
			end = max(end, m+16*mcount)
		}
	}
	if kind == KindFunc {
		in, _ := r.im.Uint16(at)
		out, _ := r.im.Uint16(at + 2)
		n := uint64(in) + uint64(out&(1<<15-1))
		for i := uint64(0); i < n; i++ {
			v, _ := r.im.Word(end + i*p)
			addType(v)
		}
		end += n * p
	} else {
		end = max(end, u+arrayLen)
		if tflag&tflagUncommon != 0 {
			end = max(end, u+16+arrayLen)
		}
	}
	t.Size = end - addr
	return t, true
}

// Itab decodes the interface table at addr: an interface type, a
// concrete type, a hash and one code pointer per method of the
// interface.
func (r *TypeReader) Itab(addr uint64) (Itab, bool) {
	p := r.ptr
	inter, ok1 := r.im.Word(addr)
	typ, ok2 := r.im.Word(addr + p)
	if !ok1 || !ok2 || !r.InTypes(inter) || !r.InTypes(typ) || addr%p != 0 {
		return Itab{}, false
	}
	it, ok := r.Type(inter)
	if !ok || it.Kind != KindInterface {
		return Itab{}, false
	}
	n, _ := r.im.Word(inter + r.headerSize() + 2*p)
	if n > 1<<16 {
		return Itab{}, false
	}
	return Itab{Addr: addr, Inter: inter, Type: typ, Size: 2*p + 8 + max(n, 1)*p}, true
}
