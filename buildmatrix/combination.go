package buildmatrix

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Combination is one cell of the matrix: the build options that vary from
// cell to cell. Its JSON form is a cell's "options" object in compare
// reports; the names are the same in flags, JSON and YAML.
type Combination struct {
	CGO    bool     `json:"cgo"`    // CGO_ENABLED=1
	GOOS   string   `json:"goos"`   // target operating system
	GOARCH string   `json:"goarch"` // target architecture
	Strip  bool     `json:"strip"`  // -ldflags="-s -w"
	Tags   []string `json:"tags"`   // build tags, sorted, no duplicates; empty for none

	// Variant is the value of the instruction-set variable of GOARCH
	// (VariantVar: GOARM=7 is "7"), with '+' for its commas; "" leaves
	// it to the go command's default. Set for the cells of a GoReleaser
	// matrix, which names it in every build.
	Variant string `json:"-"`
	// Build is the id of the GoReleaser build the cell belongs to; "" for
	// a matrix of compare's axes.
	Build string `json:"build,omitempty"`
	// Spec, when not nil, is how to build the cell, in place of the
	// Plan's shared settings: a GoReleaser build's own flags, folder and
	// binary name. It is not part of the id.
	Spec *Spec `json:"-"`
}

// MarshalJSON writes Tags as [] rather than null when there are none, so
// that "tags" is always a list.
func (c Combination) MarshalJSON() ([]byte, error) {
	type plain Combination
	p := plain(c)
	if p.Tags == nil {
		p.Tags = []string{}
	}
	if c.Variant == "" {
		return json.Marshal(p)
	}
	// The variant goes under its variable's name: "goarm": "7".
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	v, _ := json.Marshal(c.Variant)
	return append(append(append(b[:len(b)-1], `,"`+c.variantKey()+`":`...), v...), '}'), nil
}

// Platform returns "GOOS/GOARCH", as go tool dist list spells it.
func (c Combination) Platform() Platform { return Platform{GOOS: c.GOOS, GOARCH: c.GOARCH} }

// String returns the canonical id of the cell, which names it everywhere:
// in reports, --keep file names (see FileName), merge, diff and budget
// selectors. Its grammar is
//
//	id    = "cgo=" ("0"|"1") ",goos=" GOOS ",goarch=" GOARCH ",strip=" ("on"|"off") ",tags=" [tags]
//	tags  = tag { "+" tag }
//
// with every field present, in that order, and the tags sorted and
// without duplicates ("tags=" alone means no tags). Two optional fields
// follow, only when set, so that a cell of compare's own axes keeps the
// id it always had: the instruction-set variant under its variable's name
// in lower case (",goarm=7", ",goamd64=v3", ",goarm64=v8.0+lse"), then
// the GoReleaser build id (",build=gh"). For example
//
//	cgo=0,goos=linux,goarch=amd64,strip=on,tags=containers
//	cgo=1,goos=linux,goarch=amd64,strip=off,tags=
//	cgo=0,goos=windows,goarch=amd64,strip=off,tags=netgo+osusergo
//	cgo=0,goos=linux,goarch=arm,strip=on,tags=,goarm=7,build=linux
//	cgo=0,goos=darwin,goarch=all,strip=on,tags=,build=gh-universal
//
// Tags are joined with "+" because a build tag is made of letters, digits,
// '_' and '.', so neither "+" nor "," can occur in one. Parse reads an id
// back; ParseSelector reads a partial one.
func (c Combination) String() string {
	var b strings.Builder
	b.WriteString("cgo=")
	b.WriteString(bit(c.CGO, "1", "0"))
	b.WriteString(",goos=")
	b.WriteString(c.GOOS)
	b.WriteString(",goarch=")
	b.WriteString(c.GOARCH)
	b.WriteString(",strip=")
	b.WriteString(bit(c.Strip, "on", "off"))
	b.WriteString(",tags=")
	b.WriteString(strings.Join(NormalizeTags(c.Tags), "+"))
	if c.Variant != "" {
		b.WriteString("," + c.variantKey() + "=" + c.Variant)
	}
	if c.Build != "" {
		b.WriteString(",build=" + c.Build)
	}
	return b.String()
}

