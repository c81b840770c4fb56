package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// TestCompareGoReleaserRealConfigs runs binscope compare --goreleaser
// --list on each real config of testdata/goreleaser, in a module that has
// a main package wherever its builds look for one, and compares the cells
// it lists with the binaries the config's .cells file lists by hand (each
// checked against GoReleaser's own expansion: testdata/goreleaser/README.md).
// cgo=unset is resolved as the go command resolves it here, with
// CGO_ENABLED not set: go env's value for the host's platform, 0 when
// cross-compiling.
func TestCompareGoReleaserRealConfigs(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testbuild.Root(t), "testdata/goreleaser/*.yaml"))
	if len(files) < 5 {
		t.Fatalf("want the 5 real configs of testdata/goreleaser, got %v", files)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CGO_ENABLED=") {
			env = append(env, kv)
		}
	}
	host := "" // the platform that builds with cgo when CGO_ENABLED is unset, if any
	if goEnvVar(t, env, "CGO_ENABLED") == "1" {
		host = goEnvVar(t, env, "GOHOSTOS") + "/" + goEnvVar(t, env, "GOHOSTARCH")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			_, project, _ := strings.Cut(name, "_")
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			write := func(rel, text string) {
				p := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("go.mod", "module example.com/"+project+"\n\ngo 1.21\n")
			write(".goreleaser.yaml", string(data))
			// A main package where each build looks for one.
			vals := config.PlaceholderValues()
			vals.ProjectNameFallback = project
			g, err := config.ParseGoReleaser(data, f, vals)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range g.Builds {
				main := filepath.Join(b.Dir, b.Main)
				if strings.HasSuffix(main, ".go") {
					main = filepath.Dir(main)
				}
				write(filepath.ToSlash(filepath.Join(main, "main.go")), "package main\n\nfunc main() {}\n")
			}
			var out, errb bytes.Buffer
			args := []string{"compare", "--goreleaser=" + filepath.Join(dir, ".goreleaser.yaml"), "--list", "--format", "json", dir}
			if code := run(context.Background(), args, env, &out, &errb); code != 0 {
				t.Fatalf("binscope %q: status %d: %s", args, code, errb.String())
			}
			var r struct {
				Baseline string `json:"baseline"`
				Cells    []any  `json:"cells"`
				Planned  []struct {
					ID      string         `json:"id"`
					Options map[string]any `json:"options"`
					Command string         `json:"command"`
				} `json:"planned"`
			}
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if len(r.Cells) != 0 {
				t.Errorf("--list built %d cells", len(r.Cells))
			}
			var got []string
			for _, c := range r.Planned {
				if c.ID == r.Baseline && c.Options["build"] == nil {
					continue // the plain go build, compare's own
				}
				o := c.Options
				build, goos, goarch := o["build"].(string), o["goos"].(string), o["goarch"].(string)
				if goarch == "all" {
					if !strings.Contains(c.Command, " && lipo -create -output ") {
						t.Errorf("%s: command %q does not join its thin builds", c.ID, c.Command)
					}
					got = append(got, "universal "+build)
					continue
				}
				key, variant := "", ""
				for _, k := range []string{"goarm", "goamd64", "goarm64", "go386", "gomips", "gomips64", "goppc64", "goriscv64"} {
					if v, ok := o[k].(string); ok {
						key, variant = strings.TrimSuffix(k, "64"), v
						if k != "gomips64" {
							key = k
						}
					}
				}
				got = append(got, testbuild.GoReleaserLine(build, goos, goarch, key, variant, o["cgo"].(bool)))
				if !strings.Contains(c.Command, "GOOS="+goos+" GOARCH="+goarch) {
					t.Errorf("%s: command %q", c.ID, c.Command)
				}
			}
			var want []string
			for _, c := range testbuild.GoReleaserCells(t, strings.TrimSuffix(f, ".yaml")+".cells", host) {
				if c.Universal != "" {
					want = append(want, "universal "+c.Universal)
				} else {
					want = append(want, c.Line)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cells (-hand-written +binscope compare --goreleaser --list):\n%s", diff)
			}
		})
	}
}

// goEnvVar is one value of go env, in env.
func goEnvVar(t *testing.T, env []string, key string) string {
	t.Helper()
	cmd := exec.Command("go", "env", key)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
