// Package dockercheck checks a parsed Dockerfile against what its go build
// makes: the predicted linkage against the final base, the files the
// binary will miss there, and the habits that break images.
package dockercheck

import (
	"cmp"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/dockerfile"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
)

// Report is what binscope dockerfile reports: the stages, what
// each go build line will produce, whether the final base fits it, and
// the findings, each pointing at a line.
type Report struct {
	SchemaVersion int    `json:"schema_version"`
	Path          string `json:"path"`
	// Context is the build context binscope looked into to run go list,
	// "" when it had none.
	Context    string         `json:"context"`
	Stages     []Stage        `json:"stages"`
	FinalStage int            `json:"final_stage"` // index into Stages
	FinalBase  Base           `json:"final_base"`
	Builds     []Build        `json:"builds"`
	Binary     *CheckedBinary `json:"binary"` // the real binary checked (--binary, --build); null otherwise
	Findings   []Finding      `json:"findings"`
	Errors     int            `json:"errors"`
	Warnings   int            `json:"warnings"`
	Notes      int            `json:"notes"`
}

// Stage is one stage of the Dockerfile.
type Stage struct {
	Index int    `json:"index"`
	Name  string `json:"name"` // the AS name, "" when unnamed
	From  string `json:"from"` // the image or stage it starts from
	Line  int    `json:"line"`
	// Image is the image at the root of the stage's FROM chain.
	Image string `json:"image"`
	// Base is the key of Image in the base table, "" when the table does
	// not describe it.
	Base string `json:"base"`
}

// Base is the base image the final stage stands on.
type Base struct {
	Image string `json:"image"`
	Base  string `json:"base"` // key in the base table; "" when unknown
	Line  int    `json:"line"` // the final stage's FROM line
}

// Build predictions.
const (
	CgoOn      = "on"
	CgoOff     = "off"
	Unknown    = "unknown"
	LinkStatic = "static"
	LinkDyn    = "dynamic"
)

// Build is one go build line and what it will produce.
type Build struct {
	Stage   int               `json:"stage"`
	Line    int               `json:"line"`
	Command string            `json:"command"`
	Env     map[string]string `json:"env"` // the Go settings it runs with (CGO_ENABLED, GOOS, GOARCH, GOFLAGS, …)
	Dir     string            `json:"dir"`
	Output  string            `json:"output"` // the binary's path in its stage
	// FinalPath is where the binary lands in the final stage, "" when it
	// does not reach it.
	FinalPath string   `json:"final_path"`
	GOOS      string   `json:"goos"`
	GOARCH    string   `json:"goarch"`
	Tags      []string `json:"tags"`
	BuildMode string   `json:"buildmode"`
	Stripped  bool     `json:"stripped"` // -ldflags has -s (which implies -w)
	NoDWARF   bool     `json:"no_dwarf"` // -w, or -s
	Cgo       string   `json:"cgo"`      // on, off or unknown
	CgoReason string   `json:"cgo_reason"`
	Linkage   string   `json:"linkage"` // static, dynamic or unknown
	// LinkageReason says how the linkage was told.
	LinkageReason string `json:"linkage_reason"`
	// CgoPackages are the packages that use cgo, from go list -deps
	// under the stage's settings with cgo on; null when not looked at.
	CgoPackages []string `json:"cgo_packages"`
	// CgoStubs are the packages a build with cgo off compiles without
	// their C code, from a !cgo fallback that may be a stub failing at
	// run time (mattn/go-sqlite3's is): go list -deps with cgo on shows
	// them with cgo files, and with cgo off still links them. For the
	// build --build ran, they are what that build compiled. As
	// CgoPackages: null when not looked at (cgo on or unknown, or go list
	// could not tell), empty when there are none.
	CgoStubs []string `json:"cgo_stubs"`
	Libc     string   `json:"libc"` // the C library a dynamic link uses: glibc, musl, or "" when not known
	// BuilderGoVersion is the Go version the stage's golang image names
	// (go1.19 for golang:1.19-alpine, go1.22.3 for golang:1.22.3-bookworm),
	// "" when the image names none (another image, golang:latest, a bare
	// digest).
	BuilderGoVersion string `json:"builder_go_version"`
}

// CheckedBinary is the real binary a Dockerfile check looked at.
type CheckedBinary struct {
	analyze.Binary
	// Source says where it came from: "--binary" or "--build".
	Source string `json:"source"`
	// Build is the index in Builds of the go build it stands for, -1 for
	// a prebuilt binary the Dockerfile copies from the build context.
	Build int `json:"build"`
	// Command is the go build --build ran, as a shell reads it; "" for
	// --binary.
	Command string `json:"command,omitempty"`
	// BuiltWithGoVersion is the Go version that built the binary, from its
	// build info (the local toolchain, for --build); "" when not recorded.
	BuiltWithGoVersion string `json:"built_with_go_version"`
}

// Finding is one problem or remark about a Dockerfile, at a line.
type Finding struct {
	Level   container.Level `json:"level"` // error, warning or note
	Line    int             `json:"line"`
	Check   Kind            `json:"check"`
	Finding string          `json:"finding"`
	Fix     string          `json:"fix"`
}

// Kind names what a finding is about: one of the checks below, or one of
// container's (container.Check, converted) for a finding that a base's
// readiness reason makes.
type Kind string

// The checks of a Dockerfile, beyond those of container's reasons.
const (
	CheckLinkage  Kind = "linkage"       // predicted linkage against the final base
	CheckCopyFrom Kind = "copy-from"     // a COPY of a built binary without --from
	CheckStrip    Kind = "strip"         // -ldflags="-s -w"
	CheckUser     Kind = "user"          // USER
	CheckPin      Kind = "pin"           // FROM image:latest
	CheckShell    Kind = "shell"         // shell form on a base without /bin/sh
	CheckCmd      Kind = "cmd"           // CMD/ENTRYPOINT names a file nothing puts there
	CheckGOOS     Kind = "goos"          // a build for another system
	CheckUnused   Kind = "unused-binary" // a built binary that does not reach the final stage
	CheckBase     Kind = "base"          // a final base binscope has no facts about
	CheckBinary   Kind = "binary"        // the binary given cannot run in a Linux container
	CheckGoVer    Kind = "go-version"    // --build used another Go than the builder image has
	CheckCgoStub  Kind = "cgo-stub"      // a build with cgo off compiles a package's !cgo fallback in place of its C code
)

