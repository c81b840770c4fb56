//go:build withgzip

package main

import (
	"bytes"
	"compress/gzip"
	"io"
)

func init() {
	uses = append(uses, func() string {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write([]byte("hello, hello, hello"))
		w.Close()
		r, _ := gzip.NewReader(&buf)
		b, _ := io.ReadAll(r)
		return string(b)
	})
}
