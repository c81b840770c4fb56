package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
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

	sizeTemplate = template.Must(template.New("size").Parse(sizeHTML))
)

// htmlSymbolsPerPackage is how many of each package's symbols the HTML
// report carries, as --symbols-per-package does: the treemap's third
// level, in a file whose size does not grow with the symbol table.
const htmlSymbolsPerPackage = 20

// renderSizeHTML writes the interactive report of a size report: the
// report itself, as --format json writes it, embedded in a
// <script type="application/json">, so that the page can never disagree
// with the JSON, and the script that draws it (assets/treemap.js).
func renderSizeHTML(w io.Writer, r *analyze.SizeReport) error {
	var js bytes.Buffer
	// json.Marshal escapes <, > and &, so no </script> can end the block.
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	js.Write(data)
	kinds, err := json.Marshal(struct {
		Colors map[treemap.Kind]string `json:"colors"`
		Order  []treemap.Kind          `json:"order"`
	}{kindColors, kindOrder})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	err = sizeTemplate.Execute(&b, struct {
		Title, Facts  string
		CSS           template.CSS
		Script        template.JS
		Report, Kinds template.JS
	}{
		Title:  r.Path,
		Facts:  htmlFacts(r),
		CSS:    template.CSS(reportCSS),
		Script: template.JS(treemapJS),
		Report: template.JS(js.String()),
		Kinds:  template.JS(kinds),
	})
	if err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
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
