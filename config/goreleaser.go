package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/internal/units"
	"go.yaml.in/yaml/v3"
)

// GoReleaser is the build matrix a .goreleaser.yaml describes: the
// binaries GoReleaser's builds and universal_binaries would make, as
// ParseGoReleaser works them out. It is a careful subset of GoReleaser's
// configuration, written here rather than taken from GoReleaser's module,
// whose config package links 56 modules and 6.1M into a program (see
// docs/compare.md): the keys that decide what is built are read, the
// others (archives, hooks, …) are skipped unread.
type GoReleaser struct {
	File string
	// Version is the config's major version: 2 with "version: 2", else 1.
	// It picks the defaults, which differ (see docs/compare.md).
	Version     int
	ProjectName string
	Builds      []GoReleaserBuild
	Universal   []GoReleaserUniversal
	// Warnings are what ParseGoReleaser could not follow and left out:
	// a build of another builder, a template variable not set.
	Warnings []string
}

// GoReleaserBuild is one entry of builds:, with its targets.
type GoReleaserBuild struct {
	ID     string
	Line   int    // the entry's line
	Dir    string // the folder go build runs in, relative to the config's, "." by default
	Main   string // the package, relative to Dir, "." by default
	Binary string // the binary's base name; its template is evaluated per target
	// Skip says why the build is left out (skip: true, another builder);
	// "" when it is built.
	Skip    string
	Targets []GoReleaserTarget
}

// GoReleaserTarget is one binary of a build: its platform and variant,
// and the go build line GoReleaser would run for it, templates evaluated.
type GoReleaserTarget struct {
	GOOS, GOARCH string
	// Variant is the instruction-set variable's value as GoReleaser
	// sets it (GOARM=7, GOAMD64=v1, GOARM64=v8.0), "" when none is.
	Variant string
	// CGO is CGO_ENABLED as the env lists set it, "0" or "1", or ""
	// when neither the top-level env nor the build's does: then it is
	// the go command's default where GoReleaser runs.
	CGO       string
	Env       []string // the other variables, KEY=VALUE, after templates
	LDFlags   string   // the ldflags joined by spaces, as GoReleaser passes them
	Flags     []string // flags, then -asmflags= and -gcflags= of each, as GoReleaser orders them
	Tags      []string
	BuildMode string
	Binary    string
}

// GoReleaserUniversal is one entry of universal_binaries: a macOS
// universal binary joined from the darwin builds of IDs.
type GoReleaserUniversal struct {
	ID      string
	IDs     []string
	Replace bool
	Line    int
}

// TemplateValues are the placeholder values of the template fields that
// depend on a release: compare builds no release, so it states what it
// put in their place. Env is .Env, the environment.
type TemplateValues struct {
	Version, Tag                      string
	Commit, ShortCommit               string
	Date                              time.Time
	Branch                            string
	Env                               map[string]string
	ModulePath                        string
	IsSnapshot                        bool
	ProjectNameFallback, GoOS, GoArch string // the project name when the file has none; .Runtime
}

// PlaceholderValues are the values compare evaluates templates with. The
// commit is 40 hexadecimal digits, as a real one, so that -X flags of
// it add the bytes a release's add.
func PlaceholderValues() TemplateValues {
	return TemplateValues{
		Version:     "0.0.0",
		Tag:         "v0.0.0",
		Commit:      "0000000000000000000000000000000000000000",
		ShortCommit: "0000000",
		Date:        time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC),
		Branch:      "main",
	}
}

// GoReleaser's default platforms and variants, the same in v1 and v2
// (docs: goreleaser.com/customization/builds/go).
var (
	grGOOS   = []string{"linux", "darwin", "windows"}
	grGOARCH = []string{"amd64", "arm64", "386"}
)

// grDefaultVariant is GoReleaser's default value of each variant list. v1
// (from v1.8) sets GOAMD64 and GOARM only, and GOMIPS; v2 (from v2.4)
// sets all of them.
func grDefaultVariant(version int, variable string) string {
	switch variable {
	case "GOAMD64":
		return "v1"
	case "GOARM":
		return "6"
	case "GOMIPS", "GOMIPS64":
		return "hardfloat"
	}
	if version < 2 {
		return ""
	}
	return map[string]string{"GOARM64": "v8.0", "GO386": "sse2", "GOPPC64": "power8", "GORISCV64": "rva20u64"}[variable]
}

// grVariantKeys are the build keys of the variant lists, by variable;
// gomips covers mips64 too, as in GoReleaser.
var grVariantKeys = map[string]string{
	"goamd64": "GOAMD64", "goarm": "GOARM", "goarm64": "GOARM64", "go386": "GO386",
	"gomips": "GOMIPS", "goppc64": "GOPPC64", "goriscv64": "GORISCV64",
}

func grVariantVar(goarch string) string {
	v := buildmatrix.VariantVar(goarch)
	if v == "GOMIPS64" {
		return "GOMIPS"
	}
	return v
}