// FileName returns a file-safe form of the id, used to name the binaries
// compare keeps: the same fields in the same order, joined by '_', with no
// '=' or ',' in them. For example
//
//	cgo0_linux_amd64_strip_tags-containers
//	cgo1_linux_amd64_nostrip_notags
//	cgo0_windows_amd64_nostrip_tags-netgo+osusergo
//
// The optional fields follow as ~goarm-7 and ~build-ID: no tag holds a
// '~'. ParseFileName reads it back.
func (c Combination) FileName() string {
	tags := "notags"
	if t := NormalizeTags(c.Tags); len(t) > 0 {
		tags = "tags-" + strings.Join(t, "+")
	}
	name := strings.Join([]string{
		bit(c.CGO, "cgo1", "cgo0"), c.GOOS, c.GOARCH, bit(c.Strip, "strip", "nostrip"), tags,
	}, "_")
	if c.Variant != "" {
		name += "~" + c.variantKey() + "-" + c.Variant
	}
	if c.Build != "" {
		name += "~build-" + c.Build
	}
	return name
}

// Equal reports whether c and d are the same cell.
func (c Combination) Equal(d Combination) bool { return c.String() == d.String() }

// CompileKey names the compile configuration of c: every option but
// Strip, which only changes the link. Cells with the same key share all
// their compiled packages through the build cache.
func (c Combination) CompileKey() string {
	d := c
	d.Strip = false
	return d.String()
}

// Parse reads a canonical id as String writes it. Every field must be
// present, in String's order.
func Parse(id string) (Combination, error) {
	sel, err := ParseSelector(id)
	if err != nil {
		return Combination{}, fmt.Errorf("invalid cell id %q: %w", id, unwrapSelector(err))
	}
	c, ok := sel.Combination()
	if !ok {
		return Combination{}, fmt.Errorf("invalid cell id %q: want all of cgo, goos, goarch, strip and tags, as in %q", id, exampleID)
	}
	if c.String() != id {
		return Combination{}, fmt.Errorf("invalid cell id %q: not in canonical form; want %q", id, c.String())
	}
	return c, nil
}

const exampleID = "cgo=0,goos=linux,goarch=amd64,strip=on,tags=containers"

// ParseFileName reads a FileName back into a Combination. It ignores a
// prefix ending in '_' before the "cgo" field and a ".exe" suffix, so
// that it also reads the names of kept binaries such as
// pomo_cgo0_linux_amd64_strip_notags.
func ParseFileName(name string) (Combination, error) {
	orig := name
	name = strings.TrimSuffix(name, ".exe")
	if !strings.HasPrefix(name, "cgo") {
		i := strings.Index(name, "_cgo")
		if i < 0 {
			return Combination{}, fmt.Errorf("invalid cell file name %q: no cgo0_ or cgo1_ field", orig)
		}
		name = name[i+1:]
	}
	name, extra, _ := strings.Cut(strings.TrimSuffix(name, ".exe"), "~")
	f := strings.SplitN(name, "_", 5)
	if len(f) != 5 {
		return Combination{}, fmt.Errorf("invalid cell file name %q: want CGO_GOOS_GOARCH_STRIP_TAGS, as in %q", orig, Combination{GOOS: "linux", GOARCH: "amd64", Tags: []string{"containers"}}.FileName())
	}
	var c Combination
	switch f[0] {
	case "cgo0":
	case "cgo1":
		c.CGO = true
	default:
		return Combination{}, fmt.Errorf("invalid cell file name %q: %q is neither cgo0 nor cgo1", orig, f[0])
	}
	c.GOOS, c.GOARCH = f[1], f[2]
	switch f[3] {
	case "nostrip":
	case "strip":
		c.Strip = true
	default:
		return Combination{}, fmt.Errorf("invalid cell file name %q: %q is neither strip nor nostrip", orig, f[3])
	}
	switch {
	case f[4] == "notags":
	case strings.HasPrefix(f[4], "tags-"):
		tags, err := parseTagList(strings.TrimPrefix(f[4], "tags-"), "+")
		if err != nil {
			return Combination{}, fmt.Errorf("invalid cell file name %q: %w", orig, err)
		}
		c.Tags = tags
	default:
		return Combination{}, fmt.Errorf("invalid cell file name %q: %q is neither notags nor tags-…", orig, f[4])
	}
	if extra != "" {
		for _, field := range strings.Split(extra, "~") {
			key, val, _ := strings.Cut(field, "-")
			switch {
			case key == "build" && c.Build == "" && ValidBuildID(val):
				c.Build = val
			case key == c.variantKey() && key != "" && c.Variant == "" && c.Build == "" && validVariant(val):
				c.Variant = val
			default:
				return Combination{}, fmt.Errorf("invalid cell file name %q: %q is neither ~%s-VALUE nor ~build-ID", orig, field, cmp.Or(c.variantKey(), "goarm"))
			}
		}
		name += "~" + extra
	}
	if c.FileName() != name {
		return Combination{}, fmt.Errorf("invalid cell file name %q: not in canonical form", orig)
	}
	return c, nil
}

