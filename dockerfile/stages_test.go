package dockerfile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func mustEvaluate(t *testing.T, src string, args map[string]string) *Plan {
	t.Helper()
	f, err := ParseBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f.Evaluate(Options{BuildArgs: args})
}

// build is the part of a GoBuild the table tests compare.
type build struct {
	Stage    int
	Line     int
	Command  string
	Env      map[string]string
	Dir      string
	Packages []string
	LDFlags  []string
	Tags     []string
	Output   string
	Strip    bool
	Install  bool
	Unset    []string
	Dynamic  bool
}

func builds(p *Plan) []build {
	var out []build
	for _, g := range p.GoBuilds {
		out = append(out, build{Stage: g.Stage, Line: g.Line, Command: g.Command, Env: g.Env, Dir: g.Dir, Packages: g.Packages,
			LDFlags: g.LDFlags, Tags: g.Tags, Output: g.Output, Strip: g.StripsSymbols(), Install: g.Install, Unset: g.Unset, Dynamic: g.Dynamic})
	}
	return out
}

func TestGoBuilds(t *testing.T) {
	tests := []struct {
		name string
		src  string
		args map[string]string
		want []build
	}{
		{
			name: "seed: assignments before go, WORKDIR",
			src: "FROM golang:1.19 AS builder\nWORKDIR /distributing\nWORKDIR pomo\n" +
				"RUN CGO_ENABLED=0 GOOS=linux go build -ldflags=\"-s -w\" -tags=containers\n",
			want: []build{{Line: 4, Command: `CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w" -tags=containers`,
				Env: map[string]string{"CGO_ENABLED": "0", "GOOS": "linux"}, Dir: "/distributing/pomo",
				LDFlags: []string{"-s", "-w"}, Tags: []string{"containers"}, Strip: true}},
		},
		{
			name: "ENV both forms, ARG with --build-arg, export, cd, and a continued line",
			src: "ARG GOVER=1.22\nFROM golang:${GOVER}\nARG TARGETARCH\nENV CGO_ENABLED 0\nENV GOOS=linux GOFLAGS=\"-trimpath\"\nWORKDIR /src\n" +
				"RUN export GOARCH=$TARGETARCH && \\\n    cd cmd/app && \\\n    go build -o /out/app -ldflags '-s -w -X main.v=1' .\n",
			args: map[string]string{"TARGETARCH": "arm64"},
			want: []build{{Line: 9, Command: "go build -o /out/app -ldflags '-s -w -X main.v=1' .",
				Env: map[string]string{"CGO_ENABLED": "0", "GOOS": "linux", "GOFLAGS": "-trimpath", "GOARCH": "arm64", "TARGETARCH": "arm64"},
				Dir: "/src/cmd/app", Packages: []string{"."}, LDFlags: []string{"-s", "-w", "-X", "main.v=1"}, Output: "/out/app", Strip: true}},
		},
		{
			name: "heredoc script, env command, sh -c, go install, -C",
			src: "FROM golang AS b\nRUN <<EOF\nset -e\nenv CGO_ENABLED=1 go build -tags 'netgo osusergo' ./cmd/x\nEOF\n" +
				"RUN sh -c \"GOBIN=/bin go install -ldflags=all=-w example.com/tool@latest\"\nRUN [\"go\", \"build\", \"-C\", \"/w\", \"-o\", \"out/\"]\n",
			want: []build{
				{Line: 4, Command: "CGO_ENABLED=1 go build -tags 'netgo osusergo' ./cmd/x", Env: map[string]string{"CGO_ENABLED": "1"}, Dir: "/",
					Packages: []string{"./cmd/x"}, Tags: []string{"netgo", "osusergo"}},
				{Line: 6, Command: "GOBIN=/bin go install -ldflags=all=-w example.com/tool@latest", Env: map[string]string{"GOBIN": "/bin"}, Dir: "/",
					Packages: []string{"example.com/tool@latest"}, LDFlags: []string{"-w"}, Install: true},
				{Line: 7, Command: "'go' 'build' '-C' '/w' '-o' 'out/'", Env: map[string]string{}, Dir: "/w", Output: "out/"},
			},
		},
		{
			name: "unset build argument and command substitution are reported",
			src:  "FROM golang\nARG VERSION\nRUN go build -ldflags \"-X main.v=${VERSION} -X main.d=$(date)\" -o /app\n",
			want: []build{{Line: 3, Command: `go build -ldflags "-X main.v=${VERSION} -X main.d=$(date)" -o /app`, Env: map[string]string{}, Dir: "/",
				LDFlags: []string{"-X", "main.v=", "-X", "main.d=$(date)"}, Output: "/app", Unset: []string{"VERSION"}, Dynamic: true}},
		},
		{
			name: "not go build: go test, go vet, echo go build",
			src:  "FROM golang\nRUN go vet ./... && go test ./... && echo go build\n",
			want: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustEvaluate(t, tc.src, tc.args)
			if diff := cmp.Diff(tc.want, builds(p), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("go builds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStagesAndCopies(t *testing.T) {
	src := `ARG BASE=alpine:3.20
FROM golang:1.22-bookworm AS Build
WORKDIR /src
COPY go.mod go.sum ./
COPY . .
RUN go build -o /out/app ./cmd/app

FROM build AS test
USER nobody

FROM ${BASE}
WORKDIR /app
COPY --from=build --chown=app:app /out/app bin/
COPY --from=0 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
USER app
ENTRYPOINT ["/app/bin/app"]
`
	p := mustEvaluate(t, src, nil)
	type stage struct {
		Name, From string
		Parent     int
		Workdir    string
		User       string
	}
	var gotStages []stage
	for _, s := range p.Stages {
		gotStages = append(gotStages, stage{s.Name, s.From, s.Parent, s.Workdir, s.User})
	}
	wantStages := []stage{
		{"build", "golang:1.22-bookworm", -1, "/src", ""},
		{"test", "build", 0, "/src", "nobody"},
		{"", "alpine:3.20", -1, "/app", "app"},
	}
	if diff := cmp.Diff(wantStages, gotStages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	type cp struct {
		Stage     int
		From      string
		FromStage int
		Sources   []string
		Dest      string
		DestDir   bool
	}
	var gotCopies []cp
	for _, c := range p.Copies {
		gotCopies = append(gotCopies, cp{c.Stage, c.From, c.FromStage, c.Sources, c.Dest, c.DestDir})
	}
	wantCopies := []cp{
		{0, "", -1, []string{"go.mod", "go.sum"}, "/src", true},
		{0, "", -1, []string{"."}, "/src", true},
		{2, "build", 0, []string{"/out/app"}, "/app/bin", true},
		{2, "0", 0, []string{"/etc/ssl/certs/ca-certificates.crt"}, "/etc/ssl/certs", true},
	}
	if diff := cmp.Diff(wantCopies, gotCopies); diff != "" {
		t.Errorf("copies (-want +got):\n%s", diff)
	}
	if got := p.StageChain(1); !cmp.Equal(got, []int{1, 0}) {
		t.Errorf("StageChain(1) = %v, want [1 0]", got)
	}
	// The build runs in /src with ./cmd/app: the context's root holds
	// /src, filled by COPY . . (the latest); go.mod and go.sum, copied
	// into /src too, are candidates only if they are folders, which the
	// caller looks at.
	if diff := cmp.Diff([]string{".", "go.mod", "go.sum"}, p.ContextCandidates(0, "/src")); diff != "" {
		t.Errorf("ContextCandidates (-want +got):\n%s", diff)
	}
	g := p.GoBuilds[0]
	if got := g.OutputPath(g.DefaultName()); got != "/out/app" {
		t.Errorf("OutputPath = %q, want /out/app", got)
	}
}

func TestContextCandidates(t *testing.T) {
	src := "FROM golang AS b\nWORKDIR /distributing\nCOPY notify/ notify/\nCOPY pomo/ pomo/\nWORKDIR /distributing/pomo\nRUN go build\n"
	p := mustEvaluate(t, src, nil)
	if diff := cmp.Diff([]string{"pomo"}, p.ContextCandidates(0, "/distributing/pomo")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := p.ContextCandidates(0, "/elsewhere"); len(got) != 0 {
		t.Errorf("ContextCandidates(/elsewhere) = %q, want none", got)
	}
	// A COPY source that climbs out of the context is never a candidate.
	p = mustEvaluate(t, "FROM golang\nCOPY ../secret /src\nRUN cd /src && go build\n", nil)
	if got := p.ContextCandidates(0, "/src"); len(got) != 0 {
		t.Errorf("ContextCandidates with ../ = %q, want none", got)
	}
}

func TestOutputNames(t *testing.T) {
	tests := []struct {
		dir, output string
		pkgs        []string
		install     bool
		env         map[string]string
		want        string
	}{
		{dir: "/distributing/pomo", want: "/distributing/pomo/pomo"},
		{dir: "/src", pkgs: []string{"./cmd/server"}, want: "/src/server"},
		{dir: "/src", pkgs: []string{"example.com/tool/v2"}, want: "/src/tool"},
		{dir: "/src", output: "bin/", pkgs: []string{"./cmd/server"}, want: "/src/bin/server"},
		{dir: "/src", output: "../app", want: "/app"},
		{dir: "/src", install: true, pkgs: []string{"./cmd/server"}, want: "/go/bin/server"},
		{dir: "/src", install: true, env: map[string]string{"GOBIN": "/usr/local/bin"}, want: "/usr/local/bin/src"},
		{dir: "/", install: true, pkgs: []string{"example.com/tool/cmd/tool@v1.2.0"}, want: "/go/bin/tool"},
		{dir: "/", install: true, pkgs: []string{"example.com/tool/v2@latest"}, want: "/go/bin/tool"},
	}
	for _, tc := range tests {
		g := GoBuild{Dir: tc.dir, Output: tc.output, Packages: tc.pkgs, Install: tc.install, Env: tc.env}
		if got := g.OutputPath(g.DefaultName()); got != tc.want {
			t.Errorf("%+v: OutputPath = %q, want %q", tc, got, tc.want)
		}
	}
}

func TestStripFlags(t *testing.T) {
	tests := []struct {
		ldflags        []string
		symbols, dwarf bool
		extStatic      bool
	}{
		{nil, false, false, false},
		{[]string{"-s", "-w"}, true, true, false},
		{[]string{"-s"}, true, true, false},
		{[]string{"-w"}, false, true, false},
		{[]string{"-s", "-w=0"}, true, false, false},
		{[]string{"-s=false"}, false, false, false},
		{[]string{"-linkmode", "external", "-extldflags", "-static"}, false, false, true},
		{[]string{"-extldflags=-static -lm"}, false, false, true},
	}
	for _, tc := range tests {
		g := GoBuild{LDFlags: tc.ldflags}
		if g.StripsSymbols() != tc.symbols || g.StripsDWARF() != tc.dwarf || g.ExternalStatic() != tc.extStatic {
			t.Errorf("%q: symbols %v dwarf %v static %v, want %v %v %v", tc.ldflags,
				g.StripsSymbols(), g.StripsDWARF(), g.ExternalStatic(), tc.symbols, tc.dwarf, tc.extStatic)
		}
	}
}

func TestExpandWord(t *testing.T) {
	vars := map[string]string{"A": "1", "EMPTY": ""}
	lookup := func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
	tests := []struct{ in, want string }{
		{"$A", "1"},
		{"${A}x", "1x"},
		{"'$A'", "$A"},
		{`"$A b"`, "1 b"},
		{`\$A`, "$A"},
		{"${B:-def}", "def"},
		{"${EMPTY:-def}", "def"},
		{"${EMPTY-def}", ""},
		{"${A:+alt}", "alt"},
		{"${B:+alt}", ""},
		{"${A", "${A"},
		{"a$", "a$"},
	}
	for _, tc := range tests {
		if got, _ := expandWord(tc.in, '\\', lookup); got != tc.want {
			t.Errorf("expandWord(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSelfRunningScript: a variable holding a script that runs itself
// through sh -c must not send the reader into endless recursion.
func TestSelfRunningScript(t *testing.T) {
	p := mustEvaluate(t, "FROM x\nENV X=\"sh -c \\$X\"\nRUN sh -c \"$X\"\n", nil)
	if len(p.GoBuilds) != 0 {
		t.Errorf("found go builds in a script without any: %+v", p.GoBuilds)
	}
}
