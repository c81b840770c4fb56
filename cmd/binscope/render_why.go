package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze/reach"
	"github.com/binscope/binscope/internal/units"
)

// bytesText is a size as binscope writes it in prose: 1.2M (1,234,567 bytes).
func bytesText(n int64) string {
	return fmt.Sprintf("%s (%s bytes)", units.HumanSize(n), groupDigits(n))
}

// groupDigits writes n with thousands separated by commas.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func buildLine(b whyBuild) string {
	return fmt.Sprintf("%s, %s (%s), %s %s/%s, %s", b.Package, b.Label, b.Command, b.GoVersion, b.GOOS, b.GOARCH, units.HumanSize(b.Size))
}

// cutFrom names where references come from: a package, or the
// toolchain's tables.
func cutFrom(c reach.Cut) string {
	if c.From == "" {
		if c.FromSymbol == "(roots)" {
			return "the program's roots"
		}
		return "the toolchain's tables (" + c.FromSymbol + ")"
	}
	return c.From
}

// firstCut names where the most references come from, and how many
// other packages refer to it: "main (+2)".
func firstCut(cuts []reach.Cut) string {
	if len(cuts) == 0 {
		return ""
	}
	if len(cuts) == 1 {
		return cutFrom(cuts[0])
	}
	return fmt.Sprintf("%s (+%d)", cutFrom(cuts[0]), len(cuts)-1)
}

func renderWhyText(w io.Writer, r *whyReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Build: %s\n", buildLine(r.Build))
	fmt.Fprintf(&b, "Graph: %s symbols, %s references (the linker's own, every edge)\n\n", groupDigits(int64(r.Build.Symbols)), groupDigits(int64(r.Build.Edges)))
	if a := r.Answer; a != nil {
		whyAnswerText(&b, a)
	}
	if t := r.Top; t != nil {
		whyTopText(&b, t)
	}
	blockersText(&b, r.Blockers)
	_, err := io.WriteString(w, b.String())
	return err
}

func whyAnswerText(b *strings.Builder, a *reach.Answer) {
	if !a.InBinary {
		fmt.Fprintf(b, "%s is imported but not in the binary: the linker removed every symbol of it.\n", a.Package)
		if len(a.ImportChain) > 0 {
			fmt.Fprintf(b, "Imports: %s\n", strings.Join(a.ImportChain, " → "))
		}
		b.WriteByte('\n')
		return
	}
	what := a.Query
	if a.Kind == "symbol" && a.Package != "" {
		what = fmt.Sprintf("%s (package %s)", a.Query, a.Package)
	}
	est := ""
	if a.EstimatedBytes > 0 {
		est = fmt.Sprintf(", %s of it estimated", units.HumanSize(a.EstimatedBytes))
	}
	fmt.Fprintf(b, "%s: %s in this binary%s, %s\n\n", what, bytesText(a.Bytes), est, count(a.Symbols, "symbol", "symbols"))
	fmt.Fprintf(b, "Why it is there, the shortest chain of references from the roots:\n")
	chainText(b, a.Chain, "  ")
	if len(a.ImportChain) > 0 {
		fmt.Fprintf(b, "Imports: %s\n", strings.Join(a.ImportChain, " → "))
	}
	if a.Unremovable {
		fmt.Fprintf(b, "\nEvery Go program links %s: nothing can drop it. What it holds alone: %s, %s (computed on the graph).\n",
			a.Query, bytesText(a.Retained.Bytes), count(a.Retained.Symbols, "symbol", "symbols"))
		return
	}
	fmt.Fprintf(b, "\nRetained: %s, %s, would leave the binary if nothing referred to %s (computed on the graph).\n",
		bytesText(a.Retained.Bytes), count(a.Retained.Symbols, "symbol", "symbols"), a.Query)
	if a.Retained.ReflectFreed {
		b.WriteString("That includes the exported methods kept for reflect: it holds every reachable call of reflect's Method.\n")
	}
	if a.Retained.C > 0 {
		fmt.Fprintf(b, "Not counted: the C code it links, up to %s (the C row of size --by package), which the external linker adds outside the graph.\n", bytesText(a.Retained.C))
	}
	if len(a.Cuts) > 0 {
		b.WriteString("For that, cut the references from:\n")
		cutsText(b, a.Cuts, "  ")
	}
	b.WriteByte('\n')
}

