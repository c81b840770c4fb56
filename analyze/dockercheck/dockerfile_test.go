package dockercheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/analyze/dockercheck"
	"github.com/binscope/binscope/dockerfile"
	"github.com/binscope/binscope/elfinfo"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The seed's Dockerfiles (../shared/seed/containers.md), adapted to
// testdata/pomo, which is one module with no notify/ sibling.
const (
	seedMultiAlpine = `FROM golang:1.19 AS builder
RUN mkdir /distributing
WORKDIR /distributing
COPY pomo/ pomo/
WORKDIR /distributing/pomo
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w" -tags=containers

FROM alpine:latest
RUN mkdir /app && adduser -h /app -D pomo
WORKDIR /app
COPY --chown=pomo /pomo/pomo .
CMD ["/app/pomo"]
`
	seedScratch = `FROM golang:1.19 AS builder
RUN mkdir /distributing
WORKDIR /distributing
COPY pomo/ pomo/
WORKDIR /distributing/pomo
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w" -tags=containers

FROM scratch
WORKDIR /
COPY --from=builder /distributing/pomo/pomo .
CMD ["/pomo"]
`
	seedPrebuilt = `FROM alpine:latest
RUN mkdir /app && adduser -h /app -D pomo
WORKDIR /app
COPY --chown=pomo /pomo/pomo .
CMD ["/app/pomo"]
`
)

// pomoProbe is what go list -deps says of testdata/pomo with cgo on.
var pomoProbe = &dockercheck.Probe{ImportPath: "example.com/pomo",
	Deps: []string{"runtime/cgo", "net", "os/user", "crypto/x509", "net/http", "example.com/pomo"},
	Cgo:  []string{"runtime/cgo", "net", "os/user"}}

var pureProbe = &dockercheck.Probe{ImportPath: "example.com/pomo", Deps: []string{"fmt", "example.com/pomo"}, Cgo: []string{}}

func check(t *testing.T, src string, probes []*dockercheck.Probe, bin *elfinfo.File, funcs []string) *dockercheck.Report {
	t.Helper()
	f, err := dockerfile.ParseBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	in := dockercheck.Input{Path: "Dockerfile", Plan: f.Evaluate(dockerfile.Options{}), Probes: probes, BuiltFrom: -1}
	if bin != nil {
		in.Binary, in.Funcs, in.Source = bin, funcs, "--binary"
	}
	return dockercheck.Check(in)
}

// findings renders findings as "LINE LEVEL CHECK", the part tests pin.
func findings(r *dockercheck.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, fmt.Sprintf("%d %s %s", f.Line, f.Level, f.Check))
	}
	return out
}

