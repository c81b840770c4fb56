package elfinfo

import (
	"debug/gosym"
	"errors"
	"fmt"
	"io"
)

// CallSites returns the addresses of the direct calls in the code
// [lo, hi) to the function at target: amd64's CALL rel32 and arm64's BL.
// A byte pattern that only looks like a call can be counted: callers use
// it to place a call that the linker's graph says is there. For other
// architectures it returns nil.
func (f *File) CallSites(lo, hi, target uint64) []uint64 {
	if hi <= lo || hi-lo > 16<<20 || f.Arch != "amd64" && f.Arch != "arm64" {
		return nil
	}
	code, ok := f.code(lo, hi)
	if !ok {
		return nil
	}
	var out []uint64
	switch f.Arch {
	case "amd64":
		for i := 0; i+5 <= len(code); i++ {
			if code[i] != 0xE8 {
				continue
			}
			rel := int32(uint32(code[i+1]) | uint32(code[i+2])<<8 | uint32(code[i+3])<<16 | uint32(code[i+4])<<24)
			if lo+uint64(i)+5+uint64(int64(rel)) == target {
				out = append(out, lo+uint64(i))
			}
		}
	case "arm64":
		bo := f.byteOrder()
		for i := 0; i+4 <= len(code); i += 4 {
			ins := bo.Uint32(code[i:])
			if ins>>26 != 0b100101 { // BL imm26
				continue
			}
			imm := int64(int32(ins<<6) >> 6) // sign-extended imm26
			if lo+uint64(i)+uint64(imm*4) == target {
				out = append(out, lo+uint64(i))
			}
		}
	}
	return out
}

// code reads the machine code at [lo, hi) from the code section that
// holds it.
func (f *File) code(lo, hi uint64) ([]byte, bool) {
	for _, s := range f.Sections {
		if s.Kind != KindCode || s.Addr == 0 || lo < s.Addr || hi-s.Addr > uint64(min(s.FileSize, max(s.VMSize, 0))) {
			continue
		}
		off := s.Offset + int64(lo-s.Addr)
		if off < 0 || off > f.Size || int64(hi-lo) > f.Size-off {
			return nil, false
		}
		buf := make([]byte, hi-lo)
		if _, err := f.r.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return nil, false
		}
		return buf, true
	}
	return nil, false
}

// LineTable returns a function that gives the source file and line of
// a program counter, from the Go function table (stripped binaries
// included), through debug/gosym.
func (f *File) LineTable() (func(pc uint64) (file string, line int), error) {
	p, err := f.Pclntab()
	if err != nil {
		return nil, err
	}
	data, err := readAtMost(f.r, f.Size, p.Offset, p.Size)
	if err != nil {
		return nil, fmt.Errorf("read pclntab: %w", err)
	}
	var t *gosym.Table
	func() {
		defer func() {
			if recover() != nil {
				err = fmt.Errorf("%w: corrupt pclntab", ErrMalformed)
			}
		}()
		t, err = gosym.NewTable(nil, gosym.NewLineTable(data, p.TextStart))
	}()
	if err != nil {
		return nil, err
	}
	return func(pc uint64) (file string, line int) {
		defer func() {
			if recover() != nil {
				file, line = "", 0
			}
		}()
		file, line, _ = t.PCToLine(pc)
		return file, line
	}, nil
}
