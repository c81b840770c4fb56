package dockerfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSize is the largest Dockerfile Parse reads. Real ones are a few
// kilobytes; generated ones with large heredocs stay far below this.
const MaxSize = 8 << 20

// ErrNotDockerfile is the error, wrapped with the reason, for input that
// is not a Dockerfile at all: binary data, no instructions, an unknown
// instruction, or a first instruction other than FROM or ARG.
var ErrNotDockerfile = errors.New("not a Dockerfile")

// File is a parsed Dockerfile.
type File struct {
	// Escape is the escape character: \ by default, ` after # escape=`.
	Escape       byte
	Directives   []Directive
	Instructions []Instruction
}

// Directive is a parser directive from the top of the file.
type Directive struct {
	Name  string // lowercased: syntax, escape, check
	Value string
	Line  int
}

// Instruction is one instruction, its continuation lines joined.
type Instruction struct {
	Cmd     string // the keyword, upper case: FROM, RUN, COPY…
	Line    int    // the line it starts on, 1-based
	EndLine int    // the line it ends on, heredoc bodies included
	// Original is the instruction as written, continuation lines joined
	// and heredoc bodies left out.
	Original string
	// Flags are the --name=value options before the arguments (--from,
	// --chown, --platform, --mount…), in order.
	Flags []Flag
	// Rest is the text after the keyword and the flags, continuation
	// lines joined (escape character and newline removed).
	Rest string
	// JSON is true for the exec form: Rest is a JSON array of strings,
	// and Args holds its elements.
	JSON bool
	// BadJSON is set when Rest looks like the exec form (it starts with
	// [" or [') but is not a JSON array of strings: a single-quoted or
	// comma-less list. Docker then runs it in the shell form, which is
	// never what was meant.
	BadJSON bool
	// Args are the arguments: the JSON array's elements, or Rest split
	// into words on unquoted blanks, quotes kept (the caller expands and
	// unquotes what the instruction allows).
	Args     []string
	Heredocs []Heredoc
	// lines maps offsets in Rest to the physical lines they came from.
	lines []lineStart
}

type lineStart struct{ off, line int }

// LineAt returns the physical line of the byte at offset off of Rest.
func (in *Instruction) LineAt(off int) int {
	line := in.Line
	for _, l := range in.lines {
		if l.off > off {
			break
		}
		line = l.line
	}
	return line
}

// Flag is one --name[=value] option of an instruction.
type Flag struct {
	Name     string // lowercased, without the dashes
	Value    string // as written
	HasValue bool
}

// Flag returns the value of the named flag and whether it is present.
func (in *Instruction) Flag(name string) (string, bool) {
	for _, f := range in.Flags {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// Heredoc is a here-document attached to a RUN, COPY or ADD.
type Heredoc struct {
	Name    string // the terminator word
	Body    string // the lines between the marker and the terminator, each ending in \n
	Expand  bool   // the terminator was unquoted: variables in Body are expanded
	Chomp   bool   // <<-: leading tabs stripped from each line
	Line    int    // the first line of the body
	EndLine int    // the terminator's line
}

// knownInstructions are the instructions of the Dockerfile reference.
var knownInstructions = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true,
	"EXPOSE": true, "FROM": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true,
	"ONBUILD": true, "RUN": true, "SHELL": true, "STOPSIGNAL": true, "USER": true,
	"VOLUME": true, "WORKDIR": true,
}

// heredocInstructions take heredocs.
var heredocInstructions = map[string]bool{"RUN": true, "COPY": true, "ADD": true}

// flagInstructions take --flags before their arguments.
var flagInstructions = map[string]bool{
	"ADD": true, "COPY": true, "FROM": true, "RUN": true, "HEALTHCHECK": true,
}

var directiveRe = regexp.MustCompile(`^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`)

// SyntaxError is an error at a line of the Dockerfile.
type SyntaxError struct {
	Line int
	Msg  string
	// NotDockerfile is set when the error means the input is not a
	// Dockerfile at all, rather than a Dockerfile with a mistake.
	NotDockerfile bool
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Unwrap makes errors.Is(err, ErrNotDockerfile) work.
func (e *SyntaxError) Unwrap() error {
	if e.NotDockerfile {
		return ErrNotDockerfile
	}
	return nil
}

// Parse reads a Dockerfile. Errors carry the line they are about
// ("line 3: unknown instruction "FORM""); input that is not a Dockerfile
// gives an error that wraps ErrNotDockerfile.
func Parse(r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: larger than %d MiB", ErrNotDockerfile, MaxSize>>20)
	}
	return ParseBytes(data)
}

// ParseBytes is Parse for input already in memory.
func ParseBytes(data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(data, 0); i >= 0 || !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: binary data, not text", ErrNotDockerfile)
	}
	p := &parser{lines: splitLines(string(data)), f: &File{Escape: '\\', Directives: []Directive{}, Instructions: []Instruction{}}}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.f, nil
}