func TestCheckDockerfile(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		probes  []*dockercheck.Probe
		want    []string
		cgo     string
		linkage string
	}{
		{
			name: "seed multistage alpine: COPY without --from",
			src:  seedMultiAlpine,
			want: []string{"8 note pin", "8 note user", "11 error copy-from"},
			cgo:  dockercheck.CgoOff, linkage: dockercheck.LinkStatic,
		},
		{
			name: "seed multistage alpine, fixed",
			src:  strings.Replace(seedMultiAlpine, "COPY --chown=pomo /pomo/pomo .", "COPY --from=builder --chown=pomo /distributing/pomo/pomo .", 1),
			want: []string{"8 note pin", "8 note user"},
			cgo:  dockercheck.CgoOff, linkage: dockercheck.LinkStatic,
		},
		{
			name:   "seed scratch passes; go list shows os/user, and crypto/x509, whose need of CA certificates only a built binary shows",
			src:    seedScratch,
			probes: []*dockercheck.Probe{pomoProbe},
			want:   []string{"8 warning passwd", "8 note ca-certificates", "8 note user"},
			cgo:    dockercheck.CgoOff, linkage: dockercheck.LinkStatic,
		},
		{
			name:   "scratch without CGO_ENABLED=0: gcc in golang, net and os/user use cgo",
			src:    strings.Replace(seedScratch, "CGO_ENABLED=0 ", "", 1),
			probes: []*dockercheck.Probe{pomoProbe},
			want:   []string{"6 error loader", "8 warning passwd", "8 note ca-certificates", "8 note user"},
			cgo:    dockercheck.CgoOn, linkage: dockercheck.LinkDyn,
		},
		{
			name: "scratch without CGO_ENABLED=0 and no sources to look at: unknown, a warning",
			src:  strings.Replace(seedScratch, "CGO_ENABLED=0 ", "", 1),
			want: []string{"6 warning linkage", "8 note user"},
			cgo:  dockercheck.CgoOn, linkage: dockercheck.Unknown,
		},
		{
			name:   "a pure-Go program links statically even with cgo on",
			src:    strings.Replace(seedScratch, "CGO_ENABLED=0 ", "", 1),
			probes: []*dockercheck.Probe{pureProbe},
			want:   []string{"8 note user"},
			cgo:    dockercheck.CgoOn, linkage: dockercheck.LinkStatic,
		},
		{
			name: "golang:alpine has no C compiler",
			src:  "FROM golang:1.22-alpine AS b\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n",
			want: []string{"4 note strip"},
			cgo:  dockercheck.CgoOff, linkage: dockercheck.LinkStatic,
		},
		{
			name:   "golang:alpine with gcc and CGO_ENABLED=1 links musl: fine on alpine",
			src:    "FROM golang:1.22-alpine AS b\nRUN apk add --no-cache gcc musl-dev\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=1 go build -ldflags='-s -w' -o /app .\nFROM alpine:3.20\nCOPY --from=b /app /app\nUSER nobody\nENTRYPOINT [\"/app\"]\n",
			probes: []*dockercheck.Probe{pomoProbe},
			want:   nil,
			cgo:    dockercheck.CgoOn, linkage: dockercheck.LinkDyn,
		},
		{
			name:   "glibc build on alpine",
			src:    "FROM golang:1.22 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags='-s -w' -o /app .\nFROM alpine:3.20\nCOPY --from=b /app /app\nUSER nobody\nENTRYPOINT [\"/app\"]\n",
			probes: []*dockercheck.Probe{pomoProbe},
			want:   []string{"4 error loader"},
			cgo:    dockercheck.CgoOn, linkage: dockercheck.LinkDyn,
		},
		{
			name:   "built against glibc 2.36, shipped on Debian 11",
			src:    "FROM golang:1.22-bookworm AS b\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags='-s -w' -o /app .\nFROM debian:bullseye-slim\nRUN apt-get update && apt-get install -y ca-certificates\nCOPY --from=b /app /app\nUSER nobody\nENTRYPOINT [\"/app\"]\n",
			probes: []*dockercheck.Probe{pomoProbe},
			want:   []string{"4 error glibc"},
			cgo:    dockercheck.CgoOn, linkage: dockercheck.LinkDyn,
		},
		{
			name:   "CA certificates copied in: no warning",
			src:    strings.Replace(seedScratch, "CMD", "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCMD", 1),
			probes: []*dockercheck.Probe{pomoProbe},
			want:   []string{"8 warning passwd", "8 note user"},
			cgo:    dockercheck.CgoOff, linkage: dockercheck.LinkStatic,
		},
		{
			name: "-buildmode=pie with cgo off still needs the loader",
			src:  strings.Replace(seedScratch, "go build", "go build -buildmode=pie", 1),
			want: []string{"6 error loader", "8 note user"},
			cgo:  dockercheck.CgoOff, linkage: dockercheck.LinkDyn,
		},
		{
			name: "GOOS=windows in a Linux image",
			src:  strings.Replace(seedScratch, "GOOS=linux", "GOOS=windows", 1),
			want: []string{"6 error goos", "8 note user"},
			cgo:  dockercheck.CgoOff, linkage: dockercheck.LinkStatic,
		},
		{
			name: "shell form on scratch, and a CMD naming a file nothing copies",
			src:  "FROM scratch\nCOPY app /app\nRUN chmod +x /app\nCMD /app --serve\nENTRYPOINT [\"/bin/app\"]\n",
			want: []string{"1 note user", "3 error shell", "5 error cmd"},
		},
		{
			name: "exec form in single quotes on alpine: a shell runs a program named ['/app',",
			src:  "FROM alpine:3.20\nCOPY app /app\nUSER nobody\nCMD ['/app', '--serve']\n",
			want: []string{"4 error shell"},
		},
		{
			name: "exec form without commas on scratch, and RUN that is not JSON",
			src:  "FROM golang:1.22 AS b\nRUN [\"go\" \"version\"]\nFROM scratch\nCOPY app /app\nUSER 65532\nENTRYPOINT [\"/app\" \"--serve\"]\n",
			want: []string{"2 error shell", "6 error shell"},
		},
		{
			name: "RUN [ test ] is the shell's test command",
			src:  "FROM alpine:3.20\nRUN [ -f /etc/os-release ] && echo ok\nCOPY app /app\nUSER nobody\nCMD [\"/app\"]\n",
			want: nil,
		},
		{
			name: "shell-form CMD on distroless",
			src:  "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER nonroot\nCMD /app\n",
			want: []string{"1 note pin", "4 error shell"},
		},
		{
			name: "distroless nonroot sets its user; an unknown base is said so",
			src:  "FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build -ldflags=-s -o /app .\nFROM gcr.io/distroless/cc-debian12:nonroot\nCOPY --from=b /app /app\nCMD [\"/app\"]\n",
			want: []string{"3 note base"},
			cgo:  dockercheck.CgoOff, linkage: dockercheck.LinkStatic,
		},
		{
			name: "no go build: checked for what it has",
			src:  seedPrebuilt,
			want: []string{"1 note pin", "1 note user"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := check(t, tc.src, tc.probes, nil, nil)
			if diff := cmp.Diff(tc.want, findings(r), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%s", diff, dump(r))
			}
			if tc.cgo != "" {
				if len(r.Builds) == 0 {
					t.Fatal("no build")
				}
				if b := r.Builds[0]; b.Cgo != tc.cgo || b.Linkage != tc.linkage {
					t.Errorf("cgo %s, linkage %s (%s); want %s, %s", b.Cgo, b.Linkage, b.LinkageReason, tc.cgo, tc.linkage)
				}
			}
			errs := 0
			for _, f := range r.Findings {
				if f.Level == container.LevelError {
					errs++
				}
			}
			if r.Errors != errs || r.SchemaVersion != analyze.SchemaVersion {
				t.Errorf("errors = %d, counted %d; schema_version %d", r.Errors, errs, r.SchemaVersion)
			}
		})
	}
}

