package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
)

// renderSizeText writes one view of a size report as a table: a summary
// line, then the rows, largest first, the rest beyond --top summed.
func renderSizeText(w io.Writer, r *analyze.SizeReport, by string, top, width int) error {
	fmt.Fprintf(w, "%s: %d bytes (%s), %s\n", r.Path, r.Size, units.HumanSize(r.Size), describeBinary(r))
	fmt.Fprintf(w, "attributed %s (%s exact, %s estimated), unattributed %s, coverage %s\n\n",
		units.HumanSize(r.Attributed), units.HumanSize(r.Attributed-r.Estimated), units.HumanSize(r.Estimated),
		units.HumanSize(r.Unattributed), coverageText(r.Coverage))
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
	}
	var t *table
	switch by {
	case "section":
		// The TABLE column, the linker table a section holds (and the
		// package view row its bytes go to), only when a section has one.
		tables := slices.ContainsFunc(r.Sections, func(s analyze.SectionSize) bool { return s.Table != "" })
		cols := func(name, kind, table string, rest ...string) []string {
			if tables {
				return append([]string{name, kind, table}, rest...)
			}
			return append([]string{name, kind}, rest...)
		}
		t = newTable(cols("SECTION", "KIND", "TABLE", ">FILE SIZE", ">VM SIZE", ">BYTES")...).fit(width)
		t.short("FILE SIZE", "FILE").short("VM SIZE", "VM").droppable("BYTES").elide("SECTION", 16, nil)
		for _, s := range r.Sections {
			t.add(cols(s.Name, string(s.Kind), string(s.Table), sizeCell(s.FileSize), sizeCell(s.VMSize), strconv.FormatInt(s.FileSize, 10))...)
		}
		if r.SymbolTableOutside > 0 {
			t.add(cols("(symbol table)", "symtab", "", sizeCell(r.SymbolTableOutside), "", strconv.FormatInt(r.SymbolTableOutside, 10))...)
		}
		t.add(cols("(headers and padding)", "", "", sizeCell(r.HeadersAndPadding), "", strconv.FormatInt(r.HeadersAndPadding, 10))...)
		t.add(cols("total", "", "", units.HumanSize(r.Size), "", strconv.FormatInt(r.Size, 10))...)
		if err := t.render(w, ""); err != nil {
			return err
		}
		fmt.Fprintln(w)
		k := newTable("KIND", ">SECTIONS", ">FILE SIZE", ">VM SIZE", ">BYTES").fit(width)
		k.short("FILE SIZE", "FILE").short("VM SIZE", "VM").droppable("BYTES")
		for _, x := range r.Kinds {
			k.add(string(x.Kind), strconv.Itoa(x.Sections), sizeCell(x.FileSize), sizeCell(x.VMSize), strconv.FormatInt(x.FileSize, 10))
		}
		return k.render(w, "")
	case "module":
		t = newTable("MODULE", "VERSION", ">SIZE", ">BYTES", ">SHARE", ">CODE", ">PACKAGES", ">ESTIMATED").fit(width)
		t.short("PACKAGES", "PKGS").droppable("BYTES", "PACKAGES", "CODE").elidePaths("MODULE", 24).elide("VERSION", 14, nil)
		rest := restRow{}
		for i, m := range r.Modules {
			if top > 0 && i >= top {
				rest.add(m.Size, m.EstimatedBytes)
				continue
			}
			t.add(m.Path, m.Version, units.HumanSize(m.Size), strconv.FormatInt(m.Size, 10), share(m.Size, r.Size),
				sizeCell(m.Code), countCell(m.Packages), sizeCell(m.EstimatedBytes))
		}
		rest.emit(t, r.Size, "modules", 8)
	case "symbol":
		// The symbols in the file, then apart those in memory only
		// (.bss), each ranked and cut at --top.
		var inFile, inMemory []analyze.SymbolSize
		for _, s := range r.Symbols {
			if s.Kind == elfinfo.KindBSS {
				inMemory = append(inMemory, s)
			} else {
				inFile = append(inFile, s)
			}
		}
		t = symbolTable(inFile, top, width)
		if len(inMemory) > 0 {
			if err := t.render(w, ""); err != nil {
				return err
			}
			fmt.Fprintln(w, "\nIn memory only (.bss: no bytes in the file):")
			t = symbolTable(inMemory, top, width)
		}
	default:
		t = newTable("PACKAGE", ">SIZE", ">BYTES", ">SHARE", ">CODE", ">FUNCTAB", ">DATA", ">ESTIMATED").fit(width)
		t.short("FUNCTAB", "FTAB").droppable("BYTES", "FUNCTAB", "CODE", "DATA").elidePaths("PACKAGE", 24)
		rest := restRow{}
		for i, p := range r.Packages {
			if top > 0 && i >= top {
				rest.add(p.Size, p.EstimatedBytes)
				continue
			}
			t.add(p.Name, units.HumanSize(p.Size), strconv.FormatInt(p.Size, 10), share(p.Size, r.Size),
				sizeCell(p.Code), sizeCell(p.Functab), sizeCell(p.Data), sizeCell(p.EstimatedBytes))
		}
		rest.emit(t, r.Size, "packages", 8)
	}
	if err := t.render(w, ""); err != nil {
		return err
	}
	switch by {
	case "symbol":
		if slices.ContainsFunc(r.Symbols, func(s analyze.SymbolSize) bool { return s.Estimated }) {
			fmt.Fprintln(w, "\n~ size inferred from the next symbol's address")
		}
	case "section":
	default:
		fmt.Fprintln(w, "\nESTIMATED: bytes shared out by estimate, not by evidence (see binscope size --help)")
	}
	return nil
}

