package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
)

// TestInspectJSONMatchesSchema runs inspect on real builds of each format
// and validates the report against docs/schema/inspect.schema.json.
func TestInspectJSONMatchesSchema(t *testing.T) {
	dir := testbuild.Pomo(t)
	paths := []string{
		testbuild.Build(t, dir, testbuild.Variant{Name: "static", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w", "-tags=containers"}}),
		testbuild.Build(t, dir, testbuild.Variant{Name: "pomo.exe", Env: []string{"GOOS=windows", "GOARCH=amd64"}}),
		testbuild.Build(t, dir, testbuild.Variant{Name: "darwin", Env: []string{"GOOS=darwin", "GOARCH=arm64"}, Flags: []string{"-ldflags=-s -w"}}),
	}
	if testbuild.HaveCC() {
		paths = append(paths, testbuild.Build(t, dir, testbuild.Variant{Name: "dynamic", Env: []string{"CGO_ENABLED=1"}}))
	}
	var stdout, stderr bytes.Buffer
	args := append([]string{"inspect", "--format", "json"}, paths...)
	if code := run(context.Background(), args, os.Environ(), &stdout, &stderr); code != 0 {
		t.Fatalf("inspect exited %d: %s", code, stderr.String())
	}
	checkSchema(t, "inspect.schema.json", stdout.Bytes())

	// A report with errors is valid too.
	stdout.Reset()
	if code := run(context.Background(), []string{"inspect", "--format", "json", "/no/such/file", paths[0]}, os.Environ(), &stdout, &stderr); code != 1 {
		t.Fatalf("inspect of a missing file exited %d, want 1", code)
	}
	checkSchema(t, "inspect.schema.json", stdout.Bytes())
}
