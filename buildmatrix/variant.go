package buildmatrix

import (
	"fmt"
	"strings"
)

// Go has one setting per architecture that picks the instruction set a
// build may use within it: GOARM for arm, GOAMD64 for amd64, and so on.
// A Combination's Variant is that setting's value; which variable it is
// follows from GOARCH, so a cell cannot hold GOARM on amd64.
var variantVars = map[string]string{
	"arm":      "GOARM",
	"amd64":    "GOAMD64",
	"arm64":    "GOARM64",
	"386":      "GO386",
	"mips":     "GOMIPS",
	"mipsle":   "GOMIPS",
	"mips64":   "GOMIPS64",
	"mips64le": "GOMIPS64",
	"ppc64":    "GOPPC64",
	"ppc64le":  "GOPPC64",
	"riscv64":  "GORISCV64",
}

// VariantVar returns the environment variable that picks goarch's
// instruction-set level (GOARM for arm), or "" when it has none.
func VariantVar(goarch string) string { return variantVars[goarch] }

// variantKeys are the variables' names as id and selector keys, in lower
// case: goarm, goamd64, ….
var variantKeys = func() map[string]string {
	m := map[string]string{}
	for _, v := range variantVars {
		m[strings.ToLower(v)] = v
	}
	return m
}()

// variantKey is the id key of c's Variant: goarm for GOARM.
func (c Combination) variantKey() string { return strings.ToLower(VariantVar(c.GOARCH)) }

// validVariant reports whether s can be a variant value in an id: letters,
// digits, '.' and the '+' that stands for a ',' in the variable's value
// (GOARM=7,softfloat is goarm=7+softfloat).
func validVariant(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '+') {
			return false
		}
	}
	return true
}

// ValidBuildID reports whether s can name a build in an id (build=ID):
// letters, digits, '-', '_' and '.', as GoReleaser's ids are written.
func ValidBuildID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// VariantValue returns the id form of a variable's value: its commas as
// '+' (7,softfloat → 7+softfloat), or an error when it has characters an
// id cannot hold.
func VariantValue(goarch, value string) (string, error) {
	if VariantVar(goarch) == "" {
		return "", fmt.Errorf("goarch %s has no instruction-set variable (GOARM, GOAMD64, …)", goarch)
	}
	v := strings.ReplaceAll(value, ",", "+")
	if !validVariant(v) {
		return "", fmt.Errorf("%s=%q: want letters, digits, '.' and ','", VariantVar(goarch), value)
	}
	return v, nil
}

// variantEnv is the KEY=VALUE that sets c's Variant, or "".
func (c Combination) variantEnv() string {
	if c.Variant == "" || VariantVar(c.GOARCH) == "" {
		return ""
	}
	return VariantVar(c.GOARCH) + "=" + strings.ReplaceAll(c.Variant, "+", ",")
}

// Universal is the GOARCH of a macOS universal binary's cell, as
// GoReleaser names its artifacts (darwin_all): the binary joins the
// thin builds of Spec.Universal.
const Universal = "all"