// Probe is what go list -deps says about a go build's packages, under the
// stage's settings with cgo on.
type Probe struct {
	ImportPath string   // of the main package
	Deps       []string // the packages it links
	Cgo        []string // the packages that use cgo
	// CgoStubs are the packages outside the standard library that have
	// cgo files with cgo on and are still linked with cgo off
	// (buildmatrix.StubPackages): empty when there are none, nil when
	// not known (a list failed, or the stage sets CGO_ENABLED=1).
	CgoStubs []string
	// Off, when the stage leaves CGO_ENABLED unset, is the list with cgo
	// off, which a build with cgo off by default links (the probe's own
	// fields are then the list with cgo on); nil otherwise.
	Off *Probe
	// Err says why go list could not run or was not tried; the other
	// fields are empty then.
	Err string
}

// Input is what Check judges.
type Input struct {
	Path    string
	Context string
	Plan    *dockerfile.Plan
	// Probes has one entry per Plan.GoBuilds, nil where go list was not
	// run.
	Probes []*Probe
	// Binary is the real binary to check instead of predicting, with the
	// names of its Go functions; Source is "--binary" or "--build", and
	// BuiltFrom the index of the go build --build ran (-1 for --binary).
	Binary *elfinfo.File
	// Name is the binary's path as the report names it (the Dockerfile's
	// name for a binary --build made); "" for Binary.Path.
	Name      string
	Funcs     []string
	FuncsErr  error
	Source    string
	BuiltFrom int
	// BuildCommand is the command --build ran.
	BuildCommand string
	// BuiltCgo tells whether the build --build ran had cgo on, and
	// BuiltCgoStubs the packages it compiled without their C code.
	BuiltCgo      bool
	BuiltCgoStubs []string
}

// Check follows a Dockerfile's plan and judges it.
func Check(in Input) *Report {
	c := &dfCheck{in: in, p: in.Plan, copyFromFlagged: map[int]bool{}}
	c.probes = make([]*Probe, len(in.Plan.GoBuilds))
	copy(c.probes, in.Probes)
	return c.run()
}

type dfCheck struct {
	in Input
	// probes are in.Probes as each build links them: a build with cgo
	// off by default gets its probe's Off list (predict).
	probes []*Probe
	p      *dockerfile.Plan
	r      *Report
	roots  []string // root image of each stage
	files  []map[string]int
	final  int
	base   container.Base
	hasKey bool
	// copyFromFlagged marks builds a COPY without --from names.
	copyFromFlagged map[int]bool
}

func (c *dfCheck) add(level container.Level, line int, check Kind, finding, fix string) {
	c.r.Findings = append(c.r.Findings, Finding{Level: level, Line: line, Check: check, Finding: finding, Fix: fix})
}

func (c *dfCheck) run() *Report {
	p := c.p
	c.r = &Report{SchemaVersion: analyze.SchemaVersion, Path: c.in.Path, Context: c.in.Context,
		Stages: []Stage{}, Builds: []Build{}, Findings: []Finding{}}
	c.final = len(p.Stages) - 1
	c.r.FinalStage = c.final
	for i, s := range p.Stages {
		root := s.From
		for _, j := range p.StageChain(i) {
			if p.Stages[j].Parent < 0 {
				root = p.Stages[j].From
			}
		}
		c.roots = append(c.roots, root)
		ds := Stage{Index: i, Name: s.Name, From: s.From, Line: s.Line, Image: root}
		if b, ok := container.BaseForImage(root); ok {
			ds.Base = b.Key
		}
		c.r.Stages = append(c.r.Stages, ds)
	}
	if c.final >= 0 {
		fs := p.Stages[c.final]
		c.base, c.hasKey = container.BaseForImage(c.roots[c.final])
		c.r.FinalBase = Base{Image: c.roots[c.final], Line: fs.Line}
		if c.hasKey {
			c.r.FinalBase.Base = c.base.Key
		}
	}
	for i := range p.GoBuilds {
		c.r.Builds = append(c.r.Builds, c.predict(i))
	}
	c.trackFiles()
	c.checkPins()
	c.checkCopyWithoutFrom()
	c.checkShell()
	if c.final >= 0 {
		c.checkFinalBase()
		c.checkBuilds()
		c.checkBinary()
		c.checkCmd()
		c.checkUser()
	}
	if ref := c.buildStageRef(); ref != "" {
		for i := range c.r.Findings {
			c.r.Findings[i].Fix = strings.ReplaceAll(c.r.Findings[i].Fix, "--from=build ", "--from="+ref+" ")
		}
	}
	slices.SortStableFunc(c.r.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(levelRank(a.Level), levelRank(b.Level)))
	})
	for _, f := range c.r.Findings {
		switch f.Level {
		case container.LevelError:
			c.r.Errors++
		case container.LevelWarning:
			c.r.Warnings++
		default:
			c.r.Notes++
		}
	}
	return c.r
}

func levelRank(l container.Level) int {
	switch l {
	case container.LevelError:
		return 0
	case container.LevelWarning:
		return 1
	}
	return 2
}

// goSettings are the environment variables a Build reports.
var goSettings = []string{"CGO_ENABLED", "GOOS", "GOARCH", "GOARM", "GOAMD64", "GOFLAGS", "GOEXPERIMENT", "CC"}

// builderFacts tells the C library a builder image links against, and
// whether it has a C compiler ("yes", "no", or "" when not known).
// Sources: the golang image's variant-alpine.md in docker-library/docs
// (musl instead of glibc; "additional related tools (such as git, gcc, or
// bash) are not included in Alpine-based images"), and docker-library/golang's
// Debian Dockerfile template, which installs g++, gcc and libc6-dev.
func builderFacts(image string) (libc string, cc string) {
	name, tag := container.SplitImageRef(image)
	switch {
	case name == "golang" && strings.Contains(tag, "alpine"):
		return "musl", "no"
	case name == "golang":
		return "glibc", "yes"
	}
	if b, ok := container.BaseForImage(image); ok {
		return b.Libc, ""
	}
	return "", ""
}

