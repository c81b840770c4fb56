package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// TestRenderCheckMarkdownEscapes: what users and builds put in names and
// messages (budget names, paths, compiler output) renders literally in a
// pull-request comment: no table broken by a pipe, no HTML, no emphasis,
// code or link made by accident.
func TestRenderCheckMarkdownEscapes(t *testing.T) {
	r := &budget.Report{
		Status:   budget.StatusFail,
		Baseline: "base`s.json",
		Counts:   map[budget.Status]int{budget.StatusFail: 1},
		Cells:    []budget.Cell{{ID: "bin|x", Label: "bin|x `y`", Build: string(compare.StatusOK), Size: 1 << 20, Status: budget.StatusFail}},
		Rules: []budget.Result{{Status: budget.StatusFail,
			Message: "__init__ *budget* [x](y) ~~old~~ <b>&amp; max_size of C:\\temp\nsecond line"}},
	}
	var buf bytes.Buffer
	if err := renderCheckMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := "### ❌ binscope check: FAIL\n\n" +
		"1 FAIL on 1 cell. Baseline: `base's.json`.\n\n" +
		"| cell | size | Δ | status |\n" +
		"|:-----|-----:|--:|:------:|\n" +
		"| `bin\\|x 'y'` | 1.0M | – | ❌ FAIL |\n\n" +
		"- ❌ **FAIL** \\_\\_init\\_\\_ \\*budget\\* \\[x\\](y) \\~\\~old\\~\\~ &lt;b&gt;&amp;amp; max_size of C:\\\\temp second line\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("markdown (-want +got):\n%s", diff)
	}
}

// TestCheckBinaryJSONMatchesSchema checks one binary with rule flags, as
// CI without a config does, and validates the report: a binary on its own
// has no target and no options.
func TestCheckBinaryJSONMatchesSchema(t *testing.T) {
	bin := testbuild.Build(t, testbuild.Pomo(t), testbuild.Variant{Name: "pomo", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}})
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--max-size", "100M", "--static", "--stripped"}, 0},
		{[]string{"--max-size", "1M", "--no-debug-info"}, 1},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"check", "--format", "json", bin}, tc.args...)
		if code := run(context.Background(), args, os.Environ(), &stdout, &stderr); code != tc.code {
			t.Fatalf("check %v exited %d, want %d: %s", tc.args, code, tc.code, stderr.String())
		}
		checkSchema(t, "check.schema.json", stdout.Bytes())
	}
}
