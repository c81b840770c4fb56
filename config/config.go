// Package config reads binscope's budget file, .binscope.yaml: the
// program to build, the matrix to build it under, and the size budgets
// each cell must keep.
//
// The keys are the option names compare uses in flags and JSON (cgo, goos,
// goarch or platform, strip, tags), so that a matrix reads like
// GoReleaser's builds:
//
//	target: ./cmd/pomo
//	matrix:
//	  cgo: [false, true]
//	  platforms: [linux/amd64, darwin/arm64]
//	  strip: [false, true]
//	  tags: [[], [containers]]
//	  exclude: [{cgo: true, goos: darwin}]
//	budgets:
//	  - name: container image binary
//	    cells: {cgo: 0, strip: true, tags: [containers]}
//	    max_size: 8M
//	    warn_size: 7.5M
//	    linkage: static
//	    stripped: true
//
// The target takes the forms compare takes (a folder relative to the
// file's, an import path, a pattern, pkg@version). The matrix's tags is a
// list of tag sets, one build each; a flat list of two or more tags
// ([a, b]) could be one set or two and is refused with both spellings,
// [[a, b]] and [[a], [b]].
//
// Anchors, aliases and merge keys (<<: *name) may share selectors and
// whole budgets. Every error names the file, line and column and what is
// wrong, and an unknown key suggests the known one it most resembles. Parse reads bytes;
// finding and reading the file is the caller's job.
package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/internal/units"
	"go.yaml.in/yaml/v3"
)

// FileName is the name binscope looks for, from the working folder up to
// the module root.
const FileName = ".binscope.yaml"

// MaxSize is the largest budget file Parse reads. Real ones are a few
// hundred bytes; a larger file is a wrong argument, not a config.
const MaxSize = 1 << 20

// Config is a parsed budget file.
type Config struct {
	File   string // the name it was read from, for messages
	Target string // the package to build, as compare takes it, relative to the file's folder; "" when not set
	Line   int    // line of target

	// Matrix holds the axes the file names; an axis it leaves out is nil,
	// for the caller to fill with compare's default.
	Matrix buildmatrix.Axes
	// PlatformsLine is the line of platforms (or of goos and goarch).
	PlatformsLine int
	// TagsLine is the line of the matrix's tags.
	TagsLine int
	Exclude  []buildmatrix.Selector
	// ExcludeLines are the lines of Exclude's entries.
	ExcludeLines []int
	Settings     buildmatrix.Settings
	// GoReleaser is the path of a GoReleaser config, relative to the
	// file's folder, whose builds are the matrix (goreleaser: FILE);
	// GoReleaserLine is its line.
	GoReleaser     string
	GoReleaserLine int

	Budgets []budget.Budget
}

// Error is a problem in a config file, at a line and column.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// parser carries the file name into every error.
type parser struct{ file string }

func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	e := &Error{File: p.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

var (
	topKeys      = []string{"target", "goreleaser", "matrix", "build", "budgets"}
	matrixKeys   = []string{"cgo", "platforms", "platform", "goos", "goarch", "strip", "tags", "exclude"}
	buildKeys    = []string{"ldflags", "trimpath", "buildmode"}
	selectorKeys = []string{"cgo", "goos", "goarch", "platform", "strip", "tags", "build",
		"goarm", "goamd64", "goarm64", "go386", "gomips", "gomips64", "goppc64", "goriscv64"}
	// budgetKeys are name, cells and the keys of budget's rule table.
	budgetKeys = append([]string{"name", "cells"}, budget.Keys()...)
)

// unreadableLine is the first line of data with a byte YAML refuses to
// read (invalid UTF-8, or a control character other than tab, newline and
// carriage return); 0 when there is none.
func unreadableLine(data []byte) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return i + 1
		}
		for _, r := range string(line) {
			if r < 0x20 && r != '\t' && r != '\r' || r == 0x7f {
				return i + 1
			}
		}
	}
	return 0
}