var installsCC = regexp.MustCompile(`\b(apk\s+add|apt-get\s+install|apt\s+install|dnf\s+install|yum\s+install|microdnf\s+install)\b[^;&|]*\b(gcc|build-base|build-essential|clang|musl-dev)\b`)

func (c *dfCheck) predict(i int) Build {
	p := c.p
	g := p.GoBuilds[i]
	d := Build{Stage: g.Stage, Line: g.Line, Command: g.Command, Env: map[string]string{}, Dir: g.Dir,
		Tags: g.Tags, BuildMode: g.BuildMode, Stripped: g.StripsSymbols(), NoDWARF: g.StripsDWARF()}
	for _, k := range goSettings {
		if v, ok := g.Env[k]; ok {
			d.Env[k] = v
		}
	}
	d.GOOS, d.GOARCH = g.Env["GOOS"], g.Env["GOARCH"]
	probe := c.probes[i]
	name := g.DefaultName()
	if probe != nil && probe.Err == "" && probe.ImportPath != "" {
		name = dockerfile.NameFromImportPath(probe.ImportPath)
	}
	d.Output = g.OutputPath(name)
	root := c.roots[g.Stage]
	d.BuilderGoVersion = builderGoVersion(root)
	libc, cc := builderFacts(root)
	for _, r := range p.Runs {
		if slices.Contains(p.StageChain(g.Stage), r.Stage) && r.Line < g.Line && installsCC.MatchString(r.Script) {
			cc = "yes"
		}
	}
	// cgo: the Go command's defaults (go help environment: "CGO_ENABLED …
	// disabled by default when cross-compiling and when the C compiler
	// cannot be found").
	switch v, set := g.Env["CGO_ENABLED"]; {
	case set && v == "0":
		d.Cgo, d.CgoReason = CgoOff, "CGO_ENABLED=0"
	case set && v == "1":
		d.Cgo, d.CgoReason = CgoOn, "CGO_ENABLED=1"
	case d.GOOS != "" && d.GOOS != "linux":
		d.Cgo, d.CgoReason = CgoOff, fmt.Sprintf("GOOS=%s: cross-compiling turns cgo off by default", d.GOOS)
	case cc == "no":
		d.Cgo, d.CgoReason = CgoOff, fmt.Sprintf("%s has no C compiler, so cgo is off by default", root)
	case cc == "yes":
		d.Cgo, d.CgoReason = CgoOn, fmt.Sprintf("%s has gcc, so cgo is on by default", root)
	default:
		d.Cgo, d.CgoReason = Unknown, fmt.Sprintf("CGO_ENABLED is not set and binscope cannot tell whether %s has a C compiler", root)
	}
	if d.Cgo != CgoOff && probe != nil && probe.Err == "" {
		d.CgoPackages = probe.Cgo
		if d.CgoPackages == nil {
			d.CgoPackages = []string{}
		}
	}
	// A build with cgo off links the list with cgo off: the facts judged
	// from here on are that list's.
	if d.Cgo == CgoOff && probe != nil && probe.Off != nil {
		off := *probe.Off
		off.CgoStubs = probe.CgoStubs
		probe, c.probes[i] = &off, &off
	}
	switch {
	case c.in.Binary != nil && c.in.BuiltFrom == i:
		if !c.in.BuiltCgo {
			d.CgoStubs = append([]string{}, c.in.BuiltCgoStubs...)
		}
	case d.Cgo == CgoOff && probe != nil && probe.Err == "" && probe.CgoStubs != nil:
		d.CgoStubs = probe.CgoStubs
	}
	d.Linkage, d.LinkageReason = c.linkage(g, d, probe)
	if d.Linkage == LinkDyn {
		d.Libc = libc
	}
	return d
}

func (c *dfCheck) linkage(g dockerfile.GoBuild, d Build, probe *Probe) (string, string) {
	pie := g.BuildMode == "pie"
	switch {
	case d.Cgo == CgoOff && pie:
		return LinkDyn, "-buildmode=pie links against the dynamic loader even with cgo off"
	case d.Cgo == CgoOff:
		return LinkStatic, "cgo is off, so the Go linker links statically"
	case probe == nil || probe.Err != "":
		why := "binscope cannot see the sources to run go list -deps (pass --context DIR, or check the real binary with --binary or --build)"
		if probe != nil {
			why = "go list -deps failed: " + probe.Err
		}
		return Unknown, fmt.Sprintf("cgo is %s, and %s", d.Cgo, why)
	case len(probe.Cgo) == 0 && pie:
		return LinkDyn, "-buildmode=pie links against the dynamic loader"
	case len(probe.Cgo) == 0:
		return LinkStatic, "go list -deps shows no package using cgo: a pure-Go program links statically even with cgo on"
	case d.Cgo == Unknown:
		return Unknown, fmt.Sprintf("go list -deps shows %s using cgo when it is on, and %s", cgoUsers(probe.Cgo), d.CgoReason)
	case g.ExternalStatic():
		return LinkStatic, fmt.Sprintf("%s use cgo, linked statically by -extldflags -static", cgoUsers(probe.Cgo))
	}
	return LinkDyn, fmt.Sprintf("cgo is on, and go list -deps shows %s using it", cgoUsers(probe.Cgo))
}

