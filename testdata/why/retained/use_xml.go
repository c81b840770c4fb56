//go:build withxml

package main

import "encoding/xml"

type item struct {
	Name  string `xml:"name,attr"`
	Count int    `xml:"count"`
}

func init() {
	uses = append(uses, func() string {
		b, _ := xml.MarshalIndent(item{"a", len(uses)}, "", " ")
		var back item
		xml.Unmarshal(b, &back)
		return string(b) + back.Name
	})
}