// grValidTargets are the goos/goarch pairs GoReleaser builds; any other
// pair of the matrix is skipped without a word, as GoReleaser skips it.
// v2.17's list; v1 (v1.26) also builds windows/arm and not
// openbsd/riscv64, which v2 lists as experimental.
var grValidTargets = strings.Fields(`aix/ppc64 android/386 android/amd64 android/arm android/arm64
	darwin/amd64 darwin/arm64 dragonfly/amd64 freebsd/386 freebsd/amd64 freebsd/arm freebsd/arm64
	illumos/amd64 ios/arm64 js/wasm wasip1/wasm linux/386 linux/amd64 linux/arm linux/arm64
	linux/ppc64 linux/ppc64le linux/mips linux/mipsle linux/mips64 linux/mips64le linux/s390x
	linux/riscv64 linux/loong64 netbsd/386 netbsd/amd64 netbsd/arm netbsd/arm64 openbsd/386
	openbsd/amd64 openbsd/arm openbsd/arm64 plan9/386 plan9/amd64 plan9/arm solaris/amd64
	solaris/sparc solaris/sparc64 windows/arm64 windows/386 windows/amd64`)

// grKnown lists the GOOS (i 0) or GOARCH (i 1) values of
// grValidTargets.
func grKnown(i int) []string {
	var out []string
	for _, t := range append(slices.Clone(grValidTargets), "windows/arm", "openbsd/riscv64") {
		f := strings.Split(t, "/")
		if !slices.Contains(out, f[i]) {
			out = append(out, f[i])
		}
	}
	return out
}

// grVariantValid are the values GoReleaser takes for each variant.
var grVariantValid = map[string]*regexp.Regexp{
	"GOAMD64":   regexp.MustCompile(`^v[1-4]$`),
	"GO386":     regexp.MustCompile(`^(sse2|softfloat)$`),
	"GOARM":     regexp.MustCompile(`^(5(,softfloat)?|[67](,softfloat|,hardfloat)?)$`),
	"GOARM64":   regexp.MustCompile(`^(v8\.[0-9]|v9\.[0-5])(,lse|,crypto)*$`),
	"GOMIPS":    regexp.MustCompile(`^(hardfloat|softfloat)$`),
	"GOPPC64":   regexp.MustCompile(`^power(8|9|10)$`),
	"GORISCV64": regexp.MustCompile(`^rva2[023]u64$`),
}

func grValid(version int, goos, goarch string) bool {
	t := goos + "/" + goarch
	switch t {
	case "windows/arm":
		return version < 2
	case "openbsd/riscv64":
		return version >= 2
	}
	return slices.Contains(grValidTargets, t)
}

// grFirstClass are the targets go_first_class and go_118_first_class
// stand for.
var grFirstClass = []string{"darwin_amd64", "darwin_arm64", "linux_386", "linux_amd64", "linux_arm", "linux_arm64", "windows_386", "windows_amd64"}

var grBuildKeys = []string{
	"id", "goos", "goarch", "goamd64", "go386", "goarm", "goarm64", "gomips", "goppc64", "goriscv64",
	"targets", "ignore", "dir", "main", "binary", "hooks", "builder", "mod_timestamp", "skip",
	"gobinary", "tool", "command", "no_unique_dist_dir", "no_main_check", "overrides",
	"buildmode", "ldflags", "tags", "flags", "asmflags", "gcflags", "env",
}

var grTargetKeys = []string{"goos", "goarch", "goamd64", "go386", "goarm", "goarm64", "gomips", "goppc64", "goriscv64"}

var grOverrideKeys = append(slices.Clone(grTargetKeys), "buildmode", "ldflags", "tags", "flags", "asmflags", "gcflags", "env")

var grUniversalKeys = []string{"id", "ids", "name_template", "replace", "hooks", "mod_timestamp"}

// grDetails are a build's go build line before templates: the fields
// overrides replace.
type grDetails struct {
	buildmode                              string
	ldflags, tags, flags, asmflags, gcflag []string
	env                                    []string
	envLines                               []int          // the line of each env entry
	lines                                  map[string]int // each field's line, for template errors
}

// grTarget is a target of the matrix before evaluation.
type grTarget struct {
	goos, goarch, variant string
}

type grBuild struct {
	id, dir, main, binary string
	line, binaryLine      int
	targets               []grTarget
	targetsGiven          bool
	targetsLine           int
	lists                 map[string][]string // goos, goarch and the variant lists
	ignores               []map[string]string
	overrides             []grOverride
	details               grDetails
	skip, skipExpr        string
	skipLine              int
}

type grOverride struct {
	target  map[string]string
	details grDetails
	set     map[string]bool
}

