package testbuild

import (
	"os"
	"strings"
	"testing"
)

// GoReleaserCell is one line of a testdata/goreleaser .cells file: a
// binary a GoReleaser config implies, written by hand.
type GoReleaserCell struct {
	Line string // as the file has it, cgo=unset resolved
	// Universal, for a universal_binaries line, is its id and the ids
	// of the builds it joins; "" otherwise.
	Universal string
	IDs       []string
	Fields    map[string]string
}

// GoReleaserCells reads a .cells file. A cgo=unset line is resolved as
// the go command resolves an unset CGO_ENABLED: 1 for host, the platform
// that builds with cgo by default ("" for none: cgo off, or no C
// compiler), 0 for any other, as when cross-compiling.
func GoReleaserCells(t testing.TB, file, host string) []GoReleaserCell {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []GoReleaserCell
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := map[string]string{}
		rest, universal := strings.CutPrefix(line, "universal ")
		for _, kv := range strings.Fields(rest) {
			k, v, _ := strings.Cut(kv, "=")
			f[k] = v
		}
		c := GoReleaserCell{Line: line, Fields: f}
		if universal {
			c.Universal, c.IDs = f["id"], strings.Split(f["ids"], ",")
		} else if f["cgo"] == "unset" {
			cgo := "0"
			if f["goos"]+"/"+f["goarch"] == host {
				cgo = "1"
			}
			c.Line = strings.Replace(line, "cgo=unset", "cgo="+cgo, 1)
		}
		out = append(out, c)
	}
	return out
}

// GoReleaserLine writes a cell as a .cells file lists it. key is the
// variant's GoReleaser key (goarm, goamd64, …; gomips for GOMIPS64 too).
func GoReleaserLine(build, goos, goarch, key, variant string, cgo bool) string {
	line := "build=" + build + " goos=" + goos + " goarch=" + goarch
	if variant != "" {
		line += " " + key + "=" + variant
	}
	if cgo {
		return line + " cgo=1"
	}
	return line + " cgo=0"
}
