package elfinfo

import (
	"debug/dwarf"
	"errors"
	"fmt"
)

// Variable is a global variable as DWARF describes it: its name (the
// package path, a dot and the name), its address and its size by its
// type.
type Variable struct {
	Name string
	Addr uint64
	Size int64
}

// ErrNoDWARF means the binary carries no DWARF.
var ErrNoDWARF = errors.New("no DWARF")

// dwarfReader is implemented by the formats whose standard-library reader
// opens DWARF (compressed sections too): ELF, Mach-O and PE.
type dwarfReader interface {
	dwarf() (*dwarf.Data, error)
}

func (b *elfBinary) dwarf() (*dwarf.Data, error)   { return b.ef.DWARF() }
func (b *machoBinary) dwarf() (*dwarf.Data, error) { return b.mf.DWARF() }
func (b *peBinary) dwarf() (*dwarf.Data, error)    { return b.pf.DWARF() }

// Variables returns the global variables DWARF places at a static
// address (DW_TAG_variable with a DW_AT_location of DW_OP_addr), in the
// order DWARF lists them. Variables of no known size are left out.
func (f *File) Variables() (vars []Variable, err error) {
	r, ok := f.reader().(dwarfReader)
	if !ok || !f.DebugInfo {
		return nil, ErrNoDWARF
	}
	defer func() {
		// debug/dwarf reads what the file says; a corrupt type graph
		// must not take the process down.
		if p := recover(); p != nil {
			vars, err = nil, fmt.Errorf("%w: DWARF: %v", ErrMalformed, p)
		}
	}()
	d, err := r.dwarf()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDWARF, err)
	}
	ptr := 8
	if f.Class == "32-bit" {
		ptr = 4
	}
	sizes := map[dwarf.Offset]int64{}
	rd := d.Reader()
	for {
		e, err := rd.Next()
		if err != nil {
			return vars, fmt.Errorf("%w: DWARF: %v", ErrMalformed, err)
		}
		if e == nil {
			return vars, nil
		}
		switch e.Tag {
		case dwarf.TagCompileUnit:
			continue // its children are what is read
		case dwarf.TagVariable:
		default:
			if e.Children {
				rd.SkipChildren()
			}
			continue
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		loc, _ := e.Val(dwarf.AttrLocation).([]byte)
		toff, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
		if name == "" || !ok || len(loc) != 1+ptr || loc[0] != 0x03 { // DW_OP_addr
			continue
		}
		var addr uint64
		bo := f.byteOrder()
		if ptr == 8 {
			addr = bo.Uint64(loc[1:])
		} else {
			addr = uint64(bo.Uint32(loc[1:]))
		}
		size, seen := sizes[toff]
		if !seen {
			size = -1
			if t, err := d.Type(toff); err == nil {
				size = t.Size()
			}
			sizes[toff] = size
		}
		if size <= 0 || addr == 0 {
			continue
		}
		vars = append(vars, Variable{Name: name, Addr: addr, Size: size})
	}
}
