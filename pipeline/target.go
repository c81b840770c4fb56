package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/binscope/binscope/buildmatrix"
)

// ErrSeveralMains is the RequestError of a target pattern that matches
// more than one main package: a matrix is of one program.
var ErrSeveralMains = errors.New("several main packages")

// ErrTargetSyntax is the RequestError of a target that is not written as
// the go command takes one, such as a folder with a @version.
var ErrTargetSyntax = errors.New("malformed target")

// location is where a Request's target is, before any go command runs:
// the folder go commands run in and the package argument they take.
type location struct {
	arg string // the target as the request gives it
	// dir is the folder go commands run in: the target's own folder when
	// it names one, else the request's From (a temporary module's
	// folder for query, set when it is made).
	dir string
	pkg string // the package argument: "." for the folder, else an import path or a pattern
	// query is pkg@version, for a temporary module; "" otherwise.
	query string
	// folder reports that arg names a folder; missing, that it names
	// none and was taken for an import path.
	folder, missing bool
}

// locate reads a target the way the go command reads a package
// argument, with one difference: a relative path that names a folder
// (testdata/pomo) is that folder, as binscope has always read it, though
// the go command would take it for an import path. Nothing runs; a target
// that cannot be is a RequestError.
func locate(target, from string) (*location, error) {
	from = cmp.Or(from, ".")
	loc := &location{arg: target, dir: from, pkg: target}
	if pkg, _, ok, err := buildmatrix.ParseVersioned(target); err != nil {
		return nil, &RequestError{Field: FieldDir, Value: target, Err: &targetError{ErrTargetSyntax, err.Error()}}
	} else if ok {
		loc.pkg, loc.query, loc.dir = pkg, target, ""
		return loc, nil
	}
	if strings.Contains(target, "...") {
		return loc, nil
	}
	p := filepath.FromSlash(target)
	if !filepath.IsAbs(p) {
		p = filepath.Join(from, p)
	}
	st, err := os.Stat(p)
	switch {
	case err == nil && st.IsDir():
		loc.dir, loc.pkg, loc.folder = p, ".", true
	case err == nil:
		return nil, &RequestError{Field: FieldDir, Value: target, Err: ErrNotDir}
	case buildmatrix.IsLocalPath(target) || !errors.Is(err, os.ErrNotExist):
		return nil, &RequestError{Field: FieldDir, Value: target, Err: unwrapPath(err)}
	default:
		loc.missing = true
	}
	return loc, nil
}

// reportDir is the target's folder as the report names it: the folder
// as given (joined to From), the folder an import path was resolved in,
// or "" for a temporary module, which is gone when the report is read.
func (l *location) reportDir() string {
	if l.query != "" {
		return ""
	}
	return filepath.ToSlash(filepath.Clean(l.dir))
}

