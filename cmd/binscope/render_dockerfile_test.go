package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/analyze/dockercheck"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestRenderDockerfile renders dockerfile reports recorded from real runs
// on the seed's Dockerfiles adapted to testdata/pomo (the multistage
// alpine one as the seed wrote it, the scratch one without
// CGO_ENABLED=0, the prebuilt-binary one with --binary and a cgo build)
// and compares them with the golden files.
func TestRenderDockerfile(t *testing.T) {
	for _, name := range []string{"dockerfile_multistage_alpine", "dockerfile_scratch_cgo", "dockerfile_prebuilt_binary"} {
		t.Run(name, func(t *testing.T) {
			var r dockercheck.Report
			readReport(t, name+".json", &r)
			var text, gh bytes.Buffer
			renderDockerfileText(&text, &r)
			golden(t, name+".txt", text.Bytes())
			renderDockerfileGitHub(&gh, &r, r.Path)
			golden(t, name+".github", gh.Bytes())
			// Invariants that hold whatever the golden files say: one
			// annotation per finding, each on one line.
			if n := strings.Count(gh.String(), "\n"); n != len(r.Findings) {
				t.Errorf("%d annotation lines for %d findings", n, len(r.Findings))
			}
			if r.Errors > 0 && !strings.Contains(gh.String(), "::error file=Dockerfile,line=") {
				t.Errorf("no error annotation:\n%s", gh.String())
			}
		})
	}
}

func TestEscapeWorkflowCommand(t *testing.T) {
	if got, want := escapeData("50% of\r\nit"), "50%25 of%0D%0Ait"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	if got, want := escapeProperty("a:b,c"), "a%3Ab%2Cc"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
}

// TestRenderContainer renders the container verdicts of a CGO_ENABLED=1
// build of testdata/pomo, recorded from binscope inspect --format json.
func TestRenderContainer(t *testing.T) {
	var b analyze.Binary
	readReport(t, "container_pomo_cgo.json", &b)
	var buf bytes.Buffer
	renderContainerText(&buf, b)
	golden(t, "container_pomo_cgo.txt", buf.Bytes())
	for base, want := range map[string]string{"scratch": "no", "distroless-static": "no", "alpine": "no", "debian-12": "files"} {
		if got := readinessCell(palette{}, b, base); got != want {
			t.Errorf("readinessCell(%s) = %q, want %q", base, got, want)
		}
	}

	limitContainer([]analyze.Binary{b}, "alpine")
	note := analyze.Binary{ContainerNote: "Linux container checks do not apply: this is a Mach-O binary for darwin"}
	buf.Reset()
	renderContainerText(&buf, note)
	if want := "  container readiness\n    Linux container checks do not apply: this is a Mach-O binary for darwin\n\n"; buf.String() != want {
		t.Errorf("Mach-O:\n%s", buf.String())
	}
	if got := readinessCell(palette{}, note, "scratch"); got != "-" {
		t.Errorf("readinessCell(Mach-O) = %q", got)
	}

	// A note every base shares is said once, above the bases.
	notGo := container.Reason{Check: container.CheckGo, Level: container.LevelNote, Finding: "not a Go binary"}
	shared := analyze.Binary{Container: map[string]container.Readiness{
		"scratch": {Image: "scratch", Verdict: container.VerdictReady, Reasons: []container.Reason{notGo}},
		"alpine":  {Image: "alpine:3", Verdict: container.VerdictReady, Reasons: []container.Reason{notGo}},
	}}
	buf.Reset()
	renderContainerText(&buf, shared)
	want := "  container readiness\n    note: not a Go binary\n    scratch  ready\n    alpine   ready\n\n"
	if buf.String() != want {
		t.Errorf("shared note:\n%q\nwant\n%q", buf.String(), want)
	}
}

// TestDockerfileSchema checks the recorded dockerfile reports (real runs)
// against docs/schema/dockerfile.schema.json, and the recorded container
// verdicts against container.schema.json; and that the schemas can fail.
func TestDockerfileSchema(t *testing.T) {
	for _, name := range []string{"dockerfile_multistage_alpine", "dockerfile_scratch_cgo", "dockerfile_prebuilt_binary"} {
		data, err := os.ReadFile(filepath.Join("testdata", "golden", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		checkSchema(t, "dockerfile.schema.json", data)
	}
	var b struct {
		Container json.RawMessage `json:"container"`
	}
	readReport(t, "container_pomo_cgo.json", &b)
	checkSchema(t, "container.schema.json", b.Container)

	bad := map[string]string{
		"dockerfile.schema.json": `{"schema_version": 1, "path": "Dockerfile", "stages": [], "final_stage": 0, "final_base": {"image": "x", "base": "", "line": 1},
			"builds": [], "binary": null, "findings": [{"level": "fatal", "line": 1, "check": "pin", "finding": "x", "fix": ""}], "errors": 0, "warnings": 0, "notes": 0}`,
		"container.schema.json": `{"busybox": {"image": "busybox", "verdict": "ready", "reasons": []}}`,
	}
	for schema, doc := range bad {
		sch := compileSchema(t, schema)
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(v) == nil {
			t.Errorf("%s accepted %s", schema, doc)
		}
	}
}
