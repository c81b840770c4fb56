//go:build withtemplate

package main

import (
	"strings"
	"text/template"
)

func init() {
	uses = append(uses, func() string {
		var b strings.Builder
		t := template.Must(template.New("t").Parse("{{.Name}} has {{len .Items}} items\n"))
		t.Execute(&b, struct {
			Name  string
			Items []int
		}{"x", []int{1, 2}})
		return b.String()
	})
}
