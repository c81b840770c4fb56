package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A target that is not a folder is the request's fault, named by field,
// before any go command runs.
func TestRunTargetErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
		want error
	}{
		{"missing", filepath.Join(dir, "nope"), os.ErrNotExist},
		{"file", file, ErrNotDir},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), Request{Target: tc.dir, Jobs: 1}, nil, nil)
			var re *RequestError
			if !errors.As(err, &re) || re.Field != FieldDir || re.Value != tc.dir {
				t.Fatalf("Run = %v, want a RequestError of field dir", err)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("Run = %v, want it to wrap %v", err, tc.want)
			}
		})
	}
}

// The temporary folder comes from the env passed in, as the process would
// read it: the last TMPDIR wins.
func TestTempDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows reads TMP and TEMP")
	}
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"TMPDIR=/a", "TMPDIR=/b"}, "/b"},
		{nil, "/tmp"},
	} {
		if got := tempDir(tc.env); got != tc.want {
			t.Errorf("tempDir(%q) = %q, want %q", tc.env, got, tc.want)
		}
	}
}
