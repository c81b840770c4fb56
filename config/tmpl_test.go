package config

import (
	"strings"
	"testing"
	"text/template"
)

// execTemplate agrees with text/template, the reference, on the
// templates GoReleaser configs write in their build fields.
func TestTemplateAgreesWithTextTemplate(t *testing.T) {
	data := map[string]tmplValue{
		"Version": "1.2.3", "Os": "linux", "Arch": "amd64", "Arm": "", "Patch": "3", "IsSnapshot": false,
		"Env":     map[string]tmplValue{"LDFLAGS": "-X a=b", "EMPTY": ""},
		"Runtime": map[string]tmplValue{"Goos": "linux"},
	}
	ref := map[string]any{
		"Version": "1.2.3", "Os": "linux", "Arch": "amd64", "Arm": "", "Patch": "3", "IsSnapshot": false,
		"Env":     map[string]any{"LDFLAGS": "-X a=b", "EMPTY": ""},
		"Runtime": map[string]any{"Goos": "linux"},
	}
	refFuncs := template.FuncMap{"tolower": strings.ToLower, "title": func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }}
	for _, src := range []string{
		"-s -w -X main.version={{.Version}}",
		"{{ .Env.LDFLAGS }} -X os={{ .Os }}",
		"{{- if eq .Arch \"amd64\" }}x86_64{{- else if eq .Arch \"386\" }}i386{{- else }}{{ .Arch }}{{ end }}",
		"{{ .Os }}_{{ if .Arm }}v{{ .Arm }}{{ else }}noarm{{ end }}",
		"{{ .Os | title }}-{{ tolower \"ABC\" }}",
		"{{ if not .IsSnapshot }}release{{ end }}",
		"{{ if and .Os .Arch }}both{{ end }}{{ if or .Arm .Env.EMPTY }}neither{{ end }}",
		"a {{- /* a comment */ -}} b",
		"{{ .Runtime.Goos }} {{ printf \"%s-%s\" .Os .Arch }}",
		"{{ if eq .Patch \"3\" }}three{{ end }}",
		"{{ (tolower .Os) }}",
		"{{ len .Os }} {{ print .Os .Arch }} {{ println .Arch }}",
		"plain",
	} {
		got, err := execTemplate(src, data, mergeFuncs(grFuncs, logicFuncs))
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		var want strings.Builder
		if err := template.Must(template.New("").Funcs(refFuncs).Parse(src)).Execute(&want, ref); err != nil {
			t.Fatalf("%q: text/template: %v", src, err)
		}
		if got != want.String() {
			t.Errorf("%q = %q, text/template gives %q", src, got, want.String())
		}
	}
	for src, msg := range map[string]string{
		"{{ .Nope }}":                       `map has no entry for key "Nope"`,
		"{{ nope .Os }}":                    `function "nope" not defined`,
		"{{ .Os ":                           "unclosed action",
		"{{ if .Os }}x":                     "an {{if}} without {{end}}",
		"{{ end }}":                         "unexpected {{end}}",
		"{{ range .Os }}{{ end }}":          "{{range}} is more template than binscope evaluates",
		"{{ .Env.UNSET }}":                  ".Env.UNSET is not set",
		"{{ tolower }}":                     "wrong number of args for tolower",
		"{{ \"unterminated }}":              "unterminated quoted string",
		"{{ .Os.Deeper }}":                  "can't evaluate field Deeper",
		"{{ }}":                             "missing value for command",
		"{{ and }}{{ or }}":                 "wrong number of args for and",
		"{{ eq .Os }}":                      "wrong number of args for eq",
		"{{ if .Os }}{{ else x }}{{ end }}": "want {{else}} or {{else if …}}",
	} {
		_, err := execTemplate(src, data, mergeFuncs(grFuncs, logicFuncs))
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", src, err, msg)
		}
	}
}

func mergeFuncs(ms ...map[string]tmplFunc) map[string]tmplFunc {
	out := map[string]tmplFunc{}
	for _, m := range ms {
		for k, f := range m {
			out[k] = f
		}
	}
	return out
}

func FuzzTemplate(f *testing.F) {
	f.Add("{{- if eq .Arch \"amd64\" }}x{{ else if .Arm }}{{ .Arm | tolower }}{{ end -}}")
	f.Add("{{ printf \"%s\" (tolower .Os) }}")
	f.Fuzz(func(t *testing.T, src string) {
		data := map[string]tmplValue{"Os": "linux", "Arch": "amd64", "Arm": "7", "Env": map[string]tmplValue{}}
		execTemplate(src, data, mergeFuncs(grFuncs, logicFuncs)) // must not panic
	})
}
