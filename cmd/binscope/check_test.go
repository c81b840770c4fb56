package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	if err := renderCheckMarkdown(&buf, r, 0); err != nil {
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
		// Twice into one history: the second report has a trend of two.
		{[]string{"--max-size", "100M", "--history", filepath.Join(t.TempDir(), "h.jsonl")}, 0},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"check", "--format", "json", bin}, tc.args...)
		if code := run(context.Background(), args, os.Environ(), &stdout, &stderr); code != tc.code {
			t.Fatalf("check %v exited %d, want %d: %s", tc.args, code, tc.code, stderr.String())
		}
		checkSchema(t, "check.schema.json", stdout.Bytes())
		if slices.Contains(tc.args, "--history") {
			stdout.Reset()
			if code := run(context.Background(), args, os.Environ(), &stdout, &stderr); code != 0 {
				t.Fatalf("check %v, again: exited %d: %s", tc.args, code, stderr.String())
			}
			checkSchema(t, "check.schema.json", stdout.Bytes())
			if !bytes.Contains(stdout.Bytes(), []byte(`"entries": 1,`)) {
				t.Errorf("the second run's report has no trend of two:\n%s", stdout.Bytes())
			}
		}
	}
}

// TestRenderCheckNoBaseline: growth rules checked without a baseline are
// NO BASELINE, never SKIPPED, and each format says that they need one
// once, however many cells and growth rules there are.
func TestRenderCheckNoBaseline(t *testing.T) {
	r := budget.Evaluate(budget.Input{
		Budgets: []budget.Budget{
			{Name: "size", Line: 2, All: true, Rules: []budget.Rule{{Kind: budget.MaxSize, Line: 4, Bytes: 8 << 20, HasBytes: true}}},
			{Name: "growth", Line: 5, All: true, Rules: []budget.Rule{{Kind: budget.MaxGrowth, Line: 7, Percent: 1, HasPercent: true}}},
			{Name: "creep", Line: 8, All: true, Rules: []budget.Rule{{Kind: budget.WarnGrowth, Line: 10, Bytes: 10 << 10, HasBytes: true}}},
		},
		Cells: []compare.Cell{
			{ID: "a", Label: "go build", Options: compare.Options{GOOS: "linux", GOARCH: "amd64", Tags: []string{}}, Status: compare.StatusOK, Size: 6 << 20},
			{ID: "b", Label: "CGO_ENABLED=0", Options: compare.Options{GOOS: "linux", GOARCH: "amd64", Tags: []string{}}, Status: compare.StatusOK, Size: 5 << 20},
		},
	})
	r.Config = "sub/.binscope.yaml"
	var text, md, gh bytes.Buffer
	if err := renderCheckText(&text, r, palette{}); err != nil {
		t.Fatal(err)
	}
	if err := renderCheckMarkdown(&md, r, 0); err != nil {
		t.Fatal(err)
	}
	if err := renderCheckGitHub(&gh, r, "sub/.binscope.yaml"); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "github": gh.String()} {
		if n := strings.Count(out, budget.NeedBaseline); n != 1 {
			t.Errorf("%s says %q %d times, want once:\n%s", name, budget.NeedBaseline, n, out)
		}
		if strings.Contains(out, "SKIPPED") {
			t.Errorf("%s says SKIPPED, and every cell was built:\n%s", name, out)
		}
	}
	if want := "\nNO BASELINE sub/.binscope.yaml:7: growth rules need a baseline (--baseline)\n\ncheck PASS: 2 PASS, 4 NO BASELINE on 2 cells\n"; !strings.HasSuffix(text.String(), want) {
		t.Errorf("text ends:\n%s\nwant it to end:\n%s", text.String(), want)
	}
	want := "::notice file=sub/.binscope.yaml,line=7,title=binscope check%3A growth::growth rules need a baseline (--baseline)\n" +
		"::notice title=binscope check::PASS: 2 PASS, 4 NO BASELINE on 2 cells\n"
	if diff := cmp.Diff(want, gh.String()); diff != "" {
		t.Errorf("github (-want +got):\n%s", diff)
	}
	// The cells passed their size rule: that is their status, not NO BASELINE.
	if !strings.Contains(md.String(), "| `go build` | 6.0M | – | ✅ PASS |\n") {
		t.Errorf("markdown cell row:\n%s", md.String())
	}
}
