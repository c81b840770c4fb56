package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The templates of a GoReleaser config's build fields are Go templates
// (text/template), but only a little of that language appears in them:
// fields ({{ .Version }}, {{ .Env.X }}), function calls ({{ time
// "2006-01-02" }}), pipelines ({{ .Os | title }}), trim markers and
// if/else/end. This evaluates that much by hand. text/template would do it
// all, but it reaches reflect's MethodByName, which makes the linker keep
// every exported method of every reachable type: measured, it added
// 1,961,984 bytes (+26%) to stripped binscope and broke its own budget, as
// html/template did once (render_html.go). Anything outside this subset is
// an error that names it, never a silent wrong value.

// tmplValue is a value in a template: a string, a bool or a map.
type tmplValue any

// tmplFunc is a function a template may call.
type tmplFunc func(args []tmplValue) (tmplValue, error)

// tmplError is a template the evaluator refuses, with what is wrong.
type tmplError struct{ msg string }

func (e *tmplError) Error() string { return e.msg }

func tmplErrorf(format string, args ...any) error {
	return &tmplError{fmt.Sprintf(format, args...)}
}

// missingEnv is the error of an .Env variable that is not set.
type missingEnv struct{ name string }

func (e *missingEnv) Error() string { return ".Env." + e.name + " is not set" }

// tmplNode is an action or a run of text.
type tmplNode struct {
	text   string // a run of text, when action is ""
	action string // the action's words, trimmed: ".Version", "if .Arm", "end"
}

// lexTemplate splits s into text and actions, applying trim markers.
func lexTemplate(s string) ([]tmplNode, error) {
	var nodes []tmplNode
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			nodes = append(nodes, tmplNode{text: s})
			return nodes, nil
		}
		text := s[:i]
		s = s[i+2:]
		if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "-\t") || strings.HasPrefix(s, "-\n") {
			text = strings.TrimRightFunc(text, unicode.IsSpace)
			s = s[1:]
		}
		nodes = append(nodes, tmplNode{text: text})
		j := strings.Index(s, "}}")
		if j < 0 {
			return nil, tmplErrorf("unclosed action")
		}
		act := s[:j]
		s = s[j+2:]
		if strings.HasSuffix(act, " -") || strings.HasSuffix(act, "\t-") || strings.HasSuffix(act, "\n-") {
			act = act[:len(act)-1]
			s = strings.TrimLeftFunc(s, unicode.IsSpace)
		}
		act = strings.TrimSpace(act)
		if strings.HasPrefix(act, "/*") {
			continue // a comment
		}
		if act == "" {
			return nil, tmplErrorf("missing value for command")
		}
		nodes = append(nodes, tmplNode{action: act})
	}
}

