package dockerfile

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/binscope/binscope/internal/ldflags"
)

// Plan is what a Dockerfile does, followed instruction by instruction:
// its stages, the go builds its RUN lines run, what each COPY and ADD
// brings in, and the other RUN lines.
type Plan struct {
	Stages   []Stage
	GoBuilds []GoBuild
	Copies   []Copy
	Runs     []Run
}

// Stage is one FROM and the instructions up to the next FROM.
type Stage struct {
	Index    int
	Name     string // the AS name, lowercased (stage names ignore case); "" when unnamed
	From     string // the image or stage it starts from, build arguments substituted
	Platform string // the --platform flag, substituted
	Line     int    // the FROM line
	// Parent is the index of the stage it starts from (FROM builder), or
	// -1 when it starts from an image.
	Parent  int
	Env     map[string]string // ENV values at the end of the stage, inherited ones included
	Workdir string            // the working directory at the end of the stage
	// User is the last USER of the stage or of the stages it starts from;
	// "" when there is none (the image's own user, root unless the image
	// sets one).
	User     string
	UserLine int
	// Cmd and Entrypoint are the last CMD and ENTRYPOINT, nil when absent.
	Cmd, Entrypoint *Instruction
	// Shell is the SHELL set in the stage (or inherited), nil for the
	// default /bin/sh -c.
	Shell []string
}

// Run is a RUN instruction.
type Run struct {
	Stage int
	Line  int
	JSON  bool
	// BadJSON: the arguments look like the exec form but are not JSON
	// (see Instruction.BadJSON).
	BadJSON bool
	// Script is the command: the shell form's text, the exec form's
	// arguments joined by spaces, or, for RUN <<EOF, the heredoc's body.
	Script string
}

// Copy is a COPY or ADD.
type Copy struct {
	Stage int
	Line  int
	Cmd   string // COPY or ADD
	// From is the --from value, lowercased: a stage name or index, or an
	// image; "" copies from the build context.
	From string
	// FromStage is the index of the stage From names, -1 when it names
	// none (the build context, or an image).
	FromStage int
	Sources   []string // as written, build arguments substituted
	// Dest is the destination, absolute (WORKDIR applied), cleaned.
	Dest string
	// DestRaw is the destination as written (substituted, not resolved).
	DestRaw string
	// Flags are the instruction's flags as written (--chown=pomo, …).
	Flags []Flag
	// DestDir is true when Dest is a folder the sources go into: it ended
	// in /, or there are several sources, or a wildcard.
	DestDir bool
	Chown   string
	Chmod   string
	Heredoc bool // the sources are heredocs, not files
}

// GoBuild is a go build (or go install) that a RUN line runs.
type GoBuild struct {
	Stage int
	Line  int // the line the go command is on
	// Command is the command as written: NAME=value prefixes, go, build
	// and its arguments.
	Command string
	// Env is the environment go runs with: ENV and ARG values of the
	// stage, exported shell variables, and the NAME=value prefixes.
	Env map[string]string
	// Dir is the directory it runs in: WORKDIR, cd, then -C.
	Dir     string
	Install bool // go install
	// Packages are the package arguments; empty builds the package in Dir.
	Packages  []string
	LDFlags   []string // the -ldflags value split into words, pattern= prefix removed
	Tags      []string
	Output    string // the -o value, as given; "" without -o
	BuildMode string
	Trimpath  bool
	Race      bool
	// Unset lists variables the command used that have no value (an ARG
	// without a default and no --build-arg, say); Dynamic is set when a
	// command substitution ($(…), `…`) took part. Either makes the
	// prediction less certain.
	Unset   []string
	Dynamic bool
}

// Setting returns an environment variable of the build.
func (b *GoBuild) Setting(name string) (string, bool) {
	v, ok := b.Env[name]
	return v, ok
}

// StripsSymbols reports whether the link drops the symbol table: -ldflags
// with -s (which also drops DWARF, unless -w=0 follows).
func (b *GoBuild) StripsSymbols() bool { s, _ := ldflags.Strips(b.LDFlags); return s }

