package elfinfo

import (
	"encoding/binary"
	"errors"
	"io"
)

// CodeRefs scans the machine code of f for the data addresses its
// instructions name and calls fn with each instruction's address and the
// address it names, in the order of the code, for every target inside a
// loaded section other than code. It reads amd64 (RIP-relative operands)
// and arm64 (ADRP and the ADD, load or store that completes it); for any
// other architecture, and for WebAssembly, it returns false.
//
// The amd64 reader is a pattern scanner, not a disassembler: it looks for
// the opcodes that take a memory operand (LEA, MOV, CMP, the SSE and AVX
// moves and arithmetic…) with a ModRM byte that selects RIP+disp32,
// works out where the instruction ends, and steps past it. A full decoder
// (golang.org/x/arch/x86/x86asm) walks every instruction, about six times
// slower on the go command's 7 MB of code, for the same references:
// TestCodeRefsAgreeWithX86asm holds the scanner to the decoder's answers.
// Both can be misled by data inside code; a target must also fall in a
// data section to count.
func (f *File) CodeRefs(fn func(from, to uint64)) bool {
	if f.Format == FormatWasm || f.Arch != "amd64" && f.Arch != "arm64" {
		return false
	}
	var data []Section
	for _, s := range f.Sections {
		switch s.Kind {
		case KindRodata, KindData, KindBSS, KindGoMetadata:
			if s.VMSize > 0 && s.Addr != 0 {
				data = append(data, s)
			}
		}
	}
	inData := func(a uint64) bool {
		for _, s := range data {
			if a >= s.Addr && a-s.Addr < uint64(s.VMSize) {
				return true
			}
		}
		return false
	}
	// The code is read in windows, so that a large binary's text is never
	// in memory whole; each window overlaps the next by more than an
	// instruction, and a reference is taken from the window its
	// instruction starts in.
	const window, overlap = 4 << 20, 32
	buf := make([]byte, window+overlap)
	for _, s := range f.Sections {
		if s.Kind != KindCode || s.FileSize <= 0 || s.Addr == 0 {
			continue
		}
		size := min(s.FileSize, max(s.VMSize, 0))
		if s.Offset < 0 || s.Offset > f.Size || size > f.Size-s.Offset {
			continue
		}
		for lo := int64(0); lo < size; lo += window {
			n := min(size-lo, window+overlap)
			code := buf[:n]
			if _, err := f.r.ReadAt(code, s.Offset+lo); err != nil && !errors.Is(err, io.EOF) {
				break
			}
			base := s.Addr + uint64(lo)
			limit := base + uint64(min(window, n)) // instructions starting here are this window's
			emit := func(from, to uint64) {
				if from < limit && inData(to) {
					fn(from, to)
				}
			}
			if f.Arch == "amd64" {
				scanAMD64(code, base, emit)
			} else {
				scanARM64(code, base, f.byteOrder(), emit)
			}
		}
	}
	return true
}

// amd64 opcodes that take a ModRM operand, with the immediate bytes that
// follow the operand: one-byte opcodes, then those after 0x0F.
var (
	amd64Op1  [256]int8 // -1: not one; else immediate bytes
	amd64Op0F [256]int8
)

func init() {
	for i := range amd64Op1 {
		amd64Op1[i], amd64Op0F[i] = -1, -1
	}
	for _, op := range []byte{
		0x38, 0x3A, // CMP on bytes (the other byte ALU opcodes match zeros more often than code)
		0x01, 0x03, 0x09, 0x0B, 0x11, 0x13, 0x19, 0x1B, 0x21, 0x23, 0x29, 0x2B, 0x31, 0x33, 0x39, 0x3B, // ALU r/m
		0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8D, // TEST, XCHG, MOV, LEA
		0xFF, 0xD1, 0xD3, 0xD0, 0xD2, // INC/DEC/CALL/JMP/PUSH, shifts by 1 or CL
		0x63,       // MOVSXD
		0xF6, 0xF7, // TEST/NOT/NEG/MUL/DIV r/m (TEST takes an immediate)
	} {
		amd64Op1[op] = 0
	}
	for _, op := range []byte{0x80, 0x83, 0xC6, 0xC0, 0xC1, 0x6B} {
		amd64Op1[op] = 1
	}
	for _, op := range []byte{0x81, 0xC7, 0x69} {
		amd64Op1[op] = 4
	}
	for _, op := range []byte{
		0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x28, 0x29, 0x2A, 0x2C, 0x2D, 0x2E, 0x2F,
		0x51, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F,
		0x60, 0x61, 0x62, 0x66, 0x6C, 0x6D, 0x6E, 0x6F, 0x74, 0x75, 0x76, 0x7E, 0x7F,
		0xB0, 0xB1, 0xB6, 0xB7, 0xBE, 0xBF, 0xC0, 0xC1, 0xD4, 0xD6, 0xDB, 0xDF, 0xE7, 0xEB, 0xEF, 0xFA, 0xFB, 0xFE, 0xD5,
		0x18, 0x1F, 0x0D, // prefetch, NOP r/m
		0xA3, 0xAB, 0xAF, 0xB3, 0xBB, 0xBC, 0xBD, 0xC7, // BT*, IMUL, BSF/BSR, CMPXCHG8B
	} {
		amd64Op0F[op] = 0
	}
	for op := 0x40; op <= 0x4F; op++ { // CMOVcc
		amd64Op0F[op] = 0
	}
	for op := 0x90; op <= 0x9F; op++ { // SETcc
		amd64Op0F[op] = 0
	}
	for _, op := range []byte{0x70, 0xBA, 0xC2, 0xC6} {
		amd64Op0F[op] = 1
	}
}

