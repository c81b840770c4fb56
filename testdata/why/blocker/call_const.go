//go:build constname

package main

import "reflect"

func call(v any) string {
	m := reflect.ValueOf(v).MethodByName("Hello")
	return m.Call(nil)[0].String()
}
