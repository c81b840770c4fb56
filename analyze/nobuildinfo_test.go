package analyze_test

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// TestSizeNoBuildInfo: without its build info, a binary's bytes go to the
// same package rows (the function table names them), cgo or not; only the
// modules, which come from the build info, are lost. The report names the
// Go version runtime.buildVersion gives, and no GOOS it cannot know.
func TestSizeNoBuildInfo(t *testing.T) {
	for _, v := range []testbuild.Variant{sizetest.PomoStatic, sizetest.PomoCgo} {
		t.Run(v.Name, func(t *testing.T) {
			src := sizetest.Build(t, v)
			want, _ := sizetest.SizeOf(t, src, analyze.SizeOptions{})
			got, f := sizetest.SizeOf(t, testbuild.WithoutBuildInfo(t, src, v.Name+"-nobi"), analyze.SizeOptions{})
			checkInvariants(t, got)
			if f.Go == nil || f.Go.BuildInfo {
				t.Fatalf("Go = %+v, want a Go binary without build info", f.Go)
			}
			type row struct {
				Name string
				Size int64
			}
			rows := func(r *analyze.SizeReport) []row {
				var out []row
				for _, p := range r.Packages {
					out = append(out, row{p.Name, p.Size})
				}
				return out
			}
			if diff := cmp.Diff(rows(want), rows(got)); diff != "" {
				t.Errorf("package rows (-with build info +without):\n%s", diff)
			}
			if got.GoVersion != want.GoVersion {
				t.Errorf("go version %q, want %q", got.GoVersion, want.GoVersion)
			}
			if got.GOOS != f.OS {
				t.Errorf("GOOS %q, want the file's own %q", got.GOOS, f.OS)
			}
		})
	}
}
