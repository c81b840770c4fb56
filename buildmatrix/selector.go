package buildmatrix

import (
	"errors"
	"fmt"
	"strings"
)

// Selector is a partial Combination: the options it names must match, the
// others may be anything. --exclude takes one, and budgets select cells
// with them. Its text form is String's grammar with any fields left out,
// in any order, plus "platform=GOOS/GOARCH" for goos and goarch together:
//
//	cgo=1,goos=windows
//	strip=off
//	platform=linux/arm64,tags=
//	tags=netgo+osusergo
//	build=gh,goarm=7
//
// A tags field matches the whole tag set, so "tags=" selects the cells
// built without tags. build=ID selects the cells of a GoReleaser build,
// and goarm=7 (goamd64=v3, goarm64=v8.0, go386, gomips, gomips64,
// goppc64, goriscv64) the cells built with that instruction-set variant,
// which only cells of that variable's architecture have.
type Selector struct {
	CGO    *bool
	GOOS   string // "" matches any
	GOARCH string // "" matches any
	Strip  *bool
	Tags   *[]string // nil matches any; otherwise the exact, normalized set
	// VariantKey, when not "", is a variant's key (goarm) and Variant
	// the value it must have.
	VariantKey, Variant string
	Build               string // "" matches any
}

// selectorError marks errors of ParseSelector, so that Parse can reword them.
type selectorError struct {
	sel string
	err error
}

func (e *selectorError) Error() string { return fmt.Sprintf("invalid selector %q: %v", e.sel, e.err) }
func (e *selectorError) Unwrap() error { return e.err }

func unwrapSelector(err error) error {
	var se *selectorError
	if errors.As(err, &se) {
		return se.err
	}
	return err
}

// ParseSelector reads a selector such as "cgo=1,goos=windows". Every
// field is KEY=VALUE with KEY one of cgo (0 or 1), goos, goarch, platform
// (GOOS/GOARCH), strip (on or off) and tags (tags joined by '+', or
// nothing for none); a key may appear once.
func ParseSelector(s string) (Selector, error) {
	var sel Selector
	if strings.TrimSpace(s) == "" {
		return sel, fmt.Errorf("invalid selector %q: empty; want KEY=VALUE fields such as %q", s, "cgo=1,goos=windows")
	}
	seen := map[string]bool{}
	for _, field := range strings.Split(s, ",") {
		key, val, ok := strings.Cut(field, "=")
		key = strings.TrimSpace(key)
		if !ok {
			hint := ""
			if seen["tags"] && ValidTag(key) {
				hint = " (join several tags with '+': tags=a+b)"
			}
			return Selector{}, &selectorError{s, fmt.Errorf("field %q is not KEY=VALUE%s", field, hint)}
		}
		if key == "platform" {
			if seen["goos"] || seen["goarch"] {
				return Selector{}, &selectorError{s, fmt.Errorf("platform and goos/goarch both given")}
			}
			seen["goos"], seen["goarch"] = true, true
		} else {
			if seen[key] || (key == "goos" || key == "goarch") && seen["platform"] {
				return Selector{}, &selectorError{s, fmt.Errorf("%s given twice", key)}
			}
		}
		seen[key] = true
		switch key {
		case "cgo":
			b, err := parseBit(val, "1", "0")
			if err != nil {
				return Selector{}, &selectorError{s, fmt.Errorf("cgo=%s: want 0 or 1", val)}
			}
			sel.CGO = &b
		case "strip":
			b, err := parseBit(val, "on", "off")
			if err != nil {
				return Selector{}, &selectorError{s, fmt.Errorf("strip=%s: want on or off", val)}
			}
			sel.Strip = &b
		case "goos":
			if !validName(val) {
				return Selector{}, &selectorError{s, fmt.Errorf("goos=%s: want a GOOS such as linux", val)}
			}
			sel.GOOS = val
		case "goarch":
			if !validName(val) {
				return Selector{}, &selectorError{s, fmt.Errorf("goarch=%s: want a GOARCH such as amd64", val)}
			}
			sel.GOARCH = val
		case "platform":
			p, err := ParsePlatform(val)
			if err != nil {
				return Selector{}, &selectorError{s, err}
			}
			sel.GOOS, sel.GOARCH = p.GOOS, p.GOARCH
		case "tags":
			tags, err := parseTagList(val, "+")
			if err != nil {
				return Selector{}, &selectorError{s, err}
			}
			sel.Tags = &tags
		case "build":
			if !ValidBuildID(val) {
				return Selector{}, &selectorError{s, fmt.Errorf("build=%s: want a build id of letters, digits, '-', '_' and '.'", val)}
			}
			sel.Build = val
		default:
			if _, ok := variantKeys[key]; ok {
				if sel.VariantKey != "" {
					return Selector{}, &selectorError{s, fmt.Errorf("%s and %s both given: a cell has one variant", sel.VariantKey, key)}
				}
				if !validVariant(val) {
					return Selector{}, &selectorError{s, fmt.Errorf("%s=%s: want a value such as %s", key, val, variantExamples[key])}
				}
				sel.VariantKey, sel.Variant = key, val
				continue
			}
			return Selector{}, &selectorError{s, fmt.Errorf("unknown key %q: want cgo, goos, goarch, platform, strip, tags, build or a variant such as goarm", key)}
		}
	}
	return sel, nil
}

