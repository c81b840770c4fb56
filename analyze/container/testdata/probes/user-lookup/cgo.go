//go:build cgo

package main

import _ "probes/internal/usecgo"
