package elfinfo_test

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

func TestSynthVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		synth func(*synthELF)
		want  verdict
		// summary is the tail of file(1)'s line after "x86-64, version 1 (SYSV)".
		summary string
	}{
		{"dynamic", func(s *synthELF) {},
			verdict{"elf", "executable", "dynamic", "/lib64/ld-linux-x86-64.so.2", false, false},
			", dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, not stripped"},
		{"static", func(s *synthELF) { s.dynamic, s.interp, s.needed = false, "", nil },
			verdict{"elf", "executable", "static", "", false, false},
			", statically linked, not stripped"},
		{"stripped", func(s *synthELF) { s.dynamic, s.interp, s.needed, s.symtab = false, "", nil, false },
			verdict{"elf", "executable", "static", "", true, false},
			", statically linked, stripped"},
		{"static-pie", func(s *synthELF) { s.etype, s.interp, s.needed, s.flags1 = elf.ET_DYN, "", nil, 0x08000000 },
			verdict{"elf", "pie executable", "static-pie", "", false, false},
			", static-pie linked, not stripped"},
		{"pie", func(s *synthELF) { s.etype, s.flags1 = elf.ET_DYN, 0x08000000 },
			verdict{"elf", "pie executable", "dynamic", "/lib64/ld-linux-x86-64.so.2", false, false},
			", dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, not stripped"},
		// DT_FLAGS_1 without DF_1_PIE makes a shared object, and with no
		// DT_NEEDED and no PT_INTERP file calls it static-pie all the same.
		{"shared object", func(s *synthELF) { s.etype, s.interp, s.needed, s.flags1 = elf.ET_DYN, "", nil, 0x1 },
			verdict{"elf", "shared object", "static-pie", "", false, false},
			", static-pie linked, not stripped"},
		// No DT_FLAGS_1: a PT_DYNAMIC clears the execute bit file judges by.
		{"dyn without flags", func(s *synthELF) { s.etype = elf.ET_DYN },
			verdict{"elf", "shared object", "dynamic", "/lib64/ld-linux-x86-64.so.2", false, false},
			", dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, not stripped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := defaultSynth()
			tc.synth(&s)
			data := s.bytes()
			f, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			got := verdict{string(f.Format), f.Type, f.Linkage, f.Interpreter, f.Stripped, f.DebugInfo}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
			wantSummary := "ELF 64-bit LSB " + tc.want.Type + ", x86-64, version 1 (SYSV)" + tc.summary
			if f.Summary != wantSummary {
				t.Errorf("summary\n got: %s\nwant: %s", f.Summary, wantSummary)
			}
			if len(s.needed) > 0 && s.dynamic {
				if diff := cmp.Diff(s.needed, f.Needed); diff != "" {
					t.Errorf("needed (-want +got):\n%s", diff)
				}
			}
			if s.symtab {
				syms, err := f.Symbols()
				if err != nil || len(syms) != 1 || syms[0].Name != "main" {
					t.Errorf("Symbols() = %v, %v; want the one symbol main", syms, err)
				}
			}
		})
	}
}

// TestSynthNeededWithoutSections checks that needed libraries come from
// the PT_DYNAMIC segment, not from the section headers: a binary whose
// section header table is gone still lists them.
func TestSynthNeededWithoutSections(t *testing.T) {
	data := defaultSynth().bytes()
	binary.LittleEndian.PutUint64(data[40:], 0) // e_shoff
	binary.LittleEndian.PutUint16(data[60:], 0) // e_shnum
	binary.LittleEndian.PutUint16(data[62:], 0) // e_shstrndx
	f, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"libc.so.6"}, f.Needed); diff != "" {
		t.Errorf("needed (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(f.Summary, ", no section header") {
		t.Errorf("summary = %q, want file's \", no section header\" ending", f.Summary)
	}
}

