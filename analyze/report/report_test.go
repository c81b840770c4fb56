package report_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/report"
)

func TestDecode(t *testing.T) {
	size, _ := json.Marshal(&analyze.SizeReport{SchemaVersion: 1, Sections: []analyze.SectionSize{}, Packages: []analyze.PackageSize{}})
	for _, tc := range []struct {
		name, doc string
		kind      report.Kind
		wantErr   bool
	}{
		{"size", string(size), report.Size, false},
		{"compare", `{"schema_version": 1, "cells": []}`, report.Compare, false},
		{"inspect", `{"schema_version": 1, "binaries": []}`, "", true},
		{"no version", `{"packages": [], "sections": []}`, "", true},
		{"future", `{"schema_version": 2, "cells": []}`, "", true},
		{"not json", `{"schema_version": 1,`, "", true},
		{"array", `[1, 2]`, "", true},
		{"wrong type", `{"schema_version": 1, "packages": 3, "sections": []}`, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind, _, _, err := report.Decode([]byte(tc.doc))
			if (err != nil) != tc.wantErr || kind != tc.kind {
				t.Errorf("Decode = %q, %v; want %q, error %v", kind, err, tc.kind, tc.wantErr)
			}
			if err != nil && !errors.Is(err, report.ErrNotReport) {
				t.Errorf("error %v is not ErrNotReport", err)
			}
		})
	}
}