// StripsDWARF reports whether the link drops DWARF: -w, or -s without
// -w=0.
func (b *GoBuild) StripsDWARF() bool {
	_, w := ldflags.Strips(b.LDFlags)
	return w
}

// ExternalStatic reports whether the ldflags ask the external linker for
// a static link (-extldflags '-static' or -extldflags=-static).
func (b *GoBuild) ExternalStatic() bool {
	for i, w := range b.LDFlags {
		name := strings.TrimLeft(w, "-")
		val := ""
		if k, v, ok := strings.Cut(name, "="); ok {
			name, val = k, v
		} else if name == "extldflags" && i+1 < len(b.LDFlags) {
			val = b.LDFlags[i+1]
		}
		if name == "extldflags" && slices.Contains(strings.Fields(strings.Trim(val, `"'`)), "-static") {
			return true
		}
	}
	return false
}

// OutputPath returns the absolute path of the binary the build writes in
// its stage. name is the file name go build picks without -o (the last
// element of the main package's import path).
func (b *GoBuild) OutputPath(name string) string {
	switch {
	case b.Install:
		if gobin := b.Env["GOBIN"]; gobin != "" {
			return path.Join(resolvePath(b.Dir, gobin), name)
		}
		return path.Join(cmpOr(b.Env["GOPATH"], "/go"), "bin", name)
	case b.Output == "":
		return path.Join(b.Dir, name)
	case strings.HasSuffix(b.Output, "/"):
		return path.Join(resolvePath(b.Dir, b.Output), name)
	}
	return resolvePath(b.Dir, b.Output)
}