// TestBadInput feeds the reader every kind of broken file. Each must give
// an error that says what is wrong, never a panic, and must not allocate
// more than a small multiple of the input, whatever the headers claim.
func TestBadInput(t *testing.T) {
	good := defaultSynth().bytes()
	mutate := func(fn func([]byte)) []byte {
		b := bytes.Clone(good)
		fn(b)
		return b
	}
	le, be := binary.LittleEndian, binary.BigEndian
	for _, tc := range []struct {
		name    string
		data    []byte
		wantErr string
		is      error
	}{
		{"empty", nil, "empty file", nil},
		{"short", []byte("\x7fEL"), "too short", elfinfo.ErrUnrecognizedFormat},
		{"text", []byte("#!/bin/sh\necho hi\n"), `text "#!/bin/sh"`, elfinfo.ErrUnrecognizedFormat},
		{"zeros", make([]byte, 4096), "bytes 00 00", elfinfo.ErrUnrecognizedFormat},
		{"elf header only", good[:40], "", elfinfo.ErrMalformed},
		{"truncated section headers", good[:synthShoff+100], "", elfinfo.ErrMalformed},
		{"absurd section count", mutate(func(b []byte) { le.PutUint16(b[60:], 0xfff0) }), "", elfinfo.ErrMalformed},
		{"absurd section offset", mutate(func(b []byte) { le.PutUint64(b[40:], 1<<62) }), "", elfinfo.ErrMalformed},
		{"absurd section size", mutate(func(b []byte) { le.PutUint64(b[synthShoff+64*5+32:], 1<<60) }), "extends past the end", elfinfo.ErrMalformed},
		{"absurd dynamic size", mutate(func(b []byte) { le.PutUint64(b[synthPhoff+56*2+32:], 1<<60) }), "dynamic segment", elfinfo.ErrMalformed},
		{"needed name past strtab", mutate(func(b []byte) { le.PutUint64(b[synthDynamic+8:], 1<<40) }), "DT_NEEDED", elfinfo.ErrMalformed},
		{"strtab in no segment", mutate(func(b []byte) { le.PutUint64(b[synthDynamic+24:], 0x10) }), "DT_STRTAB", elfinfo.ErrMalformed},
		{"bad class", mutate(func(b []byte) { b[4] = 9 }), "", elfinfo.ErrMalformed},
		{"macho header only", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00\xff\xff\x00\x00"), "", elfinfo.ErrMalformed},
		{"mz without pe", append([]byte("MZ"), make([]byte, 200)...), "", elfinfo.ErrMalformed},
		{"macho absurd load commands", machoHeader(0xffffffff, 0x7fffffff), "", elfinfo.ErrMalformed},
		{"pe absurd section count", peHeader(0xffff, 0), "", elfinfo.ErrMalformed},
		{"pe absurd symbol count", peHeader(1, 0x7fffffff), "", elfinfo.ErrMalformed},
		{"pe without optional header", func() []byte { b := peHeader(1, 0); le.PutUint16(b[0x84+16:], 0); return b }(), "no optional header", elfinfo.ErrMalformed},
		{"macho truncated symbol table", machoSymtab(0x1000, 100), "symbol table (1600 bytes at offset 4096) extends past the end of the 256-byte file", elfinfo.ErrMalformed},
		{"fat truncated header", smallFat(t, testbuild.FatMagic)[:20], "fat header claims 2 architectures (48 bytes), more than the 20-byte file holds", elfinfo.ErrMalformed},
		{"fat absurd nfat_arch", badFat(t, testbuild.FatMagic, func(b []byte) []byte { be.PutUint32(b[4:], 19); return b[:64] }), "claims 19 architectures", elfinfo.ErrMalformed},
		{"fat count of a java class", badFat(t, testbuild.FatMagic, func(b []byte) []byte { be.PutUint32(b[4:], 0x34); return b }), "compiled Java class data, version 52.0", elfinfo.ErrUnrecognizedFormat},
		{"fat count zero", badFat(t, testbuild.FatMagic, func(b []byte) []byte { be.PutUint32(b[4:], 0); return b }), "claiming 0 architectures", elfinfo.ErrUnrecognizedFormat},
		{"fat slice past the end", badFat(t, testbuild.FatMagic, func(b []byte) []byte { be.PutUint32(b[8+20+12:], 1<<30); return b }), "slice 1 (1073741824 bytes at offset", elfinfo.ErrMalformed},
		{"fat truncated slice", badFat(t, testbuild.FatMagic, func(b []byte) []byte { return b[:len(b)-100] }), "extends past the end", elfinfo.ErrMalformed},
		{"fat overlapping slices", badFat(t, testbuild.FatMagic, func(b []byte) []byte { copy(b[8+20+8:], b[8+8:8+12]); return b }), "overlap", elfinfo.ErrMalformed},
		{"fat slice over the header", badFat(t, testbuild.FatMagic, func(b []byte) []byte { be.PutUint32(b[8+8:], 8); return b }), "overlaps the 48-byte fat header", elfinfo.ErrMalformed},
		{"fat slice not mach-o", badFat(t, testbuild.FatMagic, func(b []byte) []byte { copy(b[be.Uint32(b[8+20+8:]):], "\x7fELF"); return b }), "slice 1 (x86_64 at offset", elfinfo.ErrMalformed},
		{"fat in fat", badFat(t, testbuild.FatMagic, func(b []byte) []byte { copy(b[be.Uint32(b[8+8:]):], b[:48]); return b }), "not a Mach-O file: starts with bytes ca fe ba be", elfinfo.ErrMalformed},
		{"fat64 absurd offset", badFat(t, testbuild.FatMagic64, func(b []byte) []byte { be.PutUint64(b[8+32+8:], 1<<62); return b }), "extends past the end", elfinfo.ErrMalformed},
		{"fat slice absurd load commands", badFat(t, testbuild.FatMagic, func(b []byte) []byte {
			le.PutUint32(b[be.Uint32(b[8+8:])+20:], 0x7fffffff)
			return b
		}), "load commands claim", elfinfo.ErrMalformed},
		{"ar archive", []byte("!<arch>\n/               0           0     0     0       4         `\n"), "ar archive", elfinfo.ErrUnrecognizedFormat},
		{"wasm truncated header", []byte("\x00asm\x01\x00"), "WebAssembly: truncated header: 6 bytes", elfinfo.ErrMalformed},
		{"wasm component", wasmModule(0x1000d), "version 0x1000d is not a core module", elfinfo.ErrMalformed},
		{"wasm section past the end", append(wasmModule(1), 1, 0x80, 0x80, 0x80, 0x04, 0x60), "section 1 (8388608 bytes at offset 13) extends past the end of the 14-byte file", elfinfo.ErrMalformed},
		{"wasm truncated section header", append(wasmModule(1), 1, 0x80, 0x80), "truncated section header at offset 8", elfinfo.ErrMalformed},
		{"wasm unknown section", wasmModule(1, []byte{0x7f, 0}), "unknown section id 127", elfinfo.ErrMalformed},
		{"wasm custom section without a name", wasmModule(1, []byte{0}), "custom section at offset 8 has no name", elfinfo.ErrMalformed},
		{"wasm absurd import count", wasmModule(1, []byte{2, 0xff, 0xff, 0xff, 0xff, 0x0f}), "import section: import section claims 4294967295 entries", elfinfo.ErrMalformed},
		{"wasm absurd segment count", wasmModule(1, []byte{11, 0x80, 0x80, 0x80, 0x80, 0x01}), "data section claims 268435456 entries", elfinfo.ErrMalformed},
		{"wasm segment past its section", wasmModule(1, []byte{11, 1, 0, 0x41, 0, 0x0b, 0x7f, 1}), "127 bytes at byte 6 run past the end of the section", elfinfo.ErrMalformed},
		{"wasm import name past its section", wasmModule(1, []byte{2, 1, 0x7f, 0, 0, 0}), "import section: 127 bytes at byte 2 run past the end of the section", elfinfo.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			f, err := elfinfo.Read(bytes.NewReader(tc.data), int64(len(tc.data)))
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("Read succeeded: %s", f.Summary)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not mention %q", err, tc.wantErr)
			}
			// A generous bound: the parsers may copy the input a few
			// times, but never allocate what the headers merely claim.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20+8*uint64(len(tc.data)) {
				t.Errorf("reading %d bytes allocated %d bytes", len(tc.data), alloc)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing"), "open " + filepath.Join(dir, "missing") + ": no such file or directory"},
		{dir, "open " + dir + ": is a directory"},
		{empty, "open " + empty + ": empty file"},
	} {
		_, err := elfinfo.Open(tc.path)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Open(%s) = %v, want %q", tc.path, err, tc.want)
		}
	}
}

