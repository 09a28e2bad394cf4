package pdf_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/accountstatement"
	"facturo/hooks/invoicing"
	"facturo/hooks/quotes"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"
)

// TestDocumentsSpeakSpanish: every document a Spanish customer receives
// (the invoice, with each block an invoice may have; its draft's preview;
// a factura rectificativa; a voided invoice; a quote; the statement of
// account) says nothing in English and shows no catalogue key.
func TestDocumentsSpeakSpanish(t *testing.T) {
	app := apptest.New(t)
	customer, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	must(t, err)
	customer.Set("language", "es")
	must(t, app.Save(customer))

	// An invoice with every block: an operation date, a discount, an
	// exempt line, recargo de equivalencia, IRPF, notes, a payment.
	full := newRecord(t, app, invoicing.Invoices, map[string]any{
		"customer": apptest.CustomerA, "issue_date": apptest.Date(0), "operation_date": apptest.Date(-1),
		"due_date": apptest.Date(10), "notes": "Gracias por su confianza.",
		"lines": `[{"description":"Reparación","quantity":2,"unit_price":"100","discount":10,"vat":21,"surcharge":5.2,"withholding":15},` +
			`{"description":"Formación","quantity":1,"unit_price":"50","vat":0,"vat_exemption":"Exenta (art. 20 LIVA)"}]`,
	})
	preview, err := invoicing.RenderDraftPDF(app, full)
	must(t, err)
	check(t, "the draft's preview", preview)
	issued, err := invoicing.Issue(app, full.Id, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	_, err = invoicing.RecordPayment(app, issued.Id, invoicing.Payment{Amount: decimal.RequireFromString("10")}, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	render := func(what, id string) {
		t.Helper()
		inv, err := app.FindRecordById(invoicing.Invoices, id)
		must(t, err)
		doc, err := invoicing.RenderPDF(app, inv)
		must(t, err)
		check(t, what, doc)
	}
	render("the invoice", issued.Id)

	draft, err := invoicing.Rectify(app, apptest.IssuedA, "R1", "Precio erróneo")
	must(t, err)
	rectifying, err := invoicing.Issue(app, draft.Id, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	render("the factura rectificativa", rectifying.Id)
	render("the rectified invoice", apptest.IssuedA)

	mistaken := newRecord(t, app, invoicing.Invoices, map[string]any{"customer": apptest.CustomerA, "issue_date": apptest.Date(0), "lines": apptest.IssuedLines})
	_, err = invoicing.Issue(app, mistaken.Id, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	voided, err := invoicing.Void(app, mistaken.Id, "Emitida por error", invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	render("the voided invoice", voided.Id)

	q := newRecord(t, app, quotes.Collection, map[string]any{
		"customer": apptest.CustomerA, "status": quotes.StatusDraft, "currency": "EUR", "notes": "Válido para la obra de la calle Mayor.",
		"lines": `[{"description":"Reforma","quantity":2,"unit_price":"1000","vat":21}]`,
	})
	q, err = quotes.Finish(app, q.Id, apptest.StaffEmail)
	must(t, err)
	doc, err := quotes.Render(app, q)
	must(t, err)
	check(t, "the quote", doc)

	// Weeks later, when the invoice is late and owes interest.
	statement, err := accountstatement.StatementPDF(app, apptest.CustomerA, apptest.Day(60), "es")
	must(t, err)
	check(t, "the statement of account", statement)
}

func check(t *testing.T, what string, doc []byte) {
	t.Helper()
	for _, problem := range apptest.NotSpanishText(toolcheck.PDFText(t, doc)) {
		t.Errorf("%s: %s", what, problem)
	}
}

func newRecord(t *testing.T, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(collection)
	must(t, err)
	r := core.NewRecord(col)
	r.Load(data)
	must(t, app.Save(r))
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