// DefaultName guesses the file name go build gives the binary from the
// package argument alone: the last element of a path (./cmd/pomo → pomo,
// example.com/pomo/v2 → pomo), or of Dir for the package in Dir. Knowing
// the import path (go list) gives the exact name. The version of go
// install pkg@version is not part of it (example.com/tool@v1.2.0 → tool).
func (b *GoBuild) DefaultName() string {
	p := b.Dir
	if len(b.Packages) == 1 && !strings.HasSuffix(b.Packages[0], ".go") && !strings.Contains(b.Packages[0], "...") {
		p = resolvePath(b.Dir, b.Packages[0])
		if !strings.HasPrefix(b.Packages[0], ".") && !strings.HasPrefix(b.Packages[0], "/") {
			// An import path, without the version of go install pkg@version.
			p, _, _ = strings.Cut(b.Packages[0], "@")
		}
	}
	return NameFromImportPath(p)
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// NameFromImportPath returns the binary name go build derives from an
// import path: its last element, skipping a major-version suffix.
func NameFromImportPath(p string) string {
	p = strings.TrimSuffix(p, "/")
	base := path.Base(p)
	if majorVersion.MatchString(base) && strings.Contains(p, "/") {
		base = path.Base(path.Dir(p))
	}
	return base
}

// Options change how Evaluate reads a Dockerfile.
type Options struct {
	// BuildArgs are --build-arg values; they override ARG defaults.
	BuildArgs map[string]string
}

// Evaluate follows the Dockerfile's instructions and returns its plan.
func (f *File) Evaluate(opts Options) *Plan {
	e := &evaluator{f: f, opts: opts, plan: &Plan{Stages: []Stage{}, GoBuilds: []GoBuild{}, Copies: []Copy{}, Runs: []Run{}},
		globals: map[string]string{}}
	for i := range f.Instructions {
		e.instruction(&f.Instructions[i])
	}
	return e.plan
}

type evaluator struct {
	f       *File
	opts    Options
	plan    *Plan
	globals map[string]string // ARGs before the first FROM, with their values
	cur     *Stage
	args    map[string]string // ARGs declared in the current stage
}

// lookup resolves a variable in the current stage: ENV first, then ARG.
func (e *evaluator) lookup(name string) (string, bool) {
	if e.cur == nil {
		v, ok := e.globals[name]
		return v, ok
	}
	if v, ok := e.cur.Env[name]; ok {
		return v, true
	}
	v, ok := e.args[name]
	return v, ok
}

func (e *evaluator) expand(w string) string {
	v, _ := expandWord(w, e.f.Escape, e.lookup)
	return v
}

func (e *evaluator) instruction(in *Instruction) {
	if in.Cmd == "FROM" {
		e.from(in)
		return
	}
	if in.Cmd == "ARG" {
		e.arg(in)
		return
	}
	if e.cur == nil {
		return
	}
	switch in.Cmd {
	case "ENV":
		for k, v := range e.pairs(in) {
			e.cur.Env[k] = v
		}
	case "WORKDIR":
		if len(in.Args) > 0 {
			e.cur.Workdir = resolvePath(e.cur.Workdir, e.expand(strings.Join(in.Args, " ")))
		}
	case "USER":
		if len(in.Args) > 0 {
			e.cur.User, e.cur.UserLine = e.expand(in.Args[0]), in.Line
		}
	case "CMD":
		e.cur.Cmd = in
	case "ENTRYPOINT":
		e.cur.Entrypoint = in
	case "SHELL":
		if in.JSON {
			e.cur.Shell = in.Args
		}
	case "RUN":
		e.run(in)
	case "COPY", "ADD":
		e.copy(in)
	}
}

func (e *evaluator) from(in *Instruction) {
	st := Stage{Index: len(e.plan.Stages), Line: in.Line, Parent: -1, Env: map[string]string{}, Workdir: "/"}
	expandGlobal := func(w string) string {
		v, _ := expandWord(w, e.f.Escape, func(name string) (string, bool) {
			v, ok := e.globals[name]
			return v, ok
		})
		return v
	}
	if len(in.Args) > 0 {
		st.From = expandGlobal(in.Args[0])
	}
	if len(in.Args) >= 3 && strings.EqualFold(in.Args[1], "AS") {
		st.Name = strings.ToLower(in.Args[2])
	}
	if p, ok := in.Flag("platform"); ok {
		st.Platform = expandGlobal(p)
	}
	if parent := e.stageIndex(strings.ToLower(st.From)); parent >= 0 {
		ps := e.plan.Stages[parent]
		st.Parent = parent
		st.Env, st.Workdir = copyMap(ps.Env), ps.Workdir
		st.User, st.UserLine = ps.User, ps.UserLine
		st.Cmd, st.Entrypoint, st.Shell = ps.Cmd, ps.Entrypoint, ps.Shell
	}
	e.plan.Stages = append(e.plan.Stages, st)
	e.cur = &e.plan.Stages[len(e.plan.Stages)-1]
	e.args = map[string]string{}
}

// stageIndex returns the index of the stage a --from or FROM names: by
// name, or by number for --from; -1 when none.
func (e *evaluator) stageIndex(ref string) int {
	for i, s := range e.plan.Stages {
		if s.Name != "" && s.Name == ref {
			return i
		}
	}
	return -1
}

func (e *evaluator) arg(in *Instruction) {
	for _, w := range in.Args {
		name, def, hasDef := strings.Cut(w, "=")
		var val string
		set := false
		if hasDef {
			val, set = e.expand(def), true
		}
		if v, ok := e.opts.BuildArgs[name]; ok {
			val, set = v, true
		} else if !hasDef && e.cur != nil {
			// ARG NAME in a stage takes the global default.
			val, set = e.globals[name]
		}
		switch {
		case !set:
			// Declared without a value: substitutions see it unset.
		case e.cur == nil:
			e.globals[name] = val
		default:
			e.args[name] = val
		}
	}
}

// pairs reads ENV's arguments: NAME=value words, or the legacy
// ENV NAME value. Values are substituted with the variables as they were
// before the instruction.
func (e *evaluator) pairs(in *Instruction) map[string]string {
	out := map[string]string{}
	if len(in.Args) == 0 {
		return out
	}
	if !strings.Contains(in.Args[0], "=") {
		rest := strings.TrimSpace(strings.TrimPrefix(in.Rest, in.Args[0]))
		out[in.Args[0]] = e.expand(rest)
		return out
	}
	for _, w := range in.Args {
		k, v, ok := strings.Cut(w, "=")
		if !ok || k == "" {
			continue
		}
		out[k] = e.expand(v)
	}
	return out
}

func (e *evaluator) run(in *Instruction) {
	st := e.cur
	r := Run{Stage: st.Index, Line: in.Line, JSON: in.JSON, BadJSON: in.BadJSON}
	state := &shellState{vars: map[string]string{}, exported: map[string]bool{}, dir: st.Workdir}
	for k, v := range e.args {
		state.vars[k], state.exported[k] = v, true
	}
	for k, v := range st.Env {
		state.vars[k], state.exported[k] = v, true
	}
	type script struct {
		text string
		line func(off int) int
	}
	var scripts []script
	switch {
	case in.JSON:
		r.Script = strings.Join(in.Args, " ")
		if len(in.Args) >= 3 && slices.Contains([]string{"sh", "bash", "ash", "dash"}, path.Base(in.Args[0])) && in.Args[1] == "-c" {
			scripts = append(scripts, script{in.Args[2], func(int) int { return in.Line }})
		} else {
			quoted := make([]string, len(in.Args))
			for i, a := range in.Args {
				quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
			}
			scripts = append(scripts, script{strings.Join(quoted, " "), func(int) int { return in.Line }})
		}
	default:
		r.Script = in.Rest
		scripts = append(scripts, script{in.Rest, in.LineAt})
		for _, h := range in.Heredocs {
			// A heredoc is the script when it is all the RUN has
			// (RUN <<EOF), or the input of a shell (RUN bash <<EOF);
			// otherwise it is some other program's input.
			cmd := strings.Fields(strings.ReplaceAll(in.Rest, "<<", " <<"))
			isScript := len(cmd) == 1 || len(cmd) > 0 && slices.Contains([]string{"sh", "bash", "ash", "dash", "/bin/sh", "/bin/bash"}, cmd[0])
			if !isScript {
				continue
			}
			body := h.Body
			if h.Expand {
				// Unquoted: the Dockerfile substitutes variables.
				body = e.expandHeredoc(body)
			}
			if len(cmd) == 1 {
				r.Script = body
			}
			first := h.Line
			b := body
			scripts = append(scripts, script{body, func(off int) int { return first + strings.Count(b[:min(off, len(b))], "\n") }})
		}
	}
	for _, s := range scripts {
		for _, g := range findGoCommands(s.text, state) {
			e.plan.GoBuilds = append(e.plan.GoBuilds, newGoBuild(st.Index, s.line(g.off), g))
		}
	}
	e.plan.Runs = append(e.plan.Runs, r)
}

// expandHeredoc substitutes variables in an unquoted heredoc body,
// leaving everything else, quotes included, as written.
func (e *evaluator) expandHeredoc(body string) string {
	var b strings.Builder
	x := expander{esc: e.f.Escape, lookup: e.lookup}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '$' {
			i = x.dollar(body, i, &b)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func newGoBuild(stage, line int, g goCommand) GoBuild {
	b := GoBuild{Stage: stage, Line: line, Env: g.env, Dir: g.dir, Install: g.install,
		Command: strings.Join(g.raw, " "), Unset: g.unset, Dynamic: g.dynamic,
		Packages: []string{}, LDFlags: []string{}, Tags: []string{}}
	args := g.args
	if flags := strings.Fields(g.env["GOFLAGS"]); len(flags) > 0 {
		args = append(flags, args...)
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			b.Packages = append(b.Packages, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			b.Packages = append(b.Packages, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !hasVal && valueFlags[name] && i+1 < len(args) {
			i++
			val = args[i]
		}
		switch name {
		case "C":
			b.Dir = resolvePath(b.Dir, val)
		case "o":
			b.Output = val
		case "ldflags":
			b.LDFlags = splitWords(stripPattern(val), 0, false)
		case "tags":
			b.Tags = strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == ' ' })
		case "buildmode":
			b.BuildMode = val
		case "trimpath":
			b.Trimpath = !hasVal || val == "true"
		case "race":
			b.Race = !hasVal || val == "true"
		}
	}
	return b
}

// valueFlags are the go build flags that take a value.
var valueFlags = map[string]bool{
	"C": true, "o": true, "p": true, "asmflags": true, "buildmode": true, "compiler": true,
	"gccgoflags": true, "gcflags": true, "installsuffix": true, "ldflags": true, "mod": true,
	"modfile": true, "overlay": true, "pgo": true, "pkgdir": true, "tags": true, "toolexec": true,
	"covermode": true, "coverpkg": true,
}

// stripPattern removes the package pattern of -ldflags=[pattern=]args.
func stripPattern(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "-") {
		return v
	}
	if i := strings.IndexByte(v, '='); i >= 0 && !strings.ContainsAny(v[:i], " \t'\"") {
		return v[i+1:]
	}
	return v
}

func (e *evaluator) copy(in *Instruction) {
	c := Copy{Stage: e.cur.Index, Line: in.Line, Cmd: in.Cmd, FromStage: -1}
	if v, ok := in.Flag("from"); ok {
		c.From = strings.ToLower(e.expand(v))
		c.FromStage = e.stageIndex(c.From)
		if n, err := strconv.Atoi(c.From); err == nil && n >= 0 && n < len(e.plan.Stages) {
			c.FromStage = n
		}
	}
	if v, ok := in.Flag("chown"); ok {
		c.Chown = e.expand(v)
	}
	if v, ok := in.Flag("chmod"); ok {
		c.Chmod = e.expand(v)
	}
	var words []string
	for _, a := range in.Args {
		words = append(words, e.expand(a))
	}
	if len(words) < 2 {
		return
	}
	c.Sources = words[:len(words)-1]
	if len(in.Heredocs) > 0 {
		c.Heredoc = true
	}
	dest := words[len(words)-1]
	c.DestDir = strings.HasSuffix(dest, "/") || dest == "." || len(c.Sources) > 1 ||
		slices.ContainsFunc(c.Sources, func(s string) bool { return strings.ContainsAny(s, "*?[") })
	c.Dest, c.DestRaw, c.Flags = resolvePath(e.cur.Workdir, dest), dest, in.Flags
	e.plan.Copies = append(e.plan.Copies, c)
}

// StageChain returns the stage and the stages it starts from, the stage
// itself first.
func (p *Plan) StageChain(stage int) []int {
	var out []int
	for i := stage; i >= 0 && len(out) <= len(p.Stages); i = p.Stages[i].Parent {
		out = append(out, i)
	}
	return out
}

// ContextCandidates returns the build-context paths (relative, cleaned,
// "." for the context's root) that may hold the in-stage directory dir,
// from the COPY and ADD lines without --from of the stage and the stages
// it starts from, the latest first. Which one is the directory needs a
// look at the context, so the caller picks the first that exists.
func (p *Plan) ContextCandidates(stage int, dir string) []string {
	chain := p.StageChain(stage)
	var out []string
	for i := len(p.Copies) - 1; i >= 0; i-- {
		c := p.Copies[i]
		if c.From != "" || c.Heredoc || !slices.Contains(chain, c.Stage) {
			continue
		}
		rel, ok := Within(c.Dest, dir)
		if !ok {
			continue
		}
		for _, src := range c.Sources {
			if strings.ContainsAny(src, "*?[") || strings.Contains(src, "://") {
				continue
			}
			s := src
			if c.DestDir && len(c.Sources) > 1 {
				// Several sources into a folder: each keeps its own
				// name there (a folder's contents are copied, though,
				// so both readings are candidates).
				if r2, ok := Within(path.Join(c.Dest, path.Base(src)), dir); ok {
					out = appendCandidate(out, path.Join(s, r2))
				}
			}
			out = appendCandidate(out, path.Join(s, rel))
		}
	}
	return out
}

func appendCandidate(out []string, p string) []string {
	p = path.Clean(strings.TrimPrefix(p, "/"))
	if p == ".." || strings.HasPrefix(p, "../") || slices.Contains(out, p) {
		return out
	}
	return append(out, p)
}

// Within reports whether p is base or inside it, and the path of p
// relative to base ("." when they are the same).
func Within(base, p string) (string, bool) {
	base, p = path.Clean(base), path.Clean(p)
	if base == p {
		return ".", true
	}
	prefix := base
	if prefix != "/" {
		prefix += "/"
	}
	if strings.HasPrefix(p, prefix) {
		return p[len(prefix):], true
	}
	return "", false
}