// machoHeader is a 64-bit Mach-O executable header claiming ncmds load
// commands of sizeofcmds bytes, followed by a little padding.
func machoHeader(ncmds, sizeofcmds uint32) []byte {
	b := make([]byte, 256)
	le := binary.LittleEndian
	le.PutUint32(b[0:], 0xfeedfacf)
	le.PutUint32(b[4:], 0x01000007)
	le.PutUint32(b[12:], 2)
	le.PutUint32(b[16:], ncmds)
	le.PutUint32(b[20:], sizeofcmds)
	return b
}

// machoSymtab is a 64-bit Mach-O header with one LC_SYMTAB command that
// puts nsyms symbols at symoff, as a truncated file would have it.
func machoSymtab(symoff, nsyms uint32) []byte {
	b := machoHeader(1, 24)
	le := binary.LittleEndian
	c := b[32:]
	le.PutUint32(c[0:], 0x2) // LC_SYMTAB
	le.PutUint32(c[4:], 24)
	le.PutUint32(c[8:], symoff)
	le.PutUint32(c[12:], nsyms)
	le.PutUint32(c[16:], 64)
	le.PutUint32(c[20:], 1)
	return b
}

// peHeader is an MZ stub and a PE32+ file header claiming nsect sections
// and nsyms COFF symbols, with an optional header and nothing else.
func peHeader(nsect uint16, nsyms uint32) []byte {
	b := make([]byte, 512)
	le := binary.LittleEndian
	copy(b, "MZ")
	le.PutUint32(b[0x3c:], 0x80)
	copy(b[0x80:], "PE\x00\x00")
	fh := b[0x84:]
	le.PutUint16(fh[0:], 0x8664)
	le.PutUint16(fh[2:], nsect)
	le.PutUint32(fh[8:], 0x100)
	le.PutUint32(fh[12:], nsyms)
	le.PutUint16(fh[16:], 240)
	le.PutUint16(fh[18:], 0x22)
	le.PutUint16(b[0x98:], 0x20b)
	return b
}

