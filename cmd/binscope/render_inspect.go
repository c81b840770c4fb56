package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
)

// goWithoutBuildInfo says what inspect knows of a Go binary whose build
// info was removed: "Go, no build info (go1.26.8 from
// runtime.buildVersion)", or "(version unknown)".
func goWithoutBuildInfo(g *elfinfo.GoInfo) string {
	if g.Version == "" {
		return "Go, no build info (version unknown)"
	}
	return fmt.Sprintf("Go, no build info (%s from %s)", g.Version, g.VersionFrom)
}

// renderInspectText writes inspect's text form: for each binary file's
// summary line, its facts, and its sections.
func renderInspectText(w io.Writer, r *analyze.InspectReport, p palette) error {
	for i, b := range r.Binaries {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := renderBinaryText(w, b, p); err != nil {
			return err
		}
	}
	return nil
}

func renderBinaryText(w io.Writer, b analyze.Binary, p palette) error {
	if len(b.Slices) > 0 {
		return renderUniversalText(w, b, p)
	}
	fmt.Fprintf(w, "%s: %s\n\n", p.bold(b.Path), b.Summary)
	facts := newTable("", "")
	facts.add("format", fmt.Sprintf("%s %s %s, %s (%s)", b.Format.Name(), b.Class, b.ByteOrder, b.Machine, b.Arch))
	if b.OS != "" {
		facts.add("os", b.OS)
	}
	facts.add("type", b.Type)
	facts.add("size", fmt.Sprintf("%d bytes (%s)", b.Size, b.SizeHuman))
	linkage := p.good(b.Linkage)
	if b.Linkage == elfinfo.LinkageDynamic && b.Format.CanLinkStatically() {
		linkage = p.warn(b.Linkage)
	}
	facts.add("linkage", linkage)
	if b.Interpreter != "" {
		facts.add("interpreter", b.Interpreter)
	}
	facts.add("needed", orNone(strings.Join(b.Needed, ", ")))
	addWasmImports(facts, b.Imports, b.Exports)
	for _, v := range b.VersionNeeds {
		facts.add("versions", fmt.Sprintf("%s: %s", v.Library, strings.Join(sortedVersions(v.Versions), " ")))
	}
	facts.add("stripped", yesNo(b.Stripped))
	debug := yesNo(b.DebugInfo)
	if b.DWARFBytes > 0 {
		debug += fmt.Sprintf(" (DWARF %d bytes, %s)", b.DWARFBytes, units.HumanSize(b.DWARFBytes))
	}
	facts.add("debug info", debug)
	symtab := "none"
	if b.SymtabBytes > 0 {
		symtab = fmt.Sprintf("%d bytes (%s)", b.SymtabBytes, units.HumanSize(b.SymtabBytes))
	}
	facts.add("symbol table", symtab)
	h := b.Hardening
	facts.add("hardening", fmt.Sprintf("PIE %s, RELRO %s, NX stack %s, BIND_NOW %s", yesNo(h.PIE), h.RELRO, yesNo(h.NXStack), yesNo(h.BindNow)))
	if b.GoBuildID != "" {
		facts.add("Go build ID", b.GoBuildID)
	}
	if b.GNUBuildID != "" {
		facts.add("GNU build ID", b.GNUBuildID)
	}
	if g := b.Go; g != nil && !g.BuildInfo {
		facts.add("go", goWithoutBuildInfo(g))
	} else if g != nil {
		facts.add("go", g.Version)
		facts.add("path", g.Path)
		if g.Main.Path != "" { // a GOPATH-mode build has no main module
			facts.add("mod", strings.TrimSpace(g.Main.Path+" "+g.Main.Version))
		}
		for _, d := range g.Deps {
			dep := d.Path + " " + d.Version
			if d.Replace != nil {
				dep += " => " + strings.TrimSpace(d.Replace.Path+" "+d.Replace.Version)
			}
			facts.add("dep", dep)
		}
		for _, s := range g.Settings {
			facts.add("build", s.Key+"="+shortSetting(s.Value))
		}
	} else {
		facts.add("go", "not a Go binary")
	}
	if err := facts.render(w, "  "); err != nil {
		return err
	}
	fmt.Fprintln(w)
	renderContainerText(w, b)
	return renderSectionsText(w, b.Sections, b.Size)
}