// ParseGoReleaser reads a .goreleaser.yaml and works out the binaries its
// builds make, with templates evaluated with vals. Errors name the file
// and line, as Parse's do.
func ParseGoReleaser(data []byte, file string, vals TemplateValues) (*GoReleaser, error) {
	p := &parser{file: file}
	if len(data) > MaxSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("%s is larger than any GoReleaser config (limit %s)", units.HumanSize(int64(len(data))), units.HumanSize(MaxSize))}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, YAMLError(file, data, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: file, Msg: "empty GoReleaser config"}
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root, "want a mapping, as GoReleaser's config is")
	}
	g := &GoReleaser{File: file, Version: 1}
	var topEnv []string
	var topEnvNode, buildsNode, universalNode *yaml.Node
	var releaseName string
	top, err := p.pairs(root, 0)
	if err != nil {
		return nil, err
	}
	for _, kv := range top {
		key, val := kv[0], resolve(kv[1])
		switch key.Value {
		case "version":
			switch val.Value {
			case "1":
			case "2":
				g.Version = 2
			default:
				return nil, p.errorf(val, "version %s: want 1 or 2, as GoReleaser's configs are", describe(val))
			}
		case "project_name":
			if g.ProjectName, err = p.str(val, "project_name"); err != nil {
				return nil, err
			}
		case "env":
			if topEnv, err = p.strs(val, "env"); err != nil {
				return nil, err
			}
			for _, kv := range topEnv {
				if !strings.Contains(kv, "=") {
					return nil, p.errorf(val, "env: %q is not KEY=VALUE", kv)
				}
			}
			topEnvNode = val
		case "builds":
			buildsNode = val
		case "universal_binaries":
			universalNode = val
		case "release":
			releaseName = grReleaseName(val)
		}
	}
	// GoReleaser's guesses, in its order: the release's repository name,
	// then the module path's last element (the caller's fallback).
	g.ProjectName = cmp.Or(g.ProjectName, releaseName, vals.ProjectNameFallback)
	ev := &grEval{p: p, vals: vals, g: g}
	ev.env = maps.Clone(vals.Env)
	if ev.env == nil {
		ev.env = map[string]string{}
	}
	if topEnvNode != nil {
		// The top-level env is templated once, without a target, each
		// entry seeing those before it.
		if topEnv, err = ev.templateEnv(topEnv, itemLines(topEnvNode), nil); err != nil {
			return nil, err
		}
	}

	var builds []*grBuild
	if buildsNode == nil {
		// No builds: GoReleaser builds the project's main package with
		// the defaults.
		builds = append(builds, &grBuild{line: root.Line})
	} else {
		if buildsNode.Kind != yaml.SequenceNode {
			return nil, p.errorf(buildsNode, "builds: want a list of builds")
		}
		for _, it := range buildsNode.Content {
			b, err := p.grBuild(resolve(it))
			if err != nil {
				return nil, err
			}
			builds = append(builds, b)
		}
	}
	ids := map[string]int{}
	for _, b := range builds {
		b.id = cmp.Or(b.id, g.ProjectName)
		if b.id == "" {
			return nil, &Error{File: file, Line: b.line, Msg: "a build without an id, and no project_name to name it after"}
		}
		if !buildmatrix.ValidBuildID(b.id) {
			return nil, &Error{File: file, Line: b.line, Msg: fmt.Sprintf("build id %q: binscope names cells with ids of letters, digits, '-', '_' and '.'", b.id)}
		}
		if l, ok := ids[b.id]; ok {
			return nil, &Error{File: file, Line: b.line, Msg: fmt.Sprintf("build id %q is also the id of the build at line %d", b.id, l)}
		}
		ids[b.id] = b.line
		if b.skipExpr != "" {
			s, err := ev.apply(b.skipExpr, &yaml.Node{Line: b.skipLine}, nil)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(s) == "true" {
				b.skip = fmt.Sprintf("skip: %s at line %d", b.skipExpr, b.skipLine)
			}
		}
		gb := GoReleaserBuild{ID: b.id, Line: b.line, Dir: cmp.Or(b.dir, "."), Main: cmp.Or(b.main, "."), Skip: b.skip}
		if gb.Skip == "" {
			targets, err := p.grTargets(g.Version, b)
			if err != nil {
				return nil, err
			}
			for _, t := range targets {
				out, err := ev.target(b, t, topEnv)
				if err != nil {
					return nil, err
				}
				gb.Targets = append(gb.Targets, out)
			}
			if len(targets) > 0 {
				gb.Binary = gb.Targets[0].Binary
			}
		}
		g.Builds = append(g.Builds, gb)
	}
	if universalNode != nil {
		if universalNode.Kind != yaml.SequenceNode {
			return nil, p.errorf(universalNode, "universal_binaries: want a list")
		}
		for _, it := range universalNode.Content {
			u := GoReleaserUniversal{Line: it.Line}
			err := p.mapping(it, grUniversalKeys, func(key, val *yaml.Node) error {
				var err error
				switch key.Value {
				case "id":
					u.ID, err = p.str(val, "id")
				case "ids":
					u.IDs, err = p.strs(val, "ids")
				case "replace":
					u.Replace, err = p.boolish(val, "replace")
				}
				return err
			})
			if err != nil {
				return nil, err
			}
			u.ID = cmp.Or(u.ID, g.ProjectName)
			if len(u.IDs) == 0 {
				u.IDs = []string{u.ID}
			}
			for _, id := range u.IDs {
				if _, ok := ids[id]; !ok {
					return nil, &Error{File: file, Line: u.Line, Msg: fmt.Sprintf("universal_binaries: ids names %q, which is no build's id%s", id, didYouMean(id, mapKeys(ids)))}
				}
			}
			if !buildmatrix.ValidBuildID(u.ID) {
				return nil, &Error{File: file, Line: u.Line, Msg: fmt.Sprintf("universal binary id %q: binscope names cells with ids of letters, digits, '-', '_' and '.'", u.ID)}
			}
			// What it joins: the darwin/amd64 and darwin/arm64 binaries of
			// its builds, one per architecture, as a fat file holds them.
			byArch := map[string][]string{}
			for _, b := range g.Builds {
				if b.Skip != "" || !slices.Contains(u.IDs, b.ID) {
					continue
				}
				for _, t := range b.Targets {
					if t.GOOS == "darwin" && (t.GOARCH == "amd64" || t.GOARCH == "arm64") {
						byArch[t.GOARCH] = append(byArch[t.GOARCH], b.ID+" "+cmp.Or(t.Variant, t.GOARCH))
					}
				}
			}
			if len(byArch) == 0 {
				return nil, &Error{File: file, Line: u.Line, Msg: fmt.Sprintf("universal binary %s: builds %s make no darwin/amd64 or darwin/arm64 binary to join", u.ID, strings.Join(u.IDs, ", "))}
			}
			for _, arch := range []string{"amd64", "arm64"} {
				if len(byArch[arch]) > 1 {
					return nil, &Error{File: file, Line: u.Line, Msg: fmt.Sprintf("universal binary %s: builds %s make %d darwin/%s binaries (%s), and a universal binary holds one per architecture", u.ID, strings.Join(u.IDs, ", "), len(byArch[arch]), arch, strings.Join(byArch[arch], ", "))}
				}
			}
			g.Universal = append(g.Universal, u)
		}
	}
	return g, nil
}

