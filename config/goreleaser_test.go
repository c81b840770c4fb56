package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cellLines writes g's binaries as the .cells files of
// testdata/goreleaser list them.
func cellLines(g *GoReleaser) []string {
	var out []string
	for _, b := range g.Builds {
		for _, t := range b.Targets {
			line := "build=" + b.ID + " goos=" + t.GOOS + " goarch=" + t.GOARCH
			if v := grVariantVar(t.GOARCH); v != "" && t.Variant != "" {
				line += " " + strings.ToLower(v) + "=" + t.Variant
			}
			out = append(out, line+" cgo="+cmpOr(t.CGO, "unset"))
		}
	}
	for _, u := range g.Universal {
		out = append(out, "universal id="+u.ID+" ids="+strings.Join(u.IDs, ",")+" replace="+map[bool]string{true: "true", false: "false"}[u.Replace])
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestGoReleaserRealConfigs reads the real configs of testdata/goreleaser
// and compares the binaries each implies with the list written by hand
// beside it (its .cells file, whose header says which GoReleaser
// version's defaults it follows and why).
func TestGoReleaserRealConfigs(t *testing.T) {
	files, err := filepath.Glob("../testdata/goreleaser/*.yaml")
	if err != nil || len(files) < 5 {
		t.Fatalf("want the 5 real configs of testdata/goreleaser, got %v (%v)", files, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := readCells(t, strings.TrimSuffix(f, ".yaml")+".cells")
			vals := PlaceholderValues()
			_, project, _ := strings.Cut(name, "_")
			vals.ProjectNameFallback = project
			g, err := ParseGoReleaser(data, f, vals)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, cellLines(g)); diff != "" {
				t.Errorf("cells (-hand-written +binscope):\n%s", diff)
			}
		})
	}
}