// Parse reads a budget file's bytes. file names it in errors.
func Parse(data []byte, file string) (*Config, error) {
	p := &parser{file: file}
	if len(data) > MaxSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("%s is larger than any budget file (limit %s)", units.HumanSize(int64(len(data))), units.HumanSize(MaxSize))}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, YAMLError(p.file, data, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: file, Msg: "empty config: want at least a budgets list"}
	}
	// A second document would be ignored silently by a plain decode.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &Error{File: file, Line: next.Line, Msg: "a second YAML document: a budget file is one document (remove the ---)"}
	case err != io.EOF:
		return nil, YAMLError(p.file, data, err)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root, "want a mapping with %s", strings.Join(topKeys, ", "))
	}
	c := &Config{File: file}
	var matrixLine, buildLine int
	err := p.mapping(root, topKeys, func(key, val *yaml.Node) error {
		switch key.Value {
		case "target":
			s, err := p.str(val, "target")
			if err != nil {
				return err
			}
			if s == "" {
				return p.errorf(val, "target is empty: want a package path such as ./cmd/pomo")
			}
			c.Target, c.Line = s, val.Line
		case "goreleaser":
			s, err := p.str(val, "goreleaser")
			if err != nil {
				return err
			}
			if s == "" {
				return p.errorf(val, "goreleaser is empty: want the GoReleaser config's path, such as .goreleaser.yaml")
			}
			c.GoReleaser, c.GoReleaserLine = s, val.Line
		case "matrix":
			matrixLine = key.Line
			return p.matrix(val, c)
		case "build":
			buildLine = key.Line
			return p.build(val, c)
		case "budgets":
			return p.budgets(val, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(c.Budgets) == 0 {
		return nil, &Error{File: file, Line: root.Line, Msg: "no budgets: want a budgets list with at least one rule"}
	}
	if c.GoReleaser != "" {
		// The GoReleaser config is the matrix and the build settings.
		for _, l := range []struct {
			key  string
			line int
		}{{"matrix", matrixLine}, {"build", buildLine}} {
			if l.line > 0 {
				return nil, &Error{File: file, Line: l.line, Msg: fmt.Sprintf("%s and goreleaser (line %d) both given: the GoReleaser config's builds are the matrix and their settings", l.key, c.GoReleaserLine)}
			}
		}
	}
	return c, nil
}

// YAMLError rewrites an error of the YAML decoder reading data, its
// "yaml: line 3: …", as FILE:3: …, with the line counted from 1.
// The decoder leaves the line out when the problem is on the first (its
// marks count from 0 and it prints only a mark that is not 0), and for a
// byte it cannot read at all (invalid UTF-8, a control character), whose
// line data tells.
func YAMLError(file string, data []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(n); err == nil {
				if parserProblems[tail] {
					line++
				}
				if strings.Contains(tail, "tab character") {
					line = tabLine(data, line)
				}
				// A problem found at the end of the stream is on the line
				// after the last; name the last.
				if n := lineCount(data); n > 0 && line > n {
					line = n
				}
				return &Error{File: file, Line: line, Msg: "invalid YAML: " + tail}
			}
		}
	}
	if line := unreadableLine(data); line > 0 {
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + msg}
	}
	if !strings.Contains(msg, "UTF-8") && !strings.Contains(msg, "control characters") && !strings.Contains(msg, "Unicode") {
		return &Error{File: file, Line: 1, Msg: "invalid YAML: " + msg}
	}
	return &Error{File: file, Msg: "invalid YAML: " + msg}
}

// parserProblems are the messages of the decoder's parser, as opposed to
// its scanner. The decoder prints the line of a parser error counting from
// 0 and that of a scanner error counting from 1 (go.yaml.in/yaml/v3's
// parser.fail adds 1 for scanner errors only), so a parser error's line
// needs the 1 added here. The two sets of messages do not overlap.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// lineCount is the number of lines of data, a last one without a newline
// included.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// tabLine is the line of the tab a tab error is about: the decoder names
// the line where the scalar or block around it began, so the first line
// from there whose indentation holds a tab.
func tabLine(data []byte, from int) int {
	for i, line := range strings.Split(string(data), "\n") {
		if i+1 < from {
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") {
			return i + 1
		}
	}
	return from
}

