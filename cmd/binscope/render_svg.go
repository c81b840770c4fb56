package main

import (
	"fmt"
	"html"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/treemap"
	"github.com/binscope/binscope/internal/units"
)

// The SVG treemap's size, in pixels: wide enough for a README, a PR
// comment or a browser window, and drawn at any other size by its viewBox.
const (
	svgWidth  = 960
	svgHeight = 600
	svgHead   = 44 // the title and the legend above the map
)

// kindColors are the tiles' colours by kind; the HTML report uses the
// same (assets/report.css).
var kindColors = map[treemap.Kind]string{
	treemap.KindCode:    "#4e79a7",
	treemap.KindFunctab: "#b07aa1",
	treemap.KindData:    "#59a14f",
	treemap.KindDebug:   "#9c9c9c",
	treemap.KindSymtab:  "#9c755f",
	treemap.KindDynamic: "#f28e2b",
	treemap.KindOther:   "#d4d4d4",
}

// kindOrder is the legend's order.
var kindOrder = []treemap.Kind{treemap.KindCode, treemap.KindFunctab, treemap.KindData, treemap.KindDebug, treemap.KindSymtab, treemap.KindDynamic, treemap.KindOther}

// renderSizeSVG writes the static treemap of a size report: its top two
// levels, modules and their packages, with no script, for a README or a
// pull-request comment. Tiles are coloured by kind; the estimated part
// of a tile is hatched, at the tile's bottom, in proportion. Each tile's
// <title> (a viewer's tooltip) has its name, size, exact bytes, share of
// the file and how much of it is estimated.
func renderSizeSVG(w io.Writer, r *analyze.SizeReport) error {
	root := treemap.FromSize(r, 0)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="system-ui, sans-serif" font-size="11">`+"\n",
		svgWidth, svgHeight, svgWidth, svgHeight)
	b.WriteString(`<defs><pattern id="est" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="3"/></pattern></defs>` + "\n")
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", svgWidth, svgHeight)
	fmt.Fprintf(&b, `<text x="4" y="15" font-size="13" font-weight="bold">%s</text>`+"\n", esc(svgTitle(r)))
	x := 4.0
	for _, k := range kindOrder {
		fmt.Fprintf(&b, `<rect x="%s" y="24" width="10" height="10" fill="%s"/><text x="%s" y="33">%s</text>`+"\n", num(x), kindColors[k], num(x+13), esc(string(k)))
		x += 13 + float64(len(k))*6.2 + 12
	}
	fmt.Fprintf(&b, `<rect x="%s" y="24" width="10" height="10" fill="#777"/><rect x="%s" y="24" width="10" height="10" fill="url(#est)"/><text x="%s" y="33">estimated</text>`+"\n", num(x), num(x), num(x+13))

	area := treemap.Rect{X: 0, Y: svgHead, W: svgWidth, H: svgHeight - svgHead}
	mods := treemap.Squarify(weights(root.Children), area)
	for i, m := range root.Children {
		mr := mods[i]
		if mr.Area() < 1 {
			continue
		}
		if len(m.Children) == 0 {
			svgTile(&b, m, mr, r.Size, true)
			continue
		}
		fmt.Fprintf(&b, `<g><title>%s</title>`+"\n", esc(tileTitle(m, r.Size)))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#333" stroke="#fff" stroke-width="1"/>`+"\n", num(mr.X), num(mr.Y), num(mr.W), num(mr.H))
		inner := mr
		if mr.H > 40 && mr.W > 60 {
			size := " " + units.HumanSize(m.Bytes)
			label := fitLabel(m.Name, mr.W-6-6.2*float64(len(size)))
			if label != "" {
				label += size
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" fill="#fff" font-weight="bold">%s</text>`+"\n", num(mr.X+3), num(mr.Y+12), esc(label))
			inner = treemap.Rect{X: mr.X + 1, Y: mr.Y + 16, W: mr.W - 2, H: mr.H - 17}
		}
		b.WriteString("</g>\n")
		pkgs := treemap.Squarify(weights(m.Children), inner)
		for j, p := range m.Children {
			svgTile(&b, p, pkgs[j], r.Size, false)
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// svgTile draws one leaf tile: its colour, its estimated part hatched,
// its label where it fits, and its title.
func svgTile(b *strings.Builder, n *treemap.Node, t treemap.Rect, total int64, bold bool) {
	if t.Area() < 0.5 {
		return
	}
	fmt.Fprintf(b, `<g><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="0.5"/>`,
		esc(tileTitle(n, total)), num(t.X), num(t.Y), num(t.W), num(t.H), kindColors[n.Kind])
	if n.Estimated > 0 && n.Bytes > 0 {
		h := t.H * float64(n.Estimated) / float64(n.Bytes)
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#est)"/>`, num(t.X), num(t.Y+t.H-h), num(t.W), num(h))
	}
	if t.W > 30 && t.H > 14 {
		weight := ""
		if bold {
			weight = ` font-weight="bold"`
		}
		ink := "#fff"
		if n.Kind == treemap.KindOther {
			ink = "#333" // on the light grey
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s"%s>%s</text>`, num(t.X+3), num(t.Y+12), ink, weight, esc(fitLabel(n.Name, t.W-6)))
		if t.H > 28 {
			fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s" fill-opacity="0.85">%s</text>`, num(t.X+3), num(t.Y+25), ink, esc(units.HumanSize(n.Bytes)))
		}
	}
	b.WriteString("</g>\n")
}

// svgTitle is the map's heading: the binary's facts.
func svgTitle(r *analyze.SizeReport) string {
	parts := []string{fmt.Sprintf("%s: %s (%d bytes)", r.Path, units.HumanSize(r.Size), r.Size), strings.ToUpper(string(r.Format)) + " " + r.GOOS + "/" + r.GOARCH}
	if r.GoVersion != "" {
		parts = append(parts, r.GoVersion)
	}
	if r.Stripped {
		parts = append(parts, "stripped")
	}
	return strings.Join(parts, ", ")
}

// tileTitle is a tile's tooltip: "fmt: 250K, 255,123 bytes, 3.4% of the
// file, 12K estimated".
func tileTitle(n *treemap.Node, total int64) string {
	s := fmt.Sprintf("%s: %s, %d bytes", n.Name, units.HumanSize(n.Bytes), n.Bytes)
	if total > 0 {
		s += fmt.Sprintf(", %.1f%% of the file", 100*float64(n.Bytes)/float64(total))
	}
	if n.Estimated > 0 {
		s += fmt.Sprintf(", %d bytes estimated", n.Estimated)
	} else {
		s += ", exact"
	}
	return s
}

// fitLabel shortens a label to the pixels it has, at about 6.2 pixels a
// character of the 11-pixel font: the whole name, else its last path
// element, else that cut in the middle; "" where not even that fits.
func fitLabel(s string, px float64) string {
	n := int(px / 6.2)
	if n < 3 {
		return ""
	}
	if visibleWidth(s) <= n {
		return s
	}
	base := path.Base(s)
	if majorVersion.MatchString(base) {
		// go.yaml.in/yaml/v3 is yaml/v3, not v3.
		base = path.Base(path.Dir(s)) + "/" + base
	}
	if base != s && visibleWidth(base) <= n {
		return base
	}
	return elideMiddle(s, n)
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

func weights(ns []*treemap.Node) []float64 {
	w := make([]float64, len(ns))
	for i, n := range ns {
		w[i] = float64(n.Bytes)
	}
	return w
}

// num writes a coordinate with one decimal, without a trailing .0: the
// SVG stays small and its golden stable.
func num(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}

// esc makes a name SVG text: escaped, and without what XML 1.0 cannot
// hold (control characters, bytes that are not UTF-8), which a binary's
// path or a symbol's name may have.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return html.EscapeString(s)
}