// trackFiles follows each built binary through the stages: a stage
// starts with its parent's files, go builds add theirs, and COPY --from
// brings in those of another stage.
func (c *dfCheck) trackFiles() {
	p := c.p
	c.files = make([]map[string]int, len(p.Stages))
	for s := range p.Stages {
		files := map[string]int{}
		if parent := p.Stages[s].Parent; parent >= 0 && parent < s {
			for k, v := range c.files[parent] {
				files[k] = v
			}
		}
		type event struct {
			line  int
			build int
			copy  int
		}
		var events []event
		for i, b := range p.GoBuilds {
			if b.Stage == s {
				events = append(events, event{line: b.Line, build: i, copy: -1})
			}
		}
		for i, cp := range p.Copies {
			if cp.Stage == s && cp.FromStage >= 0 && cp.FromStage < s {
				events = append(events, event{line: cp.Line, build: -1, copy: i})
			}
		}
		slices.SortStableFunc(events, func(a, b event) int { return cmp.Compare(a.line, b.line) })
		for _, e := range events {
			if e.build >= 0 {
				files[c.r.Builds[e.build].Output] = e.build
				continue
			}
			cp := p.Copies[e.copy]
			for from, b := range c.files[cp.FromStage] {
				if to, ok := copyTarget(cp, from); ok {
					files[to] = b
				}
			}
		}
		c.files[s] = files
	}
	if c.final >= 0 {
		for path, b := range c.files[c.final] {
			if c.r.Builds[b].FinalPath == "" || path < c.r.Builds[b].FinalPath {
				c.r.Builds[b].FinalPath = path
			}
		}
	}
}

// copyTarget says where a COPY --from puts the file at from (an absolute
// path in the source stage), if it copies it at all.
func copyTarget(cp dockerfile.Copy, from string) (string, bool) {
	for _, src := range cp.Sources {
		s := path.Clean("/" + src)
		if strings.ContainsAny(s, "*?[") {
			if ok, _ := path.Match(s, from); ok {
				return path.Join(cp.Dest, path.Base(from)), true
			}
			continue
		}
		if s == from {
			if cp.DestDir {
				return path.Join(cp.Dest, path.Base(from)), true
			}
			return cp.Dest, true
		}
		if rel, ok := dockerfile.Within(s, from); ok {
			// A folder's contents go into the destination.
			return path.Join(cp.Dest, rel), true
		}
	}
	return "", false
}

func (c *dfCheck) checkPins() {
	for i, s := range c.p.Stages {
		if s.Parent >= 0 || s.From == "" {
			continue
		}
		name, tag := container.SplitImageRef(s.From)
		if name == "scratch" || strings.Contains(s.From, "@") || strings.Contains(s.From, "$") {
			continue
		}
		if tag == "" || tag == "latest" {
			shown := s.From
			if tag == "" {
				shown += " (no tag: latest)"
			}
			c.add(container.LevelNote, c.p.Stages[i].Line, CheckPin,
				fmt.Sprintf("FROM %s is not pinned: each rebuild may pick up a new release of %s", shown, name),
				fmt.Sprintf("pin a version (%s:<version>) or a digest (%s@sha256:…)", name, name))
		}
	}
}

// checkCopyWithoutFrom finds COPY lines that name a binary a build stage
// makes but copy from the build context, as the seed's multistage alpine
// Dockerfile does.
func (c *dfCheck) checkCopyWithoutFrom() {
	p := c.p
	for _, cp := range p.Copies {
		if cp.From != "" || cp.Heredoc {
			continue
		}
		chain := p.StageChain(cp.Stage)
		for _, src := range cp.Sources {
			base := path.Base(strings.TrimSuffix(src, "/"))
			for bi, b := range c.r.Builds {
				if b.Stage >= cp.Stage || slices.Contains(chain, b.Stage) || path.Base(b.Output) != base {
					continue
				}
				stage := p.Stages[b.Stage]
				ref := stage.Name
				if ref == "" {
					ref = fmt.Sprint(stage.Index)
				}
				var flags []string
				for _, f := range cp.Flags {
					if f.HasValue {
						flags = append(flags, "--"+f.Name+"="+f.Value)
					} else {
						flags = append(flags, "--"+f.Name)
					}
				}
				fix := strings.Join(append(append([]string{cp.Cmd, "--from=" + ref}, flags...), b.Output, cp.DestRaw), " ")
				c.copyFromFlagged[bi] = true
				c.add(container.LevelError, cp.Line, CheckCopyFrom,
					fmt.Sprintf("%s %s copies from the build context, not from stage %q, which builds %s on line %d: the image gets whatever the context holds at that path, or the build fails", cp.Cmd, src, ref, b.Output, p.GoBuilds[bi].Line),
					fix)
				break
			}
		}
	}
}

// checkShell flags shell-form RUN, CMD and ENTRYPOINT in stages whose
// base has no /bin/sh, and, on any base, arguments that were meant for
// the exec form but are not JSON, which Docker runs in the shell form.
func (c *dfCheck) checkShell() {
	p := c.p
	noShell := func(stage int) (container.Base, bool) {
		b, ok := container.BaseForImage(c.roots[stage])
		return b, ok && !b.Shell && p.Stages[stage].Shell == nil
	}
	for _, r := range p.Runs {
		b, shellless := noShell(r.Stage)
		switch {
		case r.BadJSON:
			finding, fix := badExecForm("RUN", r.Script, b, shellless, "docker build fails here")
			c.add(container.LevelError, r.Line, CheckShell, finding, fix)
		case shellless && !r.JSON:
			c.add(container.LevelError, r.Line, CheckShell,
				fmt.Sprintf("RUN in shell form runs /bin/sh -c, and %s has no /bin/sh: docker build fails here", b.Image),
				"do this work in a build stage and COPY --from it the result")
		}
	}
	if c.final < 0 {
		return
	}
	s := p.Stages[c.final]
	b, shellless := noShell(c.final)
	for _, in := range []*dockerfile.Instruction{s.Entrypoint, s.Cmd} {
		if in == nil || in.JSON || in.Rest == "" {
			continue
		}
		if in.BadJSON {
			finding, fix := badExecForm(in.Cmd, in.Rest, b, shellless, "the container fails to start")
			c.add(container.LevelError, in.Line, CheckShell, finding, fix)
			continue
		}
		if !shellless {
			continue
		}
		if in == s.Cmd && s.Entrypoint != nil && s.Entrypoint.JSON {
			// With an exec-form ENTRYPOINT, a shell-form CMD only
			// becomes its arguments ("/bin/sh", "-c", …); no shell runs.
			continue
		}
		args := in.Args
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = fmt.Sprintf("%q", a)
		}
		c.add(container.LevelError, in.Line, CheckShell,
			fmt.Sprintf("%s in shell form runs /bin/sh -c %q, and %s has no /bin/sh: the container fails to start", in.Cmd, in.Rest, b.Image),
			fmt.Sprintf("use the exec form: %s [%s]", in.Cmd, strings.Join(quoted, ", ")))
	}
}

