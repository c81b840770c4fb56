//go:build withheavy

package main

import "example.com/heavy"

func init() {
	uses = append(uses, func() string { return heavy.Report(len(uses) + 3) })
}
