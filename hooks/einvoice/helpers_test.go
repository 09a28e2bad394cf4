package einvoice_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/shopspring/decimal"

	"facturo/hooks/einvoice"
	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/certificate/certtest"
)

// newCustomer saves a customer with the given fields.
func newCustomer(t *testing.T, app core.App, fields map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		t.Fatal(err)
	}
	c := core.NewRecord(col)
	c.Load(map[string]any{"email": "facturas@cliente.example", "payment_terms_days": 30, "language": "es"})
	c.Load(fields)
	if err := app.Save(c); err != nil {
		t.Fatalf("customer %v: %v", fields["name"], err)
	}
	return c
}

// newDraft saves a draft for a customer with the given lines (JSON) and fields.
func newDraft(t *testing.T, app core.App, customer *core.Record, lines string, fields map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	d := core.NewRecord(col)
	d.Set("customer", customer.Id)
	d.Set("issue_date", "2026-03-02")
	d.Set("series", "E") // a series of its own: the fixed world has invoices of series A later in the year
	d.Set("lines", lines)
	d.Load(fields)
	if err := app.Save(d); err != nil {
		t.Fatalf("draft: %v", err)
	}
	return d
}

// issue issues a draft or fails the test.
func issue(t *testing.T, app core.App, draft *core.Record) *core.Record {
	t.Helper()
	inv, err := invoicing.Issue(app, draft.Id, invoicing.Actor{Email: "staff@firm.example"})
	if err != nil {
		t.Fatalf("issuing: %v", err)
	}
	return inv
}

// write gives an issued invoice in an XML format or fails the test.
func write(t *testing.T, app core.App, inv *core.Record, format string) []byte {
	t.Helper()
	f, err := einvoice.Write(app, inv, format)
	if err != nil {
		t.Fatalf("%s as %s: %v", inv.GetString("number"), format, err)
	}
	return f.Data
}

// loadCertificate loads a test certificate into the VERI*FACTU settings,
// as the firm does, and returns its CA.
func loadCertificate(t *testing.T, app core.App) *certtest.CA {
	t.Helper()
	ca := certtest.NewCA(t)
	pfx := ca.PFX(t, certtest.Representative(), ca.Cert.NotAfter, "clave")
	settings, err := verifactu.LoadSettings(app)
	if err != nil {
		t.Fatal(err)
	}
	file, err := filesystem.NewFileFromBytes(pfx, "firma.p12")
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("certificate", file)
	settings.Set("certificate_password", "clave")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	return ca
}

// amountOf reads the decimal in the first element named name ("cbc:PayableAmount").
func amountOf(t *testing.T, doc []byte, name string) decimal.Decimal {
	t.Helper()
	m := regexp.MustCompile(`<` + regexp.QuoteMeta(name) + `(?: [^>]*)?>(-?[0-9.]+)</`).FindSubmatch(doc)
	if m == nil {
		return decimal.Zero
	}
	return decimal.RequireFromString(string(m[1]))
}

// money reads an invoice's stored amount.
func money(inv *core.Record, field string) decimal.Decimal {
	return decimal.NewFromFloat(inv.GetFloat(field)).Round(2)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
