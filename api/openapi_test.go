package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/go-cmp/cmp"

	"concord/api"
	"concord/server"
)

// contract checks exchanges against the OpenAPI document.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

// loadContract loads and validates an OpenAPI document. kin-openapi reads
// the "openapi": "3.1.0" field and validates schemas as JSON Schema 2020-12.
func loadContract(t *testing.T, data []byte) *contract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("loading the OpenAPI document: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &contract{doc: doc, router: router}
}

// check fails t unless the response matches the document: its status must
// be listed for the operation and its headers and body must match the
// schema. A request to an undocumented path or method must have been
// answered with the Error schema. A request answered with success must
// itself match the document.
func (c *contract) check(t *testing.T, req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	t.Helper()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if resp.StatusCode < 400 {
			t.Errorf("%s %s is not in the document but answered %d", req.Method, req.URL.Path, resp.StatusCode)
		}
		c.checkError(t, resp, body)
		return
	}
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if resp.StatusCode < 300 {
		r2 := req.Clone(context.Background())
		r2.Body = io.NopCloser(bytes.NewReader(reqBody))
		in2 := *in
		in2.Request = r2
		if err := openapi3filter.ValidateRequest(context.Background(), &in2); err != nil {
			t.Errorf("a request the server accepted does not match the document: %v", err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
		Header: resp.Header, Options: opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("response does not match the document: %v\nbody: %s", err, body)
	}
	if resp.StatusCode == http.StatusNoContent && len(body) > 0 {
		t.Errorf("204 with a body: %s", body)
	}
}

func (c *contract) checkError(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("error body is not JSON: %v: %s", err, body)
		return
	}
	schema := c.doc.Components.Schemas["Error"].Value
	if err := c.doc.ValidateSchemaJSON(schema, v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("error body does not match the Error schema: %v\nbody: %s", err, body)
	}
}

func readDocument(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDocumentMatchesRoutes checks that the document describes exactly the
// routes that api.Routes registers, each with the same access.
func TestDocumentMatchesRoutes(t *testing.T) {
	c := loadContract(t, readDocument(t))
	s := server.New(nil, slog.New(slog.DiscardHandler), "http://example.test")
	routes := map[string]string{}
	for _, rt := range api.Routes(s) {
		routes[rt.Method+" "+rt.Pattern] = rt.Access.String()
	}
	documented := map[string]string{}
	for path, item := range c.doc.Paths.Map() {
		for method, op := range item.Operations() {
			access, _ := op.Extensions["x-concord-access"].(string)
			documented[method+" "+path] = access
		}
	}
	if diff := cmp.Diff(routes, documented); diff != "" {
		t.Errorf("routes and their access (-api.Routes +openapi.json):\n%s", diff)
	}
}

// TestDocumentComponents checks that the schemas the API promises exist and
// that every operation documents its errors.
func TestDocumentComponents(t *testing.T) {
	c := loadContract(t, readDocument(t))
	for _, name := range []string{"Forum", "StakeholderGroup", "Person", "PersonInput", "Organisation", "Stats", "Error"} {
		if c.doc.Components.Schemas[name] == nil {
			t.Errorf("components/schemas/%s is missing", name)
		}
	}
	if sc := c.doc.Components.SecuritySchemes["bearer"]; sc == nil || sc.Value.Type != "http" || sc.Value.Scheme != "bearer" {
		t.Errorf("securitySchemes/bearer is missing or not an HTTP bearer scheme")
	}
	for path, item := range c.doc.Paths.Map() {
		for method, op := range item.Operations() {
			var codes []string
			for code := range op.Responses.Map() {
				codes = append(codes, code)
			}
			for _, want := range []string{"401", "422", "500"} {
				if !slices.Contains(codes, want) {
					t.Errorf("%s %s does not document %s", method, path, want)
				}
			}
			if op.Extensions["x-concord-access"] == "secretariat" && !slices.Contains(codes, "403") {
				t.Errorf("%s %s is for the secretariat but does not document 403", method, path)
			}
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			}
		}
	}
}

// TestServedDocument checks that the server serves the embedded document unchanged.
func TestServedDocument(t *testing.T) {
	fx := newFixture(t, openSQLite(t))
	resp, body := fx.do(t, "GET", "/api/openapi.json", "", "", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if !bytes.Equal(body, readDocument(t)) {
		t.Errorf("served document differs from api/openapi.json")
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q (%v), want 3.1.0", doc.OpenAPI, err)
	}
}
