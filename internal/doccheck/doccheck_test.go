// Package doccheck holds tests of the recipes in docs/ and README.md: the
// GitHub Actions workflows and the YAML examples there must be valid, and
// the workflows must work for a project on any Go release, so that a team
// can copy them.
package doccheck

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// root is the repository's root, from this package's folder.
var root = filepath.Join("..", "..")

// TestWorkflowsLint runs actionlint, as a library, and checkWorkflow over
// every workflow in docs/ci. shellcheck and pyflakes are not run: they are
// programs this test cannot count on.
func TestWorkflowsLint(t *testing.T) {
	files := globs(t, "docs/ci/*.yml", "docs/ci/*.yaml")
	if len(files) == 0 {
		t.Fatal("no workflows in docs/ci")
	}
	minGo := binscopeGo(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, f))
			if err != nil {
				t.Fatal(err)
			}
			ps := lint(t)(f, data)
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if !isWorkflow(&doc) {
				t.Fatalf("%s: not a workflow (no on: or jobs:)", f)
			}
			ps = append(ps, checkWorkflow(&doc, minGo, 0)...)
			for _, p := range ps {
				t.Errorf("%s:%s", f, p)
			}
		})
	}
}

// TestMarkdownYAML checks every ```yaml and ```yml block of docs/*.md and
// README.md (checkYAMLBlock), reporting lines of the markdown file.
func TestMarkdownYAML(t *testing.T) {
	minGo := binscopeGo(t)
	seen := 0
	for _, f := range globs(t, "docs/*.md", "README.md") {
		md, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := fencedBlocks(md)
		if err != nil {
			t.Errorf("%s:%v", f, err)
		}
		for _, b := range blocks {
			if b.lang != "yaml" && b.lang != "yml" {
				continue
			}
			seen++
			for _, p := range checkYAMLBlock(f, b, minGo, lint(t)) {
				t.Errorf("%s:%s", f, p)
			}
		}
	}
	// docs/ci.md shows budget files: a test that found no block would be
	// looking in the wrong place.
	if seen == 0 {
		t.Error("no yaml blocks in docs/*.md or README.md")
	}
}

// TestInstallPins keeps every install of binscope in the docs, in any
// block or in prose, at pin.
func TestInstallPins(t *testing.T) {
	installs := 0
	for _, f := range globs(t, "docs/*.md", "docs/ci/*.yml", "docs/ci/*.yaml", "README.md") {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, m := range installRe.FindAllStringSubmatch(line, -1) {
				installs++
				if msg := pinProblem(m[2]); msg != "" {
					t.Errorf("%s:%d: %s", f, i+1, msg)
				}
			}
		}
	}
	if installs == 0 {
		t.Errorf("no doc installs binscope (go install %s@%s)", module, pin)
	}
}

// TestLintCanFail makes sure the linter is really looking: a workflow
// with an undefined step output and a bad expression is refused.
func TestLintCanFail(t *testing.T) {
	bad := []byte(`on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: echo ${{ steps.nope.outputs.x }}
      - run: echo ${{ github.event.pull_request.head.sha
`)
	if ps := lint(t)("bad.yml", bad); len(ps) == 0 {
		t.Error("actionlint accepted a broken workflow")
	}
}