// badExecForm words an instruction whose arguments look like the exec
// form but are not a JSON array of strings (single quotes, a missing
// comma): Docker runs them with /bin/sh -c, where the first word is
// taken for a program's name. It repairs the usual slips in the fix.
func badExecForm(cmd, rest string, b container.Base, shellless bool, outcome string) (finding, fix string) {
	why := fmt.Sprintf("which looks for a program named %s", strings.Fields(rest)[0])
	if shellless {
		why = fmt.Sprintf("and %s has no /bin/sh", b.Image)
	}
	finding = fmt.Sprintf("%s %s is not a JSON array of strings, so it is not the exec form: Docker runs it with /bin/sh -c, %s: %s", cmd, rest, why, outcome)
	if args, ok := repairExecForm(rest); ok {
		return finding, fmt.Sprintf("write the exec form as JSON: %s [%s]", cmd, strings.Join(args, ", "))
	}
	return finding, fmt.Sprintf(`write the exec form as JSON, each argument in double quotes, commas between them: %s ["/app", "--flag"]`, cmd)
}

var blankBetweenStrings = regexp.MustCompile(`"\s+"`)

// repairExecForm mends single quotes and missing commas in an exec form
// and returns its arguments quoted, when that makes it JSON.
func repairExecForm(rest string) ([]string, bool) {
	s := blankBetweenStrings.ReplaceAllString(strings.ReplaceAll(rest, "'", `"`), `", "`)
	var args []string
	if err := json.Unmarshal([]byte(s), &args); err != nil {
		return nil, false
	}
	for i, a := range args {
		args[i] = fmt.Sprintf("%q", a)
	}
	return args, true
}

func (c *dfCheck) checkFinalBase() {
	if c.hasKey {
		return
	}
	img := c.roots[c.final]
	if strings.Contains(img, "$") || img == "" {
		return
	}
	c.add(container.LevelNote, c.p.Stages[c.final].Line, CheckBase,
		fmt.Sprintf("binscope has no facts about %s (it knows %s): the binary is not checked against it", img, strings.Join(container.BaseKeys(), ", ")),
		"")
}

// provides reports whether the final stage (with the stages it starts
// from) adds the files a check is about: by COPY/ADD, a package install,
// or an ENV pointing Go elsewhere.
func (c *dfCheck) provides(check container.Check, viaTZ bool) bool {
	p := c.p
	chain := p.StageChain(c.final)
	var copyRe, runRe *regexp.Regexp
	var envs []string
	switch check {
	case container.CheckCACerts:
		copyRe = regexp.MustCompile(`ca-certificates|ca-bundle|^/etc/ssl(/|$)|^/etc/pki(/|$)|\.crt$|\.pem$`)
		runRe = regexp.MustCompile(`\bca-certificates\b`)
		envs = []string{"SSL_CERT_FILE", "SSL_CERT_DIR"}
	case container.CheckZoneinfo:
		copyRe = regexp.MustCompile(`zoneinfo`)
		runRe = regexp.MustCompile(`\btzdata\b`)
		if !viaTZ {
			envs = []string{"ZONEINFO"}
		}
	case container.CheckPasswd:
		copyRe = regexp.MustCompile(`(^|/)(passwd|group)$`)
		runRe = regexp.MustCompile(`\b(adduser|useradd)\b`)
	case container.CheckTmp:
		copyRe = regexp.MustCompile(`^/tmp/?$`)
		envs = []string{"TMPDIR"}
	case container.CheckServices:
		// The file itself, not any folder named services (a monorepo's).
		copyRe = regexp.MustCompile(`(^|/)etc/services$`)
		runRe = regexp.MustCompile(`\bnetbase\b`)
	default:
		return false
	}
	for _, cp := range p.Copies {
		if !slices.Contains(chain, cp.Stage) {
			continue
		}
		if copyRe.MatchString(cp.Dest) || slices.ContainsFunc(cp.Sources, copyRe.MatchString) {
			return true
		}
	}
	if runRe != nil {
		for _, r := range p.Runs {
			if slices.Contains(chain, r.Stage) && runRe.MatchString(r.Script) {
				return true
			}
		}
	}
	for _, e := range envs {
		if _, ok := p.Stages[c.final].Env[e]; ok {
			return true
		}
	}
	return false
}

// checkBuilds judges the predicted binaries that reach the final stage.
func (c *dfCheck) checkBuilds() {
	p := c.p
	finalLine := p.Stages[c.final].Line
	for i, d := range c.r.Builds {
		g := p.GoBuilds[i]
		if d.FinalPath == "" {
			if !c.copyFromFlagged[i] && (c.in.Binary == nil || c.in.BuiltFrom != i) {
				c.add(container.LevelNote, d.Line, CheckUnused,
					fmt.Sprintf("the binary this line builds (%s) is not copied into the final stage", d.Output), "")
			}
			continue
		}
		if d.GOOS != "" && d.GOOS != "linux" {
			c.add(container.LevelError, d.Line, CheckGOOS,
				fmt.Sprintf("builds for GOOS=%s: a Linux container cannot run it", d.GOOS), "set GOOS=linux on this line")
			continue
		}
		if len(d.CgoStubs) > 0 {
			msg := "the binary is " + analyze.CgoStubNote(d.CgoStubs)
			switch {
			case d.Cgo != CgoOff:
				// Only --build, which had to choose, gets here.
				msg += " (--build built it with cgo off, as this machine's go env has it: " + d.CgoReason + ")"
			case d.CgoReason != "CGO_ENABLED=0":
				msg += " (cgo is off: " + d.CgoReason + ")"
			}
			c.add(container.LevelWarning, d.Line, CheckCgoStub, msg,
				"build with CGO_ENABLED=1 and a C compiler (and a base with the C library it links, or -extldflags -static), or check that the fallback works")
		}
		checked := c.in.Binary != nil && c.binaryBuild() == i
		if !d.Stripped {
			finding := "builds without -ldflags=\"-s -w\": the symbol table and DWARF stay in the binary"
			if checked {
				if c.in.Binary.Stripped {
					finding += " (the binary checked is stripped already)"
				} else {
					save := c.in.Binary.SymtabBytes + c.in.Binary.DWARFBytes
					finding += fmt.Sprintf("; in the binary checked they take %s (%d bytes: symbol table %d, DWARF %d), which -s -w would save",
						units.HumanSize(save), save, c.in.Binary.SymtabBytes, c.in.Binary.DWARFBytes)
				}
			}
			c.add(container.LevelNote, d.Line, CheckStrip, finding,
				`add -ldflags="-s -w" (panics keep their stack traces: function names and lines live in the pclntab, which stays)`)
		}
		if checked {
			continue // the real binary is judged in checkBinary
		}
		c.judgePrediction(i, d, g, finalLine)
	}
}

