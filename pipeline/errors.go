package pipeline

import (
	"errors"
	"fmt"
)

// Field names the part of a Request a RequestError is about.
type Field string

// The fields of a Request that can be at fault.
const (
	FieldDir       Field = "dir"       // the target: missing, not a folder, malformed, not a main package, a pattern of several
	FieldPlatforms Field = "platforms" // a platform the toolchain does not build for
	FieldCC        Field = "cc"        // a C compiler that is not installed
	FieldExclude   Field = "exclude"   // an exclude list that removes every cell
	FieldMatrix    Field = "matrix"    // axes that expand to no cell
	FieldKeep      Field = "keep"      // a --keep folder that cannot be made
)

// RequestError is a request the pipeline cannot carry out as given: one
// of its values is wrong, and nothing was built.
type RequestError struct {
	Field Field
	Value string // the value at fault, as the request holds it; "" when the field as a whole is
	Err   error  // what is wrong with it
}

func (e *RequestError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %v", e.Field, e.Err)
	}
	return fmt.Sprintf("%s %s: %v", e.Field, e.Value, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// Error is the failure of a step that ran. Dir, when set, is the target
// folder the step worked in.
type Error struct {
	Dir string
	Err error
}

func (e *Error) Error() string {
	if e.Dir != "" {
		return e.Dir + ": " + e.Err.Error()
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrInterrupted is what Run returns when its context ends before the
// report is complete.
var ErrInterrupted = errors.New("interrupted; no report written")

// ErrNoGo is what Run returns, wrapped, when the go command is not
// installed.
var ErrNoGo = errors.New("the go command is not installed")
