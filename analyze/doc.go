// Package analyze turns the facts elfinfo reads into reports: what a
// binary is (inspect), where its bytes go (size), what changed between two
// builds (diff), and whether a build keeps its budgets (check).
//
// It computes and nothing else: it takes values (files already read,
// sections, symbols, build info) and returns report values whose JSON form
// is binscope's output. It opens no paths, prints nothing and runs no
// commands. Every report carries SchemaVersion; a field, once published,
// keeps its name and meaning.
package analyze
