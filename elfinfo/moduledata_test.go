package elfinfo_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// TestNewerGoRelease: a binary that says it was built by a Go release
// newer than binscope's moduledata layouts (the running toolchain's build
// with its version rewritten to go1.99 wherever it is spelled) is read
// without the moduledata, with a note saying why, and never with a
// layout guessed at: its functions, their code and their packages are
// those of the same build read in full.
func TestNewerGoRelease(t *testing.T) {
	for _, v := range []testbuild.Variant{
		{Name: "cgo0", Env: []string{"CGO_ENABLED=0"}},
		{Name: "cgo0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}},
		// A PIE's header leaves the text start to the loader: without the
		// moduledata and the symbol table it is the text section's start,
		// which the Go linker makes runtime.text, and a note says so.
		{Name: "cgo0-pie-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-buildmode=pie", "-ldflags=-s -w"}},
	} {
		t.Run(v.Name, func(t *testing.T) {
			src := testbuild.Build(t, testbuild.Pomo(t), v)
			orig, err := elfinfo.Open(src)
			if err != nil {
				t.Fatal(err)
			}
			defer orig.Close()
			want, err := orig.FuncTable()
			if err != nil {
				t.Fatal(err)
			}
			if want.Moduledata == nil || len(want.Notes) > 0 {
				t.Fatalf("the build as it is: moduledata %v, notes %q; want the record and no notes", want.Moduledata, want.Notes)
			}
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			cur := orig.Go.Version[:strings.LastIndexByte(orig.Go.Version, '.')+1] // go1.26.
			if len(cur) != len("go1.26.") {
				t.Skipf("version %s: not of the go1.NN.x form this test rewrites", orig.Go.Version)
			}
			data = bytes.ReplaceAll(data, []byte(cur), []byte("go1.99."))
			path := filepath.Join(t.TempDir(), "newer")
			if err := os.WriteFile(path, data, 0o755); err != nil {
				t.Fatal(err)
			}
			f, err := elfinfo.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if !strings.HasPrefix(f.Go.Version, "go1.99.") {
				t.Fatalf("version %q after the rewrite", f.Go.Version)
			}
			got, err := f.FuncTable()
			if err != nil {
				t.Fatal(err)
			}
			if got.Moduledata != nil {
				t.Errorf("moduledata read with layout %s for a release binscope does not know", got.Moduledata.Layout)
			}
			if len(got.Notes) == 0 || !strings.Contains(got.Notes[0], "newer than binscope knows") {
				t.Errorf("notes %q; want one saying the release is newer than binscope knows", got.Notes)
			}
			if strings.Contains(v.Name, "pie") && (len(got.Notes) < 2 || !strings.Contains(got.Notes[1], "an estimate")) {
				t.Errorf("notes %q; want the second to say the text start is an estimate", got.Notes)
			}
			if len(got.Funcs) != len(want.Funcs) {
				t.Fatalf("%d functions, want %d", len(got.Funcs), len(want.Funcs))
			}
			for i := range want.Funcs {
				g, w := got.Funcs[i], want.Funcs[i]
				if g.Name != w.Name || g.Package != w.Package || g.Entry != w.Entry || g.End != w.End || g.Size != w.Size {
					t.Fatalf("function %d: %+v, want %+v", i, g, w)
				}
			}
		})
	}
}