// execTemplate evaluates s with data and funcs.
func execTemplate(s string, data map[string]tmplValue, funcs map[string]tmplFunc) (string, error) {
	nodes, err := lexTemplate(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	// Each open if: whether its branch is being written, and whether one
	// of its branches already was.
	type frame struct{ on, taken, parentOn bool }
	var stack []frame
	on := true
	for _, n := range nodes {
		if n.action == "" {
			if on {
				b.WriteString(n.text)
			}
			continue
		}
		word, rest, _ := strings.Cut(n.action, " ")
		rest = strings.TrimSpace(rest)
		switch word {
		case "if":
			f := frame{parentOn: on}
			if on {
				v, err := evalPipeline(rest, data, funcs)
				if err != nil {
					return "", err
				}
				f.taken = truth(v)
			}
			f.on = on && f.taken
			stack = append(stack, f)
			on = f.on
		case "else":
			if len(stack) == 0 {
				return "", tmplErrorf("unexpected {{else}}")
			}
			f := &stack[len(stack)-1]
			switch {
			case rest == "":
				f.on = f.parentOn && !f.taken
				f.taken = true
			case strings.HasPrefix(rest, "if "):
				f.on = false
				if f.parentOn && !f.taken {
					v, err := evalPipeline(strings.TrimPrefix(rest, "if "), data, funcs)
					if err != nil {
						return "", err
					}
					f.on = truth(v)
					f.taken = f.on
				}
			default:
				return "", tmplErrorf("{{else %s}}: want {{else}} or {{else if …}}", rest)
			}
			on = f.on
		case "end":
			if len(stack) == 0 {
				return "", tmplErrorf("unexpected {{end}}")
			}
			on = stack[len(stack)-1].parentOn
			stack = stack[:len(stack)-1]
		case "range", "with", "define", "template", "block", "break", "continue":
			return "", tmplErrorf("{{%s}} is more template than binscope evaluates (fields, functions, pipelines, if/else)", word)
		default:
			if !on {
				continue
			}
			v, err := evalPipeline(n.action, data, funcs)
			if err != nil {
				return "", err
			}
			b.WriteString(printValue(v))
		}
	}
	if len(stack) > 0 {
		return "", tmplErrorf("unexpected EOF: an {{if}} without {{end}}")
	}
	return b.String(), nil
}

// evalPipeline evaluates "cmd | cmd | …": each command after the first
// gets the value before it as its last argument.
func evalPipeline(s string, data map[string]tmplValue, funcs map[string]tmplFunc) (tmplValue, error) {
	var v tmplValue
	for i, cmd := range splitPipes(s) {
		words, err := splitWords(cmd)
		if err != nil {
			return nil, err
		}
		if len(words) == 0 {
			return nil, tmplErrorf("missing command in %q", s)
		}
		var extra []tmplValue
		if i > 0 {
			extra = []tmplValue{v}
		}
		if v, err = evalCommand(words, extra, data, funcs); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func evalCommand(words []string, extra []tmplValue, data map[string]tmplValue, funcs map[string]tmplFunc) (tmplValue, error) {
	head := words[0]
	if !isIdent(head) || head == "true" || head == "false" {
		if len(words) > 1 || len(extra) > 0 {
			return nil, tmplErrorf("can't give argument to non-function %s", head)
		}
		return evalArg(head, data, funcs)
	}
	f, ok := funcs[head]
	if !ok {
		return nil, tmplErrorf("function %q not defined", head)
	}
	var args []tmplValue
	for _, w := range words[1:] {
		a, err := evalArg(w, data, funcs)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	return f(append(args, extra...))
}

// evalArg evaluates one argument: a field chain, a literal, or a
// parenthesized pipeline.
func evalArg(w string, data map[string]tmplValue, funcs map[string]tmplFunc) (tmplValue, error) {
	switch {
	case strings.HasPrefix(w, "("):
		return evalPipeline(w[1:len(w)-1], data, funcs)
	case strings.HasPrefix(w, `"`) || strings.HasPrefix(w, "`"):
		s, err := strconv.Unquote(w)
		if err != nil {
			return nil, tmplErrorf("bad string %s", w)
		}
		return s, nil
	case w == "true" || w == "false":
		return w == "true", nil
	case w == ".":
		return data, nil
	case strings.HasPrefix(w, "."):
		var v tmplValue = data
		path := ""
		for _, name := range strings.Split(w[1:], ".") {
			m, ok := v.(map[string]tmplValue)
			if !ok {
				return nil, tmplErrorf("can't evaluate field %s in %s", name, "."+path)
			}
			if path == "Env" {
				env, _ := v.(map[string]tmplValue)
				val, ok := env[name]
				if !ok {
					return nil, &missingEnv{name}
				}
				v = val
			} else {
				val, ok := m[name]
				if !ok {
					return nil, tmplErrorf("map has no entry for key %q", name)
				}
				v = val
			}
			path = strings.TrimPrefix(path+"."+name, ".")
		}
		return v, nil
	case w != "" && (w[0] >= '0' && w[0] <= '9' || w[0] == '-'):
		if _, err := strconv.ParseFloat(w, 64); err != nil {
			return nil, tmplErrorf("bad number %s", w)
		}
		return w, nil
	}
	return nil, tmplErrorf("function %q not defined", w)
}

// splitPipes splits at the '|' outside strings and parentheses.
func splitPipes(s string) []string {
	var out []string
	depth, quote, start := 0, byte(0), 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// splitWords splits a command into its words: strings and parenthesized
// pipelines stay whole.
func splitWords(s string) ([]string, error) {
	var out []string
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '`':
			j := i + 1
			for j < len(s) && s[j] != c {
				if c == '"' && s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, tmplErrorf("unterminated quoted string")
			}
			out = append(out, s[i:j+1])
			i = j + 1
		case c == '(':
			depth, j := 0, i
			for ; j < len(s); j++ {
				if s[j] == '(' {
					depth++
				} else if s[j] == ')' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if j >= len(s) {
				return nil, tmplErrorf("unclosed left paren")
			}
			out = append(out, s[i:j+1])
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r\"`(", rune(s[j])) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out, nil
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// truth is text/template's truth for the values here: a non-empty
// string, true, a non-empty map.
func truth(v tmplValue) bool {
	switch x := v.(type) {
	case string:
		return x != ""
	case bool:
		return x
	case map[string]tmplValue:
		return len(x) > 0
	case []string:
		return len(x) > 0
	}
	return v != nil
}

func printValue(v tmplValue) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return "[" + strings.Join(x, " ") + "]"
	case nil:
		return "<no value>"
	}
	return fmt.Sprint(v)
}

// strFunc adapts a function of n strings.
func strFunc(n int, name string, f func(a []string) tmplValue) tmplFunc {
	return func(args []tmplValue) (tmplValue, error) {
		if len(args) != n {
			return nil, tmplErrorf("wrong number of args for %s: want %d got %d", name, n, len(args))
		}
		s := make([]string, n)
		for i, a := range args {
			str, ok := a.(string)
			if !ok {
				if b, isBool := a.(bool); isBool {
					str = strconv.FormatBool(b)
				} else {
					return nil, tmplErrorf("%s: argument %d is not a string", name, i+1)
				}
			}
			s[i] = str
		}
		return f(s), nil
	}
}

// compareValues compares two values as numbers when both are, else as
// strings.
func compareValues(a, b tmplValue) int {
	as, bs := printValue(a), printValue(b)
	af, aerr := strconv.ParseFloat(as, 64)
	bf, berr := strconv.ParseFloat(bs, 64)
	if aerr == nil && berr == nil {
		switch {
		case af < bf:
			return -1
		case af > bf:
			return 1
		}
		return 0
	}
	return strings.Compare(as, bs)
}

// logicFuncs are text/template's builtins of comparison and logic.
var logicFuncs = map[string]tmplFunc{
	"eq": func(a []tmplValue) (tmplValue, error) {
		if len(a) < 2 {
			return nil, tmplErrorf("wrong number of args for eq")
		}
		for _, b := range a[1:] {
			if compareValues(a[0], b) == 0 {
				return true, nil
			}
		}
		return false, nil
	},
	"ne": cmpFunc("ne", func(c int) bool { return c != 0 }),
	"lt": cmpFunc("lt", func(c int) bool { return c < 0 }),
	"le": cmpFunc("le", func(c int) bool { return c <= 0 }),
	"gt": cmpFunc("gt", func(c int) bool { return c > 0 }),
	"ge": cmpFunc("ge", func(c int) bool { return c >= 0 }),
	"not": func(a []tmplValue) (tmplValue, error) {
		if len(a) != 1 {
			return nil, tmplErrorf("wrong number of args for not: want 1 got %d", len(a))
		}
		return !truth(a[0]), nil
	},
	"len": func(a []tmplValue) (tmplValue, error) {
		if len(a) != 1 {
			return nil, tmplErrorf("wrong number of args for len: want 1 got %d", len(a))
		}
		switch x := a[0].(type) {
		case string:
			return strconv.Itoa(len(x)), nil
		case map[string]tmplValue:
			return strconv.Itoa(len(x)), nil
		}
		return nil, tmplErrorf("len of %s", printValue(a[0]))
	},
	"print": func(a []tmplValue) (tmplValue, error) {
		parts := make([]any, len(a))
		for i, v := range a {
			parts[i] = printValue(v)
		}
		return fmt.Sprint(parts...), nil
	},
	"println": func(a []tmplValue) (tmplValue, error) {
		parts := make([]any, len(a))
		for i, v := range a {
			parts[i] = printValue(v)
		}
		return fmt.Sprintln(parts...), nil
	},
	"and": func(a []tmplValue) (tmplValue, error) {
		if len(a) == 0 {
			return nil, tmplErrorf("wrong number of args for and")
		}
		for _, v := range a {
			if !truth(v) {
				return v, nil
			}
		}
		return a[len(a)-1], nil
	},
	"or": func(a []tmplValue) (tmplValue, error) {
		if len(a) == 0 {
			return nil, tmplErrorf("wrong number of args for or")
		}
		for _, v := range a {
			if truth(v) {
				return v, nil
			}
		}
		return a[len(a)-1], nil
	},
	"index": func(a []tmplValue) (tmplValue, error) {
		if len(a) != 2 {
			return nil, tmplErrorf("wrong number of args for index")
		}
		if m, ok := a[0].(map[string]tmplValue); ok {
			return m[printValue(a[1])], nil
		}
		return nil, tmplErrorf("index of a %T", a[0])
	},
	"printf": func(a []tmplValue) (tmplValue, error) {
		if len(a) == 0 {
			return nil, tmplErrorf("wrong number of args for printf")
		}
		rest := make([]any, len(a)-1)
		for i, v := range a[1:] {
			rest[i] = v
		}
		return fmt.Sprintf(printValue(a[0]), rest...), nil
	},
}

func cmpFunc(name string, ok func(int) bool) tmplFunc {
	return func(a []tmplValue) (tmplValue, error) {
		if len(a) != 2 {
			return nil, tmplErrorf("wrong number of args for %s: want 2 got %d", name, len(a))
		}
		return ok(compareValues(a[0], a[1])), nil
	}
}