// grReleaseName is release.github.name (or gitlab's, or gitea's), which
// GoReleaser names a project without project_name after; "" when none.
func grReleaseName(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for _, forge := range []string{"github", "gitlab", "gitea"} {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value != forge {
				continue
			}
			m := resolve(n.Content[i+1])
			for j := 0; m.Kind == yaml.MappingNode && j+1 < len(m.Content); j += 2 {
				if m.Content[j].Value == "name" && m.Content[j+1].Kind == yaml.ScalarNode && !strings.Contains(m.Content[j+1].Value, "{{") {
					return m.Content[j+1].Value
				}
			}
		}
	}
	return ""
}

func mapKeys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func didYouMean(word string, known []string) string {
	if s := suggest(word, known); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// grBuild reads one entry of builds.
func (p *parser) grBuild(n *yaml.Node) (*grBuild, error) {
	b := &grBuild{line: n.Line, lists: map[string][]string{}}
	b.details.lines = map[string]int{}
	err := p.mapping(n, grBuildKeys, func(key, val *yaml.Node) error {
		var err error
		switch k := key.Value; k {
		case "id":
			b.id, err = p.str(val, "id")
		case "dir":
			b.dir, err = p.str(val, "dir")
		case "main":
			b.main, err = p.str(val, "main")
		case "binary":
			b.binary, err = p.str(val, "binary")
			b.binaryLine = val.Line
		case "goos", "goarch", "goamd64", "go386", "goarm", "goarm64", "gomips", "goppc64", "goriscv64":
			b.lists[k], err = p.strs(val, k)
		case "targets":
			var ts []string
			if ts, err = p.strs(val, "targets"); err != nil {
				return err
			}
			b.targetsGiven, b.targetsLine = true, val.Line
			for _, t := range ts {
				if t == "go_first_class" || t == "go_118_first_class" {
					for _, f := range grFirstClass {
						b.targets = append(b.targets, grParseTarget(f))
					}
					continue
				}
				gt := grParseTarget(t)
				if gt.goos == "" || gt.goarch == "" {
					return p.errorf(val, "targets: %q is not GOOS_GOARCH[_VARIANT], such as linux_amd64_v1", t)
				}
				b.targets = append(b.targets, gt)
			}
		case "ignore":
			if val.Kind != yaml.SequenceNode {
				return p.errorf(val, "ignore: want a list of {goos, goarch, …}")
			}
			for _, it := range val.Content {
				m, err := p.grTargetMap(resolve(it), grTargetKeys, "ignore")
				if err != nil {
					return err
				}
				b.ignores = append(b.ignores, m)
			}
		case "overrides":
			if val.Kind != yaml.SequenceNode {
				return p.errorf(val, "overrides: want a list of {goos, goarch, …, ldflags, …}")
			}
			for _, it := range val.Content {
				o, err := p.grOverride(resolve(it))
				if err != nil {
					return err
				}
				b.overrides = append(b.overrides, o)
			}
		case "skip":
			// v1 takes a bool, v2 a template of one.
			b.skipExpr, err = p.str(val, "skip")
			b.skipLine = val.Line
		case "builder":
			var s string
			if s, err = p.str(val, "builder"); err == nil && s != "go" {
				b.skip = fmt.Sprintf("builder %s at line %d: binscope builds Go", s, val.Line)
			}
		case "command":
			var s string
			if s, err = p.str(val, "command"); err == nil && s != "build" {
				b.skip = fmt.Sprintf("command %s at line %d: binscope measures go build", s, val.Line)
			}
		default:
			err = p.grDetail(&b.details, k, val)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// grDetail reads one field of a go build line into d.
func (p *parser) grDetail(d *grDetails, key string, val *yaml.Node) error {
	var err error
	switch key {
	case "buildmode":
		d.buildmode, err = p.str(val, key)
	case "ldflags":
		d.ldflags, err = p.strs(val, key)
	case "tags":
		d.tags, err = p.strs(val, key)
	case "flags":
		d.flags, err = p.strs(val, key)
	case "asmflags":
		d.asmflags, err = p.strs(val, key)
	case "gcflags":
		d.gcflag, err = p.strs(val, key)
	case "env":
		d.env, err = p.strs(val, key)
		d.envLines = itemLines(val)
		for _, kv := range d.env {
			if !strings.Contains(kv, "=") {
				return p.errorf(val, "env: %q is not KEY=VALUE", kv)
			}
		}
	default:
		return nil // hooks, mod_timestamp, …: nothing to do with what is built
	}
	if d.lines == nil {
		d.lines = map[string]int{}
	}
	d.lines[key] = val.Line
	return err
}

func (p *parser) grTargetMap(n *yaml.Node, known []string, what string) (map[string]string, error) {
	m := map[string]string{}
	err := p.mapping(n, known, func(key, val *yaml.Node) error {
		s, err := p.str(val, what+": "+key.Value)
		m[key.Value] = s
		return err
	})
	return m, err
}

func (p *parser) grOverride(n *yaml.Node) (grOverride, error) {
	o := grOverride{target: map[string]string{}, set: map[string]bool{}}
	err := p.mapping(n, grOverrideKeys, func(key, val *yaml.Node) error {
		if slices.Contains(grTargetKeys, key.Value) {
			s, err := p.str(val, "overrides: "+key.Value)
			o.target[key.Value] = s
			return err
		}
		o.set[key.Value] = true
		return p.grDetail(&o.details, key.Value, val)
	})
	if err == nil && (o.target["goos"] == "" || o.target["goarch"] == "") {
		err = p.errorf(n, "overrides: an override names at least goos and goarch")
	}
	return o, err
}

// grParseTarget reads GOOS_GOARCH[_VARIANT].
func grParseTarget(s string) grTarget {
	f := strings.SplitN(s, "_", 3)
	if len(f) < 2 {
		return grTarget{}
	}
	t := grTarget{goos: f[0], goarch: f[1]}
	if len(f) == 3 {
		t.variant = f[2]
	}
	return t
}

// grTargets works out a build's targets: its targets list, or the matrix
// of goos × goarch × the variant lists, minus the pairs GoReleaser does
// not build and those ignore names. Every target gets its architecture's
// default variant when it has none, as GoReleaser fixes them.
func (p *parser) grTargets(version int, b *grBuild) ([]grTarget, error) {
	fix := func(t grTarget) grTarget {
		if t.variant == "" {
			t.variant = grDefaultVariant(version, grVariantVar(t.goarch))
		}
		return t
	}
	if b.targetsGiven {
		var out []grTarget
		for _, t := range b.targets {
			t = fix(t)
			if v := grVariantVar(t.goarch); t.variant != "" && (v == "" || !grVariantValid[v].MatchString(t.variant)) {
				what := "has no instruction-set variant"
				if v != "" {
					what = fmt.Sprintf("takes %s %s", strings.ToLower(v), grVariantValid[v])
				}
				return nil, &Error{File: p.file, Line: b.targetsLine, Msg: fmt.Sprintf("build %s: target %s_%s_%s: %s %s", b.id, t.goos, t.goarch, t.variant, t.goarch, what)}
			}
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		return out, grGoarmConflict(p, b, out)
	}
	goos, goarch := b.lists["goos"], b.lists["goarch"]
	if len(goos) == 0 {
		goos = grGOOS
	}
	if len(goarch) == 0 {
		goarch = grGOARCH
	}
	for _, o := range goos {
		if !slices.Contains(grKnown(0), o) {
			return nil, &Error{File: p.file, Line: b.line, Msg: fmt.Sprintf("build %s: goos %q is none GoReleaser builds for%s", b.id, o, didYouMean(o, grKnown(0)))}
		}
	}
	for _, a := range goarch {
		if !slices.Contains(grKnown(1), a) {
			return nil, &Error{File: p.file, Line: b.line, Msg: fmt.Sprintf("build %s: goarch %q is none GoReleaser builds for%s", b.id, a, didYouMean(a, grKnown(1)))}
		}
	}
	for key, list := range b.lists {
		v := grVariantKeys[key]
		for _, val := range list {
			if v != "" && !grVariantValid[v].MatchString(val) {
				return nil, &Error{File: p.file, Line: b.line, Msg: fmt.Sprintf("build %s: %s %q is not a value GoReleaser takes (%s)", b.id, key, val, grVariantValid[v])}
			}
		}
	}
	var out []grTarget
	for _, o := range goos {
		for _, a := range goarch {
			if !grValid(version, o, a) {
				continue
			}
			variants := []string{""}
			if v := grVariantVar(a); v != "" {
				list := b.lists[strings.ToLower(v)]
				if len(list) == 0 {
					list = []string{grDefaultVariant(version, v)}
				}
				variants = list
			}
			for _, v := range variants {
				t := grTarget{goos: o, goarch: a, variant: v}
				if grIgnored(b.ignores, t) {
					continue
				}
				out = append(out, t)
			}
		}
	}
	return out, grGoarmConflict(p, b, out)
}

// grGoarmConflict refuses two ABIs of one GOARM version for one GOOS
// (goarm: ["7,softfloat", "7,hardfloat"]), as GoReleaser does: their
// binaries would have one name.
func grGoarmConflict(p *parser, b *grBuild, targets []grTarget) error {
	seen := map[string]string{}
	for _, t := range targets {
		if t.goarch != "arm" {
			continue
		}
		version, _, _ := strings.Cut(t.variant, ",")
		key := t.goos + "/" + version
		if prev, ok := seen[key]; ok && prev != t.variant {
			return &Error{File: p.file, Line: cmp.Or(b.targetsLine, b.line), Msg: fmt.Sprintf("build %s: goarm %s has two ABIs for %s, %q and %q: GoReleaser builds one per GOARM version", b.id, version, t.goos, prev, t.variant)}
		}
		seen[key] = t.variant
	}
	return nil
}

func grIgnored(ignores []map[string]string, t grTarget) bool {
	for _, ig := range ignores {
		if ig["goos"] != "" && ig["goos"] != t.goos || ig["goarch"] != "" && ig["goarch"] != t.goarch {
			continue
		}
		match := true
		for key, v := range ig {
			if key == "goos" || key == "goarch" || v == "" {
				continue
			}
			if grVariantKeys[key] != grVariantVar(t.goarch) || v != t.variant {
				match = false
			}
		}
		if match {
			return true
		}
	}
	return false
}

// grEval evaluates templates.
type grEval struct {
	p    *parser
	vals TemplateValues
	g    *GoReleaser
	// unset are the .Env variables found missing, warned about once.
	unset map[string]bool
	// env is .Env: the process's environment, then the config's env
	// entries as they are templated.
	env map[string]string
}

// itemLines is the line of each item of a list, or of the one scalar.
func itemLines(n *yaml.Node) []int {
	if n.Kind != yaml.SequenceNode {
		return []int{n.Line}
	}
	var out []int
	for _, it := range n.Content {
		out = append(out, it.Line)
	}
	return out
}

// target works out the go build line of t in b.
func (ev *grEval) target(b *grBuild, t grTarget, topEnv []string) (GoReleaserTarget, error) {
	d := b.details
	for _, o := range b.overrides {
		if o.target["goos"] != t.goos || o.target["goarch"] != t.goarch {
			continue
		}
		// GoReleaser compares the override's target, its default variant
		// filled in, with the build's.
		ov := ""
		for key, v := range o.target {
			if key != "goos" && key != "goarch" && grVariantKeys[key] == grVariantVar(t.goarch) {
				ov = v
			}
		}
		if cmp.Or(ov, grDefaultVariant(ev.g.Version, grVariantVar(t.goarch))) != t.variant {
			continue
		}
		od := o.details
		merged := d
		merged.lines = map[string]int{}
		for k, l := range d.lines {
			merged.lines[k] = l
		}
		for k, l := range od.lines {
			merged.lines[k] = l
		}
		if o.set["buildmode"] && od.buildmode != "" {
			merged.buildmode = od.buildmode
		}
		for key, dst := range map[string]*[]string{"ldflags": &merged.ldflags, "tags": &merged.tags, "flags": &merged.flags, "asmflags": &merged.asmflags, "gcflags": &merged.gcflag} {
			src := map[string][]string{"ldflags": od.ldflags, "tags": od.tags, "flags": od.flags, "asmflags": od.asmflags, "gcflags": od.gcflag}[key]
			if len(src) > 0 {
				*dst = src
			}
		}
		merged.env = append(slices.Clone(d.env), od.env...)
		merged.envLines = append(slices.Clone(d.envLines), od.envLines...)
		d = merged
		break
	}
	fields := map[string]string{"Os": t.goos, "Arch": t.goarch, "Target": t.goos + "_" + t.goarch}
	if t.variant != "" {
		fields["Target"] += "_" + t.variant
	}
	for name, v := range map[string]string{"GOAMD64": "Amd64", "GO386": "I386", "GOARM": "Arm", "GOARM64": "Arm64", "GOMIPS": "Mips", "GOPPC64": "Ppc64", "GORISCV64": "Riscv64"} {
		fields[v] = ""
		if grVariantVar(t.goarch) == name {
			fields[v] = t.variant
		}
	}
	line := func(key string) *yaml.Node { return &yaml.Node{Line: cmp.Or(d.lines[key], b.line)} }
	out := GoReleaserTarget{GOOS: t.goos, GOARCH: t.goarch, Variant: t.variant, BuildMode: d.buildmode}
	// The build's env comes after the top-level env, so its value wins.
	// Each entry is templated with the environment the entries before it
	// made (.Env sees them, as GoReleaser's TemplateEnv has it), and so
	// are the flags after; an entry that comes out empty is dropped.
	saved := ev.env
	ev.env = maps.Clone(saved)
	defer func() { ev.env = saved }()
	own, err := ev.templateEnv(d.env, d.envLines, fields)
	if err != nil {
		return out, err
	}
	for _, s := range append(slices.Clone(topEnv), own...) { // topEnv is templated already
		k, v, _ := strings.Cut(s, "=")
		if k == "CGO_ENABLED" {
			out.CGO = v
			continue
		}
		out.Env = slices.DeleteFunc(out.Env, func(e string) bool { return strings.HasPrefix(e, k+"=") })
		out.Env = append(out.Env, s)
	}
	if out.CGO != "" && out.CGO != "0" && out.CGO != "1" {
		return out, ev.p.errorf(line("env"), "env: CGO_ENABLED=%s: want 0 or 1", out.CGO)
	}
	ldflags := d.ldflags
	if len(ldflags) == 0 {
		ldflags = []string{"-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}} -X main.builtBy=goreleaser"}
	}
	var parts []string
	for _, f := range ldflags {
		s, err := ev.apply(f, line("ldflags"), fields)
		if err != nil {
			return out, err
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	out.LDFlags = strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
	for _, f := range d.flags {
		s, err := ev.apply(f, line("flags"), fields)
		if err != nil {
			return out, err
		}
		if s != "" {
			out.Flags = append(out.Flags, s)
		}
	}
	for _, pair := range []struct {
		key  string
		list []string
	}{{"asmflags", d.asmflags}, {"gcflags", d.gcflag}} { // GoReleaser's order
		for _, f := range pair.list {
			s, err := ev.apply(f, line(pair.key), fields)
			if err != nil {
				return out, err
			}
			if s == "" {
				continue
			}
			out.Flags = append(out.Flags, "-"+pair.key+"="+s)
		}
	}
	for _, tag := range d.tags {
		s, err := ev.apply(tag, line("tags"), fields)
		if err != nil {
			return out, err
		}
		tags, err := buildmatrix.ParseTags(s)
		if err != nil {
			return out, ev.p.errorf(line("tags"), "tags: %v", err)
		}
		out.Tags = append(out.Tags, tags...)
	}
	out.Tags = buildmatrix.NormalizeTags(out.Tags)
	if out.BuildMode != "" {
		s, err := ev.apply(out.BuildMode, line("buildmode"), fields)
		if err != nil {
			return out, err
		}
		out.BuildMode = s
	}
	bin := cmp.Or(b.binary, ev.g.ProjectName)
	s, err := ev.apply(bin, &yaml.Node{Line: cmp.Or(b.binaryLine, b.line)}, fields)
	if err != nil {
		return out, err
	}
	out.Binary = path.Base(s)
	return out, nil
}

// templateEnv templates env entries in order, each seeing in .Env the
// ones before it (GoReleaser's TemplateEnv), which it adds to ev.env; an
// entry that comes out empty is dropped.
func (ev *grEval) templateEnv(list []string, lines []int, fields map[string]string) ([]string, error) {
	var out []string
	for i, kv := range list {
		s, err := ev.apply(kv, &yaml.Node{Line: lines[i]}, fields)
		if err != nil {
			return nil, err
		}
		if s == "" {
			continue
		}
		k, v, _ := strings.Cut(s, "=")
		ev.env[k] = v
		out = append(out, s)
	}
	return out, nil
}

// grFuncs are the template functions of GoReleaser's that make sense
// without a release, and text/template's own; another is an error that
// names it.
var grFuncs = func() map[string]tmplFunc {
	m := map[string]tmplFunc{
		"replace":    strFunc(3, "replace", func(a []string) tmplValue { return strings.ReplaceAll(a[0], a[1], a[2]) }),
		"contains":   strFunc(2, "contains", func(a []string) tmplValue { return strings.Contains(a[0], a[1]) }),
		"tolower":    strFunc(1, "tolower", func(a []string) tmplValue { return strings.ToLower(a[0]) }),
		"toupper":    strFunc(1, "toupper", func(a []string) tmplValue { return strings.ToUpper(a[0]) }),
		"trim":       strFunc(1, "trim", func(a []string) tmplValue { return strings.TrimSpace(a[0]) }),
		"trimprefix": strFunc(2, "trimprefix", func(a []string) tmplValue { return strings.TrimPrefix(a[0], a[1]) }),
		"trimsuffix": strFunc(2, "trimsuffix", func(a []string) tmplValue { return strings.TrimSuffix(a[0], a[1]) }),
		"title": strFunc(1, "title", func(a []string) tmplValue {
			return strings.ToUpper(a[0][:min(1, len(a[0]))]) + a[0][min(1, len(a[0])):]
		}),
		"dir":      strFunc(1, "dir", func(a []string) tmplValue { return path.Dir(a[0]) }),
		"base":     strFunc(1, "base", func(a []string) tmplValue { return path.Base(a[0]) }),
		"incpatch": strFunc(1, "incpatch", func(a []string) tmplValue { return incVersion(a[0], 2) }),
		"incminor": strFunc(1, "incminor", func(a []string) tmplValue { return incVersion(a[0], 1) }),
		"incmajor": strFunc(1, "incmajor", func(a []string) tmplValue { return incVersion(a[0], 0) }),
	}
	for k, f := range logicFuncs {
		m[k] = f
	}
	return m
}()

func incVersion(v string, part int) string {
	prefix := ""
	if strings.HasPrefix(v, "v") {
		prefix, v = "v", v[1:]
	}
	f := strings.SplitN(strings.SplitN(v, "-", 2)[0], ".", 3)
	for len(f) < 3 {
		f = append(f, "0")
	}
	n, _ := strconv.Atoi(f[part])
	f[part] = strconv.Itoa(n + 1)
	for i := part + 1; i < 3; i++ {
		f[i] = "0"
	}
	return prefix + strings.Join(f, ".")
}

// apply evaluates one template, with the target's fields when not nil.
// An unknown field or function is an error at n's line; an .Env variable
// that is not set is the empty string and a warning, since a release's
// secrets are not set where binscope runs.
func (ev *grEval) apply(s string, n *yaml.Node, fields map[string]string) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	v := ev.vals
	env := map[string]tmplValue{}
	for k, val := range ev.env {
		env[k] = val
	}
	funcs := map[string]tmplFunc{
		"time": strFunc(1, "time", func(a []string) tmplValue { return v.Date.Format(a[0]) }),
		"envOrDefault": strFunc(2, "envOrDefault", func(a []string) tmplValue {
			if s, _ := env[a[0]].(string); s != "" {
				return s
			}
			return a[1]
		}),
		"isEnvSet": strFunc(1, "isEnvSet", func(a []string) tmplValue { _, ok := env[a[0]]; return ok }),
	}
	for k, f := range grFuncs {
		funcs[k] = f
	}
	ts := strconv.FormatInt(v.Date.Unix(), 10)
	date := v.Date.Format(time.RFC3339)
	data := map[string]tmplValue{
		"ProjectName": ev.g.ProjectName,
		"Version":     strings.TrimPrefix(v.Version, "v"), "RawVersion": strings.TrimPrefix(v.Version, "v"),
		"Tag": v.Tag, "PreviousTag": v.Tag, "Branch": v.Branch,
		"Commit": v.Commit, "FullCommit": v.Commit, "ShortCommit": v.ShortCommit,
		"Date": date, "CommitDate": date, "Now": date,
		"Timestamp": ts, "CommitTimestamp": ts,
		"IsSnapshot": v.IsSnapshot, "IsNightly": false, "IsDraft": false,
		"IsGitDirty": false, "IsGitClean": true, "GitTreeState": "clean", "IsSingleTarget": false,
		"Major": versionPart(v.Version, 0), "Minor": versionPart(v.Version, 1), "Patch": versionPart(v.Version, 2),
		"Prerelease": "", "ModulePath": v.ModulePath,
		"Summary": v.Tag + "-0-g" + v.ShortCommit, // git describe --tags --always --dirty
		"Env":     env,
		"Runtime": map[string]tmplValue{"Goos": v.GoOS, "Goarch": v.GoArch},
	}
	for k, val := range fields {
		data[k] = val
	}
	for range 64 {
		out, err := execTemplate(s, data, funcs)
		if err == nil {
			return out, nil
		}
		var me *missingEnv
		if errors.As(err, &me) {
			env[me.name] = ""
			if ev.unset == nil {
				ev.unset = map[string]bool{}
			}
			if !ev.unset[me.name] {
				ev.unset[me.name] = true
				ev.g.Warnings = append(ev.g.Warnings, fmt.Sprintf("%s:%d: {{.Env.%s}} is not set: built with the empty string", ev.p.file, n.Line, me.name))
			}
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "map has no entry for key") || strings.Contains(msg, "can't evaluate field") {
			msg += " (binscope evaluates " + knownFields + ")"
		}
		return "", ev.p.errorf(n, "template %q: %s", s, msg)
	}
	return "", ev.p.errorf(n, "template %q: too many unset variables", s)
}

const knownFields = ".ProjectName .Version .Tag .Summary .Commit .ShortCommit .FullCommit .Date .Timestamp .Branch .Major .Minor .Patch .Env.X .Os .Arch .Arm .Amd64 .Target and .Runtime"

func versionPart(v string, i int) string {
	f := strings.SplitN(strings.SplitN(strings.TrimPrefix(v, "v"), "-", 2)[0], ".", 3)
	if i < len(f) {
		return f[i]
	}
	return "0"
}
