package dockerfile

import (
	"path"
	"regexp"
	"strings"
)

// rawWord is one word of a shell command as written, with its offset in
// the script.
type rawWord struct {
	text string
	off  int
}

// lexShell splits a POSIX shell script into simple commands: lists of
// words, separated by newlines and the operators ; & && | || ( ).
// Redirections and their targets, comments and the fd numbers before a
// redirection are dropped. Quotes, escapes, ${…}, $(…) and `…` stay
// inside their word as written; expanding them is the caller's job.
func lexShell(script string) [][]rawWord {
	var cmds [][]rawWord
	var cur []rawWord
	endCmd := func() {
		if len(cur) > 0 {
			cmds = append(cmds, cur)
			cur = nil
		}
	}
	skipNext := false // the next word is a redirection target
	i := 0
	for i < len(script) {
		c := script[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '\\' && i+1 < len(script) && script[i+1] == '\n':
			i += 2 // a line continuation
		case c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
			endCmd()
			i++
		case c == '#':
			for i < len(script) && script[i] != '\n' {
				i++
			}
		case c == '<' || c == '>':
			for i < len(script) && strings.IndexByte("<>&|-", script[i]) >= 0 {
				i++
			}
			skipNext = true
		default:
			start := i
			i = wordEnd(script, i)
			w := rawWord{text: script[start:i], off: start}
			if i < len(script) && (script[i] == '<' || script[i] == '>') && isDigits(w.text) {
				continue // 2>&1: the fd number of a redirection
			}
			if skipNext {
				skipNext = false
				continue
			}
			cur = append(cur, w)
		}
	}
	endCmd()
	return cmds
}

// wordEnd returns the index just past the shell word starting at i.
func wordEnd(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\':
			i += 2
			continue
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return len(s)
			}
			i += j + 2
			continue
		case c == '"':
			i = closingDoubleQuote(s, i+1) + 1
			continue
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return len(s)
			}
			i += j + 2
			continue
		case c == '$' && i+1 < len(s) && s[i+1] == '(':
			j := matchParen(s, i+2)
			if j < 0 {
				return len(s)
			}
			i = j + 1
			continue
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			j := matchBrace(s, i+2)
			if j < 0 {
				return len(s)
			}
			i = j + 1
			continue
		case strings.IndexByte(" \t\r\n;&|()<>", c) >= 0:
			return i
		}
		i++
	}
	return min(i, len(s))
}

func closingDoubleQuote(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(s) - 1
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var assignRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// shellState is what one RUN's shell knows as it runs: its variables,
// which of them are exported to the commands it starts, and the current
// directory.
type shellState struct {
	vars     map[string]string
	exported map[string]bool
	dir      string
	// depth counts nested sh -c scripts, which stop at maxShellDepth: a
	// variable may hold a script that runs itself.
	depth int
}

const maxShellDepth = 4

func (s *shellState) lookup(name string) (string, bool) {
	v, ok := s.vars[name]
	return v, ok
}

// environ returns the environment a command started now sees.
func (s *shellState) environ() map[string]string {
	env := map[string]string{}
	for k := range s.exported {
		if v, ok := s.vars[k]; ok {
			env[k] = v
		}
	}
	return env
}

// goCommand is a go build or go install found in a script.
type goCommand struct {
	off     int               // offset of the go word in the script
	end     int               // offset just past the command's last word
	env     map[string]string // the environment go sees
	dir     string
	install bool
	args    []string // expanded, after "build"
	raw     []string // the command's words as written, assignments included
	unset   []string
	dynamic bool
}

// findGoCommands runs the script in imitation: it follows variable
// assignments, export, cd and env, and returns each go build and go
// install with the environment and directory it would run with.
func findGoCommands(script string, st *shellState) []goCommand {
	var out []goCommand
	for _, words := range lexShell(script) {
		out = append(out, st.command(words, nil, script)...)
	}
	return out
}

// shellKeywords come before a command without being one.
var shellKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"while": true, "until": true, "!": true, "{": true, "}": true, "time": true, "exec": true,
	"command": true, "nice": true, "nohup": true, "sudo": true,
}

