package testbuild

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Patch copies the binary at src into the test's temporary folder as
// name, with the bytes at off replaced by b: a corrupted copy whose
// damage the test chose.
func Patch(t testing.TB, src, name string, off int64, b []byte) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 || off+int64(len(b)) > int64(len(data)) {
		t.Fatalf("patch %s: %d bytes at %d are outside the %d-byte file", src, len(b), off, len(data))
	}
	copy(data[off:], b)
	out := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(out, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// buildInfoMagic starts the Go build info blob (debug/buildinfo).
var buildInfoMagic = []byte("\xff Go buildinf:")

// WithoutBuildInfo copies the Go binary at src with the magic of its build
// info blob zeroed, which is what `go version` and debug/buildinfo look
// for: the copy has no build info, as if a release pipeline had removed
// it, and is otherwise the same file, in every format.
func WithoutBuildInfo(t testing.TB, src, name string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, buildInfoMagic)
	if i < 0 {
		t.Fatalf("%s has no Go build info to remove", src)
	}
	return Patch(t, src, name, int64(i), make([]byte, len(buildInfoMagic)))
}
