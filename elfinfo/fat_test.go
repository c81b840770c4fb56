package elfinfo_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestUniversal joins darwin/amd64 and darwin/arm64 builds of
// testdata/pomo into a universal binary, as lipo does, and checks that
// its summary is file(1)'s and that each slice has the facts of the thin
// binary opened alone. The 64-bit fat header (0xcafebabf) is read alike.
func TestUniversal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds testdata/pomo for darwin/amd64 and darwin/arm64")
	}
	path, thin := testbuild.Universal(t, testbuild.Pomo(t), "pomo-universal")
	var thinData [][]byte
	for _, p := range thin {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		thinData = append(thinData, data)
	}
	fat64, err := testbuild.Fat(testbuild.FatMagic64, thinData...)
	if err != nil {
		t.Fatal(err)
	}
	path64 := filepath.Join(t.TempDir(), "pomo-universal64")
	if err := os.WriteFile(path64, fat64, 0o755); err != nil {
		t.Fatal(err)
	}
	fileCmd, _ := exec.LookPath("file")
	for _, p := range []string{path, path64} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			f, err := elfinfo.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if !f.IsUniversal() || f.Format != elfinfo.FormatMachO || f.Size != st.Size() || f.Go != nil || len(f.Sections) != 0 {
				t.Errorf("universal file: universal %v, format %s, size %d of %d, go %v, %d sections", f.IsUniversal(), f.Format, f.Size, st.Size(), f.Go, len(f.Sections))
			}
			if want := "Mach-O universal binary with 2 architectures: [x86_64:"; !strings.HasPrefix(f.Summary, want) {
				t.Errorf("summary = %q, want it to start %q", f.Summary, want)
			}
			// file 5.44 knows no 0xcafebabf ("data").
			if fileCmd != "" && isFile544(fileCmd) && p == path {
				out, err := exec.Command(fileCmd, "-b", p).Output()
				if err != nil {
					t.Fatalf("file -b: %v", err)
				}
				if line := strings.TrimSpace(string(out)); line != f.Summary {
					t.Errorf("summary differs from file -b\nfile:     %s\nbinscope: %s", line, f.Summary)
				}
			}
			var end int64
			for i, s := range f.Slices {
				alone, err := elfinfo.Open(thin[i])
				if err != nil {
					t.Fatal(err)
				}
				defer alone.Close()
				u := s.Universal
				if u == nil || u.Arch != alone.Arch || u.UniversalSize != f.Size || u.Offset%u.Align != 0 || u.Offset < end {
					t.Errorf("slice %d: universal %+v, after %d", i, u, end)
					continue
				}
				end = u.Offset + s.Size
				if diff := cmp.Diff(alone, s, cmpopts.IgnoreUnexported(elfinfo.File{}), cmpopts.IgnoreFields(elfinfo.File{}, "Path", "Universal")); diff != "" {
					t.Errorf("slice %s differs from the thin binary alone (-thin +slice):\n%s", s.Arch, diff)
				}
				checkInvariants(t, s)
				wantFuncs, _ := alone.Funcs()
				gotFuncs, err := s.Funcs()
				if err != nil || len(gotFuncs) != len(wantFuncs) {
					t.Errorf("slice %s: %d functions (%v), alone %d", s.Arch, len(gotFuncs), err, len(wantFuncs))
				}
				got, err := f.Slice(s.Arch)
				if err != nil || got != s {
					t.Errorf("Slice(%s) = %v, %v", s.Arch, got, err)
				}
			}
			if end > f.Size {
				t.Errorf("slices end at %d, past the file's %d bytes", end, f.Size)
			}
			if _, err := f.Slice("riscv64"); !errors.Is(err, elfinfo.ErrNoSlice) || !strings.Contains(err.Error(), "amd64, arm64") {
				t.Errorf("Slice(riscv64) error = %v, want ErrNoSlice naming amd64, arm64", err)
			}
			if got := f.DefaultSlice("arm64"); got != f.Slices[1] {
				t.Errorf("DefaultSlice(arm64) = %s", got.Arch)
			}
			if got := f.DefaultSlice("s390x"); got != f.Slices[0] {
				t.Errorf("DefaultSlice(s390x) = %s, want the first slice", got.Arch)
			}
		})
	}
}

