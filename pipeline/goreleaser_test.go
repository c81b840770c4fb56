package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// TestGoReleaserRealConfigCells turns each real config of
// testdata/goreleaser into compare's cells, as compare --goreleaser
// does, and checks them against the binaries its .cells file lists by
// hand: one cell per line, cgo=unset resolved as the go command would on
// a linux/amd64 host with CGO_ENABLED=1 (1 there, 0 when cross-compiling),
// and one universal cell per universal_binaries entry, joining the darwin
// cells of its builds.
func TestGoReleaserRealConfigCells(t *testing.T) {
	files, _ := filepath.Glob("../testdata/goreleaser/*.yaml")
	if len(files) < 5 {
		t.Fatalf("want the 5 real configs of testdata/goreleaser, got %v", files)
	}
	goenv := buildmatrix.GoEnv{Vars: map[string]string{"GOHOSTOS": "linux", "GOHOSTARCH": "amd64", "CGO_ENABLED": "1"}}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			vals := config.PlaceholderValues()
			_, vals.ProjectNameFallback, _ = strings.Cut(name, "_")
			g, err := config.ParseGoReleaser(data, f, vals)
			if err != nil {
				t.Fatal(err)
			}
			cells, err := goreleaserCells(&GoReleaserRequest{Config: g, Dir: t.TempDir()}, goenv, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cells {
				if c.GOARCH == buildmatrix.Universal {
					var thin []string
					for _, t := range c.Spec.Universal {
						thin = append(thin, t.Platform().String()+"@"+t.Build)
					}
					got = append(got, "universal "+c.Build+" of "+strings.Join(thin, " "))
					continue
				}
				key := strings.ToLower(buildmatrix.VariantVar(c.GOARCH))
				if key == "gomips64" {
					key = "gomips" // GoReleaser's key for GOMIPS64 too
				}
				got = append(got, testbuild.GoReleaserLine(c.Build, c.GOOS, c.GOARCH, key, c.Variant, c.CGO))
				// The id says what the command does.
				if strip := strings.Contains(" "+c.Spec.LDFlags+" ", " -s "); strip != c.Strip {
					t.Errorf("%s: strip %v, but -ldflags=%q", c, c.Strip, c.Spec.LDFlags)
				}
			}
			var want []string
			darwin := map[string][]string{}
			for _, c := range testbuild.GoReleaserCells(t, strings.TrimSuffix(f, ".yaml")+".cells", "linux/amd64") {
				if c.Universal == "" {
					if c.Fields["goos"] == "darwin" {
						darwin[c.Fields["build"]] = append(darwin[c.Fields["build"]], c.Fields["goarch"])
					}
					want = append(want, c.Line)
					continue
				}
				var thin []string
				for _, arch := range []string{"amd64", "arm64"} {
					for _, id := range c.IDs {
						if slices.Contains(darwin[id], arch) {
							thin = append(thin, "darwin/"+arch+"@"+id)
						}
					}
				}
				want = append(want, "universal "+c.Universal+" of "+strings.Join(thin, " "))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cells (-hand-written +compare --goreleaser):\n%s", diff)
			}
		})
	}
}