// NormalizeTags returns tags sorted, without duplicates or empty entries.
// It returns nil for no tags.
func NormalizeTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ValidTag reports whether s can be a build tag: letters, digits, '_' and
// '.', as go/build/constraint accepts.
func ValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// ParseTags reads one tag set as -tags takes it: tags separated by commas
// (or, as older go commands accepted, spaces). The empty string is the
// empty set.
func ParseTags(s string) ([]string, error) {
	return parseTagList(strings.ReplaceAll(s, " ", ","), ",")
}

func parseTagList(s, sep string) ([]string, error) {
	var tags []string
	for _, t := range strings.Split(s, sep) {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if !ValidTag(t) {
			return nil, fmt.Errorf("invalid build tag %q: a tag is made of letters, digits, '_' and '.'", t)
		}
		tags = append(tags, t)
	}
	return NormalizeTags(tags), nil
}

func bit(b bool, on, off string) string {
	if b {
		return on
	}
	return off
}

// Label writes c as a user types it on top of the plain go build that
// base stands for: only the options that differ, as environment variables
// and flags in the order of the seed's command, CGO_ENABLED=0
// GOOS=windows -ldflags="-s -w" -tags=containers; "go build" when none
// differs.
func (c Combination) Label(base Combination) string {
	var parts []string
	if c.CGO != base.CGO {
		parts = append(parts, "CGO_ENABLED="+bit(c.CGO, "1", "0"))
	}
	if c.GOOS != base.GOOS {
		parts = append(parts, "GOOS="+c.GOOS)
	}
	if c.GOARCH != base.GOARCH {
		parts = append(parts, "GOARCH="+c.GOARCH)
	}
	if v := c.variantEnv(); v != "" && (v != base.variantEnv() || c.GOARCH != base.GOARCH) {
		parts = append(parts, v)
	}
	if c.Strip != base.Strip {
		if c.Strip {
			parts = append(parts, `-ldflags="-s -w"`)
		} else {
			parts = append(parts, `-ldflags=""`)
		}
	}
	ct, bt := strings.Join(NormalizeTags(c.Tags), ","), strings.Join(NormalizeTags(base.Tags), ",")
	if ct != bt {
		if ct == "" {
			parts = append(parts, `-tags=""`)
		} else {
			parts = append(parts, "-tags="+ct)
		}
	}
	label := strings.Join(parts, " ")
	if len(parts) == 0 {
		label = "go build"
	}
	if c.Build != "" {
		// A GoReleaser build's own flags are in its command; the label
		// names the build.
		label = c.Build + ": " + label
	}
	return label
}