// TestYAMLBlocksCanFail feeds checkYAMLBlock markdown with each kind of
// mistake the docs could make, and a correct workflow and budget file,
// which must pass.
func TestYAMLBlocksCanFail(t *testing.T) {
	const minGo = "1.26.0"
	// A correct job, for the cases to vary.
	const good = `on: pull_request
jobs:
  size:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version: '1.26.x'
      - run: go install github.com/binscope/binscope/cmd/binscope@` + pin + `
      - uses: actions/setup-go@v5
        with:
          go-version-file: go.mod
      - run: binscope check
`
	tests := []struct {
		name string
		md   string
		want []string
	}{
		{
			name: "correct workflow",
			md:   "# t\n\n```yaml\n" + good + "```\n",
		},
		{
			name: "correct budget file",
			md:   "text\n```yml\nbudgets:\n  - name: b\n    cells: all\n    max_size: 8M\n```\n",
		},
		{
			name: "invalid YAML, at its line of the markdown file",
			md:   "a\nb\n```yaml\ntarget: ./cmd/pomo\nbudgets:\n  name: a: b\n```\n",
			want: []string{"6: invalid YAML: mapping values are not allowed in this context"},
		},
		{
			name: "a flow mapping left open, at its line",
			md:   "```yaml\nbudgets:\n  - name: a\n    cells: {cgo: 0, strip: ${{ x }}}\n    max_size: 8M\n```\n",
			want: []string{"4: invalid YAML: did not find expected ',' or '}'"},
		},
		{
			name: "unknown key in a budget file",
			md:   "```yaml\nbudgets:\n  - name: b\n    cells: all\n    max_sise: 8M\n```\n",
			want: []string{`5: as a budget file: unknown key "max_sise" (did you mean "max_size"?) (a YAML block is a workflow, a budget file, or starts with "# fragment")`},
		},
		{
			name: "neither workflow nor budget file",
			md:   "```yaml\nservices:\n  web: {image: pomo}\n```\n",
			want: []string{`2: as a budget file: unknown key "services": want one of target, goreleaser, matrix, build, budgets (a YAML block is a workflow, a budget file, or starts with "# fragment")`},
		},
		{
			name: "a fragment on purpose",
			md:   "```yaml\n# fragment\nservices:\n  web: {image: pomo}\n```\n",
		},
		{
			name: "a fragment must still be YAML",
			md:   "```yaml\n# fragment\nkey: [\n```\n",
			want: []string{"3: invalid YAML: did not find expected node content"},
		},
		{
			name: "jobs without on or runs-on",
			md: "```yaml\njobs:\n  merge:\n    steps:\n" +
				"      - uses: actions/download-artifact@v4\n" +
				"      - run: binscope merge shard-*.json\n```\n",
			want: []string{
				`2: "on" section is missing in workflow [syntax-check]`,
				`3: "runs-on" section is missing in job "merge" [syntax-check]`,
				`3: job "merge" has no runs-on`,
				`6: job "merge" runs binscope before checking out the repository (actions/checkout)`,
				`6: job "merge" runs binscope before installing it (go install github.com/binscope/binscope/cmd/binscope@` + pin + `)`,
			},
		},
		{
			name: "installed at latest with the project's Go",
			md: "```yaml\n" + strings.NewReplacer(
				"go-version: '1.26.x'", "go-version-file: go.mod",
				"@"+pin, "@latest").Replace(good) + "```\n",
			want: []string{
				`11: job "size" installs binscope@latest, which changes under the workflow: pin it, @` + pin,
				`11: job "size" installs binscope with the Go of go-version-file: go.mod (line 8), the project's, which may be older than go 1.26.0 that binscope needs: set up Go 1.26.x for binscope in a step of its own`,
			},
		},
		{
			name: "installed with too old a Go, at another version",
			md: "```yaml\n" + strings.NewReplacer(
				"'1.26.x'", "'1.25.x'",
				"@"+pin, "@v9.9.9").Replace(good) + "```\n",
			want: []string{
				`11: job "size" installs binscope@v9.9.9, but the docs pin @` + pin + ` (internal/doccheck's pin)`,
				`11: job "size" installs binscope with Go 1.25.x (line 8), older than go 1.26.0 that binscope needs`,
			},
		},
		{
			name: "go run of the module installs and runs it",
			md: "```yaml\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n" +
				"      - run: go run github.com/binscope/binscope/cmd/binscope@" + pin + " check\n```\n",
			want: []string{
				`7: job "a" installs binscope without setting up Go first (actions/setup-go with go-version: '1.26.x')`,
				`7: job "a" runs binscope before checking out the repository (actions/checkout)`,
			},
		},
		{
			name: "go run from binscope's own tree",
			md: "```yaml\n" + strings.Replace(good,
				"go install github.com/binscope/binscope/cmd/binscope@"+pin, "go run ./cmd/binscope version", 1) + "```\n",
			want: []string{
				`11: job "size" runs go run ./cmd/binscope, which only works in binscope's own repository: install binscope (github.com/binscope/binscope/cmd/binscope@` + pin + `)`,
				`15: job "size" runs binscope before installing it (go install github.com/binscope/binscope/cmd/binscope@` + pin + `)`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			blocks, err := fencedBlocks([]byte(tc.md))
			if err != nil {
				t.Fatal(err)
			}
			if len(blocks) != 1 {
				t.Fatalf("%d blocks, want 1", len(blocks))
			}
			var got []string
			for _, p := range checkYAMLBlock("x.md", blocks[0], minGo, lint(t)) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFencedBlocks(t *testing.T) {
	md := "intro\n" +
		"```yaml\na: 1\n```\n" + // 2-4
		"- item\n\n" +
		"  ~~~~ YML extra\n  b: 2\n\n    c: 3\n  ~~~~\n" + // 7-11, indented in a list
		"````sh\n```\n````\n" // 12-14: a shorter run does not close
	got, err := fencedBlocks([]byte(md))
	if err != nil {
		t.Fatal(err)
	}
	want := []block{
		{lang: "yaml", line: 2, text: []byte("a: 1\n")},
		{lang: "yml", line: 7, text: []byte("b: 2\n\n  c: 3\n")},
		{lang: "sh", line: 12, text: []byte("```\n")},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(block{})); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	if _, err := fencedBlocks([]byte("a\n```yaml\nb: 1\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("unclosed fence: got %v, want an error at line 2", err)
	}
}

// TestInstallLines checks what installRe and pinProblem make of install
// lines in prose and scripts.
func TestInstallLines(t *testing.T) {
	tests := []struct {
		line string
		want []string // pinProblem of each install found
	}{
		{"`go install github.com/binscope/binscope/cmd/binscope@" + pin + "`.", []string{""}},
		{"run: go install github.com/binscope/binscope/cmd/binscope@" + pin + ".", []string{""}},
		{"GOBIN=/x go install -v github.com/binscope/binscope/cmd/binscope@main", []string{
			"installs binscope@main, which changes under the workflow: pin it, @" + pin}},
		{"go install github.com/binscope/binscope/cmd/binscope", []string{
			"installs binscope without a version: pin it, github.com/binscope/binscope/cmd/binscope@" + pin}},
		{`go run github.com/binscope/binscope/cmd/binscope@v0.2.0 check && go install github.com/binscope/binscope/cmd/binscope@latest`, []string{
			"installs binscope@v0.2.0, but the docs pin @" + pin + " (internal/doccheck's pin)",
			"installs binscope@latest, which changes under the workflow: pin it, @" + pin}},
		{"go install github.com/other/binscope/cmd/binscope@latest", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, m := range installRe.FindAllStringSubmatch(tc.line, -1) {
			got = append(got, pinProblem(m[2]))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tc.line, diff)
		}
	}
}

func TestGoAtLeast(t *testing.T) {
	tests := []struct {
		v, min string
		want   bool
	}{
		{"1.26.x", "1.26.0", true},
		{"1.26", "1.26.3", true},
		{"1.26.1", "1.26.3", false},
		{"1.27.0", "1.26.3", true},
		{"1.25.x", "1.26.0", false},
		{"2.0", "1.26.0", true},
	}
	for _, tc := range tests {
		got, err := goAtLeast(tc.v, tc.min)
		if err != nil || got != tc.want {
			t.Errorf("goAtLeast(%q, %q) = %v, %v; want %v", tc.v, tc.min, got, err, tc.want)
		}
	}
	for _, v := range []string{"stable", "1", "1.26.x.1", ">=1.26"} {
		if _, err := goAtLeast(v, "1.26.0"); err == nil {
			t.Errorf("goAtLeast(%q) accepted it", v)
		}
	}
}

// lint runs actionlint over a workflow.
func lint(t *testing.T) func(name string, data []byte) []problem {
	return func(name string, data []byte) []problem {
		t.Helper()
		l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{LogWriter: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		errs, err := l.Lint(name, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ps []problem
		for _, e := range errs {
			ps = append(ps, problem{Line: e.Line, Msg: fmt.Sprintf("%s [%s]", e.Message, e.Kind)})
		}
		return ps
	}
}

// binscopeGo is the go line of binscope's go.mod: the oldest Go that
// installs it.
func binscopeGo(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("go.mod has no go line")
	return ""
}

// globs are the files of the patterns, relative to the repository's root.
func globs(t *testing.T, patterns ...string) []string {
	t.Helper()
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, err := filepath.Rel(root, f)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	return files
}

// TestCIDocMentionsWorkflows keeps docs/ci.md pointing at the workflows.
func TestCIDocMentionsWorkflows(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root, "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range globs(t, "docs/ci/*.yml", "docs/ci/*.yaml") {
		if !bytes.Contains(doc, []byte(strings.TrimPrefix(f, "docs/"))) {
			t.Errorf("docs/ci.md does not mention %s", f)
		}
	}
}