func cutsText(b *strings.Builder, cuts []reach.Cut, indent string) {
	for i, c := range cuts {
		if i == 5 {
			fmt.Fprintf(b, "%s… and %d more\n", indent, len(cuts)-i)
			break
		}
		if c.InitOnly {
			fmt.Fprintf(b, "%s%s: imports it, and no code of it refers to the package's own symbols (the import keeps its init; calls into it may be inlined)\n", indent, cutFrom(c))
			continue
		}
		noun := "references"
		if c.Edges == 1 {
			noun = "reference"
		}
		fmt.Fprintf(b, "%s%s: %d %s, such as %s → %s\n", indent, cutFrom(c), c.Edges, noun, c.FromSymbol, c.ToSymbol)
	}
}

func whyTopText(b *strings.Builder, t *reach.Top) {
	b.WriteString("The packages whose removal would save the most (retained size, computed on the graph):\n\n")
	tb := newTable("PACKAGE", "RETAINED", "BYTES", "OWN", "SYMBOLS", "CUT")
	for _, p := range t.Packages {
		cut := firstCut(p.Cuts)
		name := p.Package
		if p.Retained.C > 0 {
			name += " (+C)"
		}
		tb.add(name, units.HumanSize(p.Retained.Bytes), strconv.FormatInt(p.Retained.Bytes, 10), units.HumanSize(p.Bytes), strconv.Itoa(p.Retained.Symbols), cut)
	}
	tb.elidePaths("PACKAGE", 24).droppable("BYTES", "SYMBOLS")
	if err := tb.render(b, ""); err != nil {
		fmt.Fprintf(b, "%v\n", err)
	}
	b.WriteString("\nRETAINED: what leaves with the package (its own bytes and everything only it reaches); OWN: its row in size --by package;\nCUT: the package whose references keep it (+N more packages refer to it).\n")
	for _, p := range t.Packages {
		if p.Retained.C > 0 {
			fmt.Fprintf(b, "(+C): the C code it links would leave too, up to %s (the C row), which is outside the graph and not in RETAINED.\n", units.HumanSize(p.Retained.C))
			break
		}
	}
	b.WriteString("\n")
}

func blockersText(b *strings.Builder, bl reach.Blockers) {
	if len(bl.Functions) == 0 {
		b.WriteString("Dead code elimination: no reachable function calls reflect's Method or MethodByName with a name that is not a constant.\n")
		return
	}
	noun := "functions call"
	if len(bl.Functions) == 1 {
		noun = "function calls"
	}
	fmt.Fprintf(b, "Dead code elimination blocker: %d reachable %s reflect's Method or MethodByName with a name that is not a constant,\n", len(bl.Functions), noun)
	fmt.Fprintf(b, "so the linker keeps every exported method of every type that reaches an interface: %s, %s, kept only for that (computed).\n",
		bytesText(bl.Cost.Bytes), count(bl.Cost.Symbols, "symbol", "symbols"))
	var secondary []string
	for _, f := range bl.Functions {
		if !f.Primary {
			secondary = append(secondary, f.Symbol)
			continue
		}
		where := f.Package
		if f.Standard {
			where += ", standard library"
		}
		fmt.Fprintf(b, "  %s (%s)\n", f.Symbol, where)
		if c := f.Caller; c != nil && c.Symbol != f.Symbol {
			fmt.Fprintf(b, "    reached from %s%s\n", c.Symbol, posText(c))
		} else if c != nil && c.File != "" {
			fmt.Fprintf(b, "    at %s:%d\n", c.File, c.Line)
		}
		fmt.Fprintf(b, "    removing it alone would save %s\n", bytesText(f.Alone.Bytes))
	}
	if len(secondary) > 0 {
		fmt.Fprintf(b, "  and %d reached only through the methods kept for reflect, which leave with them: %s\n", len(secondary), strings.Join(secondary, ", "))
	}
	b.WriteString("\n")
}

