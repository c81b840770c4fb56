package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of cols columns: the master end, which
// reads what a program writes to the terminal, and the terminal itself.
func openPTY(cols int) (master, term *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*os.File, *os.File, error) {
		master.Close()
		return nil, nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		return fail(fmt.Errorf("unlock pty: %w", err))
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		return fail(fmt.Errorf("pty number: %w", err))
	}
	term, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return fail(err)
	}
	if err := unix.IoctlSetWinsize(int(term.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: uint16(cols)}); err != nil {
		term.Close()
		return fail(fmt.Errorf("set pty size: %w", err))
	}
	return master, term, nil
}

// havePTY reports whether a pseudo-terminal can be opened here, the
// scripts' [pty] condition.
func havePTY() bool {
	m, t, err := openPTY(80)
	if err != nil {
		return false
	}
	m.Close()
	t.Close()
	return true
}

// ptyEnv are the variables a program run on a pseudo-terminal gets from
// the script: testscript has no way to list them all.
var ptyEnv = []string{"PATH", "HOME", "TMPDIR", "WORK", "POMO", "GOCACHE", "GOPATH", "GOMODCACHE", "GOFLAGS", "GOROOT",
	"GOTOOLCHAIN", "GOPROXY", "GOWORK", "NO_COLOR", "CLICOLOR_FORCE", "COLUMNS", "CGO_ENABLED", "CC", "TERM"}

// cmdPTY runs a program with its standard input, output and error on a
// pseudo-terminal COLS wide and writes what it wrote there to FILE:
//
//	pty [-interrupt REGEXP] COLS FILE PROGRAM [ARGS...]
//
// With -interrupt, the program gets SIGINT once its output matches
// REGEXP, as if the user pressed Ctrl-C. The program's exit status is
// written to FILE.status.
func cmdPTY(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! pty")
	}
	var interrupt *regexp.Regexp
	if len(args) > 1 && args[0] == "-interrupt" {
		interrupt = regexp.MustCompile(args[1])
		args = args[2:]
	}
	if len(args) < 3 {
		ts.Fatalf("usage: pty [-interrupt REGEXP] COLS FILE PROGRAM [ARGS...]")
	}
	cols, err := strconv.Atoi(args[0])
	ts.Check(err)
	master, term, err := openPTY(cols)
	if err != nil {
		ts.Fatalf("pty: %v (scripts guard with [!pty] skip)", err)
	}
	defer master.Close()
	// The program is looked up in the script's PATH, where testscript
	// puts its commands.
	path := ""
	for _, dir := range strings.Split(ts.Getenv("PATH"), string(os.PathListSeparator)) {
		if st, err := os.Stat(filepath.Join(dir, args[2])); err == nil && !st.IsDir() {
			path = filepath.Join(dir, args[2])
			break
		}
	}
	if path == "" {
		ts.Fatalf("pty: %s not in the script's PATH", args[2])
	}
	cmd := exec.Command(path, args[3:]...)
	cmd.Args[0] = args[2]
	cmd.Dir = ts.MkAbs(".")
	for _, k := range ptyEnv {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term, term, term
	ts.Check(cmd.Start())
	term.Close()

	var (
		mu  sync.Mutex
		out bytes.Buffer
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		sent := false
		for {
			n, err := master.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			if interrupt != nil && !sent && interrupt.Match(out.Bytes()) {
				cmd.Process.Signal(os.Interrupt)
				sent = true
			}
			mu.Unlock()
			if err != nil {
				return // EIO once the program has closed the terminal
			}
		}
	}()
	werr := cmd.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		ts.Fatalf("pty: output not closed 10s after %s exited", args[2])
	}
	status := 0
	if werr != nil {
		ee, ok := werr.(*exec.ExitError)
		if !ok {
			ts.Fatalf("pty: %v", werr)
		}
		status = ee.ExitCode()
	}
	mu.Lock()
	defer mu.Unlock()
	// The terminal turns each \n into \r\n; give the file back its \n.
	text := strings.ReplaceAll(out.String(), "\r\n", "\n")
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(text), 0o666))
	ts.Check(os.WriteFile(ts.MkAbs(args[1]+".status"), []byte(strconv.Itoa(status)+"\n"), 0o666))
	ts.Logf("pty: %s exited %d", args[2], status)
}
