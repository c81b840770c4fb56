package elfinfo

import (
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

// GoInfo is the build information the Go toolchain embeds in a binary, as
// `go version -m` shows it, with the common settings lifted out. A Go
// binary whose build info was removed has BuildInfo false, only the
// Version the runtime's own string gives ("" when it cannot be read), and
// no modules or settings.
type GoInfo struct {
	Version string `json:"version"` // go1.26.8; "" when unknown
	// VersionFrom says where Version was read: VersionFromBuildInfo or
	// VersionFromBuildVersion; "" when the version is unknown.
	VersionFrom string `json:"version_from,omitempty"`
	// BuildInfo reports whether the binary carries its build info blob;
	// without it, the rest of GoInfo is empty.
	BuildInfo bool      `json:"build_info"`
	Path      string    `json:"path"` // package path of the main package
	Main      Module    `json:"main"`
	Deps      []Module  `json:"deps"`
	Settings  []Setting `json:"settings"`

	CGOEnabled *bool  `json:"cgo_enabled"` // nil when the build did not record it
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	LDFlags    string `json:"ldflags"`
	Tags       string `json:"tags"`
	Trimpath   bool   `json:"trimpath"`
	BuildMode  string `json:"buildmode"`
}

// UnmarshalJSON reads a GoInfo, taking a report written before
// build_info existed, when every GoInfo came from a build info blob, as
// having one.
func (g *GoInfo) UnmarshalJSON(data []byte) error {
	type plain GoInfo // without this method
	p := plain{BuildInfo: true}
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*g = GoInfo(p)
	return nil
}

// Module is one module of a build.
type Module struct {
	Path    string  `json:"path"`
	Version string  `json:"version"`
	Sum     string  `json:"sum,omitempty"`
	Replace *Module `json:"replace,omitempty"`
}

// Setting is one key=value build setting, such as CGO_ENABLED=0 or
// vcs.revision=….
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Setting returns the value of the named build setting, or "".
func (g *GoInfo) Setting(key string) string {
	for _, s := range g.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// Clone returns a deep copy of g, sharing no slice or pointer with it.
func (g *GoInfo) Clone() *GoInfo {
	c := *g
	c.Main = g.Main.clone()
	if g.Deps != nil {
		c.Deps = make([]Module, len(g.Deps))
		for i, m := range g.Deps {
			c.Deps[i] = m.clone()
		}
	}
	c.Settings = slices.Clone(g.Settings)
	if g.CGOEnabled != nil {
		v := *g.CGOEnabled
		c.CGOEnabled = &v
	}
	return &c
}

func (m Module) clone() Module {
	if m.Replace != nil {
		r := m.Replace.clone()
		m.Replace = &r
	}
	return m
}

// readGo fills in f.Go from the build info blob. A binary without one is
// Go when it has a Go function table (goWithoutBuildInfo), else not a Go
// binary, which is a fact about it, not an error.
func readGo(f *File) {
	var bi *debug.BuildInfo
	var err error
	if r, ok := f.reader().(buildInfoReader); ok {
		bi, err = r.buildInfo()
	} else {
		bi, err = buildinfo.Read(f.r)
	}
	if err != nil {
		// debug/buildinfo says "not a Go executable" when it finds no
		// blob, and "unrecognized file format" when it finds no place to
		// look for one (a PE file whose blob's magic is gone; elfinfo has
		// recognized the format already): either way, a Go function table
		// still says Go.
		msg := err.Error()
		notGo := errors.Is(err, ErrNotGo) || strings.Contains(msg, "not a Go executable") || strings.Contains(msg, "unrecognized file format")
		if !notGo {
			f.GoError = fmt.Errorf("read Go build info: %w", err)
		}
		if goWithoutBuildInfo(f) {
			return
		}
		if notGo {
			f.GoError = ErrNotGo
		}
		return
	}
	g := &GoInfo{
		Version: bi.GoVersion, VersionFrom: VersionFromBuildInfo, BuildInfo: true, Path: bi.Path, Main: module(&bi.Main),
		Deps: make([]Module, 0, len(bi.Deps)), Settings: make([]Setting, 0, len(bi.Settings)),
	}
	for _, d := range bi.Deps {
		g.Deps = append(g.Deps, module(d))
	}
	for _, s := range bi.Settings {
		g.Settings = append(g.Settings, Setting{Key: s.Key, Value: s.Value})
	}
	if v := g.Setting("CGO_ENABLED"); v != "" {
		on := v == "1"
		g.CGOEnabled = &on
	}
	g.GOOS, g.GOARCH = g.Setting("GOOS"), g.Setting("GOARCH")
	g.LDFlags, g.Tags, g.BuildMode = g.Setting("-ldflags"), g.Setting("-tags"), g.Setting("-buildmode")
	g.Trimpath = g.Setting("-trimpath") == "true"
	f.Go = g
	if g.GOOS != "" {
		f.OS = g.GOOS
	}
}

func module(m *debug.Module) Module {
	out := Module{Path: m.Path, Version: m.Version, Sum: m.Sum}
	if m.Replace != nil {
		r := module(m.Replace)
		out.Replace = &r
	}
	return out
}
