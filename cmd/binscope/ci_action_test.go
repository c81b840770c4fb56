package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze/budget"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// TestActionFlags holds action.yml to binscope ci: every flag its scripts
// pass is one the ci command takes, and every step output it reads is one
// the command writes. actionlint knows neither.
func TestActionFlags(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Outputs map[string]struct {
			Value string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	ci := newCICmd(&globalOptions{})
	sub := map[string][]string{}
	for _, c := range ci.Commands() {
		c.Flags().VisitAll(func(f *pflag.Flag) { sub[c.Name()] = append(sub[c.Name()], f.Name) })
	}
	outputs := map[string][]string{"check": ciCheckOutputs, "comment": ciCommentOutputs}
	cmdRe := regexp.MustCompile(`\bci (check|comment)\b`)
	flagRe := regexp.MustCompile(`(?:^|[\s(])--([a-z][a-z0-9-]*)`)
	ran := map[string]bool{}
	for _, step := range action.Runs.Steps {
		script, _ := step["run"].(string)
		m := cmdRe.FindStringSubmatch(script)
		if m == nil {
			continue
		}
		name := m[1]
		ran[name] = true
		if id, _ := step["id"].(string); id != name {
			t.Errorf("the step that runs ci %s has id %q; want %q, which outputs are read by", name, id, name)
		}
		for _, f := range flagRe.FindAllStringSubmatch(script, -1) {
			if !slices.Contains(sub[name], f[1]) {
				t.Errorf("action.yml passes --%s to binscope ci %s, which has no such flag", f[1], name)
			}
		}
	}
	for _, name := range []string{"check", "comment"} {
		if !ran[name] {
			t.Errorf("action.yml never runs binscope ci %s", name)
		}
	}
	outRe := regexp.MustCompile(`steps\.(check|comment)\.outputs\.([a-z-]+)`)
	for _, m := range outRe.FindAllStringSubmatch(string(data), -1) {
		if !slices.Contains(outputs[m[1]], m[2]) {
			t.Errorf("action.yml reads steps.%s.outputs.%s, which binscope ci %s does not write (it writes %s)", m[1], m[2], m[1], strings.Join(outputs[m[1]], ", "))
		}
	}
	for name, o := range action.Outputs {
		if o.Value == "" {
			t.Errorf("output %s has no value", name)
		}
	}
}

// A check report with a status that is not binscope's is refused before
// it is rendered: statuses are written unescaped.
func TestCITrusted(t *testing.T) {
	ok := &budget.Report{Status: budget.StatusPass, Counts: map[budget.Status]int{budget.StatusPass: 1},
		Cells: []budget.Cell{{ID: "c", Build: "ok", Status: budget.StatusPass}}}
	if err := ciTrusted(ok); err != nil {
		t.Fatalf("ciTrusted(a real report) = %v", err)
	}
	for name, mutate := range map[string]func(r *budget.Report){
		"status":     func(r *budget.Report) { r.Status = "PASS <img src=x>" },
		"counts":     func(r *budget.Report) { r.Counts["<b>"] = 1 },
		"cell":       func(r *budget.Report) { r.Cells[0].Status = "x" },
		"cell build": func(r *budget.Report) { r.Cells[0].Build = "[link](http://x)" },
	} {
		r := *ok
		r.Counts = map[budget.Status]int{budget.StatusPass: 1}
		r.Cells = append([]budget.Cell(nil), ok.Cells...)
		mutate(&r)
		if err := ciTrusted(&r); err == nil {
			t.Errorf("ciTrusted accepted a report with a forged %s", name)
		}
	}
	ok.Rules = []budget.Result{{Budget: "b", Cell: "c", Status: budget.StatusWarn, Message: "ask @octo/size-team"}}
	body := ciCommentBody(ok, "k", "from @someone", "")
	if !strings.Contains(body, "octo/size-team") || !strings.Contains(body, "someone") {
		t.Fatalf("the comment lost its text:\n%s", body)
	}
	if strings.Contains(strings.ReplaceAll(body, "@\u2060", ""), "@") {
		t.Errorf("the comment holds an @ that would mention someone:\n%s", body)
	}
}
