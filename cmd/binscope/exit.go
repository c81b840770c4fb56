package main

import (
	"errors"
	"fmt"
)

// Exit statuses, the same for every command.
const (
	exitOK      = 0
	exitFailure = 1 // ran, but failed or found a problem
	exitUsage   = 2 // the command line or a config file could not be understood
)

// exitError carries the exit status an error should end binscope with.
// A nil err means the problem was already reported (each of several bad
// inputs on its own line) and only the status remains.
type exitError struct {
	code int
	err  error
	// hint is set on errors of the command line, which are followed by
	// "Run 'binscope COMMAND --help' for usage."; a config file's error names
	// its file and line instead, and a failure needs no hint.
	hint bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf reports a command line or config that cannot be understood.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...), hint: true}
}

// configErrorf reports a config file that cannot be read or understood:
// status 2, without the command-line hint.
func configErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// failure reports an error of a command that ran.
func failure(err error) error {
	return &exitError{code: exitFailure, err: err}
}

// failureOr reports err as a failure unless it already carries its
// exit status (a usage error found while reading an input).
func failureOr(err error) error {
	var e *exitError
	if errors.As(err, &e) {
		return err
	}
	return failure(err)
}

// isUsageError reports whether err ends binscope with the usage status.
func isUsageError(err error) bool {
	var e *exitError
	return errors.As(err, &e) && e.code == exitUsage
}

// errReported ends with status 1 after the problems were printed.
var errReported = &exitError{code: exitFailure}

// exitCode maps an error from the command tree to a status, the line to
// print and whether to follow it with the usage hint. Errors binscope's
// own commands return are all exitErrors; any other error comes from
// cobra's parsing of the command line (an unknown command, a missing
// argument) and is a usage error, with the hint.
func exitCode(err error) (code int, msg error, hint bool) {
	if err == nil {
		return exitOK, nil, false
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code, e.err, e.hint
	}
	return exitUsage, err, true
}
