// Package analyze attributes the bytes of a binary: where they go by
// section, package, module and symbol (Size, SizeOf), and the facts of
// one binary as reports carry them (Binary, InspectReport).
//
// The other analyses live in packages of their own under this folder:
// compare (matrix reports), diff (report against report), budget (size
// budgets), container (readiness on base images), dockercheck
// (Dockerfile checks) and report (the one decoder of the reports binscope
// reads back). docs/architecture.md draws how they fit.
//
// It computes and nothing else: it takes values (files already read,
// sections, symbols, build info) and returns report values whose JSON form
// is binscope's output. It opens no paths, prints nothing and runs no
// commands. Every report carries SchemaVersion; a field, once published,
// keeps its name and meaning.
package analyze