func (c *dfCheck) judgePrediction(i int, d Build, g dockerfile.GoBuild, finalLine int) {
	if !c.hasKey {
		return
	}
	b := c.base
	fix := "set CGO_ENABLED=0 on the go build line"
	if len(d.CgoPackages) > 0 && onlyNetUser(d.CgoPackages) {
		fix += ", or build with -tags netgo,osusergo (only net and os/user use cgo)"
	}
	switch d.Linkage {
	case LinkDyn:
		if g.BuildMode == "pie" && d.Cgo == CgoOff {
			fix = "drop -buildmode=pie"
		}
		switch {
		case b.Libc == "":
			c.add(container.LevelError, d.Line, Kind(container.CheckLoader),
				fmt.Sprintf("the binary links dynamically (%s), and %s (line %d) has no dynamic loader and no C library: the container fails with \"exec %s: no such file or directory\"", d.LinkageReason, b.Image, finalLine, d.FinalPath),
				fix+", or use a base with glibc (distroless-base, debian-12)")
		case d.Libc != "" && d.Libc != b.Libc:
			c.add(container.LevelError, d.Line, Kind(container.CheckLoader),
				fmt.Sprintf("the binary links dynamically against %s (%s), and %s (line %d) has %s's loader, not %s's: the container fails with \"exec %s: no such file or directory\"", d.Libc, d.LinkageReason, b.Image, finalLine, b.Libc, d.Libc, d.FinalPath),
				fix+fmt.Sprintf(", or use a base with %s", d.Libc))
		case d.Libc == "":
			c.add(container.LevelWarning, d.Line, Kind(container.CheckLoader),
				fmt.Sprintf("the binary links dynamically (%s) against a C library binscope cannot name; %s has %s", d.LinkageReason, b.Image, b.Libc),
				fix)
		default:
			c.glibcPrediction(d, finalLine)
		}
	case Unknown:
		if b.Libc == "" || b.Libc == "musl" {
			c.add(container.LevelWarning, d.Line, CheckLinkage,
				fmt.Sprintf("cannot tell whether the binary links dynamically: %s; if it does, it will not start on %s", d.LinkageReason, b.Image),
				fix+", or let binscope see the build context (--context DIR), or check the real binary with --binary FILE or --build")
		}
	}
	// Files the packages reach for, as far as go list tells.
	probe := c.probes[i]
	if probe == nil || probe.Err != "" {
		return
	}
	if slices.Contains(probe.Deps, "crypto/x509") && !slices.Contains(probe.Deps, "golang.org/x/crypto/x509roots/fallback") && !b.CACerts && !c.provides(container.CheckCACerts, false) {
		// Importing crypto/x509 (every net/http program does) is not
		// linking its system root loading: parsing certificates, or serving
		// TLS with a certificate of one's own, never reads the roots. Only
		// the linked binary tells (crypto/x509.loadSystemRoots, as --build
		// and --binary judge it), so this is a note that says so, not a
		// warning a real binary would take back.
		c.add(container.LevelNote, finalLine, Kind(container.CheckCACerts),
			fmt.Sprintf("CA certificates: unknown without --build. The binary built on line %d imports crypto/x509 (go list -deps), and %s has no CA certificates and none are copied in; whether the binary needs them (it does if it links crypto/x509's system root loading, as HTTPS clients do) only the built binary shows", d.Line, b.Image),
			"run binscope dockerfile with --build (or --binary FILE) to know; if it needs them: "+caFix(b))
	}
	if slices.Contains(probe.Deps, "os/user") && !b.Passwd && !c.provides(container.CheckPasswd, false) {
		c.add(container.LevelWarning, finalLine, Kind(container.CheckPasswd),
			fmt.Sprintf("the binary built on line %d imports os/user (go list -deps): %s has no /etc/passwd or /etc/group, so user lookups fail", d.Line, b.Image),
			passwdFix(slices.Contains(probe.Cgo, "os/user")))
	}
}

// passwdFix is the fix for a missing /etc/passwd: USER and HOME help
// pure-Go os/user's Current only, never cgo's getpwuid_r.
func passwdFix(cgo bool) string {
	if cgo {
		return "COPY --from=build /etc/passwd /etc/group /etc/ (os/user uses cgo here, whose lookups ignore USER and HOME), or build with -tags osusergo"
	}
	return "COPY --from=build /etc/passwd /etc/group /etc/; for user.Current alone, setting USER and HOME also works"
}

// cgoUsers names the packages that use cgo, leaving out runtime/cgo,
// which comes with any of them.
func cgoUsers(pkgs []string) string {
	var out []string
	for _, p := range pkgs {
		if p != "runtime/cgo" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "runtime/cgo"
	}
	return strings.Join(out, ", ")
}

func onlyNetUser(pkgs []string) bool {
	for _, p := range pkgs {
		if p != "net" && p != "os/user" && p != "runtime/cgo" {
			return false
		}
	}
	return true
}

// builderGlibc is the glibc of golang:*-bookworm and golang:*-bullseye
// images (Debian 12 and 11; see the debian-12 and debian-11 bases).
func builderGlibc(image string) string {
	name, tag := container.SplitImageRef(image)
	if name != "golang" {
		return ""
	}
	switch {
	case strings.Contains(tag, "bookworm"):
		return "2.36"
	case strings.Contains(tag, "bullseye"):
		return "2.31"
	}
	return ""
}

