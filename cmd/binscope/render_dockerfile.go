package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/analyze/dockercheck"
)

// renderDockerfileText writes the dockerfile report for people: the
// stages, what each go build line produces, the binary checked, then the
// findings as FILE:LINE: level: message lines with their fixes.
func renderDockerfileText(w io.Writer, r *dockercheck.Report) {
	fb := r.FinalBase
	base := fb.Base
	if base == "" {
		base = "not in binscope's table"
	}
	fmt.Fprintf(w, "%s: final stage FROM %s (line %d, base %s)\n\n", r.Path, fb.Image, fb.Line, base)

	t := newTable("STAGE", "NAME", "FROM", ">LINE", "BASE")
	for _, s := range r.Stages {
		t.add(fmt.Sprint(s.Index), orDash(s.Name), s.From, fmt.Sprint(s.Line), orDash(s.Base))
	}
	t.render(w, "  ")
	fmt.Fprintln(w)

	if len(r.Builds) == 0 {
		fmt.Fprintln(w, "  no go build line: checked the stages and COPY lines")
	}
	for _, b := range r.Builds {
		fmt.Fprintf(w, "  line %d: %s\n", b.Line, b.Command)
		where := "not copied into the final stage"
		if b.FinalPath != "" {
			where = "in the final stage at " + b.FinalPath
		}
		facts := newTable("", "")
		facts.add("output", b.Output+", "+where)
		facts.add("cgo", b.Cgo+" ("+b.CgoReason+")")
		if b.CgoPackages != nil {
			facts.add("cgo packages", orNone(strings.Join(b.CgoPackages, ", ")))
		}
		if len(b.CgoStubs) > 0 {
			facts.add("without C", strings.Join(b.CgoStubs, ", ")+" (!cgo fallback)")
		}
		facts.add("linkage", b.Linkage+": "+b.LinkageReason)
		strip := "no"
		switch {
		case b.Stripped:
			strip = `yes (-ldflags="-s -w")`
		case b.NoDWARF:
			strip = "no symbol table stripping; DWARF dropped (-w)"
		}
		facts.add("stripped", strip)
		facts.add("tags", orNone(strings.Join(b.Tags, ",")))
		if b.BuilderGoVersion != "" {
			facts.add("go", b.BuilderGoVersion+" ("+r.Stages[b.Stage].Image+")")
		}
		if len(b.Env) > 0 {
			var kv []string
			for _, k := range slices.Sorted(maps.Keys(b.Env)) {
				kv = append(kv, k+"="+b.Env[k])
			}
			facts.add("settings", strings.Join(kv, " "))
		}
		if b.BuildMode != "" {
			facts.add("buildmode", b.BuildMode)
		}
		facts.render(w, "    ")
		fmt.Fprintln(w)
	}
	if cb := r.Binary; cb != nil {
		fmt.Fprintf(w, "  binary %s (%s): %s\n", cb.Path, cb.Source, cb.Summary)
		if cb.Command != "" {
			fmt.Fprintf(w, "    built with: %s\n", cb.Command)
		}
		if cb.BuiltWithGoVersion != "" {
			fmt.Fprintf(w, "    go: %s\n", cb.BuiltWithGoVersion)
		}
		fmt.Fprintln(w)
	}

	if len(r.Findings) > 0 {
		for _, f := range r.Findings {
			fmt.Fprintf(w, "%s:%d: %s: %s\n", r.Path, f.Line, f.Level, f.Finding)
			if f.Fix != "" {
				fmt.Fprintf(w, "    fix: %s\n", f.Fix)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%s, %s, %s\n", plural(r.Errors, "error"), plural(r.Warnings, "warning"), plural(r.Notes, "note"))
}

// renderDockerfileGitHub writes the findings as GitHub Actions workflow
// commands, which the Actions UI shows as annotations on the Dockerfile's
// lines: ::error file=Dockerfile,line=12,title=binscope copy-from::message.
// Notes become ::notice, the name Actions gives that level. file is the
// Dockerfile's path from the repository root (annotationPath); "" for one
// outside it, whose path and line then start the message.
func renderDockerfileGitHub(w io.Writer, r *dockercheck.Report, file string) {
	for _, f := range r.Findings {
		msg := f.Finding
		if f.Fix != "" {
			msg += "\nfix: " + f.Fix
		}
		cmd := string(f.Level) // GitHub's commands: error, warning, notice
		if f.Level == container.LevelNote {
			cmd = "notice"
		}
		where := fmt.Sprintf("file=%s,line=%d,", escapeProperty(file), f.Line)
		if file == "" {
			where, msg = "", fmt.Sprintf("%s:%d: %s", r.Path, f.Line, msg)
		}
		fmt.Fprintf(w, "::%s %stitle=%s::%s\n", cmd, where, escapeProperty("binscope "+string(f.Check)), escapeData(msg))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
