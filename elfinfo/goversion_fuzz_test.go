package elfinfo

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzBuildVersion feeds arbitrary data sections to the scan for
// runtime.buildVersion (a binary without build info and without symbols):
// nothing may panic, and what it returns is a Go version string no longer
// than maxVersionLen. The seed is a string header at the start of .data
// pointing at "go1.26.8" after it.
func FuzzBuildVersion(f *testing.F) {
	seed := make([]byte, 24)
	binary.LittleEndian.PutUint64(seed, 0x1010)
	binary.LittleEndian.PutUint64(seed[8:], 8)
	copy(seed[16:], "go1.26.8")
	f.Add(seed, true)
	f.Add(seed[:20], false)
	f.Fuzz(func(t *testing.T, data []byte, wide bool) {
		file := &File{Size: int64(len(data)), r: bytes.NewReader(data), Class: "32-bit", ByteOrder: "LSB",
			Sections: []Section{{Name: ".data", Kind: KindData, FileSize: int64(len(data)), VMSize: int64(len(data)), Addr: 0x1000}}}
		if wide {
			file.Class = "64-bit"
		}
		v := buildVersion(file)
		if v != "" && (!goVersion(v) || len(v) > maxVersionLen) {
			t.Errorf("buildVersion = %q, not a Go version", v)
		}
		if wide && bytes.Equal(data, seed) && v != "go1.26.8" {
			t.Errorf("buildVersion of the seed = %q, want go1.26.8", v)
		}
	})
}