func dump(r *dockercheck.Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %d %s %s: %s\n", f.Line, f.Level, f.Check, f.Finding)
	}
	return b.String()
}

func TestCheckDockerfileFixes(t *testing.T) {
	for src, want := range map[string]string{
		"FROM alpine:3.20\nCOPY app /app\nCMD ['/app', '--serve']\n":       `write the exec form as JSON: CMD ["/app", "--serve"]`,
		"FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\" \"--serve\"]\n": `write the exec form as JSON: ENTRYPOINT ["/app", "--serve"]`,
		"FROM scratch\nCOPY app /app\nCMD [\"/app\", --serve]\n":           `write the exec form as JSON, each argument in double quotes, commas between them: CMD ["/app", "--flag"]`,
	} {
		for _, f := range check(t, src, nil, nil, nil).Findings {
			if f.Check == dockercheck.CheckShell && f.Fix != want {
				t.Errorf("%s: fix\n got %s\nwant %s", src, f.Fix, want)
			}
		}
	}

	r := check(t, seedMultiAlpine, nil, nil, nil)
	var fix string
	for _, f := range r.Findings {
		if f.Check == dockercheck.CheckCopyFrom {
			fix = f.Fix
		}
	}
	if want := "COPY --from=builder --chown=pomo /distributing/pomo/pomo ."; fix != want {
		t.Errorf("copy-from fix = %q, want %q", fix, want)
	}
	if got := r.Builds[0].Output; got != "/distributing/pomo/pomo" {
		t.Errorf("output = %q", got)
	}
	r = check(t, seedScratch, []*dockercheck.Probe{pomoProbe}, nil, nil)
	if got := r.Builds[0].FinalPath; got != "/pomo" {
		t.Errorf("final path = %q, want /pomo", got)
	}
	for _, f := range r.Findings {
		if f.Check == dockercheck.Kind(container.CheckCACerts) && !strings.Contains(f.Fix, "--from=builder ") {
			t.Errorf("CA fix names no build stage: %q", f.Fix)
		}
	}
}

