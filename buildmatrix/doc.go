// Package buildmatrix builds a Go program once per combination of build
// options and says how each build went.
//
// A Combination is one cell of the matrix: cgo on or off, a GOOS/GOARCH
// platform, stripped with -ldflags="-s -w" or not, and a set of build
// tags. Its String is the canonical id that names the cell everywhere
// (reports, kept binaries, merge, diff, budgets), and Parse reads it back;
// a Selector is a partial one, as --exclude and budget selectors write it.
// Expand turns Axes into the cells in a stable order, and a Shard picks
// the K-th of N slices of them for CI.
//
// LoadTarget reads the program (the package in a folder, or an import
// path resolved in one) with go list and finds the custom build tags of
// its own module, and Target.UnknownTags the requested tags that nothing
// in its build names; ListPackages lists what a pattern matches;
// NewTempModule makes the module that builds pkg@version, as go install
// does; ReadGoEnv reads the go command's settings;
// ListDeps lists a build's packages and those that use cgo; Platforms
// lists what go tool dist list names. They all run the go command through
// RunGo, the one runner of go subcommands, whose errors (*GoError) hold
// the command's stderr. A
// Plan builds cells: Build runs one go build through exec.CommandContext
// with an explicit environment, in a process group of its own that an
// interruption ends whole; Run schedules them so that compile
// configurations are built one after another, sharing the build cache,
// while the link-only -s -w twins and the other tag sets overlap with the
// next compile.
//
// buildmatrix is the only package of binscope that runs processes: the
// pipeline package and the command reach the go command through it.
//
// The package takes its world as parameters (context, environment,
// folders) and reports through return values and callbacks. It imports
// neither elfinfo nor analyze: what a binary is and what its size means
// are for them to say.
package buildmatrix
