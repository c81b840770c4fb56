package doccheck

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// pin is the binscope release every recipe in the docs installs. binscope
// has no tagged release yet: v0.1.0 is the first one's name, which
// docs/ci.md says to replace with a commit until it exists. To move the
// pin, change it here; TestInstallPins then names every doc line that
// still installs another version.
const pin = "v0.1.0"

// module is the path recipes install binscope from.
const module = "github.com/binscope/binscope/cmd/binscope"

var (
	// installRe matches an install of binscope at a version: go install,
	// or go run, which builds and runs it in one step. The version ends
	// where a version's characters do, before the quote or bracket of the
	// prose or script around it.
	installRe = regexp.MustCompile(`go\s+(install|run)\s+(?:-\S+\s+)*` + regexp.QuoteMeta(module) + `(@[\w.+-]*)?`)
	// runRe matches binscope run as a command: at the start of a line or
	// after a blank or a shell operator, and followed by a blank or the end.
	runRe = regexp.MustCompile(`(^|[\s;&|(!])binscope(\s|$)`)
	// sourceRunRe matches binscope run from its own source tree, which a
	// project's workflow does not have.
	sourceRunRe = regexp.MustCompile(`go\s+run\s+\./cmd/binscope\b`)
)

// pinProblem says what is wrong with the version an install line names
// ("" when it names none), or "".
func pinProblem(version string) string {
	switch version = strings.TrimRight(strings.TrimPrefix(version, "@"), "."); version {
	case pin:
		return ""
	case "":
		return fmt.Sprintf("installs binscope without a version: pin it, %s@%s", module, pin)
	case "latest", "main", "master", "HEAD":
		return fmt.Sprintf("installs binscope@%s, which changes under the workflow: pin it, @%s", version, pin)
	}
	return fmt.Sprintf("installs binscope@%s, but the docs pin @%s (internal/doccheck's pin)", version, pin)
}

// setupGo is an actions/setup-go step.
type setupGo struct {
	line        int
	version     string // with: go-version
	versionFile string // with: go-version-file
}

