package analyze_test

import (
	"errors"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// TestSizeUniversal: each slice of a universal binary is attributed as
// the thin binary alone is, its rows summing to the slice's size, and
// the report says which slice of which whole it is; the universal file
// as a whole is refused, naming its slices.
func TestSizeUniversal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds testdata/pomo for darwin/amd64 and darwin/arm64")
	}
	path, thin := testbuild.Universal(t, testbuild.Pomo(t), "pomo-universal")
	f, err := elfinfo.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := analyze.Size(f); !errors.Is(err, analyze.ErrUniversal) {
		t.Errorf("Size of the universal file: %v, want ErrUniversal", err)
	}
	if len(f.Slices) != len(thin) {
		t.Fatalf("%d slices, built %d", len(f.Slices), len(thin))
	}
	b := analyze.NewBinary(f)
	if len(b.Slices) != len(f.Slices) || b.Size != f.Size || b.Summary != f.Summary || b.ContainerNote == "" {
		t.Errorf("inspect facts: %d slices, size %d, summary %q, container note %q", len(b.Slices), b.Size, b.Summary, b.ContainerNote)
	}
	for i, s := range b.Slices {
		if s.Universal == nil || s.Arch != f.Slices[i].Arch || s.Go == nil || len(s.Sections) != len(f.Slices[i].Sections) {
			t.Errorf("inspect facts of slice %d: %+v", i, s)
		}
	}
	for i, s := range f.Slices {
		t.Run(s.Arch, func(t *testing.T) {
			r, err := analyze.Size(s)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, r)
			if r.Size != s.Size || r.Universal == nil || r.Universal.Arch != s.Arch || r.Universal.UniversalSize != f.Size {
				t.Errorf("report of %d bytes, universal %+v; slice of %d bytes in a %d-byte file", r.Size, r.Universal, s.Size, f.Size)
			}
			alone, err := elfinfo.Open(thin[i])
			if err != nil {
				t.Fatal(err)
			}
			defer alone.Close()
			want, err := analyze.Size(alone)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Packages, r.Packages); diff != "" {
				t.Errorf("packages of the slice differ from the thin binary's (-thin +slice):\n%s", diff)
			}
		})
	}
}