// Match reports whether c has every option sel names.
func (sel Selector) Match(c Combination) bool {
	if sel.CGO != nil && *sel.CGO != c.CGO {
		return false
	}
	if sel.Strip != nil && *sel.Strip != c.Strip {
		return false
	}
	if sel.GOOS != "" && sel.GOOS != c.GOOS {
		return false
	}
	if sel.GOARCH != "" && sel.GOARCH != c.GOARCH {
		return false
	}
	if sel.Tags != nil && strings.Join(*sel.Tags, "+") != strings.Join(NormalizeTags(c.Tags), "+") {
		return false
	}
	if sel.VariantKey != "" && (sel.VariantKey != c.variantKey() || sel.Variant != c.Variant) {
		return false
	}
	if sel.Build != "" && sel.Build != c.Build {
		return false
	}
	return true
}

// Combination returns the cell sel names when it names every option.
func (sel Selector) Combination() (Combination, bool) {
	if sel.CGO == nil || sel.Strip == nil || sel.GOOS == "" || sel.GOARCH == "" || sel.Tags == nil {
		return Combination{}, false
	}
	c := Combination{CGO: *sel.CGO, GOOS: sel.GOOS, GOARCH: sel.GOARCH, Strip: *sel.Strip, Tags: *sel.Tags, Build: sel.Build}
	if sel.VariantKey != "" {
		if sel.VariantKey != c.variantKey() {
			return Combination{}, false
		}
		c.Variant = sel.Variant
	}
	return c, true
}

// variantExamples are values of each variant key, for messages.
var variantExamples = map[string]string{
	"goarm": "7", "goamd64": "v3", "goarm64": "v8.0", "go386": "sse2",
	"gomips": "hardfloat", "gomips64": "softfloat", "goppc64": "power9", "goriscv64": "rva22u64",
}

// String writes sel in the order of the canonical id, leaving out what it
// does not name.
func (sel Selector) String() string {
	var f []string
	if sel.CGO != nil {
		f = append(f, "cgo="+bit(*sel.CGO, "1", "0"))
	}
	if sel.GOOS != "" {
		f = append(f, "goos="+sel.GOOS)
	}
	if sel.GOARCH != "" {
		f = append(f, "goarch="+sel.GOARCH)
	}
	if sel.Strip != nil {
		f = append(f, "strip="+bit(*sel.Strip, "on", "off"))
	}
	if sel.Tags != nil {
		f = append(f, "tags="+strings.Join(*sel.Tags, "+"))
	}
	if sel.VariantKey != "" {
		f = append(f, sel.VariantKey+"="+sel.Variant)
	}
	if sel.Build != "" {
		f = append(f, "build="+sel.Build)
	}
	return strings.Join(f, ",")
}

func parseBit(s, on, off string) (bool, error) {
	switch strings.TrimSpace(s) {
	case on:
		return true, nil
	case off:
		return false, nil
	}
	return false, fmt.Errorf("want %s or %s", on, off)
}

// validName reports whether s looks like a GOOS or GOARCH value: lower
// case letters and digits.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
