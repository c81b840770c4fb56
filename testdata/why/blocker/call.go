//go:build !constname

package main

import (
	"os"
	"reflect"
)

func call(v any) string {
	name := "Hello"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	m := reflect.ValueOf(v).MethodByName(name) // line 15: the blocker
	if !m.IsValid() {
		return "no method " + name
	}
	return m.Call(nil)[0].String()
}
