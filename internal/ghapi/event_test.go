package ghapi_test

import (
	"fmt"
	"testing"

	"github.com/binscope/binscope/internal/ghapi"
)

func TestParseEvent(t *testing.T) {
	pr := `{"number": 7, "pull_request": {"number": 7, "head": {"sha": "b2", "ref": "feature", "repo": {"full_name": "%s"}}, "base": {"sha": "a1", "ref": "main", "repo": {"full_name": "octo/pomo"}}}, "repository": {"full_name": "octo/pomo"}}`
	e, err := ghapi.ParseEvent("pull_request", []byte(fmt.Sprintf(pr, "octo/pomo")))
	if err != nil || !e.IsPullRequest() || e.FromFork() {
		t.Fatalf("same-repository pull request: %+v, %v", e, err)
	}
	e, err = ghapi.ParseEvent("pull_request", []byte(fmt.Sprintf(pr, "fork/pomo")))
	if err != nil || !e.FromFork() {
		t.Fatalf("fork's pull request: FromFork false, %v", err)
	}
	for _, bad := range []struct{ name, data string }{
		{"pull_request", `{}`},
		{"pull_request", `{"pull_request": {"number": 1}}`},
		{"workflow_run", `{"workflow_run": {}}`},
		{"push", `[`},
	} {
		if _, err := ghapi.ParseEvent(bad.name, []byte(bad.data)); err == nil {
			t.Errorf("ParseEvent(%s, %s) succeeded", bad.name, bad.data)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add("pull_request", []byte(`{"pull_request": {"number": 1, "head": {"sha": "x"}, "base": {"ref": "main"}}}`))
	f.Add("workflow_run", []byte(`{"workflow_run": {"id": 1, "head_sha": "x", "event": "pull_request"}}`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		e, err := ghapi.ParseEvent(name, data)
		if err == nil {
			e.FromFork()
			e.IsPullRequest()
		}
	})
}