// restRow sums the rows beyond --top.
type restRow struct {
	n         int
	size, est int64
	estSym    bool // a symbol's size is inferred
}

func (r *restRow) add(size, est int64) {
	r.n++
	r.size += size
	r.est += est
}

func (r *restRow) emit(t *table, total int64, what string, columns int) {
	if r.n == 0 {
		return
	}
	cells := make([]string, columns)
	cells[0] = fmt.Sprintf("(%d more %s)", r.n, what)
	if what == "modules" {
		cells[2], cells[3], cells[4] = units.HumanSize(r.size), strconv.FormatInt(r.size, 10), share(r.size, total)
	} else {
		cells[1], cells[2], cells[3] = units.HumanSize(r.size), strconv.FormatInt(r.size, 10), share(r.size, total)
	}
	cells[columns-1] = sizeCell(r.est)
	t.add(cells...)
}

// describeBinary is the header's "ELF linux/amd64 go1.26.8, stripped,
// from pclntab". The OS is the build info's GOOS, else what the file
// says (ELF notes and OSABI, the format's one system); when neither
// tells, the header says "ELF amd64", with no slash before nothing.
func describeBinary(r *analyze.SizeReport) string {
	target := r.GOARCH
	if r.GOOS != "" {
		target = r.GOOS + "/" + r.GOARCH
	}
	s := r.Format.Name() + " " + target
	if r.GoVersion != "" {
		s += " " + r.GoVersion
	}
	if r.Stripped {
		s += ", stripped"
	}
	if u := r.Universal; u != nil {
		// The line gives the slice's size already.
		s += fmt.Sprintf(", slice %s of a %d-byte universal binary (%s)", u.Arch, u.UniversalSize, strings.Join(u.Arches, ", "))
	}
	return s + ", from " + r.Method
}

func coverageText(c float64) string {
	return strconv.FormatFloat(c*100, 'f', 1, 64) + "%"
}

// share renders part of total as a percentage with one decimal.
func share(part, total int64) string {
	if total == 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(part)/float64(total)*100, 'f', 1, 64) + "%"
}

func countCell(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

func estMark(est bool) string {
	if est {
		return "~"
	}
	return ""
}

// symbolTable is the symbol view's table of syms, cut at top with the
// rest summed in one row.
func symbolTable(syms []analyze.SymbolSize, top, width int) *table {
	t := newTable("SYMBOL", "PACKAGE", "KIND", ">SIZE", ">BYTES", "").fit(width)
	// A symbol's name starts with its package: the PACKAGE column goes
	// before names are cut, and then at the front, keeping the function.
	t.droppable("BYTES", "PACKAGE").elidePaths("SYMBOL", 24)
	t.col("SYMBOL").elideLast = true
	rest := restRow{}
	for i, s := range syms {
		if top > 0 && i >= top {
			rest.add(s.Size, 0)
			rest.estSym = rest.estSym || s.Estimated
			continue
		}
		name := s.Name
		if width == 0 {
			name = shorten(name) // on a terminal the table cuts it to fit
		}
		t.add(name, s.Package, string(s.Kind), units.HumanSize(s.Size), strconv.FormatInt(s.Size, 10), estMark(s.Estimated))
	}
	if rest.n > 0 {
		t.add(fmt.Sprintf("(%d more symbols)", rest.n), "", "", units.HumanSize(rest.size), strconv.FormatInt(rest.size, 10), estMark(rest.estSym))
	}
	return t
}

// renderSizeCSV writes one view as CSV with a header row and exact byte
// counts: every row, whatever --top says, since a CSV is for a program to
// read and a summed "(N more)" row is not one of the view's rows.
func renderSizeCSV(w io.Writer, r *analyze.SizeReport, by string) error {
	cw := csv.NewWriter(w)
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	bl := strconv.FormatBool
	switch by {
	case "section":
		cw.Write([]string{"name", "kind", "file_size", "vm_size", "table"})
		for _, s := range r.Sections {
			cw.Write([]string{s.Name, string(s.Kind), i64(s.FileSize), i64(s.VMSize), string(s.Table)})
		}
		if r.SymbolTableOutside > 0 {
			cw.Write([]string{"(symbol table)", "symtab", i64(r.SymbolTableOutside), "0", ""})
		}
		cw.Write([]string{"(headers and padding)", "", i64(r.HeadersAndPadding), "0", ""})
	case "module":
		cw.Write([]string{"path", "version", "size", "code", "packages", "estimated"})
		for _, m := range r.Modules {
			cw.Write([]string{m.Path, m.Version, i64(m.Size), i64(m.Code), strconv.Itoa(m.Packages), bl(m.Estimated)})
		}
	case "symbol":
		cw.Write([]string{"name", "package", "kind", "size", "estimated"})
		for _, s := range r.Symbols {
			cw.Write([]string{s.Name, s.Package, string(s.Kind), i64(s.Size), bl(s.Estimated)})
		}
	default:
		cw.Write([]string{"name", "module", "size", "code", "functab", "data", "estimated", "estimated_bytes"})
		for _, p := range r.Packages {
			cw.Write([]string{p.Name, p.Module, i64(p.Size), i64(p.Code), i64(p.Functab), i64(p.Data), bl(p.Estimated), i64(p.EstimatedBytes)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// maxNameWidth bounds names in text tables: a generic instantiation's
// symbol can be hundreds of characters long. JSON and CSV keep them whole.
const maxNameWidth = 100

func shorten(s string) string {
	r := []rune(s)
	if len(r) <= maxNameWidth {
		return s
	}
	return string(r[:maxNameWidth-1]) + "…"
}