// mapping walks a mapping node's keys in order, refusing unknown and
// repeated keys, and calls fn for each. Keys that merge keys bring in
// (<<: *name) come first, unless the mapping has its own.
func (p *parser) mapping(n *yaml.Node, known []string, fn func(key, val *yaml.Node) error) error {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "want a mapping of %s", strings.Join(known, ", "))
	}
	pairs, err := p.pairs(n, 0)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, kv := range pairs {
		key, val := kv[0], resolve(kv[1])
		if !slices.Contains(known, key.Value) {
			if s := suggest(key.Value, known); s != "" {
				return p.errorf(key, "unknown key %q (did you mean %q?)", key.Value, s)
			}
			return p.errorf(key, "unknown key %q: want one of %s", key.Value, strings.Join(known, ", "))
		}
		if seen[key.Value] {
			return p.errorf(key, "key %q given twice", key.Value)
		}
		seen[key.Value] = true
		if err := fn(key, val); err != nil {
			return err
		}
	}
	return nil
}

// pairs returns the keys and values of a mapping in order, with YAML's
// merge keys (<<: *name, <<: [*a, *b]) replaced by the keys of the
// mappings they name, as https://yaml.org/type/merge.html has it: the
// mapping's own keys override merged ones, and of several merged
// mappings the first to give a key wins. Merged keys come first.
func (p *parser) pairs(n *yaml.Node, depth int) ([][2]*yaml.Node, error) {
	if depth > 16 {
		return nil, p.errorf(n, "<<: merge keys nested too deep")
	}
	var own, merged [][2]*yaml.Node
	ownKeys := map[string]bool{}
	mergedKeys := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.Kind != yaml.ScalarNode || key.ShortTag() != "!!merge" {
			own = append(own, [2]*yaml.Node{key, val})
			ownKeys[key.Value] = true
			continue
		}
		v := resolve(val)
		srcs := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			srcs = v.Content
		}
		for _, src := range srcs {
			src = resolve(src)
			if src.Kind != yaml.MappingNode {
				return nil, p.errorf(val, "<<: want an alias of a mapping (<<: *name) or a list of them")
			}
			sub, err := p.pairs(src, depth+1)
			if err != nil {
				return nil, err
			}
			for _, kv := range sub {
				if !mergedKeys[kv[0].Value] {
					mergedKeys[kv[0].Value] = true
					merged = append(merged, kv)
				}
			}
		}
	}
	out := make([][2]*yaml.Node, 0, len(merged)+len(own))
	for _, kv := range merged {
		if !ownKeys[kv[0].Value] {
			out = append(out, kv)
		}
	}
	return append(out, own...), nil
}

// resolve follows YAML aliases, so that anchors can share selectors.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func (p *parser) str(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n, "%s: want a string", what)
	}
	return n.Value, nil
}

// boolish reads a bool that may also be written 0/1 (as flags write cgo)
// or on/off (as flags write strip).
func (p *parser) boolish(n *yaml.Node, what string) (bool, error) {
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "true", "1", "on", "yes":
			return true, nil
		case "false", "0", "off", "no":
			return false, nil
		}
	}
	return false, p.errorf(n, "%s: want true or false (or 1/0), got %s", what, describe(n))
}