func readCells(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func parseGR(t *testing.T, src string) (*GoReleaser, error) {
	t.Helper()
	vals := PlaceholderValues()
	vals.ProjectNameFallback = "pomo"
	vals.Env = map[string]string{"GOPRIVATE": "corp.example"}
	return ParseGoReleaser([]byte(src), "g.yaml", vals)
}

// GoReleaser's semantics the real configs do not all reach: targets,
// go_first_class, overrides, ignore by variant, skip, another builder,
// templates of every kind, and the v1/v2 defaults.
func TestGoReleaserSemantics(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"v1 defaults", "builds: [{}]", []string{
			"build=pomo goos=linux goarch=amd64 goamd64=v1 cgo=unset", "build=pomo goos=linux goarch=arm64 cgo=unset", "build=pomo goos=linux goarch=386 cgo=unset",
			"build=pomo goos=darwin goarch=amd64 goamd64=v1 cgo=unset", "build=pomo goos=darwin goarch=arm64 cgo=unset",
			"build=pomo goos=windows goarch=amd64 goamd64=v1 cgo=unset", "build=pomo goos=windows goarch=arm64 cgo=unset", "build=pomo goos=windows goarch=386 cgo=unset"}},
		{"v2 defaults, no builds key", "version: 2", []string{
			"build=pomo goos=linux goarch=amd64 goamd64=v1 cgo=unset", "build=pomo goos=linux goarch=arm64 goarm64=v8.0 cgo=unset", "build=pomo goos=linux goarch=386 go386=sse2 cgo=unset",
			"build=pomo goos=darwin goarch=amd64 goamd64=v1 cgo=unset", "build=pomo goos=darwin goarch=arm64 goarm64=v8.0 cgo=unset",
			"build=pomo goos=windows goarch=amd64 goamd64=v1 cgo=unset", "build=pomo goos=windows goarch=arm64 goarm64=v8.0 cgo=unset", "build=pomo goos=windows goarch=386 go386=sse2 cgo=unset"}},
		{"targets", "version: 2\nbuilds: [{targets: [linux_amd64_v3, linux_arm_7, darwin_arm64, linux_amd64_v3]}]", []string{
			"build=pomo goos=linux goarch=amd64 goamd64=v3 cgo=unset", "build=pomo goos=linux goarch=arm goarm=7 cgo=unset", "build=pomo goos=darwin goarch=arm64 goarm64=v8.0 cgo=unset"}},
		{"go_first_class", "builds: [{targets: [go_first_class], env: [CGO_ENABLED=0]}]", []string{
			"build=pomo goos=darwin goarch=amd64 goamd64=v1 cgo=0", "build=pomo goos=darwin goarch=arm64 cgo=0", "build=pomo goos=linux goarch=386 cgo=0",
			"build=pomo goos=linux goarch=amd64 goamd64=v1 cgo=0", "build=pomo goos=linux goarch=arm goarm=6 cgo=0", "build=pomo goos=linux goarch=arm64 cgo=0",
			"build=pomo goos=windows goarch=386 cgo=0", "build=pomo goos=windows goarch=amd64 goamd64=v1 cgo=0"}},
		{"variants and ignore by variant", "builds: [{goos: [linux, darwin], goarch: [arm, amd64], goarm: [6, 7], goamd64: [v1, v3], ignore: [{goarm: 6}, {goos: darwin, goamd64: v3}]}]", []string{
			"build=pomo goos=linux goarch=arm goarm=7 cgo=unset", "build=pomo goos=linux goarch=amd64 goamd64=v1 cgo=unset", "build=pomo goos=linux goarch=amd64 goamd64=v3 cgo=unset",
			"build=pomo goos=darwin goarch=amd64 goamd64=v1 cgo=unset"}},
		{"invalid pairs skipped, windows/arm only in v1", "builds: [{goos: [darwin, windows], goarch: [386, arm]}]", []string{
			"build=pomo goos=windows goarch=386 cgo=unset", "build=pomo goos=windows goarch=arm goarm=6 cgo=unset"}},
		{"windows/arm not in v2", "version: 2\nbuilds: [{goos: [windows], goarch: [arm, arm64]}]", []string{
			"build=pomo goos=windows goarch=arm64 goarm64=v8.0 cgo=unset"}},
		{"skip and another builder", "builds: [{id: a, goos: [linux], goarch: [amd64], skip: true}, {id: b, builder: rust}, {id: c, goos: [linux], goarch: [arm64]}]", []string{
			"build=c goos=linux goarch=arm64 cgo=unset"}},
		{"project name from the release's repository", "release: {github: {owner: o, name: relname}}\nbuilds: [{goos: [linux], goarch: [arm64]}]", []string{
			"build=relname goos=linux goarch=arm64 cgo=unset"}},
		{"build env wins over top-level env", "env: [CGO_ENABLED=1]\nbuilds: [{id: a, goos: [linux], goarch: [arm64], env: [CGO_ENABLED=0]}, {id: b, goos: [linux], goarch: [arm64]}]", []string{
			"build=a goos=linux goarch=arm64 cgo=0", "build=b goos=linux goarch=arm64 cgo=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := parseGR(t, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, cellLines(g)); diff != "" {
				t.Errorf("cells (-want +got):\n%s", diff)
			}
		})
	}
}

