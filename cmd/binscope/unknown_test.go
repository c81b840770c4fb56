package main

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
)

// TestInspectUnreadableFunctab: a Go binary whose function table cannot
// be read (its pclntab magic zeroed in a copy) is "unknown" on every base
// in inspect's text, with the reason once, "unknown" in JSON that the
// schema accepts, and "unknown" in compare's readiness columns; never
// "ready".
func TestInspectUnreadableFunctab(t *testing.T) {
	src := testbuild.Build(t, testbuild.Pomo(t), testbuild.Variant{Name: "static", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w", "-tags=containers"}})
	path := sizetest.WithoutPclntab(t, src, "static-nopclntab")

	text := string(mustRun(t, "inspect", path))
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^    warning: cannot read the Go function table \(.+\): .+ readiness is unknown$`),
		regexp.MustCompile(`(?m)^    scratch +unknown$`),
		regexp.MustCompile(`(?m)^    alpine +unknown$`),
	} {
		if !re.MatchString(text) {
			t.Errorf("inspect text has no line matching %s:\n%s", re, text)
		}
	}
	if regexp.MustCompile(`(?m)^    \S+ +ready$`).MatchString(text) {
		t.Errorf("inspect calls the binary ready somewhere:\n%s", text)
	}

	js := mustRun(t, "inspect", "--format", "json", path)
	checkSchema(t, "inspect.schema.json", js)
	var r analyze.InspectReport
	if err := json.Unmarshal(js, &r); err != nil || len(r.Binaries) != 1 {
		t.Fatalf("inspect JSON: %v, %d binaries", err, len(r.Binaries))
	}
	b := r.Binaries[0]
	for _, k := range container.BaseKeys() {
		if v := b.Container[k].Verdict; v != container.VerdictUnknown {
			t.Errorf("JSON verdict on %s: %q, want unknown", k, v)
		}
	}
	for _, base := range []string{"scratch", "alpine"} {
		if got := readinessCell(palette{}, b, base); got != "unknown" {
			t.Errorf("compare's readiness cell on %s: %q, want unknown", base, got)
		}
	}
}