// smallFat is a universal binary of two minimal Mach-O headers, for the
// bad-input tests and the fuzzer.
func smallFat(t testing.TB, magic uint32) []byte {
	thin := machoHeader(0, 0)
	thin[8] = 3 // CPU_SUBTYPE_X86_64_ALL
	b, err := testbuild.Fat(magic, thin, thin)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFatSummary: file(1)'s words for universal binaries of minimal
// Mach-O headers: one slice, several, a slice past the 7 MiB file reads
// (CPU name only), more than the six its magic describes. Where file 5.44
// is installed, it is asked too.
func TestFatSummary(t *testing.T) {
	thin := machoHeader(0, 0)
	thin[8] = 3 // CPU_SUBTYPE_X86_64_ALL
	padded := append(bytes.Clone(thin), make([]byte, 7<<20-4096-len(thin))...)
	const exe = `x86_64:\012- Mach-O 64-bit x86_64 executable`
	for _, tc := range []struct {
		name   string
		slices [][]byte
		want   string
	}{
		{"one", [][]byte{thin}, "Mach-O universal binary with 1 architecture: [" + exe + "]"},
		{"two", [][]byte{thin, thin}, "Mach-O universal binary with 2 architectures: [" + exe + `] [\012- ` + exe + "]"},
		{"past 7 MiB", [][]byte{padded, thin}, "Mach-O universal binary with 2 architectures: [" + exe + `] [\012- x86_64]`},
		{"eight", [][]byte{thin, thin, thin, thin, thin, thin, thin, thin},
			"Mach-O universal binary with 8 architectures: [" + exe + "]" + strings.Repeat(` [\012- `+exe+"]", 5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := testbuild.Fat(testbuild.FatMagic, tc.slices...)
			if err != nil {
				t.Fatal(err)
			}
			f, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if f.Summary != tc.want {
				t.Errorf("summary\n got: %s\nwant: %s", f.Summary, tc.want)
			}
			if len(f.Slices) != len(tc.slices) {
				t.Errorf("%d slices, want %d", len(f.Slices), len(tc.slices))
			}
			p, err := exec.LookPath("file")
			if err != nil || !isFile544(p) {
				return
			}
			path := filepath.Join(t.TempDir(), "fat")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(p, "-b", path).Output()
			if err != nil {
				t.Fatal(err)
			}
			if line := strings.TrimSpace(string(out)); line != f.Summary {
				t.Errorf("summary differs from file -b\nfile:     %s\nbinscope: %s", line, f.Summary)
			}
		})
	}
}

// badFat returns the small universal binary with fn applied.
func badFat(t testing.TB, magic uint32, fn func([]byte) []byte) []byte {
	return fn(smallFat(t, magic))
}

// TestFatEveryCut reads every prefix of a small universal binary, and the
// binary with each byte of its fat header set to each value: none may
// panic (Read turns a panic into ErrMalformed, which this refuses too),
// each failure says something, and a file that reads has slices inside
// it. The fuzzer (FuzzRead) explores further from the same seed.
func TestFatEveryCut(t *testing.T) {
	for _, magic := range []uint32{testbuild.FatMagic, testbuild.FatMagic64} {
		good := smallFat(t, magic)
		var inputs [][]byte
		for n := 0; n <= len(good); n++ {
			inputs = append(inputs, good[:n])
		}
		hdr := 8 + 2*20
		if magic == testbuild.FatMagic64 {
			hdr = 8 + 2*32
		}
		for i := 0; i < hdr; i++ {
			for v := 0; v < 256; v++ {
				b := bytes.Clone(good)
				b[i] = byte(v)
				inputs = append(inputs, b)
			}
		}
		for _, data := range inputs {
			f, err := elfinfo.Read(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				if err.Error() == "" || strings.Contains(err.Error(), "runtime error") {
					t.Errorf("%d-byte input: error %q", len(data), err)
				}
				continue
			}
			for _, s := range f.Slices {
				if u := s.Universal; u == nil || u.Offset < 0 || u.Offset+s.Size > f.Size {
					t.Errorf("%d-byte input: slice %+v of %d bytes is outside it", len(data), s.Universal, s.Size)
				}
			}
		}
	}
}