// count writes n with its noun, the digits grouped: 1 symbol, 23,936 symbols.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupDigits(int64(n)) + " " + many
}

func posText(f *reach.Frame) string {
	if f.File == "" {
		return ""
	}
	return fmt.Sprintf(" at %s:%d", f.File, f.Line)
}

func renderWhyMarkdown(w io.Writer, r *whyReport) error {
	var b strings.Builder
	if a := r.Answer; a != nil {
		fmt.Fprintf(&b, "### Why `%s` is in `%s`\n\n", a.Query, r.Build.Package)
		if !a.InBinary {
			fmt.Fprintf(&b, "Imported, but the linker removed every symbol of it.\n\n")
		} else {
			fmt.Fprintf(&b, "- **In this binary:** %s\n", bytesText(a.Bytes))
			fmt.Fprintf(&b, "- **Retained:** %s would leave with it (computed on the linker's graph)\n", bytesText(a.Retained.Bytes))
			if len(a.ImportChain) > 0 {
				fmt.Fprintf(&b, "- **Imports:** %s\n", strings.Join(a.ImportChain, " → "))
			}
			b.WriteString("- **Chain:** ")
			for i, l := range a.Chain {
				if i > 0 {
					b.WriteString(" → ")
				}
				fmt.Fprintf(&b, "`%s`", l.Symbol)
			}
			b.WriteString("\n")
			if len(a.Cuts) > 0 {
				b.WriteString("\n| references from | count | such as |\n|---|---:|---|\n")
				for _, c := range a.Cuts {
					if c.InitOnly {
						fmt.Fprintf(&b, "| %s | 0 | the import (its init; calls may be inlined) |\n", mdCell(cutFrom(c)))
						continue
					}
					fmt.Fprintf(&b, "| %s | %d | %s → %s |\n", mdCell(cutFrom(c)), c.Edges, mdCell(c.FromSymbol), mdCell(c.ToSymbol))
				}
			}
			b.WriteString("\n")
		}
	}
	if t := r.Top; t != nil {
		fmt.Fprintf(&b, "### Largest retained sizes in `%s`\n\n| package | retained | own | cut the references from |\n|---|---:|---:|---|\n", r.Build.Package)
		for _, p := range t.Packages {
			cut := firstCut(p.Cuts)
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", p.Package, units.HumanSize(p.Retained.Bytes), units.HumanSize(p.Bytes), mdCell(cut))
		}
		b.WriteString("\n")
	}
	if len(r.Blockers.Functions) > 0 {
		fmt.Fprintf(&b, "**Dead code elimination blocker:** %s of exported methods kept because these call reflect's `Method` with a name that is not a constant:\n\n", bytesText(r.Blockers.Cost.Bytes))
		var secondary []string
		for _, f := range r.Blockers.Functions {
			if !f.Primary {
				secondary = append(secondary, "`"+f.Symbol+"`")
				continue
			}
			fmt.Fprintf(&b, "- `%s`", f.Symbol)
			if c := f.Caller; c != nil && c.Symbol != f.Symbol {
				fmt.Fprintf(&b, ", reached from `%s`%s", c.Symbol, posText(c))
			} else if c != nil {
				b.WriteString(posText(c))
			}
			b.WriteString("\n")
		}
		if len(secondary) > 0 {
			fmt.Fprintf(&b, "- and %d reached only through the methods kept for reflect, which leave with them: %s\n", len(secondary), strings.Join(secondary, ", "))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "<sub>%s</sub>\n", mdText(buildLine(r.Build)))
	_, err := io.WriteString(w, b.String())
	return err
}
