// Package pipeline runs binscope's workflows from start to end as library
// calls: build (buildmatrix) → open (elfinfo) → attribute and judge (the
// analyze packages). The command line parses its flags into a request,
// calls one function and renders what it returns.
//
// Run builds a program under a matrix of build options and returns the
// compare report; RunDockerfile learns what a Dockerfile's go build lines
// produce (go list in the build context, or the build itself) and returns
// the dockercheck report.
//
// Like every domain package, pipeline takes its world as parameters: a
// context, the environment the go command runs with, and a progress
// callback. It never prints, exits or reads the process environment, and
// it runs no process itself: buildmatrix runs every go command.
//
// Errors say whose fault they are. A *RequestError is a request that
// cannot be carried out as given (a platform the toolchain does not
// know, an exclude list that removes every cell, a target that is not a
// main package); the command maps it to a usage error or to the line of
// a config file. Any other error is a failure of a step that ran, and
// ErrInterrupted is a run whose context ended first.
package pipeline