// load finds the main package the location names, with go list in its
// dir, and reads it: a pattern must match exactly one main package, and
// a folder or import path that is not one is a RequestError that names
// the main packages beneath it.
func (l *location) load(ctx context.Context, env []string) (*buildmatrix.Target, error) {
	pkg := l.pkg
	if strings.Contains(pkg, "...") {
		pkgs, err := buildmatrix.ListPackages(ctx, goCmd, l.dir, env, pkg)
		if err != nil {
			return nil, l.loadError(ctx, err)
		}
		var mains []buildmatrix.Package
		for _, p := range pkgs {
			if p.Name == "main" {
				mains = append(mains, p)
			}
		}
		switch {
		case len(mains) > 1:
			return nil, &RequestError{Field: FieldDir, Value: l.arg, Err: &targetError{ErrSeveralMains,
				fmt.Sprintf("matches %d main packages: %s; a matrix is of one program: name one of them", len(mains), l.list(mains))}}
		case len(mains) == 0 && len(pkgs) == 0:
			return nil, &RequestError{Field: FieldDir, Value: l.arg, Err: &targetError{buildmatrix.ErrNotMain, "matches no package"}}
		case len(mains) == 0:
			if len(pkgs) == 1 && pkgs[0].Err != "" {
				return nil, l.loadError(ctx, errors.New(pkgs[0].Err))
			}
			return nil, &RequestError{Field: FieldDir, Value: l.arg, Err: &targetError{buildmatrix.ErrNotMain,
				fmt.Sprintf("matches %s, none of them a main package", plural(len(pkgs), "package"))}}
		}
		pkg = mains[0].ImportPath
	}
	t, err := buildmatrix.LoadTarget(ctx, goCmd, l.dir, pkg, env)
	if err == nil {
		return t, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	notMain := errors.Is(err, buildmatrix.ErrNotMain)
	if notMain || errors.Is(err, buildmatrix.ErrNoGoFiles) {
		// Name the main packages beneath it, which the user most likely
		// meant: compare . at the root of a module of commands.
		below := "./..."
		if !l.folder {
			below = pkg + "/..."
		}
		var mains []buildmatrix.Package
		if pkgs, lerr := buildmatrix.ListPackages(ctx, goCmd, l.dir, env, below); lerr == nil {
			for _, p := range pkgs {
				if p.Name == "main" && p.Err == "" {
					mains = append(mains, p)
				}
			}
		}
		switch {
		case len(mains) > 0 && notMain:
			return nil, &RequestError{Field: FieldDir, Value: l.arg, Err: fmt.Errorf("%w; main packages here: %s", err, l.list(mains))}
		case len(mains) > 0:
			return nil, &RequestError{Field: FieldDir, Value: l.arg, Err: fmt.Errorf("%w (no Go files); main packages here: %s", buildmatrix.ErrNotMain, l.list(mains))}
		case notMain:
			return nil, &RequestError{Field: FieldDir, Value: l.arg, Err: err}
		}
	}
	return nil, l.loadError(ctx, err)
}

// loadError is the error of a go list that failed: the request's fault
// when the target was taken for an import path because no folder has its
// name, the step's otherwise.
func (l *location) loadError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if l.missing && !strings.Contains(strings.SplitN(l.arg, "/", 2)[0], ".") {
		// Neither a folder nor, most likely, an import path: the first
		// element of a module's path has a dot.
		return &RequestError{Field: FieldDir, Value: l.arg, Err: fmt.Errorf("no such folder, nor a package: %v", err)}
	}
	return &Error{Dir: l.shown(), Err: err}
}

// shown is the target as errors name it: the folder (joined to From), or
// the argument as given.
func (l *location) shown() string {
	if l.folder {
		return l.dir
	}
	return l.arg
}

// list names main packages as the user would give them: by folder,
// relative to the target, when the target is a folder or a relative
// pattern; by import path otherwise. At most eight, then how many more.
func (l *location) list(pkgs []buildmatrix.Package) string {
	const most = 8
	var names []string
	for i, p := range pkgs {
		if i == most {
			names = append(names, fmt.Sprintf("and %d more", len(pkgs)-most))
			break
		}
		names = append(names, l.name(p))
	}
	return strings.Join(names, ", ")
}

func (l *location) name(p buildmatrix.Package) string {
	base := ""
	switch {
	case l.folder:
		base = l.arg
	case l.query == "" && buildmatrix.IsLocalPath(l.pkg):
		base = "."
	default:
		return p.ImportPath
	}
	root, err1 := filepath.Abs(l.dir)
	dir, err2 := filepath.Abs(p.Dir)
	rel, err3 := filepath.Rel(root, dir)
	if err1 != nil || err2 != nil || err3 != nil || strings.HasPrefix(rel, "..") {
		return p.ImportPath
	}
	name := filepath.ToSlash(filepath.Join(base, rel))
	if !filepath.IsAbs(name) && !buildmatrix.IsLocalPath(name) {
		name = "./" + name
	}
	return name
}

// targetError is a message about a target that wraps a sentinel error
// without repeating its text.
type targetError struct {
	is  error
	msg string
}

func (e *targetError) Error() string { return e.msg }

func (e *targetError) Unwrap() error { return e.is }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