// checkWorkflow checks what actionlint cannot know about a workflow that
// runs binscope: every job says where it runs (runs-on, unless it calls a
// reusable workflow); a job that runs binscope first checks out the
// repository and installs binscope; the install is pinned at pin; and the
// Go that installs it is set up at an explicit version of at least minGo
// (binscope's go.mod), not from the project's go.mod, which may name an
// older Go than binscope builds with. offset is added to every line: the
// line a workflow block of a markdown file starts after.
func checkWorkflow(doc *yaml.Node, minGo string, offset int) []problem {
	var ps []problem
	add := func(n *yaml.Node, format string, args ...any) {
		ps = append(ps, problem{Line: offset + n.Line, Msg: fmt.Sprintf(format, args...)})
	}
	jobs := mapValue(doc.Content[0], "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		add(doc.Content[0], "a workflow without a jobs mapping")
		return ps
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		name, job := jobs.Content[i], jobs.Content[i+1]
		if job.Kind != yaml.MappingNode {
			continue // actionlint says what is wrong
		}
		if mapValue(job, "runs-on") == nil && mapValue(job, "uses") == nil {
			add(name, "job %q has no runs-on", name.Value)
		}
		steps := mapValue(job, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		var (
			checkout, installed, ran bool
			goSetup                  *setupGo
		)
		for _, step := range steps.Content {
			if step.Kind != yaml.MappingNode {
				continue
			}
			uses := mapValue(step, "uses")
			switch {
			case uses == nil:
			case strings.HasPrefix(uses.Value, "binscope/binscope@"):
				// The Action builds binscope from its own source at the ref.
				if v := strings.TrimPrefix(uses.Value, "binscope/binscope@"); v != pin {
					add(uses, "job %q uses the binscope Action at %s, but the docs pin %s (internal/doccheck's pin)", name.Value, v, pin)
				}
			case strings.HasPrefix(uses.Value, "actions/checkout@"):
				checkout = true
			case strings.HasPrefix(uses.Value, "actions/setup-go@"):
				goSetup = &setupGo{line: offset + uses.Line}
				if with := mapValue(step, "with"); with != nil {
					if v := mapValue(with, "go-version"); v != nil {
						goSetup.version = v.Value
					}
					if v := mapValue(with, "go-version-file"); v != nil {
						goSetup.versionFile = v.Value
					}
				}
			}
			run := mapValue(step, "run")
			if run == nil {
				continue
			}
			for _, m := range installRe.FindAllStringSubmatch(run.Value, -1) {
				installed = true
				if msg := pinProblem(m[2]); msg != "" {
					add(run, "job %q %s", name.Value, msg)
				}
				if msg := installGoProblem(goSetup, minGo); msg != "" {
					add(run, "job %q installs binscope %s", name.Value, msg)
				}
			}
			if sourceRunRe.MatchString(run.Value) {
				add(run, "job %q runs go run ./cmd/binscope, which only works in binscope's own repository: install binscope (%s@%s)", name.Value, module, pin)
			}
			// Only the first step that runs binscope is judged: what it
			// lacks, the later ones lack too.
			if ran || !runsBinscope(run.Value) {
				continue
			}
			ran = true
			if !checkout {
				add(run, "job %q runs binscope before checking out the repository (actions/checkout)", name.Value)
			}
			if !installed {
				add(run, "job %q runs binscope before installing it (go install %s@%s)", name.Value, module, pin)
			}
		}
	}
	return ps
}

// runsBinscope says whether a run script runs binscope: as a command, or
// through go run of its module.
func runsBinscope(script string) bool {
	for _, m := range installRe.FindAllStringSubmatch(script, -1) {
		if m[1] == "run" {
			return true
		}
	}
	return runRe.MatchString(installRe.ReplaceAllString(script, ""))
}

// installGoProblem says what is wrong with the Go set up to install
// binscope, or "".
func installGoProblem(s *setupGo, minGo string) string {
	switch {
	case s == nil:
		return "without setting up Go first (actions/setup-go with go-version: '" + minor(minGo) + ".x')"
	case s.version == "" && s.versionFile != "":
		return fmt.Sprintf("with the Go of go-version-file: %s (line %d), the project's, which may be older than go %s that binscope needs: set up Go %s.x for binscope in a step of its own", s.versionFile, s.line, minGo, minor(minGo))
	case s.version == "":
		return fmt.Sprintf("with a setup-go (line %d) that names no go-version: set go-version: '%s.x'", s.line, minor(minGo))
	}
	ok, err := goAtLeast(s.version, minGo)
	switch {
	case err != nil:
		return fmt.Sprintf("with go-version %q (line %d): %v", s.version, s.line, err)
	case !ok:
		return fmt.Sprintf("with Go %s (line %d), older than go %s that binscope needs", s.version, s.line, minGo)
	}
	return ""
}

// minor is "1.26" of "1.26.0".
func minor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

// goAtLeast says whether every Go that setup-go's go-version v may set up
// is at least min (a go.mod go line, such as 1.26.0). v is 1.N, 1.N.x or
// 1.N.P; the first two mean the latest patch release of 1.N.
func goAtLeast(v, min string) (bool, error) {
	vs, err := goVersion(v)
	if err != nil {
		return false, err
	}
	ms, err := goVersion(min)
	if err != nil {
		return false, err
	}
	for i := range vs {
		if vs[i] != ms[i] {
			return vs[i] > ms[i], nil
		}
	}
	return true, nil
}

// goVersion reads 1.N, 1.N.x or 1.N.P as three numbers, a missing or x
// patch as the largest.
func goVersion(v string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(strings.TrimSpace(v), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return out, fmt.Errorf("want a version such as 1.26.x")
	}
	out[2] = 1 << 30
	for i, p := range parts {
		if i == 2 && p == "x" {
			break
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, fmt.Errorf("want a version such as 1.26.x")
		}
		out[i] = n
	}
	return out, nil
}

// mapValue is the value of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
