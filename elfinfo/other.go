package elfinfo

import (
	"bytes"
	"io"
)

// notBinaries are formats of files people mistake for binaries, by
// their first bytes, so that the error on one says what it is.
var notBinaries = []struct {
	magic string
	what  string
}{
	// go build -buildmode=c-archive writes an ar archive of objects.
	{"!<arch>\n", "ar archive: a static library of object files (as go build -buildmode=c-archive makes), not an executable or shared object (-buildmode=c-shared)"},
	{"!<thin>\n", "ar archive (thin): a static library, not an executable or shared object"},
}

// notBinary names the format of r when it is one of notBinaries, or "".
func notBinary(r io.ReaderAt) string {
	var buf [8]byte
	n, _ := r.ReadAt(buf[:], 0)
	for _, nb := range notBinaries {
		if bytes.HasPrefix(buf[:n], []byte(nb.magic)) {
			return nb.what
		}
	}
	return ""
}