// glibcPrediction warns when a dynamic binary is built against a newer
// glibc than the final base has: every program linked against glibc 2.34
// or newer asks for __libc_start_main@GLIBC_2.34.
func (c *dfCheck) glibcPrediction(d Build, finalLine int) {
	b := c.base
	built := builderGlibc(c.roots[d.Stage])
	if built == "" || b.Glibc == "" || container.CompareVersions(built, "2.34") < 0 || container.CompareVersions(b.Glibc, "2.34") >= 0 {
		return
	}
	c.add(container.LevelError, d.Line, Kind(container.CheckGlibc),
		fmt.Sprintf("the binary links dynamically against glibc %s (%s), so it requires GLIBC_2.34 or newer (__libc_start_main@GLIBC_2.34), and %s (line %d) has glibc %s: the loader stops it", built, c.roots[d.Stage], b.Image, finalLine, b.Glibc),
		"set CGO_ENABLED=0, build in a golang image of the final base's Debian release, or use a newer final base")
}

func caFix(b container.Base) string {
	if b.Install != "" {
		return container.RunInstall(b, b.CAPackage)
	}
	return "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ (from a stage that has them, such as golang:*), or import _ \"golang.org/x/crypto/x509roots/fallback\""
}

// buildStageRef names the stage fixes should copy files from: the stage
// of the go build that reaches the final stage, else the first stage
// other than the final one; "" for a single-stage Dockerfile.
func (c *dfCheck) buildStageRef() string {
	stage := -1
	for _, d := range c.r.Builds {
		if d.FinalPath != "" && d.Stage != c.final {
			stage = d.Stage
			break
		}
	}
	if stage < 0 && len(c.p.Stages) > 1 {
		stage = 0
	}
	if stage < 0 || stage == c.final {
		return ""
	}
	if n := c.p.Stages[stage].Name; n != "" {
		return n
	}
	return fmt.Sprint(stage)
}

// binaryBuild is the index of the go build the checked binary stands
// for: the one --build ran, or the only build that reaches the final
// stage; -1 when none does (a prebuilt binary).
func (c *dfCheck) binaryBuild() int {
	if c.in.BuiltFrom >= 0 {
		return c.in.BuiltFrom
	}
	found := -1
	for i, d := range c.r.Builds {
		if d.FinalPath != "" {
			if found >= 0 {
				return found // the first of several
			}
			found = i
		}
	}
	return found
}

// checkBinary judges the real binary against the final base, with what
// the Dockerfile adds taken into account.
func (c *dfCheck) checkBinary() {
	bin := c.in.Binary
	if bin == nil {
		return
	}
	bi := c.binaryBuild()
	cb := &CheckedBinary{Binary: analyze.NewBinaryFromFuncs(bin, c.in.Funcs, c.in.FuncsErr), Source: c.in.Source, Build: bi, Command: c.in.BuildCommand}
	if c.in.Name != "" {
		cb.Path = c.in.Name
	}
	if bin.Go != nil {
		cb.BuiltWithGoVersion = bin.Go.Version
	}
	c.r.Binary = cb
	line := c.p.Stages[c.final].Line
	if bi >= 0 {
		line = c.r.Builds[bi].Line
	} else if l := c.prebuiltCopyLine(); l > 0 {
		line = l
	}
	if c.in.Source == "--build" && bi >= 0 {
		c.checkGoVersion(c.r.Builds[bi], cb.BuiltWithGoVersion)
	}
	if note := container.NotApplicable(bin); note != "" {
		c.add(container.LevelError, line, CheckBinary, fmt.Sprintf("%s: %s", cb.Path, note), "build for GOOS=linux")
		return
	}
	if !c.hasKey {
		return
	}
	// The final stage's ENV is the container's environment (TZ, say).
	r := container.ReadinessOn(c.base, bin, c.in.Funcs, c.in.FuncsErr, container.Env(c.p.Stages[c.final].Env))
	name := path.Base(cb.Path)
	for _, x := range r.Reasons {
		switch x.Check {
		case container.CheckCACerts, container.CheckZoneinfo, container.CheckPasswd, container.CheckTmp, container.CheckServices:
			// $ZONEINFO serves time.LoadLocation only; time.Local's
			// reading of $TZ never looks at it.
			viaTZ := x.Check == container.CheckZoneinfo && strings.Contains(x.Finding, "time.initLocal")
			if c.provides(x.Check, viaTZ) {
				continue
			}
		}
		finding := fmt.Sprintf("the binary %s: %s", name, x.Finding)
		if x.Check == container.CheckGlibc && c.in.Source == "--build" {
			finding += "; note that --build linked it on this machine, not in " + c.roots[c.r.Builds[max(bi, 0)].Stage]
		}
		c.add(x.Level, line, Kind(x.Check), finding, x.Fix)
	}
	if bi < 0 && !bin.Stripped {
		save := bin.SymtabBytes + bin.DWARFBytes
		c.add(container.LevelNote, line, CheckStrip,
			fmt.Sprintf("the binary %s is not stripped: its symbol table and DWARF take %s (%d bytes), which -ldflags=\"-s -w\" would save", name, units.HumanSize(save), save),
			`build it with -ldflags="-s -w"`)
	}
}

// checkGoVersion says so when --build built with another Go than the
// Dockerfile's builder image has: the sizes and needs reported are those
// of the binary this machine's toolchain made. GOTOOLCHAIN (which --build
// passes on) can pick the image's version where a toolchain for it exists.
func (c *dfCheck) checkGoVersion(d Build, built string) {
	want := d.BuilderGoVersion
	if want == "" || built == "" || goVersionMatches(want, built) {
		return
	}
	img := c.roots[d.Stage]
	line := c.p.Stages[d.Stage].Line
	for _, j := range c.p.StageChain(d.Stage) {
		if c.p.Stages[j].Parent < 0 {
			line = c.p.Stages[j].Line
		}
	}
	fix := fmt.Sprintf("check a binary built in %s itself with --binary FILE", img)
	if v := toolchainFor(want); v != "" {
		fix = fmt.Sprintf("run binscope with GOTOOLCHAIN=%s to build with that version (the go command fetches it, and the module's go line must not be newer), or %s", v, fix)
	} else {
		fix += fmt.Sprintf(" (no toolchain download exists for %s: the go command fetches go1.21 and newer)", want)
	}
	c.add(container.LevelWarning, line, CheckGoVer,
		fmt.Sprintf("the Dockerfile builds with %s (%s); --build used %s, so the sizes and needs checked may differ from the image's binary", img, want, strings.Fields(built)[0]),
		fix)
}

