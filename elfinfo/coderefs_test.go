package elfinfo_test

import (
	"os"
	"runtime"
	"testing"

	"golang.org/x/arch/x86/x86asm"

	"github.com/binscope/binscope/elfinfo"
)

// TestCodeRefsAgreeWithX86asm holds the amd64 pattern scanner to a real
// disassembler: x86asm decodes every function of the go command from its
// entry, and the RIP-relative operands it finds that land in data must be
// the scanner's, and the scanner's its, but for a few in a thousand (the
// scanner does not know every opcode; data in code can look like an
// instruction).
func TestCodeRefsAgreeWithX86asm(t *testing.T) {
	if testing.Short() {
		t.Skip("disassembles the go command")
	}
	goBin := runtime.GOROOT() + "/bin/go"
	f, err := elfinfo.Open(goBin)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if f.Arch != "amd64" {
		t.Skipf("the go command is %s", f.Arch)
	}
	type ref struct{ from, to uint64 }
	scanned := map[ref]bool{}
	if !f.CodeRefs(func(from, to uint64) { scanned[ref{from, to}] = true }) {
		t.Fatal("CodeRefs read no amd64 code")
	}
	tab, err := f.FuncTable()
	if err != nil {
		t.Fatal(err)
	}
	var text elfinfo.Section
	for _, s := range f.Sections {
		if s.Name == ".text" {
			text = s
		}
	}
	raw, err := os.ReadFile(goBin)
	if err != nil {
		t.Fatal(err)
	}
	code := raw[text.Offset : text.Offset+text.FileSize]
	inData := func(a uint64) bool {
		for _, s := range f.Sections {
			switch s.Kind {
			case elfinfo.KindRodata, elfinfo.KindData, elfinfo.KindBSS, elfinfo.KindGoMetadata:
				if a >= s.Addr && a-s.Addr < uint64(s.VMSize) {
					return true
				}
			}
		}
		return false
	}
	// What x86asm decodes: by target, the instructions that name it.
	type span struct{ lo, hi uint64 }
	decoded := map[uint64][]span{}
	nDecoded := 0
	undecodable := map[uint64]bool{} // instruction starts x86asm cannot decode
	for _, fn := range tab.Funcs {
		end := fn.Entry + fn.Size
		if fn.Size == 0 {
			end = fn.End
		}
		for pc := fn.Entry; pc < end; {
			inst, err := x86asm.Decode(code[pc-text.Addr:end-text.Addr], 64)
			if err != nil || inst.Len == 0 {
				undecodable[pc] = true
				pc++
				continue
			}
			for _, a := range inst.Args {
				if m, ok := a.(x86asm.Mem); ok && m.Base == x86asm.RIP {
					to := uint64(int64(pc) + int64(inst.Len) + m.Disp)
					if inData(to) {
						decoded[to] = append(decoded[to], span{pc, pc + uint64(inst.Len)})
						nDecoded++
					}
				}
			}
			pc += uint64(inst.Len)
		}
	}
	found := func(r ref) bool {
		for _, s := range decoded[r.to] {
			if r.from >= s.lo && r.from < s.hi {
				return true
			}
		}
		return false
	}
	// A decoded reference is missed when no scanned one names its target
	// from inside it; a scanned one is extra when no decoded one matches
	// it, unless it is a VEX or EVEX instruction (AVX, AVX-512), which
	// x86asm does not decode.
	byTo := map[uint64][]uint64{}
	for r := range scanned {
		byTo[r.to] = append(byTo[r.to], r.from)
	}
	missed, extra, unknown := 0, 0, 0
	for to, spans := range decoded {
		for _, s := range spans {
			hit := false
			for _, from := range byTo[to] {
				hit = hit || from >= s.lo && from < s.hi
			}
			if !hit {
				missed++
				if missed < 10 {
					inst, _ := x86asm.Decode(code[s.lo-text.Addr:], 64)
					t.Logf("missed at %#x: %v % x", s.lo, inst, code[s.lo-text.Addr:s.hi-text.Addr])
				}
			}
		}
	}
	for r := range scanned {
		if found(r) {
			continue
		}
		if c := code[r.from-text.Addr]; c == 0xC4 || c == 0xC5 || c == 0x62 || undecodable[r.from] {
			unknown++
			continue
		}
		extra++
		if extra < 10 {
			t.Logf("extra at %#x -> %#x: % x", r.from, r.to, code[r.from-text.Addr:][:10])
		}
	}
	t.Logf("x86asm: %d references to data; scanner: %d; missed %d, extra %d, in code x86asm cannot decode %d", nDecoded, len(scanned), missed, extra, unknown)
	if nDecoded < 1000 {
		t.Fatalf("x86asm found only %d references", nDecoded)
	}
	if float64(missed) > 0.005*float64(nDecoded) || float64(extra) > 0.005*float64(nDecoded) {
		t.Errorf("scanner and x86asm disagree on more than 0.5%%: %d missed, %d extra of %d", missed, extra, nDecoded)
	}
}
