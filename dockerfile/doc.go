// Package dockerfile reads Dockerfiles: the instructions as the BuildKit
// frontend splits them, and what binscope needs to follow a build through
// them: the stages (FROM … AS name), the environment each RUN sees (ENV,
// ARG, build arguments), the go build lines with their flags, and what
// each COPY brings into a stage.
//
// It is a hand-written parser of the subset binscope needs, not a copy of
// BuildKit's: docs/containers.md says why. The rules it follows are those
// of the Dockerfile reference (https://docs.docker.com/reference/dockerfile/):
//
//   - Parser directives (# syntax=, # escape=, # check=) are read only at
//     the top, before any comment, blank line or instruction; the escape
//     directive switches the escape character between \ and `.
//   - An escape character at the end of a line (trailing blanks allowed)
//     continues the instruction on the next line; comment lines and blank
//     lines inside a continued instruction are dropped.
//   - Lines whose first non-blank character is # are comments.
//   - RUN, COPY and ADD take heredocs (<<EOF, <<-EOF, <<"EOF"): the lines
//     up to the terminator belong to the instruction, so a # or a FROM in
//     a heredoc body is not read as one.
//   - Arguments in JSON array form (["a", "b"]) are the exec form; anything
//     that does not parse as a JSON array of strings is the shell form.
//   - Variables ($NAME, ${NAME}, ${NAME:-default}, ${NAME:+alternative})
//     are substituted in the instructions that the reference lists (FROM,
//     ENV, ARG, COPY, ADD, WORKDIR, USER, …) from ARG and ENV values; in
//     RUN the shell substitutes them, which the shell reader in this
//     package imitates for the commands binscope looks at.
//
// Parse never panics and its memory is bounded by the input's size;
// it is fuzzed (go test -fuzz=FuzzParse ./dockerfile).
package dockerfile