// TestCheckDockerfileBinary checks a real binary's facts instead of the
// prediction: the seed's prebuilt-binary Dockerfile with a glibc build
// fails for the loader, with a static one it passes, and the -s -w note
// carries the bytes it would save.
func TestCheckDockerfileBinary(t *testing.T) {
	dynamic := &elfinfo.File{Path: "pomo", Format: elfinfo.FormatELF, OS: "linux", Type: "executable", Linkage: elfinfo.LinkageDynamic,
		Interpreter: "/lib64/ld-linux-x86-64.so.2", Needed: []string{"libc.so.6"}, Go: &elfinfo.GoInfo{}, SymtabBytes: 1000, DWARFBytes: 24}
	r := check(t, seedPrebuilt, nil, dynamic, []string{"main.main", "net._C2func_getaddrinfo"})
	if diff := cmp.Diff([]string{"1 note pin", "1 note user", "4 error loader", "4 note strip"}, findings(r)); diff != "" {
		t.Errorf("dynamic (-want +got):\n%s\n%s", diff, dump(r))
	}
	for _, f := range r.Findings {
		if f.Check == dockercheck.CheckStrip && !strings.Contains(f.Finding, "1024 bytes") {
			t.Errorf("strip note without the saving: %q", f.Finding)
		}
	}
	if r.Binary == nil || r.Binary.Build != -1 || r.Binary.Source != "--binary" {
		t.Errorf("binary = %+v", r.Binary)
	}
	static := &elfinfo.File{Path: "pomo", Format: elfinfo.FormatELF, OS: "linux", Type: "executable", Linkage: elfinfo.LinkageStatic,
		Go: &elfinfo.GoInfo{}, Stripped: true}
	r = check(t, seedPrebuilt, nil, static, []string{"main.main", "os/user.Current"})
	if r.Errors != 0 || r.Warnings != 0 {
		t.Errorf("static on alpine: %s", dump(r))
	}
	macho := &elfinfo.File{Path: "pomo", Format: elfinfo.FormatMachO, OS: "darwin"}
	r = check(t, seedPrebuilt, nil, macho, nil)
	if r.Errors != 1 {
		t.Errorf("a Mach-O binary in a Linux image: %s", dump(r))
	}
}

// TestCheckDockerfileEnvTZ: the final stage's ENV is the container's, so
// ENV TZ makes time.Local need zoneinfo on alpine (which has none), and
// installing tzdata or ENV alone without TZ does not.
func TestCheckDockerfileEnvTZ(t *testing.T) {
	static := staticPomo()
	funcs := []string{"main.main", "time.initLocal"}
	withTZ := strings.Replace(seedPrebuilt, "WORKDIR /app\n", "WORKDIR /app\nENV TZ=Europe/Paris\n", 1)
	r := check(t, withTZ, nil, static, funcs)
	if diff := cmp.Diff([]string{"1 note pin", "1 note user", "5 warning zoneinfo"}, findings(r)); diff != "" {
		t.Errorf("ENV TZ on alpine (-want +got):\n%s\n%s", diff, dump(r))
	}
	installed := strings.Replace(withTZ, "WORKDIR /app\n", "WORKDIR /app\nRUN apk add --no-cache tzdata\n", 1)
	if r := check(t, installed, nil, static, funcs); r.Warnings != 0 {
		t.Errorf("ENV TZ with tzdata installed: %s", dump(r))
	}
	if r := check(t, seedPrebuilt, nil, static, funcs); r.Warnings != 0 {
		t.Errorf("no TZ: %s", dump(r))
	}
	// $ZONEINFO serves time.LoadLocation, not time.Local.
	zoneinfoEnv := strings.Replace(withTZ, "WORKDIR /app\n", "WORKDIR /app\nENV ZONEINFO=/zoneinfo.zip\n", 1)
	if r := check(t, zoneinfoEnv, nil, static, funcs); r.Warnings != 1 {
		t.Errorf("ENV TZ with ENV ZONEINFO: %s", dump(r))
	}
	if r := check(t, zoneinfoEnv, nil, static, []string{"main.main", "time.LoadLocation"}); r.Warnings != 0 {
		t.Errorf("LoadLocation with ENV ZONEINFO: %s", dump(r))
	}
}