// The go build line of a target: default ldflags, templates, overrides
// (matched with the default variant filled in), flags, tags and env.
func TestGoReleaserBuildLine(t *testing.T) {
	g, err := parseGR(t, `version: 2
project_name: pomo
env: [GOFLAGS=-mod=readonly]
builds:
  - id: cli
    binary: "bin/{{ .ProjectName }}-{{ .Os }}"
    goos: [linux]
    goarch: [amd64, arm]
    flags: [-trimpath]
    gcflags: ["all=-N"]
    tags: [netgo, "{{ .Os }}"]
    env: ["PRIV={{ .Env.GOPRIVATE }}", "UNSET={{ .Env.NOT_SET_HERE }}"]
    overrides:
      - goos: linux
        goarch: arm
        ldflags: ["-X main.arm={{ .Arm }}"]
        env: [EXTRA=1]
  - id: def
    goos: [linux]
    goarch: [amd64]
`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]GoReleaserTarget{}
	for _, b := range g.Builds {
		for _, tg := range b.Targets {
			got[b.ID+" "+tg.GOARCH] = tg
		}
	}
	want := map[string]GoReleaserTarget{
		"cli amd64": {GOOS: "linux", GOARCH: "amd64", Variant: "v1", Env: []string{"GOFLAGS=-mod=readonly", "PRIV=corp.example", "UNSET="},
			LDFlags: "-s -w -X main.version=0.0.0 -X main.commit=0000000000000000000000000000000000000000 -X main.date=2006-01-02T15:04:05Z -X main.builtBy=goreleaser",
			Flags:   []string{"-trimpath", "-gcflags=all=-N"}, Tags: []string{"linux", "netgo"}, Binary: "pomo-linux"},
		"cli arm": {GOOS: "linux", GOARCH: "arm", Variant: "6", Env: []string{"GOFLAGS=-mod=readonly", "PRIV=corp.example", "UNSET=", "EXTRA=1"},
			LDFlags: "-X main.arm=6", Flags: []string{"-trimpath", "-gcflags=all=-N"}, Tags: []string{"linux", "netgo"}, Binary: "pomo-linux"},
		"def amd64": {GOOS: "linux", GOARCH: "amd64", Variant: "v1", Env: []string{"GOFLAGS=-mod=readonly"},
			LDFlags: "-s -w -X main.version=0.0.0 -X main.commit=0000000000000000000000000000000000000000 -X main.date=2006-01-02T15:04:05Z -X main.builtBy=goreleaser", Binary: "pomo"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0], "g.yaml:12: {{.Env.NOT_SET_HERE}} is not set") {
		t.Errorf("warnings = %q, want one about NOT_SET_HERE at line 12", g.Warnings)
	}
}

