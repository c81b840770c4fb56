package testbuild

import (
	"bytes"
	"encoding/binary"
)

// GoELF lays out a minimal 64-bit little-endian ELF executable with a
// .text, a .gopclntab holding pcln and a .go.module holding data: what
// the fuzz tests of the Go function table and of size attribution mutate.
func GoELF(pcln, data []byte) []byte {
	const ehsize, shentsize = 64, 64
	shstr := []byte("\x00.text\x00.gopclntab\x00.go.module\x00.shstrtab\x00")
	text := bytes.Repeat([]byte{0xcc}, 64)
	var body bytes.Buffer
	body.Write(make([]byte, ehsize))
	type sec struct {
		name       uint32
		typ, flags uint64
		addr, off  uint64
		size       uint64
	}
	var secs []sec
	add := func(name uint32, flags uint64, content []byte) {
		off := uint64(body.Len())
		body.Write(content)
		addr := uint64(0)
		if flags != 0 {
			addr = 0x400000 + off
		}
		secs = append(secs, sec{name, 1, flags, addr, off, uint64(len(content))})
	}
	add(1, 0x6, text)  // AX
	add(7, 0x2, pcln)  // A
	add(18, 0x3, data) // WA
	shOff := uint64(body.Len())
	add(29, 0, shstr)
	secs[3].typ = 3
	shOff = uint64(body.Len())
	out := body.Bytes()
	sh := make([]byte, shentsize*(len(secs)+1))
	for i, s := range secs {
		e := sh[shentsize*(i+1):]
		binary.LittleEndian.PutUint32(e[0:], s.name)
		binary.LittleEndian.PutUint32(e[4:], uint32(s.typ))
		binary.LittleEndian.PutUint64(e[8:], s.flags)
		binary.LittleEndian.PutUint64(e[16:], s.addr)
		binary.LittleEndian.PutUint64(e[24:], s.off)
		binary.LittleEndian.PutUint64(e[32:], s.size)
		binary.LittleEndian.PutUint64(e[48:], 1)
	}
	out = append(out, sh...)
	copy(out[0:], "\x7fELF\x02\x01\x01")
	binary.LittleEndian.PutUint16(out[16:], 2)  // ET_EXEC
	binary.LittleEndian.PutUint16(out[18:], 62) // x86-64
	binary.LittleEndian.PutUint32(out[20:], 1)
	binary.LittleEndian.PutUint64(out[40:], shOff)
	binary.LittleEndian.PutUint16(out[52:], ehsize)
	binary.LittleEndian.PutUint16(out[58:], shentsize)
	binary.LittleEndian.PutUint16(out[60:], uint16(len(secs)+1))
	binary.LittleEndian.PutUint16(out[62:], 4) // .shstrtab
	return out
}

// Pclntab builds a Go 1.20 pclntab header for a 64-bit binary with
// nfunc functions whose functab sits at pclnOffset: a seed for GoELF.
func Pclntab(nfunc int, pclnOffset uint64) []byte {
	b := make([]byte, 72+int(nfunc)*8+4+int(nfunc)*44+256)
	binary.LittleEndian.PutUint32(b, 0xfffffff1)
	b[6], b[7] = 1, 8
	words := []uint64{uint64(nfunc), 1, 0, 72, 80, 84, 96, pclnOffset}
	for i, w := range words {
		binary.LittleEndian.PutUint64(b[8+8*i:], w)
	}
	copy(b[72:], "main.main\x00")
	return b
}