// bools reads a list of bools, or one bool as a list of one.
func (p *parser) bools(n *yaml.Node, what string) ([]bool, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
		if len(items) == 0 {
			return nil, p.errorf(n, "%s: empty list", what)
		}
	}
	var out []bool
	for _, it := range items {
		b, err := p.boolish(resolve(it), what)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

// strs reads a list of strings, or one string as a list of one.
func (p *parser) strs(n *yaml.Node, what string) ([]string, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []string
	for _, it := range items {
		s, err := p.str(resolve(it), what)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// tagSet reads one set of tags: a list of tags, or a string of tags
// separated by commas ("" or [] for none).
func (p *parser) tagSet(n *yaml.Node) ([]string, error) {
	n = resolve(n)
	var raw []string
	switch {
	case n.Kind == yaml.SequenceNode:
		for _, it := range n.Content {
			s, err := p.str(resolve(it), "tags")
			if err != nil {
				return nil, err
			}
			raw = append(raw, s)
		}
	case n.Kind == yaml.ScalarNode && n.Tag != "!!null":
		raw = strings.Split(n.Value, ",")
	case n.Tag == "!!null":
	default:
		return nil, p.errorf(n, "tags: want a list of tags such as [netgo, osusergo]")
	}
	var tags []string
	for _, t := range raw {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if !buildmatrix.ValidTag(t) {
			return nil, p.errorf(n, "tags: %q is not a build tag (letters, digits, '_' and '.')", t)
		}
		tags = append(tags, t)
	}
	return buildmatrix.NormalizeTags(tags), nil
}

// ambiguousTags refuses a matrix's tags written as a flat list of two
// or more tags, [a, b]: read as a list of tag sets, the way the key is
// defined, it is two sets, one per tag (--tags a --tags b); read as the
// tags of one build, the way -tags=a,b and a selector's tags: [a, b] read,
// it is one set. Either reading surprises someone, so the file must say
// which: [[a, b]] or [[a], [b]]. A list that holds a list or an empty set
// ([[], containers], ["", netgo]) shows that its items are sets, and one
// item ([containers]) is one set either way.
func (p *parser) ambiguousTags(n *yaml.Node, sets [][]string) error {
	if len(n.Content) < 2 {
		return nil
	}
	var all []string
	for i, it := range n.Content {
		it = resolve(it)
		if it.Kind != yaml.ScalarNode || it.Tag == "!!null" || len(sets[i]) == 0 {
			return nil
		}
		all = append(all, sets[i]...)
	}
	return p.errorf(n, "tags: %s is ambiguous: write %s for one tag set (like --tags %s) or %s for %d sets, one build each (like %s)",
		flowList(n), setsText([][]string{buildmatrix.NormalizeTags(all)}), strings.Join(buildmatrix.NormalizeTags(all), ","),
		setsText(sets), len(sets), tagsFlags(sets))
}

// flowList writes a list of scalars as YAML's flow style writes it: [a, "b,c"].
func flowList(n *yaml.Node) string {
	var items []string
	for _, it := range n.Content {
		v := resolve(it).Value
		if strings.ContainsAny(v, ",[]{}:#\"' ") {
			v = strconv.Quote(v)
		}
		items = append(items, v)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// setsText writes tag sets as a matrix's tags: [[a, b], [c]].
func setsText(sets [][]string) string {
	var out []string
	for _, s := range sets {
		out = append(out, "["+strings.Join(s, ", ")+"]")
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// tagsFlags writes tag sets as compare's flags: --tags a,b --tags c.
func tagsFlags(sets [][]string) string {
	var out []string
	for _, s := range sets {
		out = append(out, "--tags "+strings.Join(s, ","))
	}
	return strings.Join(out, " ")
}

func (p *parser) platform(n *yaml.Node) (buildmatrix.Platform, error) {
	s, err := p.str(n, "platform")
	if err != nil {
		return buildmatrix.Platform{}, err
	}
	pl, err := buildmatrix.ParsePlatform(s)
	if err != nil {
		return buildmatrix.Platform{}, p.errorf(n, "%v", err)
	}
	return pl, nil
}

func (p *parser) matrix(n *yaml.Node, c *Config) error {
	var goos, goarch []string
	var goosNode *yaml.Node
	err := p.mapping(n, matrixKeys, func(key, val *yaml.Node) error {
		var err error
		switch key.Value {
		case "cgo":
			c.Matrix.CGO, err = p.bools(val, "cgo")
		case "strip":
			c.Matrix.Strip, err = p.bools(val, "strip")
		case "platforms", "platform":
			if len(c.Matrix.Platforms) > 0 {
				return p.errorf(key, "platforms given twice (platform and platforms)")
			}
			items := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				items = val.Content
			}
			for _, it := range items {
				pl, err := p.platform(resolve(it))
				if err != nil {
					return err
				}
				if !slices.Contains(c.Matrix.Platforms, pl) {
					c.Matrix.Platforms = append(c.Matrix.Platforms, pl)
				}
			}
			if len(c.Matrix.Platforms) == 0 {
				return p.errorf(val, "%s: empty list", key.Value)
			}
			c.PlatformsLine = key.Line
		case "goos":
			goos, err = p.strs(val, "goos")
			goosNode = key
		case "goarch":
			goarch, err = p.strs(val, "goarch")
			if goosNode == nil {
				goosNode = key
			}
		case "tags":
			if val.Kind != yaml.SequenceNode || len(val.Content) == 0 {
				return p.errorf(val, "tags: want a list of tag sets, such as [[], [containers]]")
			}
			var sets [][]string
			for _, it := range val.Content {
				set, err := p.tagSet(it)
				if err != nil {
					return err
				}
				sets = append(sets, set)
			}
			if err := p.ambiguousTags(val, sets); err != nil {
				return err
			}
			for _, set := range sets {
				if !slices.ContainsFunc(c.Matrix.TagSets, func(t []string) bool { return slices.Equal(t, set) }) {
					c.Matrix.TagSets = append(c.Matrix.TagSets, set)
				}
			}
			c.TagsLine = key.Line
		case "exclude":
			if val.Kind != yaml.SequenceNode {
				return p.errorf(val, "exclude: want a list of selectors, such as [{cgo: true, goos: darwin}]")
			}
			for _, it := range val.Content {
				sel, err := p.selector(resolve(it), "exclude")
				if err != nil {
					return err
				}
				c.Exclude = append(c.Exclude, sel)
				c.ExcludeLines = append(c.ExcludeLines, it.Line)
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	if goos != nil || goarch != nil {
		if len(c.Matrix.Platforms) > 0 {
			return p.errorf(goosNode, "give platforms or goos/goarch, not both")
		}
		if len(goos) == 0 || len(goarch) == 0 {
			return p.errorf(goosNode, "goos and goarch go together (their cross product makes the platforms); or use platforms: [linux/amd64, …]")
		}
		c.PlatformsLine = goosNode.Line
		for _, o := range goos {
			for _, a := range goarch {
				pl, err := buildmatrix.ParsePlatform(o + "/" + a)
				if err != nil {
					return p.errorf(goosNode, "%v", err)
				}
				c.Matrix.Platforms = append(c.Matrix.Platforms, pl)
			}
		}
	}
	return nil
}

func (p *parser) build(n *yaml.Node, c *Config) error {
	return p.mapping(n, buildKeys, func(key, val *yaml.Node) error {
		switch key.Value {
		case "ldflags":
			s, err := p.str(val, "ldflags")
			c.Settings.LDFlags = strings.TrimSpace(s)
			return err
		case "trimpath":
			b, err := p.boolish(val, "trimpath")
			c.Settings.Trimpath = b
			return err
		case "buildmode":
			s, err := p.str(val, "buildmode")
			if err != nil {
				return err
			}
			switch s {
			case "", "default":
			case "exe", "pie", "c-shared":
				c.Settings.BuildMode = s
			default:
				return p.errorf(val, "buildmode %q: want default, exe, pie or c-shared", s)
			}
		}
		return nil
	})
}

// selector reads a mapping such as {cgo: true, goos: darwin} into a
// partial combination.
func (p *parser) selector(n *yaml.Node, what string) (buildmatrix.Selector, error) {
	var sel buildmatrix.Selector
	err := p.mapping(n, selectorKeys, func(key, val *yaml.Node) error {
		switch key.Value {
		case "cgo":
			b, err := p.boolish(val, what+": cgo")
			sel.CGO = &b
			return err
		case "strip":
			b, err := p.boolish(val, what+": strip")
			sel.Strip = &b
			return err
		case "goos", "goarch":
			s, err := p.str(val, key.Value)
			if err != nil {
				return err
			}
			if (key.Value == "goos" && sel.GOOS != "") || (key.Value == "goarch" && sel.GOARCH != "") {
				return p.errorf(key, "%s given twice (with platform)", key.Value)
			}
			if _, err := buildmatrix.ParsePlatform(s + "/x"); err != nil || strings.Contains(s, "/") || strings.TrimSpace(s) != s {
				return p.errorf(val, "%s %q: want a name such as linux or amd64", key.Value, s)
			}
			if key.Value == "goos" {
				sel.GOOS = s
			} else {
				sel.GOARCH = s
			}
		case "platform":
			if sel.GOOS != "" || sel.GOARCH != "" {
				return p.errorf(key, "platform given with goos or goarch")
			}
			pl, err := p.platform(val)
			sel.GOOS, sel.GOARCH = pl.GOOS, pl.GOARCH
			return err
		case "tags":
			tags, err := p.tagSet(val)
			if tags == nil {
				tags = []string{}
			}
			sel.Tags = &tags
			return err
		default: // build and the variants, as the selector text has them
			v, err := p.str(val, what+": "+key.Value)
			if err != nil {
				return err
			}
			one, err := buildmatrix.ParseSelector(key.Value + "=" + v)
			if err != nil {
				return p.errorf(val, "%s: %v", what, unwrapSelectorText(err))
			}
			if one.Build != "" {
				sel.Build = one.Build
			} else {
				if sel.VariantKey != "" {
					return p.errorf(key, "%s and %s both given: a cell has one variant", sel.VariantKey, key.Value)
				}
				sel.VariantKey, sel.Variant = one.VariantKey, one.Variant
			}
		}
		return nil
	})
	if err == nil && sel.String() == "" {
		return sel, p.errorf(n, "%s: empty selector matches every cell; write cells: all for that", what)
	}
	return sel, err
}

// unwrapSelectorText drops ParseSelector's "invalid selector …:" prefix.
func unwrapSelectorText(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\": "); strings.HasPrefix(msg, "invalid selector") && i >= 0 {
		return msg[i+3:]
	}
	return msg
}

func (p *parser) budgets(n *yaml.Node, c *Config) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return p.errorf(n, "budgets: want a list of budgets, each with a name, cells and rules")
	}
	for i, item := range n.Content {
		b, err := p.budget(resolve(item), i+1)
		if err != nil {
			return err
		}
		c.Budgets = append(c.Budgets, b)
	}
	return nil
}

func (p *parser) budget(n *yaml.Node, index int) (budget.Budget, error) {
	b := budget.Budget{Name: fmt.Sprintf("budget %d", index), Line: n.Line}
	var cellsSeen bool
	// The rules in the order their first key is written; a growth rule's
	// two keys make one rule.
	var rules []*budget.Rule
	var at []*yaml.Node // the first key of each rule
	rule := func(kind budget.Kind, key *yaml.Node) *budget.Rule {
		for _, r := range rules {
			if r.Kind == kind {
				return r
			}
		}
		r := &budget.Rule{Kind: kind, Line: key.Line}
		rules, at = append(rules, r), append(at, key)
		return r
	}
	find := func(kind budget.Kind) *budget.Rule {
		for _, r := range rules {
			if r.Kind == kind {
				return r
			}
		}
		return nil
	}
	err := p.mapping(n, budgetKeys, func(key, val *yaml.Node) error {
		switch key.Value {
		case "name":
			s, err := p.str(val, "name")
			if err != nil {
				return err
			}
			b.Name = s
			return nil
		case "cells":
			cellsSeen = true
			if val.Kind == yaml.ScalarNode && val.Value == "all" {
				b.All = true
				return nil
			}
			if val.Kind != yaml.MappingNode {
				return p.errorf(val, "cells: want all, or a selector such as {cgo: false, strip: true}")
			}
			sel, err := p.selector(val, "cells")
			b.Cells = sel
			return err
		}
		spec, bytes, _ := budget.LookupKey(key.Value) // p.mapping let only known keys through
		return p.ruleValue(rule(spec.Kind, key), spec, bytes, key, val)
	})
	if err != nil {
		return b, err
	}
	if !cellsSeen {
		return b, p.errorf(n, "budget %q: no cells: write cells: all, or a selector such as {cgo: false, strip: true}", b.Name)
	}
	if len(rules) == 0 {
		return b, p.errorf(n, "budget %q has no rule: give %s", b.Name, budget.KindsText())
	}
	for _, r := range rules {
		spec, _ := budget.Lookup(r.Kind)
		if spec.Against == "" {
			continue
		}
		other := find(spec.Against)
		if other == nil {
			return b, &Error{File: p.file, Line: r.Line, Msg: fmt.Sprintf("budget %q: %s needs a %s in the same budget to measure against", b.Name, r.Kind, spec.Against)}
		}
		r.Limit = other.Bytes
	}
	for _, r := range rules {
		spec, _ := budget.Lookup(r.Kind)
		if other := find(spec.Below); spec.Below != "" && other != nil && r.Bytes >= other.Bytes {
			return b, &Error{File: p.file, Line: r.Line, Msg: fmt.Sprintf("budget %q: %s (%d bytes) must be below %s (%d bytes)", b.Name, r.Kind, r.Bytes, other.Kind, other.Bytes)}
		}
	}
	// Keep the rules in the order their keys are written in the file:
	// merged keys (<<: *name) come first in the walk, but sit where their
	// anchor is written.
	order := make([]int, len(rules))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(at[x].Line, at[y].Line), cmp.Compare(at[x].Column, at[y].Column))
	})
	for _, i := range order {
		b.Rules = append(b.Rules, *rules[i])
	}
	return b, nil
}

// ruleValue reads the value of one rule key into r, by the kind of value
// the rule takes; bytes says the key is a growth rule's size half.
func (p *parser) ruleValue(r *budget.Rule, spec budget.Spec, bytes bool, key, val *yaml.Node) error {
	var err error
	switch {
	case bytes, spec.Value == budget.SizeValue:
		r.Bytes, err = p.size(val, key.Value)
		r.HasBytes = true
	case spec.Value == budget.PercentValue, spec.Value == budget.GrowthValue:
		r.Percent, err = p.percent(val, key.Value)
		r.HasPercent = true
	case spec.Value == budget.LinkageValue:
		s, err := p.str(val, key.Value)
		if err != nil {
			return err
		}
		if !budget.ValidLinkage(s) {
			return p.errorf(val, "%s %q: want %s", key.Value, s, budget.LinkagesText())
		}
		r.Linkage = s
	case spec.Value == budget.BoolValue:
		r.Want, err = p.boolish(val, key.Value)
	}
	return err
}

func (p *parser) size(n *yaml.Node, what string) (int64, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, p.errorf(n, "%s: want a size such as 8M, 8MB or 8000000", what)
	}
	v, err := units.ParseLimit(n.Value)
	if err != nil {
		return 0, p.errorf(n, "%s: %v", what, err)
	}
	if v <= 0 {
		return 0, p.errorf(n, "%s: %q is not a positive size", what, n.Value)
	}
	return v, nil
}

func (p *parser) percent(n *yaml.Node, what string) (float64, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, p.errorf(n, "%s: want a percentage such as 5%%", what)
	}
	v, err := units.ParsePercent(n.Value)
	if err != nil {
		return 0, p.errorf(n, "%s: %v", what, err)
	}
	return v, nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return strconv.Quote(n.Value)
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return "nothing"
}

// Suggest returns the known word closest to word, if it is close: within
// two edits; "" otherwise. Unknown keys of a budget file are answered
// with it, and so are unknown build tags.
func Suggest(word string, known []string) string {
	return suggest(word, known)
}

// suggest returns the known key closest to key, if it is close: within
// two edits.
func suggest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b with adjacent
// transpositions counted as one edit (the optimal string alignment
// distance: "jsno" is one from "json", two from "asn1"), by the usual
// dynamic program over three rows; the keys are short.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// ErrNotFound is returned by Find when no budget file is in reach.
var ErrNotFound = errors.New("no " + FileName + " found")