// renderUniversalText writes a macOS universal binary: its summary, the
// facts of the whole file, where each slice lies in it, then each slice
// as a binary of its own.
func renderUniversalText(w io.Writer, b analyze.Binary, p palette) error {
	fmt.Fprintf(w, "%s: %s\n\n", p.bold(b.Path), b.Summary)
	facts := newTable("", "")
	facts.add("format", fmt.Sprintf("%s universal binary, %d slices (%s)", b.Format.Name(), len(b.Slices), b.Machine))
	facts.add("os", b.OS)
	facts.add("size", fmt.Sprintf("%d bytes (%s)", b.Size, b.SizeHuman))
	facts.add("stripped", yesNo(b.Stripped)+" (every slice)")
	facts.add("debug info", yesNo(b.DebugInfo)+" (any slice)")
	if err := facts.render(w, "  "); err != nil {
		return err
	}
	fmt.Fprintln(w)
	renderContainerText(w, b)
	t := newTable("SLICE", "MACHINE", ">OFFSET", ">ALIGN", ">SIZE", ">BYTES")
	var sum int64
	for _, s := range b.Slices {
		var off, align int64
		if s.Universal != nil {
			off, align = s.Universal.Offset, s.Universal.Align
		}
		t.add(s.Arch, s.Machine, fmt.Sprint(off), fmt.Sprint(align), units.HumanSize(s.Size), fmt.Sprint(s.Size))
		sum += s.Size
	}
	t.add("(fat header and padding)", "", "", "", sizeCell(b.Size-sum), fmt.Sprint(b.Size-sum))
	t.add("total", "", "", "", units.HumanSize(b.Size), fmt.Sprint(b.Size))
	if err := t.render(w, "  "); err != nil {
		return err
	}
	for _, s := range b.Slices {
		fmt.Fprintln(w)
		slice := *s
		slice.Path = fmt.Sprintf("%s (slice %s)", b.Path, s.Arch)
		if err := renderBinaryText(w, analyze.Binary{Facts: &slice, SizeHuman: units.HumanSize(s.Size)}, p); err != nil {
			return err
		}
	}
	return nil
}

func renderSectionsText(w io.Writer, sections []elfinfo.Section, fileSize int64) error {
	t := newTable("SECTION", "KIND", ">FILE SIZE", ">VM SIZE", ">BYTES")
	var sum int64
	for _, s := range sections {
		t.add(s.Name, string(s.Kind), sizeCell(s.FileSize), sizeCell(s.VMSize), fmt.Sprint(s.FileSize))
		sum += s.FileSize
	}
	t.add("(headers and padding)", "", sizeCell(fileSize-sum), "", fmt.Sprint(fileSize-sum))
	t.add("total", "", units.HumanSize(fileSize), "", fmt.Sprint(fileSize))
	return t.render(w, "  ")
}

func sizeCell(n int64) string {
	if n == 0 {
		return "-"
	}
	return units.HumanSize(n)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// addWasmImports lists a WebAssembly module's imports, a line per module
// they come from, and its exports.
func addWasmImports(facts *table, imports []elfinfo.Import, exports []elfinfo.Export) {
	var modules []string
	names := map[string][]string{}
	for _, im := range imports {
		if _, ok := names[im.Module]; !ok {
			modules = append(modules, im.Module)
		}
		n := im.Name
		if im.Kind != "func" {
			n += " (" + im.Kind + ")"
		}
		names[im.Module] = append(names[im.Module], n)
	}
	for _, m := range modules {
		facts.add("imports", fmt.Sprintf("%s: %d (%s)", m, len(names[m]), strings.Join(names[m], ", ")))
	}
	if len(exports) > 0 {
		var list []string
		for _, e := range exports {
			list = append(list, e.Name+" ("+e.Kind+")")
		}
		facts.add("exports", strings.Join(list, ", "))
	}
}

// sortedVersions orders symbol versions as releases: GLIBC_2.2.5 before
// GLIBC_2.34, by number, with names that carry none (GLIBC_PRIVATE) last.
func sortedVersions(vs []string) []string {
	out := slices.Clone(vs)
	nums := func(v string) []int {
		var n []int
		i := strings.IndexAny(v, "0123456789")
		if i < 0 {
			return nil
		}
		for _, part := range strings.Split(v[i:], ".") {
			x, err := strconv.Atoi(part)
			if err != nil {
				break
			}
			n = append(n, x)
		}
		return n
	}
	slices.SortStableFunc(out, func(a, b string) int {
		na, nb := nums(a), nums(b)
		switch {
		case na == nil && nb == nil:
			return strings.Compare(a, b)
		case na == nil:
			return 1
		case nb == nil:
			return -1
		}
		if c := strings.Compare(a[:strings.IndexAny(a, "0123456789")], b[:strings.IndexAny(b, "0123456789")]); c != 0 {
			return c
		}
		return slices.Compare(na, nb)
	})
	return out
}

// shortSetting keeps a long build setting (DefaultGODEBUG lists dozens of
// key=value pairs) to one line: its first pairs and how many more there
// are; the JSON has it whole.
func shortSetting(v string) string {
	const max = 80
	if len(v) <= max {
		return v
	}
	parts := strings.Split(v, ",")
	shown, n := "", 0
	for _, p := range parts {
		if len(shown)+len(p)+1 > max {
			break
		}
		shown, n = shown+p+",", n+1
	}
	if n == 0 {
		return v[:max] + "… (--format json has it whole)"
	}
	return fmt.Sprintf("%s… (%d more; --format json has them all)", shown, len(parts)-n)
}
