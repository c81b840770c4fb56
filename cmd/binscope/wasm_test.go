package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
)

// TestWasmReportsMatchSchemas validates the inspect, size and diff reports
// of WebAssembly builds (their imports, exports and format) against
// docs/schema.
func TestWasmReportsMatchSchemas(t *testing.T) {
	dir := testbuild.Pomo(t)
	wasip1 := testbuild.Build(t, dir, testbuild.Variant{Name: "pomo-wasip1.wasm", Env: []string{"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0"}})
	js := testbuild.Build(t, dir, testbuild.Variant{Name: "pomo-js-sw.wasm", Env: []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}})
	for _, tc := range []struct {
		schema string
		args   []string
	}{
		{"inspect.schema.json", []string{"inspect", "--format", "json", wasip1, js}},
		{"size.schema.json", []string{"size", "--format", "json", wasip1}},
		{"size.schema.json", []string{"size", "--format", "json", "--by", "symbol", js}},
		{"diff.schema.json", []string{"diff", "--format", "json", wasip1, js}},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), tc.args, os.Environ(), &out, &errb); code != 0 {
			t.Fatalf("binscope %v: status %d: %s", tc.args, code, errb.String())
		}
		checkSchema(t, tc.schema, out.Bytes())
	}
}
