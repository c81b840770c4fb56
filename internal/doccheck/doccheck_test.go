// Package doccheck holds tests of the recipes in docs/: the GitHub
// Actions workflows there must be valid, so that a team can copy them.
package doccheck

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// TestWorkflowsLint runs actionlint, as a library, over every workflow in
// docs/ci. shellcheck and pyflakes are not run: they are programs this
// test cannot count on.
func TestWorkflowsLint(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "ci", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in docs/ci: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			errs := lint(t, f, data)
			for _, e := range errs {
				t.Errorf("%s:%d:%d: %s [%s]", filepath.Base(f), e.Line, e.Column, e.Message, e.Kind)
			}
		})
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
	if errs := lint(t, "bad.yml", bad); len(errs) == 0 {
		t.Error("actionlint accepted a broken workflow")
	}
}

func lint(t *testing.T, name string, data []byte) []*actionlint.Error {
	t.Helper()
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{LogWriter: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(name, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// TestCIDocMentionsWorkflows keeps docs/ci.md pointing at the workflows.
func TestCIDocMentionsWorkflows(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "ci", "*.yml"))
	for _, f := range files {
		if !bytes.Contains(doc, []byte("ci/"+filepath.Base(f))) {
			t.Errorf("docs/ci.md does not mention %s", strings.TrimPrefix(f, "../../"))
		}
	}
}
