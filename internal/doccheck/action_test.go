package doccheck

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// TestActionLint lints action.yml, the binscope Action, two ways with
// actionlint, which has no linter for an action's own file:
//
//   - its composite steps become the steps of a reusable workflow whose
//     inputs are the action's, so that actionlint checks every expression
//     in them (contexts, step ids and outputs, upload-artifact's inputs and
//     outputs) as it checks a workflow's;
//   - a workflow that uses the action from this repository (uses: ./),
//     so that actionlint reads the metadata as a user's workflow would and
//     checks the inputs given to it.
//
// checkAction then checks what actionlint cannot know (see there).
func TestActionLint(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	for _, p := range checkAction(&doc) {
		t.Errorf("action.yml:%s", p)
	}

	wf, err := actionWorkflow(&doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range lint(t)("action.yml (as a workflow)", wf) {
		// The lines are the generated workflow's; the message names the
		// step or the expression.
		t.Errorf("action.yml, as a workflow: %s", p.Msg)
	}

	proj, err := actionlint.NewProject(absRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	user := []byte(`on: pull_request
permissions:
  pull-requests: write
jobs:
  size:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: ./
        with:
          comment: sticky
          baseline: worktree
          go-version: '1.26.x'
`)
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{LogWriter: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(filepath.Join(absRoot(t), ".github", "workflows", "user.yml"), user, proj)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("a workflow that uses the action: %d: %s [%s]", e.Line, e.Message, e.Kind)
	}
	// The check must be able to fail: an input the action lacks.
	errs, err = l.Lint(filepath.Join(absRoot(t), ".github", "workflows", "user.yml"), []byte(strings.Replace(string(user), "baseline:", "basline:", 1)), proj)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) == 0 {
		t.Error("actionlint accepted an input the action does not have (basline): it did not read action.yml")
	}
}

func absRoot(t *testing.T) string {
	t.Helper()
	r, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// actionWorkflow turns a composite action into a reusable workflow with
// the action's inputs and its steps, for actionlint.
func actionWorkflow(doc *yaml.Node) ([]byte, error) {
	top := doc.Content[0]
	steps := mapValue(mapValue(top, "runs"), "steps")
	if steps == nil {
		return nil, fmt.Errorf("action.yml: no runs.steps")
	}
	inputs := &yaml.Node{Kind: yaml.MappingNode}
	if in := mapValue(top, "inputs"); in != nil {
		for i := 0; i+1 < len(in.Content); i += 2 {
			inputs.Content = append(inputs.Content, in.Content[i], &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				str("type"), str("string"),
			}})
		}
	}
	wf := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		str("on"), {Kind: yaml.MappingNode, Content: []*yaml.Node{
			str("workflow_call"), {Kind: yaml.MappingNode, Content: []*yaml.Node{str("inputs"), inputs}},
		}},
		str("jobs"), {Kind: yaml.MappingNode, Content: []*yaml.Node{
			str("action"), {Kind: yaml.MappingNode, Content: []*yaml.Node{
				str("runs-on"), str("ubuntu-24.04"),
				str("steps"), steps,
			}},
		}},
	}}
	return yaml.Marshal(wf)
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

var (
	inputRef = regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`)
	stepRef  = regexp.MustCompile(`\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
)

// checkAction checks what actionlint cannot know of a composite action:
// every input it declares is used and every one it uses is declared;
// every run step names its shell (a composite requires it); every step
// output it reads, in its steps or its outputs, is of a step that comes
// earlier (or, for outputs, exists); and every output has a description.
func checkAction(doc *yaml.Node) []problem {
	var ps []problem
	add := func(n *yaml.Node, format string, args ...any) {
		ps = append(ps, problem{Line: n.Line, Msg: fmt.Sprintf(format, args...)})
	}
	top := doc.Content[0]
	runs := mapValue(top, "runs")
	if u := mapValue(runs, "using"); u == nil || u.Value != "composite" {
		add(top, "runs.using is not composite")
		return ps
	}
	declared := map[string]*yaml.Node{}
	if in := mapValue(top, "inputs"); in != nil {
		for i := 0; i+1 < len(in.Content); i += 2 {
			declared[in.Content[i].Value] = in.Content[i]
			if mapValue(in.Content[i+1], "description") == nil {
				add(in.Content[i], "input %s has no description", in.Content[i].Value)
			}
		}
	}
	used := map[string]bool{}
	var ids []string
	refs := func(n *yaml.Node, seen []string, what string) {
		walk(n, func(s *yaml.Node) {
			for _, m := range inputRef.FindAllStringSubmatch(s.Value, -1) {
				used[m[1]] = true
				if declared[m[1]] == nil {
					add(s, "%s uses inputs.%s, which the action does not declare", what, m[1])
				}
			}
			for _, m := range stepRef.FindAllStringSubmatch(s.Value, -1) {
				if !slices.Contains(seen, m[1]) {
					add(s, "%s reads steps.%s.outputs.%s, but no step before it has id %s", what, m[1], m[2], m[1])
				}
			}
		})
	}
	steps := mapValue(runs, "steps")
	for i, step := range steps.Content {
		name := fmt.Sprintf("step %d", i+1)
		if n := mapValue(step, "name"); n != nil {
			name = fmt.Sprintf("step %q", n.Value)
		}
		if mapValue(step, "run") != nil && mapValue(step, "shell") == nil {
			add(step, "%s runs a script without shell:, which a composite action requires", name)
		}
		refs(step, ids, name)
		if id := mapValue(step, "id"); id != nil {
			ids = append(ids, id.Value)
		}
	}
	if out := mapValue(top, "outputs"); out != nil {
		for i := 0; i+1 < len(out.Content); i += 2 {
			o := out.Content[i+1]
			if mapValue(o, "description") == nil {
				add(out.Content[i], "output %s has no description", out.Content[i].Value)
			}
			if mapValue(o, "value") == nil {
				add(out.Content[i], "output %s has no value (a composite's outputs need one)", out.Content[i].Value)
			}
			refs(o, ids, "output "+out.Content[i].Value)
		}
	}
	for name, n := range declared {
		if !used[name] {
			add(n, "input %s is declared but no step uses it", name)
		}
	}
	slices.SortFunc(ps, func(a, b problem) int { return a.Line - b.Line })
	return ps
}

// walk calls f on every scalar under n.
func walk(n *yaml.Node, f func(*yaml.Node)) {
	if n.Kind == yaml.ScalarNode {
		f(n)
	}
	for _, c := range n.Content {
		walk(c, f)
	}
}

// TestCheckActionFails shows that checkAction finds what it is for.
func TestCheckActionFails(t *testing.T) {
	bad := `name: x
description: x
inputs:
  unused: {description: never used}
  nodesc: {}
outputs:
  verdict: {description: v, value: "${{ steps.later.outputs.verdict }}"}
runs:
  using: composite
  steps:
    - run: echo ${{ inputs.nodesc }} ${{ inputs.missing }} ${{ steps.later.outputs.x }}
    - id: later
      shell: bash
      run: echo
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(bad), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range checkAction(&doc) {
		got = append(got, p.String())
	}
	want := []string{
		"4: input unused is declared but no step uses it",
		"5: input nodesc has no description",
		"11: step 1 runs a script without shell:, which a composite action requires",
		"11: step 1 uses inputs.missing, which the action does not declare",
		"11: step 1 reads steps.later.outputs.x, but no step before it has id later",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("checkAction did not report %q; got %q", w, got)
		}
	}
}
