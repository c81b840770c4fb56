package main

import (
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/clipperhouse/displaywidth"
)

// The width text output fits is the terminal's: $COLUMNS when set (as ls
// and most tools read it), else the terminal's own size, else 80. Below
// minColumns nothing reads well, so output fits minColumns instead.
const (
	defaultColumns = 80
	minColumns     = 40
)

// screenColumns is the width of the terminal w is, for output that must
// fit it: standard output for results, standard error for the progress
// line. It is only asked once w is known to be a terminal.
func screenColumns(w io.Writer, getenv func(string) string) int {
	n := 0
	if v, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && v > 0 {
		n = v
	} else if f, ok := w.(*os.File); ok {
		n = terminalColumns(f)
	}
	if n <= 0 {
		n = defaultColumns
	}
	return max(n, minColumns)
}

// ansiSGR matches the color sequences the palette writes.
var ansiSGR = regexp.MustCompile("\x1b\\[[0-9;]*m")

// columns counts display columns a grapheme at a time, escape sequences
// (colors) taking none.
var columns = displaywidth.Options{ControlSequences: true}

// visibleWidth is the number of columns s takes on a terminal: its
// display width without color sequences.
func visibleWidth(s string) int { return columns.String(s) }

// elideMiddle shortens s to at most n columns by putting "…" in its
// middle, keeping more of the end, where a package path or an option list
// says what it is. Colors are dropped from a cell that is cut.
func elideMiddle(s string, n int) string {
	if visibleWidth(s) <= n {
		return s
	}
	s = ansiSGR.ReplaceAllString(s, "")
	if n <= 1 {
		return "…"
	}
	head := (n - 1) * 2 / 5
	tail := n - 1 - head
	// Count columns a grapheme at a time from each end.
	var gs []string
	var ws []int
	for g := columns.StringGraphemes(s); g.Next(); {
		gs, ws = append(gs, g.Value()), append(ws, g.Width())
	}
	h, hw := 0, 0
	for h < len(gs) && hw+ws[h] <= head {
		hw += ws[h]
		h++
	}
	t, tw := len(gs), 0
	for t > h && tw+ws[t-1] <= tail {
		tw += ws[t-1]
		t--
	}
	return strings.Join(gs[:h], "") + "…" + strings.Join(gs[t:], "")
}

// elideLabel shortens a cell's options, such as "CGO=0 darwin/arm64 -s -w
// -tags=containers", to at most n columns a word at a time: the longest
// word is cut in its middle (elideMiddle) until the label fits, so that
// every word, which is what tells one cell from another, keeps a part.
// Cutting the label itself in its middle could make two cells read alike
// ("CGO=0 darw… -tags=containers" for a stripped cell and one that is not).
// Where even words of four columns do not fit, the label is cut in its
// middle.
func elideLabel(s string, n int) string {
	if visibleWidth(s) <= n {
		return s
	}
	s = ansiSGR.ReplaceAllString(s, "")
	words := strings.Fields(s)
	widths := make([]int, len(words))
	total := len(words) - 1
	for i, w := range words {
		widths[i] = visibleWidth(w)
		total += widths[i]
	}
	for total > n {
		longest := 0
		for i := range widths {
			if widths[i] > widths[longest] {
				longest = i
			}
		}
		if widths[longest] <= 4 {
			return elideMiddle(s, n)
		}
		widths[longest]--
		total--
	}
	for i, w := range words {
		words[i] = elideMiddle(w, widths[i])
	}
	return strings.Join(words, " ")
}

// elidePath shortens an import path to at most n columns by keeping its
// last elements whole after "…/", and only the last, cut in the middle
// (elideMiddle), where it alone is too long. A name that is no path, such
// as <generated>, is cut in the middle.
func elidePath(s string, n int) string {
	if visibleWidth(s) <= n {
		return s
	}
	s = ansiSGR.ReplaceAllString(s, "")
	elems := strings.Split(s, "/")
	for i := 1; i < len(elems); i++ {
		if rest := "…/" + strings.Join(elems[i:], "/"); visibleWidth(rest) <= n {
			return rest
		}
	}
	return elideMiddle(elems[len(elems)-1], n)
}

// dropStrayResets removes color resets that close nothing: tablewriter
// writes one after the padding of each cell that follows a colored cell.
func dropStrayResets(line string) string {
	if !strings.Contains(line, ansiReset) {
		return line
	}
	var b strings.Builder
	open := false
	rest := line
	for {
		loc := ansiSGR.FindStringIndex(rest)
		if loc == nil {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:loc[0]])
		seq := rest[loc[0]:loc[1]]
		switch {
		case seq == ansiReset || seq == "\x1b[m":
			if open {
				b.WriteString(seq)
			}
			open = false
		default:
			b.WriteString(seq)
			open = true
		}
		rest = rest[loc[1]:]
	}
	return b.String()
}

// wrapLines breaks every line of text wider than width at spaces, the
// continuation indented two more than the line it continues, so that prose
// (a headline, a skip reason, a budget message) never wraps mid-word on a
// terminal. The spacing within a line is kept. A word wider than the line
// is cut; a markdown table row is left whole. Tables are fitted before
// this (table.fit) and pass through whole.
func wrapLines(text string, width int) string {
	if width <= 0 {
		return text
	}
	var b strings.Builder
	for line := range strings.SplitAfterSeq(text, "\n") {
		body := strings.TrimSuffix(line, "\n")
		nl := line[len(body):]
		// A markdown table row cannot be broken.
		if visibleWidth(body) <= width || strings.HasPrefix(body, "|") {
			b.WriteString(line)
			continue
		}
		indent := body[:len(body)-len(strings.TrimLeft(body, " "))]
		cont := indent + "  "
		if len(cont) > width/2 {
			cont = "  "
		}
		rest, lead := body, ""
		for visibleWidth(lead+rest) > width {
			room := width - visibleWidth(lead)
			head := cutColumns(rest, room)
			// Break at the last space of what fits, unless what fits
			// ends a word; a word without a space before it is cut.
			if len(head) < len(rest) && rest[len(head)] != ' ' {
				if k := strings.LastIndexByte(head, ' '); k > 0 && strings.TrimSpace(head[:k]) != "" {
					head = head[:k]
				}
			}
			if head == "" {
				break
			}
			b.WriteString(strings.TrimRight(lead+head, " ") + "\n")
			rest = strings.TrimLeft(rest[len(head):], " ")
			lead = cont
		}
		b.WriteString(lead + rest + nl)
	}
	return b.String()
}

// cutColumns is the longest prefix of s that takes at most n columns,
// never splitting a color sequence.
func cutColumns(s string, n int) string {
	// A grapheme at a time, as visibleWidth counts: "⏭️" is two runes
	// and two columns, not the one its first rune takes; a color
	// sequence is a grapheme of no width.
	w, i := 0, 0
	for g := columns.StringGraphemes(s); g.Next(); {
		if w+g.Width() > n {
			break
		}
		w += g.Width()
		i += len(g.Value())
	}
	return s[:i]
}
