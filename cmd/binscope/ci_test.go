package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"github.com/binscope/binscope/internal/ghapi/fakegh"
	"github.com/rogpeppe/go-internal/testscript"
)

// fakes are the scripts' fake GitHub APIs, one per script.
var fakes sync.Map // *testscript.TestScript → *fakegh.Server

// cmdGitHub drives a fake GitHub API (internal/ghapi/fakegh) for binscope
// ci:
//
//	github start OWNER/NAME        serve it; sets GITHUB_API_URL and GITHUB_REPOSITORY;
//	                               the token rw-token may write, ro-token only read
//	github pull N HEAD_SHA BASE    a pull request
//	github artifact NAME BRANCH SHA RUN DIR
//	                               DIR's files as an artifact of run RUN on BRANCH at SHA
//	github comments N              print pull request N's comments, each after a line "=== comment ==="
//	github requests                print every request since the last, "METHOD PATH", or (none)
func cmdGitHub(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: github start|pull|artifact|comments|requests …")
	}
	if args[0] == "start" {
		if len(args) != 2 {
			ts.Fatalf("usage: github start OWNER/NAME")
		}
		s := fakegh.New(args[1])
		s.Token("rw-token", true)
		s.Token("ro-token", false)
		fakes.Store(ts, s)
		ts.Defer(func() { s.Close(); fakes.Delete(ts) })
		ts.Setenv("GITHUB_API_URL", s.URL)
		ts.Setenv("GITHUB_REPOSITORY", args[1])
		return
	}
	v, ok := fakes.Load(ts)
	if !ok {
		ts.Fatalf("github %s: no fake API: github start first", args[0])
	}
	s := v.(*fakegh.Server)
	num := func(a string) int {
		n, err := strconv.Atoi(a)
		if err != nil {
			ts.Fatalf("github %s: %q is not a number", args[0], a)
		}
		return n
	}
	switch args[0] {
	case "pull":
		if len(args) != 4 {
			ts.Fatalf("usage: github pull N HEAD_SHA BASE")
		}
		s.AddPull(fakegh.Pull{Number: num(args[1]), HeadSHA: args[2], BaseRef: args[3]})
	case "artifact":
		if len(args) != 6 {
			ts.Fatalf("usage: github artifact NAME BRANCH SHA RUN DIR")
		}
		ts.Check(s.AddArtifact(args[1], args[2], args[3], int64(num(args[4])), ts.MkAbs(args[5])))
	case "comments":
		if len(args) != 2 {
			ts.Fatalf("usage: github comments N")
		}
		for _, c := range s.Comments(num(args[1])) {
			fmt.Fprintf(ts.Stdout(), "=== comment ===\n%s", c.Body)
		}
	case "requests":
		rs := s.Requests()
		if len(rs) == 0 {
			// Always some output: a command that prints nothing leaves
			// the script's stdout as the last one had it.
			fmt.Fprintln(ts.Stdout(), "(none)")
		}
		for _, r := range rs {
			fmt.Fprintln(ts.Stdout(), r)
		}
	default:
		ts.Fatalf("github: unknown subcommand %q", args[0])
	}
}

// cmdGitSHA sets a variable to a commit's hash: gitsha VAR REV, in the
// script's working folder.
func cmdGitSHA(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gitsha VAR REV")
	}
	cmd := exec.Command("git", "rev-parse", args[1])
	cmd.Dir = ts.MkAbs(".")
	out, err := cmd.Output()
	ts.Check(err)
	ts.Setenv(args[0], strings.TrimSpace(string(out)))
}

// cmdExpand copies a file, replacing $VAR and ${VAR} by the script's
// variables: expand SRC DST (for event payloads that name commits).
func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: expand SRC DST")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(os.Expand(string(data), ts.Getenv)), 0o644))
}
