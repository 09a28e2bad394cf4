package invoicing_test

import (
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"

	"github.com/pocketbase/pocketbase/core"
)

func TestIssuedInvoiceIsFrozenForEveryone(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	url := base + records("invoices") + "/" + apptest.IssuedA
	before := find(t, app, invoicing.Invoices, apptest.IssuedA)

	for _, patch := range []struct{ body, names string }{
		{`{"notes":"changed after issue"}`, "notes"},
		{`{"lines":[{"description":"More","quantity":2,"unit_price":100,"vat":21}]}`, "lines"},
		{`{"total":1}`, "total"},
		{`{"number":"A-1999-000001"}`, "number"},
		{`{"customer":"` + apptest.CustomerB + `"}`, "customer"},
		{`{"hash":"0000"}`, "hash"},
		{`{"status":"draft"}`, "draft"},
		{`{"payment":"paid","paid_total":121}`, "payment"},
		{`{"response":"accepted"}`, "response"},
		{`{"recipient":{"name":"Otra S.L.","tax_id":"B00000000"}}`, "recipient"},
		{`{"issuer":{"name":"Otra S.L."}}`, "issuer"},
		{`{"content_hash":"00"}`, "content_hash"},
	} {
		res := call(t, "PATCH", url, apptest.Tokens.Staff, patch.body)
		if res.status != 400 || !strings.Contains(res.body, patch.names) {
			t.Errorf("staff PATCH %s: %d %s, want 400 naming %s", patch.body, res.status, res.body, patch.names)
		}
	}
	if res := call(t, "DELETE", url, apptest.Tokens.Staff, ""); res.status != 400 {
		t.Errorf("staff DELETE: %d %s", res.status, res.body)
	}

	// Go code that loads and saves the record is refused the same way.
	inv := find(t, app, invoicing.Invoices, apptest.IssuedA)
	inv.Set("notes", "changed from Go")
	if err := app.Save(inv); err == nil || !strings.Contains(err.Error(), "frozen") {
		t.Errorf("a Go save of a frozen field was not refused: %v", err)
	}
	inv = find(t, app, invoicing.Invoices, apptest.IssuedA)
	inv.Set("payment", "paid")
	if err := app.Save(inv); err == nil || !strings.Contains(err.Error(), "Only the system") {
		t.Errorf("a Go save of a state field was not refused: %v", err)
	}
	if err := app.Delete(inv); err == nil {
		t.Error("a Go delete of an issued invoice was not refused")
	}

	after := find(t, app, invoicing.Invoices, apptest.IssuedA)
	for _, f := range []string{"notes", "lines", "total", "number", "customer", "hash", "status", "payment", "response", "updated"} {
		if after.GetString(f) != before.GetString(f) {
			t.Errorf("%s changed from %q to %q", f, before.GetString(f), after.GetString(f))
		}
	}
}

func TestStateFieldsAreNotSetThroughREST(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	for _, body := range []string{
		`{"customer":"` + apptest.CustomerA + `","status":"issued"}`,
		`{"customer":"` + apptest.CustomerA + `","number":"A-2026-999999"}`,
		`{"customer":"` + apptest.CustomerA + `","payment":"paid"}`,
		`{"customer":"` + apptest.CustomerA + `","hash":"ABC"}`,
	} {
		if res := call(t, "POST", base+records("invoices"), apptest.Tokens.Staff, body); res.status != 400 || !strings.Contains(res.body, "Only the system") {
			t.Errorf("creating %s: %d %s", body, res.status, res.body)
		}
	}
	res := call(t, "PATCH", base+records("invoices")+"/"+apptest.DraftA, apptest.Tokens.Staff, `{"status":"issued"}`)
	if res.status != 400 {
		t.Errorf("a draft was marked issued through PATCH: %d %s", res.status, res.body)
	}
	if got := find(t, app, invoicing.Invoices, apptest.DraftA).GetString("status"); got != "draft" {
		t.Errorf("draft status is now %s", got)
	}
}

func TestRectifyCreatesADraftThatMarksTheOriginalWhenIssued(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	res := call(t, "POST", base+"/api/invoices/"+apptest.IssuedA+"/rectify", apptest.Tokens.Staff, `{"code":"R1","reason":"Wrong unit price"}`)
	if res.status != 201 {
		t.Fatalf("rectify: %d %s", res.status, res.body)
	}
	var created struct{ ID string }
	decodeInto(t, res.body, &created)
	d := find(t, app, invoicing.Invoices, created.ID)
	if d.GetString("status") != "draft" || d.GetString("series") != "R" || d.GetString("rectifies") != apptest.IssuedA ||
		d.GetString("rectification_code") != "R1" || d.GetFloat("total") != -121 {
		t.Errorf("rectifying draft: status %s series %s rectifies %s code %s total %v",
			d.GetString("status"), d.GetString("series"), d.GetString("rectifies"), d.GetString("rectification_code"), d.GetFloat("total"))
	}
	if got := find(t, app, invoicing.Invoices, apptest.IssuedA).GetString("status"); got != "issued" {
		t.Errorf("the original changed before the rectification was issued: %s", got)
	}

	r := issue(t, app, created.ID)
	if !strings.HasPrefix(r.GetString("number"), "R-") || !strings.HasSuffix(r.GetString("number"), "-000001") {
		t.Errorf("rectifying number %s", r.GetString("number"))
	}
	if got := find(t, app, invoicing.Invoices, apptest.IssuedA).GetString("status"); got != "rectified" {
		t.Errorf("original status %s, want rectified", got)
	}
	ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'rectified'", map[string]any{"id": apptest.IssuedA})
	if err != nil || !strings.Contains(ev.GetString("data"), r.GetString("number")) {
		t.Errorf("no rectified event naming %s on the original: %v", r.GetString("number"), err)
	}
	if report, err := invoicing.VerifyChain(app); err != nil || !report.OK() {
		t.Errorf("chain: %v %v", report, err)
	}
}

