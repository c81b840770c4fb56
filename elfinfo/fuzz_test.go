package elfinfo_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// FuzzRead feeds arbitrary bytes to the reader and to the lazy readers
// behind it (symbols, pclntab). Nothing may panic, and a file that reads
// must describe only bytes it has.
//
// Seeds: the synthetic ELF in its variants, minimal Mach-O and PE headers,
// a universal binary of two minimal Mach-O headers (32- and 64-bit fat),
// the synthetic WebAssembly module and half of it, and, where gcc exists,
// a small real C program with truncations of it.
// Crashers found by `go test -fuzz=FuzzRead ./elfinfo` are kept in
// testdata/fuzz/FuzzRead and run as regression cases by plain go test.
func FuzzRead(f *testing.F) {
	for _, mod := range []func(*synthELF){
		func(*synthELF) {},
		func(s *synthELF) { s.dynamic, s.interp, s.needed = false, "", nil },
		func(s *synthELF) { s.etype, s.flags1 = 3, 0x08000000 },
		func(s *synthELF) { s.symtab = false },
		func(s *synthELF) { // static, with glibc's ABI note
			s.dynamic, s.interp, s.needed = false, "", nil
			s.notes = elfNote("GNU", 1, []byte{0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0})
		},
	} {
		s := defaultSynth()
		mod(&s)
		f.Add(s.bytes())
	}
	f.Add([]byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00\x00\x00"))
	f.Add(append([]byte("MZ"), make([]byte, 62)...))
	f.Add(smallFat(f, testbuild.FatMagic))
	f.Add(smallFat(f, testbuild.FatMagic64))
	w := synthWasm()
	f.Add(w)
	f.Add(w[:len(w)/2])
	if c := smallCProgram(f); c != nil {
		f.Add(c)
		for _, n := range []int{64, 512, len(c) / 2, len(c) - 1} {
			f.Add(c[:n])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error message")
			}
			return
		}
		for _, sl := range file.Slices {
			if u := sl.Universal; u == nil || u.Offset < 0 || sl.Size <= 0 || u.Offset+sl.Size > file.Size {
				t.Errorf("slice %s (%d bytes, %+v) is outside the %d-byte input", sl.Arch, sl.Size, u, file.Size)
			}
			checkFuzzed(t, sl)
		}
		checkFuzzed(t, file)
	})
}

// checkFuzzed checks what holds of every File that reads, a slice of a
// universal binary as much as a thin one, and calls its lazy readers.
func checkFuzzed(t *testing.T, file *elfinfo.File) {
	for _, s := range file.Sections {
		if s.FileSize < 0 || s.FileSize > 0 && (s.Offset < 0 || s.Offset+s.FileSize > file.Size) {
			t.Errorf("section %s (%d bytes at %d) is outside the %d-byte input", s.Name, s.FileSize, s.Offset, file.Size)
		}
	}
	if file.Summary == "" {
		t.Error("no summary")
	}
	file.Symbols()
	file.Funcs()
	file.FuncTable()
	if names, err := file.FuncNames(); err == nil {
		for i, n := range names {
			if n == "" || i > 0 && n <= names[i-1] {
				t.Errorf("FuncNames: %q at %d is empty, out of order or repeated", n, i)
				break
			}
		}
	}
	if g := file.StaticGlibc(); g != nil && (file.Interpreter != "" || file.Format != elfinfo.FormatELF) {
		t.Errorf("StaticGlibc = %+v for a %s file with interpreter %q", g, file.Format, file.Interpreter)
	}
	for _, e := range file.SymbolTableExtents() {
		if e.Offset < 0 || e.Size <= 0 || e.Offset+e.Size > file.Size {
			t.Errorf("symbol table extent %+v is outside the %d-byte input", e, file.Size)
		}
	}
	file.UnwindTable()
}

// smallCProgram compiles a tiny dynamically linked C program when gcc is
// there: a real ELF with PT_INTERP, DT_NEEDED, notes and a symbol table, a
// few kilobytes long, so the fuzzer mutates real structures quickly.
func smallCProgram(f *testing.F) []byte {
	if _, err := exec.LookPath("gcc"); err != nil {
		return nil
	}
	dir := f.TempDir()
	src := filepath.Join(dir, "hello.c")
	out := filepath.Join(dir, "hello")
	if err := os.WriteFile(src, []byte("#include <stdio.h>\nint main(void){puts(\"hi\");return 0;}\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	if err := exec.Command("gcc", "-O1", "-o", out, src).Run(); err != nil {
		return nil
	}
	data, err := os.ReadFile(out)
	if err != nil {
		f.Fatal(err)
	}
	return data
}
