package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
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
				line := "build=" + c.Build + " goos=" + c.GOOS + " goarch=" + c.GOARCH
				if c.Variant != "" {
					key := strings.ToLower(buildmatrix.VariantVar(c.GOARCH))
					if key == "gomips64" {
						key = "gomips" // GoReleaser's key for GOMIPS64 too
					}
					line += " " + key + "=" + c.Variant
				}
				cgo := "0"
				if c.CGO {
					cgo = "1"
				}
				got = append(got, line+" cgo="+cgo)
				// The id says what the command does.
				if strip := strings.Contains(" "+c.Spec.LDFlags+" ", " -s "); strip != c.Strip {
					t.Errorf("%s: strip %v, but -ldflags=%q", c, c.Strip, c.Spec.LDFlags)
				}
			}
			var want []string
			data, err = os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".cells")
			if err != nil {
				t.Fatal(err)
			}
			darwin := map[string][]string{}
			for _, line := range strings.Split(string(data), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				if rest, ok := strings.CutPrefix(line, "universal "); ok {
					f := fields(rest)
					var thin []string
					for _, arch := range []string{"amd64", "arm64"} {
						for _, id := range strings.Split(f["ids"], ",") {
							for _, a := range darwin[id] {
								if a == arch {
									thin = append(thin, "darwin/"+arch+"@"+id)
								}
							}
						}
					}
					want = append(want, "universal "+f["id"]+" of "+strings.Join(thin, " "))
					continue
				}
				f := fields(line)
				if f["goos"] == "darwin" {
					darwin[f["build"]] = append(darwin[f["build"]], f["goarch"])
				}
				if f["cgo"] == "unset" {
					cgo := "0"
					if f["goos"] == "linux" && f["goarch"] == "amd64" {
						cgo = "1"
					}
					line = strings.Replace(line, "cgo=unset", "cgo="+cgo, 1)
				}
				want = append(want, line)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cells (-hand-written +compare --goreleaser):\n%s", diff)
			}
		})
	}
}

func fields(line string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(line) {
		k, v, _ := strings.Cut(f, "=")
		m[k] = v
	}
	return m
}
