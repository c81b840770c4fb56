package buildmatrix

import (
	"strings"
	"testing"
)

// The variant and the build id are optional fields of the id: a cell of
// compare's axes keeps the id it had, and a GoReleaser cell's id, file
// name and selectors round-trip.
func TestVariantAndBuildIDs(t *testing.T) {
	for _, tc := range []struct {
		c        Combination
		id, file string
	}{
		{Combination{GOOS: "linux", GOARCH: "amd64", Strip: true}, "cgo=0,goos=linux,goarch=amd64,strip=on,tags=", "cgo0_linux_amd64_strip_notags"},
		{Combination{GOOS: "linux", GOARCH: "arm", Strip: true, Variant: "7", Build: "linux"}, "cgo=0,goos=linux,goarch=arm,strip=on,tags=,goarm=7,build=linux", "cgo0_linux_arm_strip_notags~goarm-7~build-linux"},
		{Combination{CGO: true, GOOS: "linux", GOARCH: "arm64", Tags: []string{"a_b"}, Variant: "v8.0+lse"}, "cgo=1,goos=linux,goarch=arm64,strip=off,tags=a_b,goarm64=v8.0+lse", "cgo1_linux_arm64_nostrip_tags-a_b~goarm64-v8.0+lse"},
		{Combination{GOOS: "darwin", GOARCH: Universal, Strip: true, Build: "gh.universal"}, "cgo=0,goos=darwin,goarch=all,strip=on,tags=,build=gh.universal", "cgo0_darwin_all_strip_notags~build-gh.universal"},
		{Combination{GOOS: "linux", GOARCH: "mips64le", Variant: "softfloat", Build: "x"}, "cgo=0,goos=linux,goarch=mips64le,strip=off,tags=,gomips64=softfloat,build=x", "cgo0_linux_mips64le_nostrip_notags~gomips64-softfloat~build-x"},
	} {
		if got := tc.c.String(); got != tc.id {
			t.Errorf("String() = %q, want %q", got, tc.id)
		}
		back, err := Parse(tc.id)
		if err != nil || back.String() != tc.id {
			t.Errorf("Parse(%q) = %v, %v", tc.id, back, err)
		}
		if got := tc.c.FileName(); got != tc.file {
			t.Errorf("FileName() = %q, want %q", got, tc.file)
		}
		fb, err := ParseFileName("pomo_" + tc.file + ".exe")
		if err != nil || fb.String() != tc.id {
			t.Errorf("ParseFileName(%q) = %v, %v", tc.file, fb, err)
		}
	}
	for _, bad := range []string{
		"cgo=0,goos=linux,goarch=amd64,strip=on,tags=,goarm=7",          // GOARM on amd64
		"cgo=0,goos=linux,goarch=arm,strip=on,tags=,build=a,goarm=7",    // out of order
		"cgo=0,goos=linux,goarch=arm,strip=on,tags=,goarm=7,goamd64=v1", // two variants
		"cgo=0,goos=linux,goarch=arm,strip=on,tags=,build=a b",
	} {
		if c, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", bad, c)
		}
	}
	for _, bad := range []string{"cgo0_linux_amd64_strip_notags~goarm-7", "cgo0_linux_arm_strip_notags~build-a~goarm-7", "cgo0_linux_arm_strip_notags~x"} {
		if c, err := ParseFileName(bad); err == nil {
			t.Errorf("ParseFileName(%q) = %v, want an error", bad, c)
		}
	}
}

