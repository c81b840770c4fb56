package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/treemap"
	"github.com/binscope/binscope/internal/units"
)

// The HTML report's parts, embedded so that binscope writes one
// self-contained file: no CDN, no web font, no request of any kind (its
// Content-Security-Policy forbids them).
var (
	//go:embed assets/size.html
	sizeHTML string
	//go:embed assets/report.css
	reportCSS string
	//go:embed assets/treemap.js
	treemapJS string
)

// htmlSymbolsPerPackage is how many of each package's symbols the HTML
// report carries, as --symbols-per-package does: the treemap's third
// level, in a file whose size does not grow with the symbol table.
const htmlSymbolsPerPackage = 20

// renderSizeHTML writes the interactive report of a size report: the
// report itself, as --format json writes it, embedded in a
// <script type="application/json">, so that the page can never disagree
// with the JSON, and the script that draws it (assets/treemap.js).
//
// The page is put together by hand, not with html/template: text/template,
// under html/template, calls reflect's MethodByName, which makes the
// linker keep every exported method of every reachable type. That cost
// binscope 2.0M (+29%) stripped and failed its own budget
// (.binscope.yaml, max_size 8M), as cobra's version template once did.
// Six values go in, each made safe for its place here: the title and the
// facts are text, escaped with html.EscapeString; the report and the
// kinds are JSON from json.Marshal, which escapes <, > and &, so no
// "</script>" can end their element; the style and the script are our
// own assets, which a test keeps free of "</style" and "</script".
func renderSizeHTML(w io.Writer, r *analyze.SizeReport) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	kinds, err := json.Marshal(struct {
		Colors map[treemap.Kind]string `json:"colors"`
		Order  []treemap.Kind          `json:"order"`
	}{kindColors, kindOrder})
	if err != nil {
		return err
	}
	page := strings.NewReplacer(
		"@@TITLE@@", html.EscapeString(r.Path),
		"@@FACTS@@", html.EscapeString(htmlFacts(r)),
		"@@CSS@@", reportCSS,
		"@@SCRIPT@@", treemapJS,
		"@@REPORT@@", string(data),
		"@@KINDS@@", string(kinds),
	).Replace(sizeHTML)
	_, err = io.WriteString(w, page)
	return err
}

// htmlFacts is the header's line of facts: the size, the format and
// platform, the Go version, the linkage, stripped or not, and how much of
// it is estimated.
func htmlFacts(r *analyze.SizeReport) string {
	parts := []string{units.HumanSize(r.Size) + " (" + strconv.FormatInt(r.Size, 10) + " bytes)", strings.ToUpper(string(r.Format)) + " " + r.GOOS + "/" + r.GOARCH}
	if r.GoVersion != "" {
		parts = append(parts, r.GoVersion)
	}
	switch r.Linkage {
	case "static", "dynamic":
		parts = append(parts, r.Linkage+"ally linked") // file(1)'s words
	case "static-pie":
		parts = append(parts, "static-pie linked")
	}
	if r.Stripped {
		parts = append(parts, "stripped")
	} else {
		parts = append(parts, "not stripped")
	}
	parts = append(parts, fmt.Sprintf("%s estimated, coverage %.1f%%", units.HumanSize(r.Estimated), 100*r.Coverage))
	return strings.Join(parts, " · ")
}