// TestCheckDockerfileServices: /etc/services is provided by copying that
// file or installing netbase, not by any folder named services.
func TestCheckDockerfileServices(t *testing.T) {
	static := staticPomo()
	funcs := []string{"main.main", "net.LookupPort"}
	debian := strings.Replace(seedPrebuilt, "FROM alpine:latest", "FROM debian:12", 1)
	debian = strings.Replace(debian, "adduser -h /app -D pomo", "useradd -d /app pomo", 1)
	for _, tc := range []struct {
		add      string
		warnings int
	}{
		{"", 1},
		{"COPY ./services /app/services\n", 1},
		{"COPY --from=build /etc/services /etc/\n", 0},
		{"RUN apt-get update && apt-get install -y netbase\n", 0},
	} {
		src := strings.Replace(debian, "WORKDIR /app\n", "WORKDIR /app\n"+tc.add, 1)
		if r := check(t, src, nil, static, funcs); r.Warnings != tc.warnings {
			t.Errorf("with %q: %d warnings, want %d\n%s", tc.add, r.Warnings, tc.warnings, dump(r))
		}
	}
}

// staticPomo is a static, stripped Go binary named pomo.
func staticPomo() *elfinfo.File {
	return &elfinfo.File{Path: "pomo", Format: elfinfo.FormatELF, OS: "linux", Type: "executable", Linkage: elfinfo.LinkageStatic,
		Go: &elfinfo.GoInfo{}, Stripped: true}
}

// TestCheckDockerfileOneVerdictOnCACerts: one Dockerfile gets one verdict
// on CA certificates. Without a binary, importing crypto/x509 is not
// needing the roots, so the prediction says the need is unknown without
// --build (a note, never a warning); the built binary then settles it
// both ways: a warning when it links the system root loading, nothing
// when it does not.
func TestCheckDockerfileOneVerdictOnCACerts(t *testing.T) {
	ca := func(r *dockercheck.Report) []string {
		var out []string
		for _, f := range r.Findings {
			if f.Check == dockercheck.Kind(container.CheckCACerts) {
				out = append(out, fmt.Sprintf("%d %s %s", f.Line, f.Level, f.Check))
			}
		}
		return out
	}
	r := check(t, seedScratch, []*dockercheck.Probe{pomoProbe}, nil, nil)
	if diff := cmp.Diff([]string{"8 note ca-certificates"}, ca(r)); diff != "" {
		t.Errorf("prediction (-want +got):\n%s\n%s", diff, dump(r))
	}
	for _, f := range r.Findings {
		if f.Check == dockercheck.Kind(container.CheckCACerts) {
			if !strings.HasPrefix(f.Finding, "CA certificates: unknown without --build.") || !strings.Contains(f.Fix, "--build") {
				t.Errorf("the prediction does not say it is unknown without --build:\n%s\nfix: %s", f.Finding, f.Fix)
			}
		}
	}
	built := func(funcs []string) *dockercheck.Report {
		t.Helper()
		f, err := dockerfile.ParseBytes([]byte(seedScratch))
		if err != nil {
			t.Fatal(err)
		}
		return dockercheck.Check(dockercheck.Input{Path: "Dockerfile", Plan: f.Evaluate(dockerfile.Options{}), Probes: []*dockercheck.Probe{pomoProbe},
			Binary: staticPomo(), Funcs: funcs, Source: "--build", BuiltFrom: 0})
	}
	if diff := cmp.Diff([]string{"6 warning ca-certificates"}, ca(built([]string{"main.main", "crypto/x509.loadSystemRoots"}))); diff != "" {
		t.Errorf("built, loads the roots (-want +got):\n%s", diff)
	}
	if got := ca(built([]string{"main.main", "crypto/x509.ParseCertificate"})); got != nil {
		t.Errorf("built, parses certificates only: %v, want no CA finding", got)
	}
	// Without crypto/x509 among the packages, nothing is unknown.
	if got := ca(check(t, seedScratch, []*dockercheck.Probe{pureProbe}, nil, nil)); got != nil {
		t.Errorf("no crypto/x509: %v", got)
	}
}