func (st *shellState) expand(w string) (string, []string, bool) {
	x := expander{esc: '\\', lookup: st.lookup, shell: true}
	v := x.word(w)
	return v, x.unset, x.dynamic
}

// command imitates one simple command. prefix holds assignments that an
// env command put before it.
func (st *shellState) command(words []rawWord, prefix map[string]string, script string) []goCommand {
	for len(words) > 0 && shellKeywords[words[0].text] {
		words = words[1:]
	}
	if len(words) == 0 {
		return nil
	}
	switch words[0].text {
	case "for", "case", "function", "select":
		return nil
	}
	assign := map[string]string{}
	for k, v := range prefix {
		assign[k] = v
	}
	var unset []string
	dynamic := false
	n := 0
	for ; n < len(words) && assignRe.MatchString(words[n].text); n++ {
		name, val, _ := strings.Cut(words[n].text, "=")
		v, u, d := st.expand(val)
		assign[name] = v
		unset = append(unset, u...)
		dynamic = dynamic || d
	}
	if n == len(words) {
		// Assignments alone set shell variables; an exported one
		// changes the environment too.
		for k, v := range assign {
			st.vars[k] = v
		}
		return nil
	}
	name, u, d := st.expand(words[n].text)
	unset = append(unset, u...)
	dynamic = dynamic || d
	args := words[n+1:]
	switch path.Base(name) {
	case "export":
		for _, a := range args {
			k, v, hasVal := strings.Cut(a.text, "=")
			if hasVal {
				st.vars[k], _, _ = st.expand(v)
			}
			st.exported[k] = true
		}
		return nil
	case "unset":
		for _, a := range args {
			delete(st.vars, a.text)
			delete(st.exported, a.text)
		}
		return nil
	case "cd":
		if len(args) > 0 {
			if d, _, dyn := st.expand(args[0].text); !dyn && d != "-" {
				st.dir = resolvePath(st.dir, d)
			}
		}
		return nil
	case "env":
		i := 0
		for i < len(args) && strings.HasPrefix(args[i].text, "-") {
			if args[i].text == "-u" {
				i++
			}
			i++
		}
		return st.command(args[min(i, len(args)):], assign, script)
	case "sh", "bash", "ash", "dash":
		for i, a := range args {
			if a.text == "-c" && i+1 < len(args) && st.depth < maxShellDepth {
				inner, _, _ := st.expand(args[i+1].text)
				sub := &shellState{vars: copyMap(st.vars), exported: copyBoolMap(st.exported), dir: st.dir, depth: st.depth + 1}
				for k, v := range assign {
					sub.vars[k] = v
					sub.exported[k] = true
				}
				var out []goCommand
				for _, g := range findGoCommands(inner, sub) {
					// Offsets inside the inner script point at the
					// -c argument in the outer one.
					g.off, g.end = args[i+1].off, args[i+1].off+len(args[i+1].text)
					out = append(out, g)
				}
				return out
			}
		}
		return nil
	case "go":
		if len(args) == 0 {
			return nil
		}
		sub, _, _ := st.expand(args[0].text)
		if sub != "build" && sub != "install" {
			return nil
		}
		g := goCommand{off: words[n].off, end: args[len(args)-1].off + len(args[len(args)-1].text),
			env: st.environ(), dir: st.dir, install: sub == "install"}
		for k, v := range assign {
			g.env[k] = v
		}
		for _, w := range words {
			g.raw = append(g.raw, w.text)
		}
		for _, a := range args[1:] {
			v, u, d := st.expand(a.text)
			unset = append(unset, u...)
			dynamic = dynamic || d
			g.args = append(g.args, v)
		}
		g.unset, g.dynamic = unset, dynamic
		return []goCommand{g}
	}
	return nil
}

// resolvePath resolves p against the directory dir, as cd and WORKDIR do.
func resolvePath(dir, p string) string {
	if p == "" {
		return dir
	}
	if !strings.HasPrefix(p, "/") {
		p = path.Join(cmpOr(dir, "/"), p)
	}
	return path.Clean(p)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyBoolMap(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
