package invoicing_test

import (
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestTextThatMustNeverBeStoredIsRefused sends, as staff over REST, names,
// addresses, line descriptions and notes holding a NUL, a line break where
// none belongs, or a bidirectional override: each is a 400 naming the field,
// and nothing is written.
func TestTextThatMustNeverBeStoredIsRefused(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	customers, invoices := count(t, app, invoicing.Customers), count(t, app, invoicing.Invoices)
	for _, tc := range []struct {
		method, url, body, field string
	}{
		{"POST", records("customers"), `{"name":"Nueva\u0000 S.L."}`, "name"},
		{"POST", records("customers"), `{"name":"Nueva S.L.\r\nBcc: all@example.com"}`, "name"},
		{"POST", records("customers"), `{"name":"Nueva S.L.","address":"Calle \u202eroyaM"}`, "address"},
		{"PATCH", records("customers") + "/" + apptest.CustomerA, `{"city":"Bil\u0007bao"}`, "city"},
		{"PATCH", records("customers") + "/" + apptest.CustomerA, `{"notes":"ok\nbut \u2066hidden\u2069"}`, "notes"},
		{"PATCH", records("contacts") + "/" + apptest.ContactA, `{"name":"Ana\u0000"}`, "name"},
		{"POST", records("invoices"), `{"customer":"` + apptest.CustomerA + `","notes":"a\u0000b"}`, "notes"},
		{"POST", records("invoices"), `{"customer":"` + apptest.CustomerA + `","lines":[{"description":"Uno\r\nDos","quantity":1,"unit_price":1,"vat":21}]}`, "lines"},
		{"PATCH", records("invoices") + "/" + apptest.DraftA, `{"lines":[{"description":"x","quantity":0.001,"unit_price":1,"vat":21}]}`, "lines"},
		{"PATCH", records("invoices") + "/" + apptest.DraftA, `{"lines":[{"description":"x","quantity":999999999,"unit_price":999999,"vat":21}]}`, "lines"},
		{"PATCH", records("customers") + "/" + apptest.CustomerA, `{"payment_terms_days":1e400}`, "payment_terms_days"},
		{"PATCH", records("invoices") + "/" + apptest.DraftA, `{"lines":[{"description":"x","quantity":1e400,"unit_price":1,"vat":21}]}`, "lines.0.quantity"},
	} {
		res := call(t, tc.method, base+tc.url, apptest.Tokens.Staff, tc.body)
		if res.status != 400 || !strings.Contains(res.body, `"`+tc.field+`"`) && !strings.Contains(res.body, tc.field+":") && !strings.Contains(res.body, "Invalid "+tc.field) {
			t.Errorf("%s %s %s: %d %s, want a 400 naming %s", tc.method, tc.url, tc.body, res.status, res.body, tc.field)
		}
	}
	if count(t, app, invoicing.Customers) != customers || count(t, app, invoicing.Invoices) != invoices {
		t.Error("a refused body wrote records")
	}
	if c := find(t, app, invoicing.Customers, apptest.CustomerA); c.GetString("city") != "" || c.GetString("notes") != "" {
		t.Errorf("the customer changed: %q %q", c.GetString("city"), c.GetString("notes"))
	}
	// Line breaks are fine where a text area writes them.
	if res := call(t, "PATCH", base+records("customers")+"/"+apptest.CustomerA, apptest.Tokens.Staff, `{"notes":"Pedidos por correo.\r\nPaga a 60 días."}`); res.status != 200 {
		t.Errorf("multi-line notes were refused: %d %s", res.status, res.body)
	}
}

// TestResponsesAreBounded answers an invoice, as its customer's approver,
// with a note longer than the field holds, a NUL, and a number out of range.
func TestResponsesAreBounded(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	url := base + "/api/invoices/" + apptest.IssuedA + "/respond"
	for _, tc := range []struct{ body, want string }{
		{`{"action":"query","note":"` + strings.Repeat("¿", 2001) + `"}`, `"note"`},
		{`{"action":"query","note":"hola\u0000"}`, `"note"`},
		{`{"action":"reject","reason":"PRI","note":1e400}`, `"note"`},
	} {
		res := call(t, "POST", url, apptest.Tokens.ContactA, tc.body)
		if res.status != 400 || !strings.Contains(res.body, tc.want) {
			t.Errorf("respond %.60s…: %d %s", tc.body, res.status, res.body)
		}
	}
	if inv := find(t, app, invoicing.Invoices, apptest.IssuedA); inv.GetString("response") != "none" {
		t.Errorf("a refused answer was recorded: %s", inv.GetString("response"))
	}
	res := call(t, "POST", url, apptest.Tokens.ContactA, `{"action":"query","note":"`+strings.Repeat("¿", 2000)+`"}`)
	if res.status != 200 {
		t.Errorf("a 2,000-character question was refused: %d %s", res.status, res.body)
	}
}

// TestRecordBodiesAreBounded sends oversized bodies to the record routes,
// as a guest and as staff: each is refused before it is read, with the
// limit said.
func TestRecordBodiesAreBounded(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url, token string
		size       int
	}{
		{records("issuer") + "/" + issuer.Id, "", 4 << 20},
		{records("issuer") + "/" + issuer.Id, apptest.Tokens.Staff, 4 << 20},
		{"/api/collections/pbc_issuer/records/" + issuer.Id, apptest.Tokens.Staff, 4 << 20},
		{records("customers"), apptest.Tokens.Staff, 6 << 20},
	} {
		body := `{"notes":"` + strings.Repeat("x", tc.size) + `"}`
		res := call(t, "PATCH", base+tc.url, tc.token, body)
		if res.status != 413 || !strings.Contains(res.body, "MB a record of") {
			t.Errorf("PATCH %s with %d bytes: %d %.200s", tc.url, len(body), res.status, res.body)
		}
	}
	// A body within the limit still works.
	if res := call(t, "PATCH", base+records("customers")+"/"+apptest.CustomerA, apptest.Tokens.Staff, `{"notes":"`+strings.Repeat("x", 1900)+`"}`); res.status != 200 {
		t.Errorf("a normal edit: %d %s", res.status, res.body)
	}
}
