package dockerfile

import "strings"

// lookupFunc returns a variable's value and whether it is set.
type lookupFunc func(name string) (string, bool)

// expandWord processes one word as the Dockerfile reference does for the
// arguments of ENV, ARG, FROM, COPY, WORKDIR, USER…: quotes removed,
// escapes applied, $NAME, ${NAME}, ${NAME:-word}, ${NAME-word},
// ${NAME:+word}, ${NAME+word} substituted. It returns the result and the
// names of the variables that had no value.
func expandWord(w string, esc byte, lookup lookupFunc) (string, []string) {
	x := expander{esc: esc, lookup: lookup}
	out := x.word(w)
	return out, x.unset
}

type expander struct {
	esc    byte
	lookup lookupFunc
	unset  []string
	// shell: $( … ) and `…` are command substitutions, kept as written;
	// the shell reader sets it.
	shell bool
	// dynamic is set when the word holds a command substitution, whose
	// value binscope cannot know.
	dynamic bool
}

func (x *expander) word(w string) string {
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == x.esc && i+1 < len(w):
			i++
			b.WriteByte(w[i])
		case c == '\'':
			j := strings.IndexByte(w[i+1:], '\'')
			if j < 0 {
				b.WriteString(w[i+1:])
				return b.String()
			}
			b.WriteString(w[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			i = x.doubleQuoted(w, i+1, &b)
		case c == '$':
			i = x.dollar(w, i, &b)
		case x.shell && c == '`':
			j := strings.IndexByte(w[i+1:], '`')
			x.dynamic = true
			if j < 0 {
				b.WriteString(w[i:])
				return b.String()
			}
			b.WriteString(w[i : i+j+2])
			i += j + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// doubleQuoted copies a double-quoted string starting after the opening
// quote at i, and returns the index of the closing quote.
func (x *expander) doubleQuoted(w string, i int, b *strings.Builder) int {
	for ; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '"':
			return i
		case c == x.esc && i+1 < len(w):
			n := w[i+1]
			if n == '"' || n == '$' || n == x.esc || (x.shell && n == '`') {
				b.WriteByte(n)
			} else {
				b.WriteByte(c)
				b.WriteByte(n)
			}
			i++
		case c == '$':
			i = x.dollar(w, i, b)
		case x.shell && c == '`':
			j := strings.IndexByte(w[i+1:], '`')
			x.dynamic = true
			if j < 0 {
				b.WriteString(w[i:])
				return len(w)
			}
			b.WriteString(w[i : i+j+2])
			i += j + 1
		default:
			b.WriteByte(c)
		}
	}
	return i
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameChar(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }

// dollar expands the reference starting with the $ at i and returns the
// index of its last byte.
func (x *expander) dollar(w string, i int, b *strings.Builder) int {
	if i+1 >= len(w) {
		b.WriteByte('$')
		return i
	}
	n := w[i+1]
	switch {
	case n == '{':
		end := matchBrace(w, i+2)
		if end < 0 {
			// An unterminated ${ is kept as written.
			b.WriteString(w[i:])
			return len(w) - 1
		}
		b.WriteString(x.braced(w[i+2 : end]))
		return end
	case x.shell && n == '(':
		end := matchParen(w, i+2)
		x.dynamic = true
		if end < 0 {
			b.WriteString(w[i:])
			return len(w) - 1
		}
		b.WriteString(w[i : end+1])
		return end
	case isNameStart(n):
		j := i + 1
		for j < len(w) && isNameChar(w[j]) {
			j++
		}
		b.WriteString(x.value(w[i+1 : j]))
		return j - 1
	case x.shell && (n >= '0' && n <= '9' || strings.IndexByte("@*#?$!-", n) >= 0):
		// Positional and special shell parameters: unknown, empty.
		return i + 1
	}
	b.WriteByte('$')
	return i
}

// braced expands the inside of ${…}.
func (x *expander) braced(s string) string {
	j := 0
	for j < len(s) && isNameChar(s[j]) {
		j++
	}
	name, mod := s[:j], s[j:]
	if name == "" {
		return "${" + s + "}"
	}
	val, set := x.lookupVar(name)
	nonEmpty := set && val != ""
	switch {
	case mod == "":
		if !set {
			x.unset = append(x.unset, name)
		}
		return val
	case strings.HasPrefix(mod, ":-"):
		if nonEmpty {
			return val
		}
		return x.word(mod[2:])
	case strings.HasPrefix(mod, "-"):
		if set {
			return val
		}
		return x.word(mod[1:])
	case strings.HasPrefix(mod, ":+"):
		if nonEmpty {
			return x.word(mod[2:])
		}
		return ""
	case strings.HasPrefix(mod, "+"):
		if set {
			return x.word(mod[1:])
		}
		return ""
	case strings.HasPrefix(mod, ":?"), strings.HasPrefix(mod, "?"):
		if !set {
			x.unset = append(x.unset, name)
		}
		return val
	}
	// Pattern operators (#, %, /) and the like: the value, unmodified.
	if !set {
		x.unset = append(x.unset, name)
	}
	return val
}

func (x *expander) value(name string) string {
	v, ok := x.lookupVar(name)
	if !ok {
		x.unset = append(x.unset, name)
	}
	return v
}

func (x *expander) lookupVar(name string) (string, bool) {
	if x.lookup == nil {
		return "", false
	}
	return x.lookup(name)
}

// matchBrace returns the index of the } that closes a ${ whose inside
// starts at i, or -1.
func matchBrace(w string, i int) int {
	depth := 1
	for ; i < len(w); i++ {
		switch w[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// matchParen returns the index of the ) that closes a $( whose inside
// starts at i, or -1. Quotes inside are skipped.
func matchParen(w string, i int) int {
	depth := 1
	quote := byte(0)
	for ; i < len(w); i++ {
		c := w[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
