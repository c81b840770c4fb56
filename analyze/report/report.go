// Package report decodes the JSON reports binscope reads back: the size
// and compare reports that diff compares, check --baseline measures
// growth against, check --from judges and merge joins. Every command
// that reads a report calls it, so that each refuses the same documents
// with the same words: JSON that is not an object, a report without
// schema_version or of another version than analyze.SchemaVersion, a
// report of another kind (an inspect report), a field of the wrong type,
// and numbers binscope cannot have written.
//
// It takes bytes, not paths: reading the file, and naming it in the
// error, is the caller's job.
package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
)

// Kind is the kind of a report Decode tells apart.
type Kind string

// Report kinds.
const (
	Size    Kind = "size"    // binscope size --format json
	Compare Kind = "compare" // binscope compare --format json, or merge's
)

// ErrNotReport is wrapped by Decode's errors: the document is not a
// report binscope can read back.
var ErrNotReport = errors.New("not a binscope size or compare report")

// ErrNotCompare is wrapped by DecodeCompare's errors: the document is not
// a compare report.
var ErrNotCompare = errors.New("not a report of binscope compare --format json")

// Decode reads a binscope size or compare report from JSON and says
// which it is. Any other JSON, such as an inspect report or a report of
// another schema version, is an error that says what it is; so is a size
// report whose numbers cannot be binscope's (a negative size, packages
// that do not sum to the size).
func Decode(data []byte) (Kind, *analyze.SizeReport, *compare.Report, error) {
	kind, size, cmpReport, err := decode(data)
	if err != nil {
		return "", nil, nil, fmt.Errorf("%w: %v", ErrNotReport, err)
	}
	return kind, size, cmpReport, nil
}

// DecodeCompare reads a compare report, as check --from and merge want
// one: Decode's checks, and a matrix besides. Its errors say what the
// document is instead.
func DecodeCompare(data []byte) (*compare.Report, error) {
	kind, _, r, err := decode(data)
	var bad *invalidJSON
	switch {
	case errors.As(err, &bad):
		return nil, fmt.Errorf("not JSON (%v): %w", bad.err, ErrNotCompare)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrNotCompare, err)
	case kind != Compare:
		return nil, fmt.Errorf("%w: a %s report", ErrNotCompare, kind)
	}
	var has struct {
		Matrix json.RawMessage `json:"matrix"`
	}
	if json.Unmarshal(data, &has) != nil || has.Matrix == nil {
		return nil, fmt.Errorf("%w: no matrix", ErrNotCompare)
	}
	return r, nil
}

// invalidJSON is a document that is not JSON at all.
type invalidJSON struct{ err error }

func (e *invalidJSON) Error() string { return "invalid JSON: " + e.err.Error() }

// decode is Decode without the sentinel: its errors say what is wrong.
func decode(data []byte) (kind Kind, size *analyze.SizeReport, cmpReport *compare.Report, err error) {
	fail := func(format string, args ...any) (Kind, *analyze.SizeReport, *compare.Report, error) {
		return "", nil, nil, fmt.Errorf(format, args...)
	}
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return "", nil, nil, &invalidJSON{jsonErr(data, err)}
	}
	// Valid JSON is not empty; its first byte tells what it is.
	if c := bytes.TrimLeft(data, " \t\r\n")[0]; c != '{' {
		what := "number"
		switch c {
		case '[':
			what = "array"
		case '"':
			what = "string"
		case 't', 'f':
			what = "boolean"
		case 'n':
			what = "null"
		}
		return fail("a JSON %s, not an object", what)
	}
	var probe struct {
		SchemaVersion json.RawMessage `json:"schema_version"`
		Cells         json.RawMessage `json:"cells"`
		Packages      json.RawMessage `json:"packages"`
		Sections      json.RawMessage `json:"sections"`
		Binaries      json.RawMessage `json:"binaries"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return fail("%v", typeErr(err))
	}
	var version int
	switch {
	case probe.SchemaVersion == nil:
		return fail("no schema_version")
	case json.Unmarshal(probe.SchemaVersion, &version) != nil:
		return fail("schema_version is %s, want %d", probe.SchemaVersion, analyze.SchemaVersion)
	case version != analyze.SchemaVersion:
		return fail("schema_version %d, want %d", version, analyze.SchemaVersion)
	case probe.Cells != nil:
		cmpReport = &compare.Report{}
		if err := json.Unmarshal(data, cmpReport); err != nil {
			return fail("compare report: %v", typeErr(err))
		}
		for _, c := range cmpReport.Cells {
			if c.Size < 0 {
				return fail("compare report: cell %s has size %d", c.ID, c.Size)
			}
		}
		return Compare, nil, cmpReport, nil
	case probe.Packages != nil && probe.Sections != nil:
		size = &analyze.SizeReport{}
		if err := json.Unmarshal(data, size); err != nil {
			return fail("size report: %v", typeErr(err))
		}
		if err := checkSizeReport(size, data); err != nil {
			return fail("size report: %v", err)
		}
		return Size, size, nil, nil
	case probe.Binaries != nil:
		return fail("an inspect report (run binscope size on the binary instead)")
	}
	return fail("has neither cells nor packages and sections")
}

// checkSizeReport refuses a size report whose numbers binscope cannot
// have written: the rows of the package view sum to the size.
func checkSizeReport(r *analyze.SizeReport, data []byte) error {
	var has struct {
		Size *int64 `json:"size"`
	}
	if json.Unmarshal(data, &has) != nil || has.Size == nil {
		return errors.New("no size")
	}
	if r.Size < 0 {
		return fmt.Errorf("size %d is negative", r.Size)
	}
	var sum int64
	for _, p := range r.Packages {
		if p.Size < 0 || p.Size > r.Size-sum {
			return fmt.Errorf("package %q of %d bytes: the packages hold more than the size, %d bytes", p.Name, p.Size, r.Size)
		}
		sum += p.Size
	}
	if sum != r.Size {
		return fmt.Errorf("the packages hold %d bytes, not the size, %d bytes", sum, r.Size)
	}
	for _, s := range r.Sections {
		if s.FileSize < 0 || s.VMSize < 0 {
			return fmt.Errorf("section %q has a negative size", s.Name)
		}
	}
	return nil
}

// jsonErr adds the line of a syntax error.
func jsonErr(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(data)) {
		line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		return fmt.Errorf("line %d: %v", line, err)
	}
	return err
}

// typeErr words a JSON value of the wrong type in JSON's terms:
// "sections" is a number, want an array.
func typeErr(err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err
	}
	want := "a " + te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Slice, reflect.Array:
		want = "an array"
	case reflect.Struct, reflect.Map:
		want = "an object"
	case reflect.Bool:
		want = "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		want = "a number"
	}
	return fmt.Errorf("%q is %s, want %s", cmp.Or(te.Field, "the document"), jsonKind(te.Value), want)
}

// jsonKind names what json.UnmarshalTypeError calls a value: "number 1.5"
// is a number.
func jsonKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "true or false"
	}
	return "a " + kind
}