// TestCheckDockerfileGoVersion: the builder image's Go version is
// reported for each build; --build reports the Go it built with and warns
// when that is another version, with a fix that fits the version.
func TestCheckDockerfileGoVersion(t *testing.T) {
	for _, tc := range []struct {
		name, from, built string
		want              []string // findings of check go-version
		builder           string
		fix               string
	}{
		{"golang:1.19, built with go1.26.8", "golang:1.19", "go1.26.8", []string{"1 warning go-version"}, "go1.19", "no toolchain download exists for go1.19"},
		{"golang:1.22.3-bookworm", "golang:1.22.3-bookworm", "go1.26.8", []string{"1 warning go-version"}, "go1.22.3", "GOTOOLCHAIN=go1.22.3"},
		{"golang:1.22-alpine, by minor version", "golang:1.22-alpine", "go1.26.8", []string{"1 warning go-version"}, "go1.22", "GOTOOLCHAIN=go1.22.0"},
		{"golang:1.26 is any go1.26.x", "golang:1.26", "go1.26.8", nil, "go1.26", ""},
		{"digest pinned", "golang:1.26.8-bookworm@sha256:0123456789abcdef", "go1.26.8", nil, "go1.26.8", ""},
		{"golang:1.26.7 is not go1.26.8", "golang:1.26.7", "go1.26.8", []string{"1 warning go-version"}, "go1.26.7", "GOTOOLCHAIN=go1.26.7"},
		{"golang:latest names no version", "golang:latest", "go1.26.8", nil, "", ""},
		{"a bare digest names none", "golang@sha256:0123456789abcdef", "go1.26.8", nil, "", ""},
		{"not a golang image", "debian:12", "go1.26.8", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(seedScratch, "FROM golang:1.19 AS builder", "FROM "+tc.from+" AS builder", 1)
			f, err := dockerfile.ParseBytes([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			bin := staticPomo()
			bin.Go = &elfinfo.GoInfo{Version: tc.built}
			in := dockercheck.Input{Path: "Dockerfile", Plan: f.Evaluate(dockerfile.Options{}), Probes: []*dockercheck.Probe{pureProbe}, BuiltFrom: -1}
			if got := dockercheck.Check(in).Builds[0].BuilderGoVersion; got != tc.builder {
				t.Errorf("builder_go_version = %q, want %q", got, tc.builder)
			}
			for _, g := range findings(dockercheck.Check(in)) {
				if strings.HasSuffix(g, " go-version") {
					t.Errorf("a prediction, which builds nothing, says %s", g)
				}
			}
			in.Binary, in.Source, in.BuiltFrom = bin, "--build", 0
			r := dockercheck.Check(in)
			if r.Binary == nil || r.Binary.BuiltWithGoVersion != tc.built {
				t.Fatalf("built_with_go_version: %+v", r.Binary)
			}
			var got []string
			for _, f := range r.Findings {
				if f.Check == dockercheck.CheckGoVer {
					got = append(got, fmt.Sprintf("%d %s %s", f.Line, f.Level, f.Check))
					want := fmt.Sprintf("the Dockerfile builds with %s (%s); --build used %s, so the sizes and needs checked may differ from the image's binary", tc.from, tc.builder, tc.built)
					if f.Finding != want {
						t.Errorf("finding:\n got %s\nwant %s", f.Finding, want)
					}
					if !strings.Contains(f.Fix, tc.fix) {
						t.Errorf("fix %q does not say %q", f.Fix, tc.fix)
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("go-version findings (-want +got):\n%s\n%s", diff, dump(r))
			}
			// --binary checks a binary as it is: no claim about --build.
			in.Source, in.BuiltFrom = "--binary", -1
			for _, g := range findings(dockercheck.Check(in)) {
				if strings.HasSuffix(g, " go-version") {
					t.Errorf("--binary says %s", g)
				}
			}
		})
	}
}