func TestVariantSelectors(t *testing.T) {
	arm7 := Combination{GOOS: "linux", GOARCH: "arm", Variant: "7", Build: "cli"}
	arm6 := Combination{GOOS: "linux", GOARCH: "arm", Variant: "6", Build: "cli"}
	amd := Combination{GOOS: "linux", GOARCH: "amd64", Variant: "v1", Build: "srv"}
	plain := Combination{GOOS: "linux", GOARCH: "amd64"}
	for _, tc := range []struct {
		sel  string
		want []Combination
	}{
		{"goarm=7", []Combination{arm7}},
		{"build=cli", []Combination{arm7, arm6}},
		{"build=srv,goamd64=v1", []Combination{amd}},
		{"goos=linux,goarch=amd64", []Combination{amd, plain}},
	} {
		sel, err := ParseSelector(tc.sel)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range []Combination{arm7, arm6, amd, plain} {
			if sel.Match(c) {
				got = append(got, c.String())
			}
		}
		var want []string
		for _, c := range tc.want {
			want = append(want, c.String())
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s selects %v, want %v", tc.sel, got, want)
		}
		if back, err := ParseSelector(sel.String()); err != nil || back.String() != sel.String() {
			t.Errorf("%s: String() %q does not read back: %v", tc.sel, sel.String(), err)
		}
	}
	for _, bad := range []string{"goarm=7,goamd64=v1", "build=", "build=a/b", "goarm=7,goarm=6", "goarm=,"} {
		if _, err := ParseSelector(bad); err == nil {
			t.Errorf("ParseSelector(%q): want an error", bad)
		}
	}
}

// A cell with a Spec is built with the spec's line, not the plan's
// shared settings; the variant is set in the environment.
func TestSpecInvocation(t *testing.T) {
	p := &Plan{Dir: "/src", GoEnv: GoEnv{Vars: map[string]string{}, Changed: map[string]string{}}, Settings: Settings{LDFlags: "-X shared=1", Trimpath: true}}
	c := Combination{GOOS: "linux", GOARCH: "arm", Variant: "7", Strip: true, Tags: []string{"netgo"}, Build: "cli",
		Spec: &Spec{Dir: "/src/sub", Package: "./cmd/gh", Binary: "gh", LDFlags: "-s -w -X main.version=0.0.0", Flags: []string{"-trimpath", "-gcflags=all=-l"}, Env: []string{"GOPRIVATE=x"}}}
	got := p.CommandLine(c)
	want := `cd sub && GOPRIVATE=x CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 go build -trimpath -gcflags=all=-l -tags=netgo -ldflags="-s -w -X main.version=0.0.0" ./cmd/gh`
	if got != want {
		t.Errorf("CommandLine =\n%s\nwant\n%s", got, want)
	}
	if got := p.OutputPath(c); !strings.HasSuffix(got, "gh_cgo0_linux_arm_strip_tags-netgo~goarm-7~build-cli") {
		t.Errorf("OutputPath = %s", got)
	}
	u := Combination{GOOS: "darwin", GOARCH: Universal, Strip: true, Build: "u"}
	thin := func(arch string) Combination {
		return Combination{GOOS: "darwin", GOARCH: arch, Strip: true, Build: "cli", Spec: &Spec{LDFlags: "-s -w", Binary: "gh"}}
	}
	u.Spec = &Spec{Binary: "gh", LDFlags: "-s -w", Universal: []Combination{thin("amd64"), thin("arm64")}}
	got = p.CommandLine(u)
	want = `CGO_ENABLED=0 GOOS=darwin GOARCH=amd64 go build -o "gh_cgo0_darwin_amd64_strip_notags~build-cli" -tags="" -ldflags="-s -w" && ` +
		`CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 go build -o "gh_cgo0_darwin_arm64_strip_notags~build-cli" -tags="" -ldflags="-s -w" && ` +
		`lipo -create -output "gh_cgo0_darwin_all_strip_notags~build-u" "gh_cgo0_darwin_amd64_strip_notags~build-cli" "gh_cgo0_darwin_arm64_strip_notags~build-cli"`
	if got != want {
		t.Errorf("universal CommandLine =\n%s\nwant\n%s", got, want)
	}
	// In another folder: one cd, in front, not one per build.
	for i := range u.Spec.Universal {
		u.Spec.Universal[i].Spec.Dir = "/src/sub"
	}
	if got := p.CommandLine(u); !strings.HasPrefix(got, "cd sub && CGO_ENABLED=0 ") || strings.Count(got, "cd ") != 1 {
		t.Errorf("universal CommandLine in a subfolder = %s", got)
	}
}