// .Env sees the config's own env entries, each the ones before it, as
// GoReleaser's TemplateEnv has it; the flags see them all; an entry that
// comes out empty is dropped, as are empty flags.
func TestGoReleaserEnvInTemplates(t *testing.T) {
	g, err := parseGR(t, `env: [TOP=topval, "SNAP={{ if .IsSnapshot }}1{{ end }}"]
builds:
  - goos: [linux]
    goarch: [arm64]
    env: ["FOO=bar", "BAR={{ .Env.FOO }}-x", "{{ if .IsSnapshot }}DROP=1{{ end }}"]
    ldflags: ["-X main.foo={{ .Env.FOO }} -X main.top={{ .Env.TOP }} -X main.bar={{ .Env.BAR }}", "{{ if .IsSnapshot }}-X snap=1{{ end }}"]
    flags: ["{{ if .IsSnapshot }}-race{{ end }}", -v]
`)
	if err != nil {
		t.Fatal(err)
	}
	tg := g.Builds[0].Targets[0]
	if want := "-X main.foo=bar -X main.top=topval -X main.bar=bar-x"; tg.LDFlags != want {
		t.Errorf("ldflags %q, want %q", tg.LDFlags, want)
	}
	if diff := cmp.Diff([]string{"TOP=topval", "SNAP=", "FOO=bar", "BAR=bar-x"}, tg.Env); diff != "" {
		t.Errorf("env (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"-v"}, tg.Flags); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
	if len(g.Warnings) != 0 {
		t.Errorf("warnings %q, want none: every variable is set", g.Warnings)
	}
}

// Each mistake is one error naming the file and line.
func TestGoReleaserErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"builds:\n  - ldflags: ['-X main.v={{ .Versoin }}']", `g.yaml:2: template "-X main.v={{ .Versoin }}": map has no entry for key "Versoin" (binscope evaluates`},
		{"builds:\n  - id: a\n    ldflags: ['{{ nosuchfunc .Version }}']", `g.yaml:3: template "{{ nosuchfunc .Version }}": function "nosuchfunc" not defined`},
		{"builds:\n  - ldflags: ['{{ .Version ']", `g.yaml:2: template "{{ .Version ": unclosed action`},
		{"builds:\n  - ldflag: [-s]", `g.yaml:2:5: unknown key "ldflag" (did you mean "ldflags"?)`},
		{"builds:\n  - goos: [linx]", `g.yaml:2: build pomo: goos "linx" is none GoReleaser builds for (did you mean "linux"?)`},
		{"builds:\n  - goarm: [8]", `g.yaml:2: build pomo: goarm "8" is not a value GoReleaser takes`},
		{"builds:\n  - id: a\n  - id: a", `g.yaml:3: build id "a" is also the id of the build at line 2`},
		{"builds:\n  - id: 'a b'", `g.yaml:2: build id "a b": binscope names cells`},
		{"builds:\n  - targets: [linux]", `g.yaml:2:14: targets: "linux" is not GOOS_GOARCH[_VARIANT]`},
		{"builds:\n  - overrides: [{goos: linux, ldflags: [-s]}]", `g.yaml:2:17: overrides: an override names at least goos and goarch`},
		{"builds:\n  - env: [CGO_ENABLED=yes]", `g.yaml:2: env: CGO_ENABLED=yes: want 0 or 1`},
		{"builds:\n  - env: [NOEQUALS]", `g.yaml:2:10: env: "NOEQUALS" is not KEY=VALUE`},
		{"version: 3", `g.yaml:1:10: version "3": want 1 or 2`},
		{"builds: {id: a}", `g.yaml:1:9: builds: want a list of builds`},
		{"universal_binaries: [{ids: [nope]}]", `g.yaml:1: universal_binaries: ids names "nope", which is no build's id`},
		{"- a\n- b", `g.yaml:1:1: want a mapping`},
		{"builds: [", `g.yaml:`},
		{"builds:\n  - targets: [linux_arm_8]", `g.yaml:2: build pomo: target linux_arm_8: arm takes goarm ^(5(,softfloat)?|[67](,softfloat|,hardfloat)?)$`},
		{"builds:\n  - targets: [linux_s390x_z15]", `g.yaml:2: build pomo: target linux_s390x_z15: s390x has no instruction-set variant`},
		{"builds:\n  - goos: [linux]\n    goarch: [arm]\n    goarm: ['7,softfloat', '7,hardfloat']", `g.yaml:2: build pomo: goarm 7 has two ABIs for linux, "7,softfloat" and "7,hardfloat"`},
		{"builds: [{goos: [linux]}]\nuniversal_binaries: [{}]", `g.yaml:2: universal binary pomo: builds pomo make no darwin/amd64 or darwin/arm64 binary to join`},
		{"builds: [{goos: [darwin], goamd64: [v1, v3]}]\nuniversal_binaries: [{}]", `g.yaml:2: universal binary pomo: builds pomo make 2 darwin/amd64 binaries (pomo v1, pomo v3), and a universal binary holds one per architecture`},
		{"", `g.yaml: empty GoReleaser config`},
	} {
		_, err := parseGR(t, tc.src)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got %v\nwant %s…", tc.src, err, tc.want)
		}
	}
}

func FuzzParseGoReleaser(f *testing.F) {
	files, _ := filepath.Glob("../testdata/goreleaser/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("builds: [{targets: [go_first_class], overrides: [{goos: linux, goarch: arm, goarm: 7, ldflags: ['{{.Arm}}']}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGoReleaser(data, "f.yaml", PlaceholderValues())
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		for _, b := range g.Builds {
			for _, tg := range b.Targets {
				if tg.GOOS == "" || tg.GOARCH == "" {
					t.Errorf("build %s: a target without a platform: %+v", b.ID, tg)
				}
			}
		}
	})
}

// BenchmarkParseGoReleaser reads the largest real config (cosign's six
// builds, 17 binaries), templates and all: docs/performance.md.
func BenchmarkParseGoReleaser(b *testing.B) {
	data, err := os.ReadFile("../testdata/goreleaser/sigstore_cosign.yaml")
	if err != nil {
		b.Fatal(err)
	}
	vals := PlaceholderValues()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseGoReleaser(data, "cosign.yaml", vals); err != nil {
			b.Fatal(err)
		}
	}
}
