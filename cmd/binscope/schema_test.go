package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/binscope/binscope/analyze/budget"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// checkSchema validates a JSON document against one of the schemas in
// docs/schema, which are the published contract of binscope's reports.
func checkSchema(t *testing.T, schemaFile string, doc []byte) {
	t.Helper()
	sch := compileSchema(t, schemaFile)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, doc)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("report does not match %s:\n%v", schemaFile, err)
	}
}

// schemaBase is the $id prefix of every schema in docs/schema; references
// between them ("binary.schema.json") resolve against it.
const schemaBase = "https://github.com/binscope/binscope/docs/schema/"

// compileSchema compiles one schema with every schema in docs/schema
// loaded under its $id, so that references never reach the network.
func compileSchema(t *testing.T, schemaFile string) *jsonschema.Schema {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "schema", "*.schema.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in docs/schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s is not JSON: %v", f, err)
		}
		if err := c.AddResource(schemaBase+filepath.Base(f), doc); err != nil {
			t.Fatalf("load %s: %v", f, err)
		}
	}
	sch, err := c.Compile(schemaBase + schemaFile)
	if err != nil {
		t.Fatalf("compile schema %s: %v", schemaFile, err)
	}
	return sch
}

// TestSchemasRejectWrongReports makes sure the schemas can fail: a report
// missing a required field or with a wrong type is refused.
func TestSchemasRejectWrongReports(t *testing.T) {
	sch := compileSchema(t, "inspect.schema.json")
	for _, doc := range []string{
		`{"binaries": []}`,
		`{"schema_version": 2, "binaries": []}`,
		`{"schema_version": 1, "binaries": [{"path": "x"}]}`,
		`{"schema_version": 1, "binaries": [], "errors": [{"path": 1, "error": "x"}]}`,
	} {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(doc)))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(v) == nil {
			t.Errorf("schema accepted %s", doc)
		}
	}
}

// TestCheckSchemaRuleKinds keeps the rule enum of check.schema.json in
// step with budget's rule table, in the table's order.
func TestCheckSchemaRuleKinds(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "schema", "check.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sch struct {
		Properties struct {
			Rules struct {
				Items struct {
					Properties struct {
						Rule struct {
							Enum []string `json:"enum"`
						} `json:"rule"`
					} `json:"properties"`
				} `json:"items"`
			} `json:"rules"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &sch); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, s := range budget.Specs() {
		want = append(want, string(s.Kind))
	}
	if diff := cmp.Diff(want, sch.Properties.Rules.Items.Properties.Rule.Enum); diff != "" {
		t.Errorf("check.schema.json rule enum (-table +schema):\n%s", diff)
	}
}