// TestSummaryAsFileSays checks file(1)'s own words for cases the builds
// of testdata/pomo never show: machines and e_flags, notes file counts
// and complains about, the special mode bits, and a dynamic segment read
// past DT_NULL. Where file 5.44 is installed, it is asked too.
func TestSummaryAsFileSays(t *testing.T) {
	const tail = ", dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, not stripped"
	le := binary.LittleEndian
	u32 := func(v uint32) []byte { return le.AppendUint32(nil, v) }
	repeat := func(n int, note []byte) []byte { return bytes.Repeat(note, n) }
	var fileCmd string
	if p, err := exec.LookPath("file"); err == nil && isFile544(p) {
		fileCmd = p
	}
	for _, tc := range []struct {
		name  string
		synth func(*synthELF)
		mut   func([]byte)
		mode  os.FileMode
		want  string
	}{
		{name: "mips64 ISA without a comma", synth: func(s *synthELF) { s.machine, s.eflags = elf.EM_MIPS, 0x20000000 },
			want: "ELF 64-bit LSB executable, MIPS, MIPS-III version 1 (SYSV)" + tail},
		{name: "sparcv9 memory model", synth: func(s *synthELF) { s.machine, s.eflags = elf.EM_SPARCV9, 2 },
			want: "ELF 64-bit LSB executable, SPARC V9, relaxed memory ordering, version 1 (SYSV)" + tail},
		{name: "riscv64 flags", synth: func(s *synthELF) { s.machine, s.eflags = elf.EM_RISCV, 5 },
			want: "ELF 64-bit LSB executable, UCB RISC-V, RVC, double-float ABI, version 1 (SYSV)" + tail},
		{name: "alpha by name", synth: func(s *synthELF) { s.machine = 41 },
			want: "ELF 64-bit LSB executable, Alpha, version 1 (SYSV)" + tail},
		{name: "unknown machine", synth: func(s *synthELF) { s.machine = 0x1234 },
			want: "ELF 64-bit LSB executable, *unknown arch 0x1234* version 1 (SYSV)" + tail},
		{name: "unknown type", synth: func(s *synthELF) { s.etype = 5 },
			want: "ELF 64-bit LSB x86-64, version 1 (SYSV)"},
		{name: "processor-specific type", synth: func(s *synthELF) { s.etype = 0xff42 },
			want: "ELF 64-bit LSB processor-specific, x86-64, version 1 (SYSV)"},
		{name: "too many notes", synth: func(s *synthELF) { s.notes = repeat(300, elfNote("X", 1, nil)) },
			want: "ELF 64-bit LSB executable, x86-64, version 1 (SYSV)" + tail + ", too many notes (256)"},
		{name: "256 notes are too many", synth: func(s *synthELF) { s.notes = repeat(256, elfNote("X", 1, nil)) },
			want: "ELF 64-bit LSB executable, x86-64, version 1 (SYSV)" + tail + ", too many notes (256)"},
		{name: "255 notes are not", synth: func(s *synthELF) { s.notes = repeat(255, elfNote("X", 1, nil)) },
			want: "ELF 64-bit LSB executable, x86-64, version 1 (SYSV)" + tail},
		{name: "FreeBSD notes", synth: func(s *synthELF) {
			s.notes = append(elfNote("FreeBSD", 1, u32(1203000)), elfNote("FreeBSD", 4, u32(0))...)
		}, want: "ELF 64-bit LSB executable, x86-64, version 1 (SYSV), dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, for FreeBSD 12.3, FreeBSD-style, not stripped"},
		{name: "NetBSD notes", synth: func(s *synthELF) {
			s.notes = append(append(elfNote("NetBSD", 5, []byte("earmv7hf\x00")), elfNote("PaX", 3, u32(0x14))...), elfNote("NetBSD", 9, nil)...)
		}, want: "ELF 64-bit LSB executable, x86-64, version 1 (SYSV), dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, compiled for: earmv7hf, PaX: +segvguard,+ASLR, note=9, not stripped"},
		{name: "SuSE note", synth: func(s *synthELF) { s.notes = elfNote("SuSE", 1, []byte{9, 1}) },
			want: "ELF 64-bit LSB executable, x86-64, version 1 (SYSV), dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, for SuSE 9.1, not stripped"},
		{name: "bad note name size", synth: func(s *synthELF) {
			s.notes = append(append(u32(0x80000001), u32(0)...), u32(1)...)
		}, want: "ELF 64-bit LSB executable, x86-64, version 1 (SYSV), dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, bad note name size 0x80000001, not stripped"},
		{name: "interpreter escaped", synth: func(s *synthELF) { s.interp = "/lib/ld\x01\xe9.so" },
			want: `ELF 64-bit LSB executable, x86-64, version 1 (SYSV), dynamically linked, interpreter /lib/ld\001\351.so, not stripped`},
		{name: "setuid setgid", mode: 0o755 | os.ModeSetuid | os.ModeSetgid,
			want: "setuid, setgid ELF 64-bit LSB executable, x86-64, version 1 (SYSV)" + tail},
		{name: "sticky", mode: 0o755 | os.ModeSticky,
			want: "sticky ELF 64-bit LSB executable, x86-64, version 1 (SYSV)" + tail},
		// file counts a DT_NEEDED that follows DT_NULL in its window.
		{name: "needed after DT_NULL", synth: func(s *synthELF) { s.etype, s.interp, s.needed, s.flags1 = elf.ET_DYN, "", nil, 0x08000000 },
			mut: func(b []byte) {
				le.PutUint64(b[synthDynamic+64:], uint64(elf.DT_NEEDED))
				le.PutUint64(b[synthPhoff+56*2+32:], 80)
			},
			want: "ELF 64-bit LSB pie executable, x86-64, version 1 (SYSV), dynamically linked, not stripped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := defaultSynth()
			if tc.synth != nil {
				tc.synth(&s)
			}
			data := s.bytes()
			if tc.mut != nil {
				tc.mut(data)
			}
			path := filepath.Join(t.TempDir(), "x")
			if err := os.WriteFile(path, data, 0o755); err != nil {
				t.Fatal(err)
			}
			if tc.mode != 0 {
				if err := os.Chmod(path, tc.mode); err != nil {
					t.Fatal(err)
				}
			}
			f, err := elfinfo.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Summary != tc.want {
				t.Errorf("summary\n got: %s\nwant: %s", f.Summary, tc.want)
			}
			if fileCmd == "" {
				return
			}
			out, err := exec.Command(fileCmd, "-b", path).Output()
			if err != nil {
				t.Fatalf("file -b: %v", err)
			}
			if line := strings.TrimSpace(string(out)); line != f.Summary {
				t.Errorf("summary differs from file -b\nfile:     %s\nbinscope: %s", line, f.Summary)
			}
		})
	}
}

// TestManyNoteSections: thousands of note sections, each spanning the
// whole file, are read within a bound of the file's size, not once each.
func TestManyNoteSections(t *testing.T) {
	data := defaultSynth().bytes()
	le := binary.LittleEndian
	const extra = 4000
	size := len(data) + (synthShnum+extra)*64
	table := bytes.Clone(data[synthShoff : synthShoff+synthShnum*64])
	for range extra {
		sh := make([]byte, 64)
		le.PutUint32(sh[4:], uint32(elf.SHT_NOTE))
		le.PutUint64(sh[32:], uint64(size)) // offset 0, the whole file
		table = append(table, sh...)
	}
	le.PutUint64(data[40:], uint64(len(data)))
	le.PutUint16(data[60:], synthShnum+extra)
	data = append(data, table...)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	// debug/elf's 4000 sections cost some; 4000 reads of the file would
	// cost a gigabyte.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32*uint64(len(data)) {
		t.Errorf("reading %d bytes allocated %d bytes", len(data), alloc)
	}
	if !strings.HasSuffix(f.Summary, ", too many notes (256)") {
		t.Errorf("summary = %q, want file's too many notes", f.Summary)
	}
}
