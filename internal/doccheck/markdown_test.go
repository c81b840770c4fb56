package doccheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/binscope/binscope/config"
	"go.yaml.in/yaml/v3"
)

// block is a fenced code block of a markdown file.
type block struct {
	lang string // the first word of the info string, lowercased
	line int    // the opening fence's line: the block's own line k is line+k
	text []byte
}

// fencedBlocks returns the fenced code blocks of a markdown file, with
// the fence's indentation taken off their lines. A fence is three or more
// backticks or tildes; it is closed by a run of the same character at
// least as long. A block left open at the end of the file is an error:
// CommonMark would close it there, but in a doc it is a forgotten fence
// that swallows the rest of the page.
func fencedBlocks(md []byte) ([]block, error) {
	var (
		blocks []block
		open   *block
		fence  string // the opening run of backticks or tildes
		indent int
	)
	for i, line := range strings.Split(string(md), "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimLeft(line, " ")
		if open == nil {
			run := fenceRun(trimmed)
			if run == "" {
				continue
			}
			info := strings.Fields(trimmed[len(run):])
			lang := ""
			if len(info) > 0 {
				lang = strings.ToLower(info[0])
			}
			open, fence, indent = &block{lang: lang, line: n}, run, len(line)-len(trimmed)
			continue
		}
		if run := fenceRun(trimmed); run != "" && run[0] == fence[0] && len(run) >= len(fence) && strings.TrimSpace(trimmed[len(run):]) == "" {
			blocks = append(blocks, *open)
			open = nil
			continue
		}
		// Take off at most the fence's indentation.
		cut := 0
		for cut < indent && cut < len(line) && line[cut] == ' ' {
			cut++
		}
		open.text = append(open.text, line[cut:]...)
		open.text = append(open.text, '\n')
	}
	if open != nil {
		return blocks, fmt.Errorf("line %d: code fence %s is never closed", open.line, fence)
	}
	return blocks, nil
}

// fenceRun is the run of three or more backticks or tildes s starts with,
// or "".
func fenceRun(s string) string {
	if s == "" || s[0] != '`' && s[0] != '~' {
		return ""
	}
	n := 0
	for n < len(s) && s[n] == s[0] {
		n++
	}
	if n < 3 {
		return ""
	}
	return s[:n]
}

// fragmentMarker, as the first line of a YAML block, says the block is a
// piece of a larger file on purpose: it must still be valid YAML, but it
// is checked neither as a workflow nor as a budget file.
const fragmentMarker = "# fragment"

// problem is something wrong at a line of a doc.
type problem struct {
	Line int
	Msg  string
}

func (p problem) String() string { return fmt.Sprintf("%d: %s", p.Line, p.Msg) }

// checkYAMLBlock checks one YAML block of the markdown file name, whose
// lines it reports as lines of that file. A block is a GitHub workflow
// when it has an on: or a jobs: key (actionlint and checkWorkflow judge
// it), a fragment when it starts with fragmentMarker (it only has to be
// valid YAML), and a budget file otherwise, which binscope's own config
// loader must accept. minGo is the go line of binscope's go.mod; lint
// runs actionlint.
func checkYAMLBlock(name string, b block, minGo string, lint func(name string, data []byte) []problem) []problem {
	at := func(ps []problem) []problem {
		for i := range ps {
			ps[i].Line += b.line
		}
		return ps
	}
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b.text))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			return at([]problem{yamlProblem(err, b.text)})
		}
		docs = append(docs, &doc)
	}
	first, _, _ := strings.Cut(string(b.text), "\n")
	if strings.TrimSpace(first) == fragmentMarker {
		return nil
	}
	if len(docs) == 1 && isWorkflow(docs[0]) {
		return append(at(lint(name, b.text)), checkWorkflow(docs[0], minGo, b.line)...)
	}
	_, err := config.Parse(b.text, name)
	if err == nil {
		return nil
	}
	p := problem{Line: 1, Msg: err.Error()}
	var ce *config.Error
	if errors.As(err, &ce) {
		p.Msg = ce.Msg
		if ce.Line > 0 {
			p.Line = ce.Line
		}
	}
	p.Msg = fmt.Sprintf("as a budget file: %s (a YAML block is a workflow, a budget file, or starts with %q)", p.Msg, fragmentMarker)
	return at([]problem{p})
}

// yamlProblem places the YAML decoder's error at its line of the block,
// as binscope's config loader does.
func yamlProblem(err error, data []byte) problem {
	ce := config.YAMLError("", data, err)
	return problem{Line: max(ce.Line, 1), Msg: ce.Msg}
}

// isWorkflow says whether a YAML document is a GitHub Actions workflow:
// a mapping with an on: or a jobs: key.
func isWorkflow(doc *yaml.Node) bool {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0].Content
	for i := 0; i+1 < len(m); i += 2 {
		if m[i].Value == "on" || m[i].Value == "jobs" {
			return true
		}
	}
	return false
}
