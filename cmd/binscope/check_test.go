package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
)

// TestCheckBinaryJSONMatchesSchema checks one binary with rule flags, as
// CI without a config does, and validates the report: a binary on its own
// has no target and no options.
func TestCheckBinaryJSONMatchesSchema(t *testing.T) {
	bin := testbuild.Build(t, testbuild.Pomo(t), testbuild.Variant{Name: "pomo", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}})
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--max-size", "100M", "--static", "--stripped"}, 0},
		{[]string{"--max-size", "1M", "--no-debug-info"}, 1},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"check", "--format", "json", bin}, tc.args...)
		if code := run(context.Background(), args, &stdout, &stderr); code != tc.code {
			t.Fatalf("check %v exited %d, want %d: %s", tc.args, code, tc.code, stderr.String())
		}
		checkSchema(t, "check.schema.json", stdout.Bytes())
	}
}
