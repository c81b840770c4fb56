package elfinfo_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/binscope/binscope/elfinfo"
)

// TestStaticGlibcNeedsTheABINote: only a static executable with glibc's
// GNU ABI note for Linux is one with glibc linked in; a dynamic one, or
// one without the note (the Go linker's, musl's), is not.
func TestStaticGlibcNeedsTheABINote(t *testing.T) {
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	abi := elfNote("GNU", 1, append(append(append(u32(0), u32(3)...), u32(2)...), u32(0)...)) // Linux 3.2.0
	hurd := elfNote("GNU", 1, append(append(append(u32(1), u32(0)...), u32(5)...), u32(0)...))
	tests := []struct {
		name   string
		synth  func(*synthELF)
		static bool
	}{
		{"static with the note", func(s *synthELF) { s.dynamic, s.interp, s.needed, s.notes = false, "", nil, abi }, true},
		{"static without it", func(s *synthELF) { s.dynamic, s.interp, s.needed = false, "", nil }, false},
		{"static, a Hurd note", func(s *synthELF) { s.dynamic, s.interp, s.needed, s.notes = false, "", nil, hurd }, false},
		{"dynamic with the note", func(s *synthELF) { s.notes = abi }, false},
	}
	for _, tc := range tests {
		s := defaultSynth()
		tc.synth(&s)
		data := s.bytes()
		f, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		g := f.StaticGlibc()
		if (g != nil) != tc.static {
			t.Errorf("%s: StaticGlibc = %+v, want static glibc %v", tc.name, g, tc.static)
		}
		if g != nil && g.Version != "" {
			t.Errorf("%s: version %q from a file with no version string", tc.name, g.Version)
		}
	}
}
