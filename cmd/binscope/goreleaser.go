package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/pipeline"
)

// findGoReleaser finds a GoReleaser config as GoReleaser does, from start
// up to the module root (config.FindGoReleaser), as a path to show.
func findGoReleaser(start string) (string, error) {
	p, err := config.FindGoReleaser(start)
	if err != nil {
		return "", err
	}
	return relPath(p), nil
}

// loadGoReleaser reads a GoReleaser config into the request of its
// matrix, with templates evaluated with config.PlaceholderValues and the
// environment. target is the package of its first build that makes
// binaries, relative to the config's folder: the program the baseline
// builds. Warnings go to stderr, one line each.
func loadGoReleaser(file string, opts *globalOptions) (req *pipeline.GoReleaserRequest, target string, err error) {
	data, err := readLimited(file, config.MaxSize, "GoReleaser config")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", configErrorf("goreleaser: %s: no such file", file)
		}
		return nil, "", configErrorf("goreleaser: %v", err)
	}
	dir := filepath.Dir(file)
	vals := config.PlaceholderValues()
	vals.Env = map[string]string{}
	for _, kv := range opts.env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vals.Env[k] = v
		}
	}
	vals.ModulePath = modulePath(dir)
	vals.ProjectNameFallback = path.Base(vals.ModulePath)
	if vals.ModulePath == "" {
		if abs, err := filepath.Abs(dir); err == nil {
			vals.ProjectNameFallback = filepath.Base(abs)
		}
	}
	vals.GoOS, vals.GoArch = runtime.GOOS, runtime.GOARCH
	g, err := config.ParseGoReleaser(data, file, vals)
	if err != nil {
		return nil, "", &exitError{code: exitUsage, err: err}
	}
	for _, w := range g.Warnings {
		fmt.Fprintf(opts.stderr, "binscope: warning: %s\n", w)
	}
	for _, b := range g.Builds {
		if b.Skip != "" {
			fmt.Fprintf(opts.stderr, "binscope: warning: %s:%d: build %s left out: %s\n", file, b.Line, b.ID, b.Skip)
			continue
		}
		// A dir or main that is not there is the config's mistake, at
		// the build's line, before anything runs.
		main := filepath.Join(b.Dir, b.Main)
		if strings.HasSuffix(main, ".go") {
			main = filepath.Dir(main)
		}
		abs := main
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, abs)
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			what := "no such folder"
			if err == nil {
				what = "not a folder"
			}
			return nil, "", &exitError{code: exitUsage, err: &config.Error{File: file, Line: b.Line, Msg: fmt.Sprintf("build %s: dir %s, main %s: %s: %s", b.ID, b.Dir, b.Main, filepath.ToSlash(abs), what)}}
		}
		if target == "" && len(b.Targets) > 0 {
			target = filepath.ToSlash(main)
			if !filepath.IsAbs(main) {
				target = "./" + target
			}
		}
	}
	if target == "" {
		return nil, "", configErrorf("%s: no build makes a binary (each is skipped or of another builder)", file)
	}
	return &pipeline.GoReleaserRequest{Config: g, Dir: dir}, strings.TrimSuffix(target, "/."), nil
}

// modulePath reads the module path of dir's go.mod, "" when there is none:
// GoReleaser names a project without project_name after it.
func modulePath(dir string) string {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if rest, ok := bytes.CutPrefix(line, []byte("module")); ok && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(string(bytes.TrimSpace(rest)), `"`)
		}
	}
	return ""
}