// scanAMD64 finds the RIP-relative operands in code, loaded at base.
// At each ModRM byte of that form it tries to read an instruction ending
// in such an operand from the bytes before; a VEX or EVEX reading gives
// way to a plain one that starts inside it,
// since a byte 0xC4, 0xC5 or 0x62 is more often the end of the
// instruction before than the start of one. The address it reports is
// that of the opcode (past prefixes), and the scan goes on after the
// instruction.
func scanAMD64(code []byte, base uint64, emit func(from, to uint64)) {
	// Every match has a ModRM byte of the RIP-relative form (mod 00, r/m
	// 101) one to five bytes after its start: look for those first, and
	// try the starts before each, nearest the last match first.
	next := 0 // the scan goes on after the last instruction found
	for m := 1; m < len(code); m++ {
		if code[m]&0xC7 != 0x05 {
			continue
		}
		for i := max(next, m-6); i < m; i++ {
			mt, ok := matchAMD64(code, i)
			if !ok || mt.modrm != m {
				continue
			}
			if mt.vex {
				plain := false
				for k := i + 1; k < mt.modrm && !plain; k++ {
					if p, ok := matchAMD64(code, k); ok && !p.vex {
						plain = true
					}
				}
				if plain {
					continue
				}
			}
			disp := int32(binary.LittleEndian.Uint32(code[mt.modrm+1:]))
			emit(base+uint64(mt.op), uint64(int64(base)+int64(mt.end)+int64(disp)))
			next = mt.end
			m = mt.end - 1
			break
		}
	}
}

// amd64Match is an instruction with a RIP-relative operand: where its
// opcode, its ModRM byte and its end are.
type amd64Match struct {
	op, modrm, end int
	vex            bool
}

func matchAMD64(code []byte, i int) (amd64Match, bool) {
	n := len(code)
	j := i
	// Legacy prefixes: operand size, repeat, lock.
	opsize := false
	for j < n && j-i < 3 && (code[j] == 0x66 || code[j] == 0xF2 || code[j] == 0xF3 || code[j] == 0xF0) {
		opsize = opsize || code[j] == 0x66
		j++
	}
	if j < n && code[j]&0xF0 == 0x40 { // REX
		j++
	}
	if j+6 > n {
		return amd64Match{}, false
	}
	m := amd64Match{op: j}
	var imm int
	switch op := code[j]; {
	case op == 0x0F && (code[j+1] == 0x38 || code[j+1] == 0x3A): // three-byte opcodes (AES, PSHUFB…)
		m.modrm = j + 3
		if code[j+1] == 0x3A {
			imm = 1
		}
	case op == 0x0F:
		op2 := code[j+1]
		if amd64Op0F[op2] < 0 {
			return amd64Match{}, false
		}
		m.modrm, imm = j+2, int(amd64Op0F[op2])
	case op == 0xC5 && i == j: // two-byte VEX
		m.modrm, m.vex = j+3, true
	case op == 0xC4 && i == j: // three-byte VEX
		m.modrm, m.vex = j+4, true
		if code[j+1]&0x1F == 3 {
			imm = 1
		}
	case op == 0x62 && i == j: // EVEX
		m.modrm, m.vex = j+5, true
		if code[j+1]&0x07 == 3 {
			imm = 1
		}
	default:
		if amd64Op1[op] < 0 {
			return amd64Match{}, false
		}
		m.modrm, imm = j+1, int(amd64Op1[op])
		if opsize && imm == 4 {
			imm = 2
		}
		if (op == 0xF6 || op == 0xF7) && code[m.modrm]>>3&7 == 0 {
			imm = 1
			if op == 0xF7 {
				imm = 4
				if opsize {
					imm = 2
				}
			}
		}
	}
	if m.modrm+5 > n || code[m.modrm]&0xC7 != 0x05 || code[j] == 0xFF && code[m.modrm]>>3&7 == 7 {
		return amd64Match{}, false
	}
	m.end = m.modrm + 5 + imm
	if m.end > n {
		return amd64Match{}, false
	}
	return m, true
}

// scanARM64 finds the ADRP+ADD and ADRP+LDR/STR pairs in code: the page
// ADRP loads and the offset the next instruction adds, when it uses the
// same register.
func scanARM64(code []byte, base uint64, bo binary.ByteOrder, emit func(from, to uint64)) {
	for i := 0; i+8 <= len(code); i += 4 {
		ins := bo.Uint32(code[i:])
		if ins&0x9F000000 != 0x90000000 {
			continue
		}
		rd := ins & 31
		imm := int64(ins>>29&3 | (ins>>5&0x7FFFF)<<2)
		imm = imm << 43 >> 43 // sign-extend 21 bits
		pc := base + uint64(i)
		page := uint64(int64(pc&^0xFFF) + imm<<12)
		next := bo.Uint32(code[i+4:])
		if next>>5&31 != rd {
			continue
		}
		switch {
		case next&0xFFC00000 == 0x91000000: // ADD Xd, Xn, #imm12
			emit(pc, page+uint64(next>>10&0xFFF))
		case next&0x3B000000 == 0x39000000: // LDR/STR (unsigned offset)
			scale := next >> 30
			if next&(1<<26) != 0 && scale == 0 && next&(1<<23) != 0 {
				scale = 4 // 128-bit SIMD register
			}
			emit(pc, page+uint64(next>>10&0xFFF)<<scale)
		}
	}
}