func splitLines(s string) []string {
	lines := strings.Split(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

type parser struct {
	lines []string
	i     int // next line, 0-based
	f     *File
}

func (p *parser) parse() error {
	p.directives()
	for p.i < len(p.lines) {
		line := p.lines[p.i]
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		if trimmed == "" || trimmed[0] == '#' {
			p.i++
			continue
		}
		in, err := p.instruction()
		if err != nil {
			return err
		}
		p.f.Instructions = append(p.f.Instructions, in)
	}
	if len(p.f.Instructions) == 0 {
		return fmt.Errorf("%w: no instructions", ErrNotDockerfile)
	}
	for _, in := range p.f.Instructions {
		switch in.Cmd {
		case "ARG":
			continue
		case "FROM":
			return nil
		}
		return &SyntaxError{Line: in.Line, NotDockerfile: in.Line == p.f.Instructions[0].Line,
			Msg: fmt.Sprintf("%s before the first FROM (a Dockerfile starts with FROM, or ARG then FROM)", in.Cmd)}
	}
	return &SyntaxError{Line: p.f.Instructions[0].Line, Msg: "no FROM: a Dockerfile needs at least one build stage (FROM image)"}
}

// directives reads the parser directives at the top of the file.
func (p *parser) directives() {
	seen := map[string]bool{}
	for ; p.i < len(p.lines); p.i++ {
		m := directiveRe.FindStringSubmatch(p.lines[p.i])
		if m == nil {
			return
		}
		name := strings.ToLower(m[1])
		if name != "syntax" && name != "escape" && name != "check" {
			// An unknown directive is a comment, and a comment ends the
			// directives.
			return
		}
		if seen[name] {
			// A repeated directive is a comment too.
			return
		}
		seen[name] = true
		p.f.Directives = append(p.f.Directives, Directive{Name: name, Value: m[2], Line: p.i + 1})
		if name == "escape" && (m[2] == "`" || m[2] == `\`) {
			p.f.Escape = m[2][0]
		}
	}
}

// instruction reads the instruction starting at line p.i, its
// continuation lines and its heredocs.
func (p *parser) instruction() (Instruction, error) {
	start := p.i
	esc := p.f.Escape
	var text strings.Builder
	var lines []lineStart
	for {
		line := p.lines[p.i]
		if text.Len() > 0 {
			t := strings.TrimLeftFunc(line, unicode.IsSpace)
			if t == "" || t[0] == '#' {
				// Comment and blank lines inside a continued
				// instruction are dropped.
				p.i++
				if p.i == len(p.lines) {
					break
				}
				continue
			}
		}
		lines = append(lines, lineStart{off: text.Len(), line: p.i + 1})
		body, cont := continued(line, esc)
		text.WriteString(body)
		p.i++
		if !cont || p.i == len(p.lines) {
			break
		}
	}
	s := strings.TrimLeftFunc(text.String(), unicode.IsSpace)
	lead := text.Len() - len(s)
	kw, rest := s, ""
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		kw, rest = s[:i], s[i:]
	}
	in := Instruction{Cmd: strings.ToUpper(kw), Line: start + 1, Original: strings.TrimSpace(text.String())}
	if !knownInstructions[in.Cmd] {
		return in, &SyntaxError{Line: in.Line, NotDockerfile: len(p.f.Instructions) == 0,
			Msg: fmt.Sprintf("unknown instruction %q", truncate(kw, 40))}
	}
	off := lead + len(kw)
	trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
	off += len(rest) - len(trimmed)
	rest = trimmed
	if flagInstructions[in.Cmd] {
		var n int
		in.Flags, n = parseFlags(rest)
		rest = rest[n:]
		off += n
	}
	in.Rest = strings.TrimRightFunc(rest, unicode.IsSpace)
	for _, l := range lines {
		in.lines = append(in.lines, lineStart{off: max(0, l.off-off), line: l.line})
	}
	if strings.HasPrefix(in.Rest, "[") {
		var args []string
		if err := json.Unmarshal([]byte(in.Rest), &args); err == nil {
			in.JSON, in.Args = true, args
		} else {
			// "[ -f x ]" is the shell's test command, not a try at JSON.
			in.BadJSON = strings.HasPrefix(in.Rest, `["`) || strings.HasPrefix(in.Rest, `['`)
		}
	}
	if !in.JSON {
		in.Args = splitWords(in.Rest, esc, true)
	}
	if heredocInstructions[in.Cmd] && !in.JSON {
		if err := p.heredocs(&in); err != nil {
			return in, err
		}
	}
	in.EndLine = p.i
	if in.EndLine < in.Line {
		in.EndLine = in.Line
	}
	return in, nil
}

// continued strips a trailing escape character (followed by blanks only)
// and reports whether it was there.
func continued(line string, esc byte) (string, bool) {
	t := strings.TrimRight(line, " \t")
	if strings.HasSuffix(t, string(esc)) {
		// An escaped escape character at the end is not a continuation
		// only in the shell; the Dockerfile reference joins regardless.
		return t[:len(t)-1], true
	}
	return line, false
}

// parseFlags reads leading --name[=value] words and returns them with the
// number of bytes they took, blanks after them included.
func parseFlags(s string) ([]Flag, int) {
	var flags []Flag
	n := 0
	for strings.HasPrefix(s[n:], "--") {
		end := n
		quote := byte(0)
		for ; end < len(s); end++ {
			c := s[end]
			if quote == 0 && (c == ' ' || c == '\t') {
				break
			}
			switch {
			case quote != 0 && c == quote:
				quote = 0
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			}
		}
		word := s[n+2 : end]
		if word == "" {
			break
		}
		f := Flag{}
		if i := strings.IndexByte(word, '='); i >= 0 {
			f.Name, f.Value, f.HasValue = strings.ToLower(word[:i]), unquote(word[i+1:]), true
		} else {
			f.Name = strings.ToLower(word)
		}
		flags = append(flags, f)
		for end < len(s) && (s[end] == ' ' || s[end] == '\t') {
			end++
		}
		n = end
	}
	return flags, n
}

// unquote removes one level of matching quotes around a flag value.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// splitWords splits s on blanks outside quotes. With keepQuotes the
// quotes and the escapes (esc and the byte after it) stay in the words,
// for the expansion that follows; without, the quotes are removed, as the
// go command reads a quoted flag list such as -ldflags="-X 'a=b c'". It is
// the package's one quote-aware word splitter.
func splitWords(s string, esc byte, keepQuotes bool) []string {
	words := []string{}
	var cur strings.Builder
	in := false
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case keepQuotes && c == esc && quote != '\'' && i+1 < len(s):
			cur.WriteByte(c)
			cur.WriteByte(s[i+1])
			i++
			in = true
			continue
		case quote != 0:
			if c == quote {
				quote = 0
				if !keepQuotes {
					continue
				}
			}
		case c == '"' || c == '\'':
			quote = c
			if !keepQuotes {
				in = true
				continue
			}
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
			continue
		}
		cur.WriteByte(c)
		in = true
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

var heredocRe = regexp.MustCompile(`^<<(-?)(["']?)([A-Za-z0-9_.\-]+)(["']?)$`)

// heredocs reads the bodies of the heredocs the instruction's words name,
// in order, from the lines that follow it.
func (p *parser) heredocs(in *Instruction) error {
	for _, w := range shellWordsForHeredoc(in.Rest) {
		m := heredocRe.FindStringSubmatch(w)
		if m == nil || m[2] != m[4] {
			continue
		}
		h := Heredoc{Name: m[3], Chomp: m[1] == "-", Expand: m[2] == "", Line: p.i + 1}
		var body strings.Builder
		found := false
		for p.i < len(p.lines) {
			line := p.lines[p.i]
			p.i++
			check := line
			if h.Chomp {
				check = strings.TrimLeft(line, "\t")
			}
			if check == h.Name {
				found = true
				break
			}
			if h.Chomp {
				line = strings.TrimLeft(line, "\t")
			}
			body.WriteString(line)
			body.WriteByte('\n')
		}
		if !found {
			return &SyntaxError{Line: in.Line, Msg: fmt.Sprintf("%s: heredoc <<%s has no terminating %q line", in.Cmd, h.Name, h.Name)}
		}
		h.Body, h.EndLine = body.String(), p.i
		in.Heredocs = append(in.Heredocs, h)
	}
	return nil
}

// shellWordsForHeredoc splits a RUN/COPY line into words the way a shell
// would for spotting heredoc markers: blanks and the operators ; & | ( )
// separate words outside quotes, and a marker may be glued to a
// redirection (cat <<EOF>file).
func shellWordsForHeredoc(s string) []string {
	var words []string
	var cur strings.Builder
	quote := byte(0)
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
			cur.WriteByte(c)
		case c == '<' && i+1 < len(s) && s[i+1] == '<' && cur.Len() > 0 && !strings.HasSuffix(cur.String(), "<"):
			flush()
			cur.WriteByte(c)
		case strings.IndexByte(" \t\n;&|()>", c) >= 0:
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return words
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