func TestRectifyRefusesBadRequests(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	before := count(t, app, invoicing.Invoices)
	for _, tc := range []struct {
		id, body string
		status   int
		want     string
	}{
		{apptest.DraftA, `{"code":"R1","reason":"x"}`, 400, "draft"},
		{apptest.IssuedA, `{"code":"R9","reason":"x"}`, 400, "R1, R2"},
		{apptest.IssuedA, `{"code":"R1"}`, 400, "reason"},
		{"nosuchinvoice00", `{"code":"R1","reason":"x"}`, 404, "No invoice"},
		{apptest.IssuedA, `{"code":1,"reason":"x"}`, 400, "code"},
	} {
		res := call(t, "POST", base+"/api/invoices/"+tc.id+"/rectify", apptest.Tokens.Staff, tc.body)
		if res.status != tc.status || !strings.Contains(res.body, tc.want) {
			t.Errorf("rectify %s %s: %d %s, want %d with %q", tc.id, tc.body, res.status, res.body, tc.status, tc.want)
		}
	}
	if after := count(t, app, invoicing.Invoices); after != before {
		t.Errorf("refused rectifications wrote %d invoices", after-before)
	}
}

// TestEditingTheCustomerChangesNoIssuedInvoice issues an invoice, then
// renames and moves its customer and the firm: the invoice's PDF, its rows
// in lists and exports and its content hash still say what it said when it
// was issued, while a draft follows the customer as it is now.
func TestEditingTheCustomerChangesNoIssuedInvoice(t *testing.T) {
	app := apptest.New(t)
	pdfBefore := toolcheck.PDFText(t, renderPDF(t, app, apptest.IssuedA))
	if !strings.Contains(pdfBefore, "Alfa Comercial S.L.") || !strings.Contains(pdfBefore, "B87654323") {
		t.Fatalf("the PDF does not name its customer:\n%s", pdfBefore)
	}

	customer := find(t, app, invoicing.Customers, apptest.CustomerA)
	customer.Load(map[string]any{"name": "Alfa Renombrada S.A.", "tax_id": "A58818501", "address": "Otra Calle 9", "city": "Soria"})
	if err := app.Save(customer); err != nil {
		t.Fatal(err)
	}
	firm, err := invoicing.LoadIssuer(app)
	if err != nil {
		t.Fatal(err)
	}
	firm.Load(map[string]any{"legal_name": "Talleres Sur S.L.", "iban": "ES7921000813610123456789"})
	if err := app.Save(firm); err != nil {
		t.Fatal(err)
	}

	pdfAfter := toolcheck.PDFText(t, renderPDF(t, app, apptest.IssuedA))
	if pdfAfter != pdfBefore {
		t.Errorf("editing the customer and the firm changed the issued invoice's PDF:\nbefore\n%s\nafter\n%s", pdfBefore, pdfAfter)
	}
	var row invoicing.Row
	err = invoicing.EachInvoice(app, invoicing.Filter{IDs: []string{apptest.IssuedA}}, func(r invoicing.Row) error { row = r; return nil })
	if err != nil || row.CustomerName != "Alfa Comercial S.L." || row.CustomerTaxID != "B87654323" {
		t.Errorf("the invoice's row names %q %q (%v), want the customer as issued", row.CustomerName, row.CustomerTaxID, err)
	}
	err = invoicing.EachPayment(app, invoicing.PaymentFilter{Customer: apptest.CustomerA}, func(p invoicing.PaymentRow) error {
		if p.CustomerName != "Alfa Comercial S.L." {
			t.Errorf("a payment of the issued invoice names %q", p.CustomerName)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	issuer, recipient, err := invoicing.Parties(app, find(t, app, invoicing.Invoices, apptest.IssuedA))
	if err != nil || issuer.Name != "Talleres Norte S.L." || issuer.IBAN != "ES9121000418450200051332" || recipient.City != "" {
		t.Errorf("the issued invoice's parties are %+v %+v (%v)", issuer, recipient, err)
	}
	// A draft is what would be issued now.
	_, draftRecipient, err := invoicing.Parties(app, find(t, app, invoicing.Invoices, apptest.DraftA))
	if err != nil || draftRecipient.Name != "Alfa Renombrada S.A." || draftRecipient.City != "Soria" {
		t.Errorf("the draft's recipient is %+v (%v)", draftRecipient, err)
	}
	if report, err := invoicing.VerifyChain(app); err != nil || !report.OK() {
		t.Errorf("verify-chain after editing the customer: %v %v", report, err)
	}
}

func renderPDF(t *testing.T, app core.App, id string) []byte {
	t.Helper()
	doc, err := invoicing.RenderPDF(app, find(t, app, invoicing.Invoices, id))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