// builderGoVersion is the Go version a golang image's tag names, written
// as the go command writes versions: go1.19 for golang:1.19 and
// golang:1.19-alpine, go1.22.3 for golang:1.22.3-bookworm (with a digest
// or without), go1 for golang:1; "" for another image or a tag without
// a version (golang, golang:latest, golang:alpine, golang@sha256:…).
func builderGoVersion(image string) string {
	name, tag := container.SplitImageRef(image)
	if name != "golang" {
		return ""
	}
	v, _, _ := strings.Cut(tag, "-")
	if !goTagVersion.MatchString(v) {
		return ""
	}
	return "go" + v
}

var goTagVersion = regexp.MustCompile(`^[1-9]\d*(\.\d+){0,2}((rc|beta)\d+)?$`)

// goVersionMatches reports whether a binary built by Go version built
// (go1.26.8, from its build info) is what an image of version want (go1,
// go1.26, go1.26.8) builds: want's numbers lead built's.
func goVersionMatches(want, built string) bool {
	built = strings.Fields(built + " ")[0] // go1.26.8 X:nodwarf5 → go1.26.8
	return built == want || strings.HasPrefix(built, want+".")
}

// toolchainFor is the GOTOOLCHAIN value that gets a Go of version want,
// "" when there is none to fetch: toolchains are modules from go1.21 on,
// named by a full version (go1.22.0, not go1.22), so go1.22 becomes its
// first release, go1.22.0.
func toolchainFor(want string) string {
	parts := strings.Split(strings.TrimPrefix(want, "go"), ".")
	if len(parts) < 2 {
		return ""
	}
	major, minor := parts[0], parts[1]
	if i := strings.IndexAny(minor, "rb"); i >= 0 {
		if major == "1" && versionAtLeast(minor[:i], 21) {
			return want
		}
		return ""
	}
	if major != "1" || !versionAtLeast(minor, 21) {
		return ""
	}
	if len(parts) == 2 {
		return want + ".0"
	}
	return want
}

func versionAtLeast(minor string, n int) bool {
	var m int
	if _, err := fmt.Sscan(minor, &m); err != nil {
		return false
	}
	return m >= n
}

// prebuiltCopyLine is the line of the final stage's COPY from the build
// context that brings in a file (the prebuilt binary), 0 when none.
func (c *dfCheck) prebuiltCopyLine() int {
	chain := c.p.StageChain(c.final)
	for _, cp := range c.p.Copies {
		if slices.Contains(chain, cp.Stage) && cp.From == "" && !cp.Heredoc {
			return cp.Line
		}
	}
	return 0
}

// checkCmd flags a CMD or ENTRYPOINT on scratch that runs a file nothing
// in the Dockerfile puts there.
func (c *dfCheck) checkCmd() {
	s := c.p.Stages[c.final]
	if !c.hasKey || c.base.Key != "scratch" {
		return
	}
	in := s.Entrypoint
	if in == nil {
		in = s.Cmd
	}
	if in == nil || !in.JSON || len(in.Args) == 0 || !strings.HasPrefix(in.Args[0], "/") {
		return
	}
	exe := path.Clean(in.Args[0])
	chain := c.p.StageChain(c.final)
	for _, cp := range c.p.Copies {
		if !slices.Contains(chain, cp.Stage) {
			continue
		}
		if cp.Dest == exe || cp.DestDir && path.Dir(exe) == cp.Dest {
			return
		}
		if _, ok := dockerfile.Within(cp.Dest, exe); ok && cp.Dest != "/" {
			return // inside a copied folder
		}
		if cp.Dest == "/" {
			return // a folder's contents copied to the root: anything may land there
		}
	}
	c.add(container.LevelError, in.Line, CheckCmd,
		fmt.Sprintf("%s runs %s, but nothing in the Dockerfile puts a file there, and scratch is empty: the container fails with \"no such file or directory\"", in.Cmd, exe),
		"COPY the binary to "+exe+", or point "+in.Cmd+" at the path the COPY writes")
}

var adduserRe = regexp.MustCompile(`\b(adduser|useradd)\b([^;&|\n]*)`)

// checkUser notes a final stage that runs as root.
func (c *dfCheck) checkUser() {
	s := c.p.Stages[c.final]
	if s.User != "" {
		return
	}
	_, tag := container.SplitImageRef(c.roots[c.final])
	if strings.Contains(tag, "nonroot") {
		return // distroless :nonroot images set USER 65532
	}
	fix := "add USER 65532:65532 before CMD (numeric, so it needs no /etc/passwd)"
	finding := "the final stage sets no USER: the container runs as root"
	for _, r := range c.p.Runs {
		if !slices.Contains(c.p.StageChain(c.final), r.Stage) {
			continue
		}
		if m := adduserRe.FindStringSubmatch(r.Script); m != nil {
			words := strings.Fields(m[2])
			if len(words) > 0 && !strings.HasPrefix(words[len(words)-1], "-") {
				user := words[len(words)-1]
				finding = fmt.Sprintf("the final stage creates user %s (line %d) but never switches to it: the container runs as root", user, r.Line)
				fix = "add USER " + user + " before CMD"
			}
		}
	}
	if c.hasKey && (c.base.Key == "distroless-static" || c.base.Key == "distroless-base") {
		fix = "add USER nonroot (distroless defines it, uid 65532), or use the :nonroot tag"
	}
	c.add(container.LevelNote, s.Line, CheckUser, finding, fix)
}
