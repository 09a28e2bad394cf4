package verifactu_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeat"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
	"facturo/internal/clock"
	"facturo/internal/toolcheck"
)

// rawPDFText is a PDF's text in the order it is drawn (pdftotext -raw).
func rawPDFText(t testing.TB, doc []byte) string {
	t.Helper()
	tool := toolcheck.Require(t, "pdftotext", "poppler-utils")
	file := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-raw", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestVoidingAnInvoiceIssuedByMistake voids an invoice over REST: it
// becomes voided with its cancellation record chained and sent, leaves the
// customer's figures, cannot be paid, answered, rectified or voided again,
// shows as voided to the customer (timeline, portal page and list, export),
// and its PDF is stamped; what may not be voided is refused with a reason,
// and contacts may not void at all.
func TestVoidingAnInvoiceIssuedByMistake(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	base := apptest.Serve(t, app)
	inv := issueNew(t, app, apptest.CustomerB)
	settle(t, sender(app))
	before, err := invoicing.Summarize(app, apptest.CustomerB, clock.Now())
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, id, token, body string
		status                int
		want                  string
	}{
		{"a contact", inv.Id, apptest.Tokens.ContactB, `{"reason":"x"}`, 403, ""},
		{"no reason", inv.Id, apptest.Tokens.Staff, `{}`, 400, "reason"},
		{"a draft", apptest.DraftB, apptest.Tokens.Staff, `{"reason":"x"}`, 400, "draft"},
		{"an invoice with payments", apptest.IssuedA, apptest.Tokens.Staff, `{"reason":"x"}`, 400, "payments"},
	} {
		if res := apptest.Call(t, "POST", base+"/api/invoices/"+tc.id+"/void", tc.token, tc.body); res.Status != tc.status || !strings.Contains(string(res.Body), tc.want) {
			t.Errorf("%s: %d %s", tc.name, res.Status, res.Body)
		}
	}
	res := apptest.Call(t, "POST", base+"/api/invoices/"+inv.Id+"/void", apptest.Tokens.Staff, `{"reason":"Emitida a un cliente equivocado"}`)
	if res.Status != 200 || !strings.Contains(string(res.Body), `"status":"voided"`) {
		t.Fatalf("voiding: %d %s", res.Status, res.Body)
	}
	if res := apptest.Call(t, "POST", base+"/api/invoices/"+inv.Id+"/void", apptest.Tokens.Staff, `{"reason":"otra vez"}`); res.Status != 400 || !strings.Contains(string(res.Body), "already voided") {
		t.Errorf("voiding twice: %d %s", res.Status, res.Body)
	}
	rs := records(t, app, inv.Id)
	if len(rs) != 2 || rs[1].GetString("kind") != verifactu.KindAnulacion || rs[1].GetString("status") != verifactu.StatusPending || rs[1].GetString("prev_hash") == "" {
		t.Fatalf("the records of the voided invoice: %v", rs)
	}
	if c, _ := aeat.ParseRecord([]byte(rs[1].GetString("xml"))); c.Anulacion == nil || c.Anulacion.SinRegistroPrevio != "" {
		t.Errorf("the cancellation of an invoice the AEAT holds: %+v", c.Anulacion)
	}
	settle(t, sender(app))
	if h := s.Holds("B12345674", inv.GetString("number")); h == nil || h.State != "Anulado" {
		t.Errorf("the AEAT holds %+v", h)
	}
	ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'voided'", map[string]any{"id": inv.Id})
	if err != nil || !strings.Contains(ev.GetString("data"), "cliente equivocado") {
		t.Errorf("the voided event: %v %v", ev, err)
	}

	after, err := invoicing.Summarize(app, apptest.CustomerB, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if after.InvoicedThisYear != before.InvoicedThisYear-121 || after.OpenBalance != before.OpenBalance-121 {
		t.Errorf("figures before %+v, after %+v: the voided invoice still counts", before, after)
	}
	if _, err := invoicing.RecordPayment(app, inv.Id, invoicing.Payment{Amount: decimal.NewFromInt(10)}, staff); err == nil {
		t.Error("a voided invoice was paid")
	}
	if _, err := invoicing.Respond(app, inv.Id, invoicing.Response{Action: "accept"}, invoicing.Actor{}); err == nil {
		t.Error("a voided invoice was answered")
	}
	if _, err := invoicing.Rectify(app, inv.Id, "R1", "x"); err == nil {
		t.Error("a voided invoice was rectified")
	}
	n, err := invoicing.CountInvoices(app, invoicing.Filter{State: "unpaid", Customer: apptest.CustomerB})
	if err != nil || n != 1 {
		t.Errorf("%d unpaid invoices of customer B, want its one other: %v", n, err)
	}
	if n, _ := invoicing.CountInvoices(app, invoicing.Filter{State: "voided"}); n != 1 {
		t.Errorf("%d voided invoices listed", n)
	}
	verifyOK(t, app)

	// The customer sees it voided, without the AEAT's answers.
	res = apptest.Call(t, "GET", base+"/api/collections/events/records?perPage=100&filter="+urlQuery("invoice='"+inv.Id+"'"), apptest.Tokens.ContactB, "")
	var page struct {
		Items []struct{ Type string } `json:"items"`
	}
	if err := json.Unmarshal(res.Body, &page); err != nil || res.Status != 200 {
		t.Fatalf("events as a contact: %d %s", res.Status, res.Body)
	}
	var types []string
	for _, it := range page.Items {
		types = append(types, it.Type)
	}
	if strings.Contains(strings.Join(types, " "), "aeat_") || !strings.Contains(strings.Join(types, " "), "voided") {
		t.Errorf("a contact reads %v", types)
	}
	if n, _ := app.CountRecords(invoicing.Events, dbxType("aeat_accepted", inv.Id)); n != 2 {
		t.Errorf("%d aeat_accepted entries on the timeline, want 2 (issue and void)", n)
	}

	// In the portal: the invoice's page says why there is nothing to pay,
	// and the list shows it voided.
	b := apptest.NewBrowser(t, base)
	b.SignIn("/portal/login", "bob@beta.example", "contact-password-1", "/portal/")
	if p := b.Get("/portal/invoices/" + inv.Id + "?lang=en"); p.Status != 200 || !strings.Contains(p.Body, `id="voided"`) || !strings.Contains(p.Body, ">Voided<") {
		t.Errorf("the voided invoice's portal page: %d\n%s", p.Status, p.Body)
	}
	list := b.Get("/portal/invoices?lang=en")
	row := ""
	for _, line := range strings.Split(list.Body, "<tr>") {
		if strings.Contains(line, inv.GetString("number")) {
			row = line
		}
	}
	if list.Status != 200 || !strings.Contains(row, "Voided") {
		t.Errorf("the portal's list shows the voided invoice as %q", row)
	}

	// Exported as voided, counting for nothing in the totals row.
	export := apptest.Call(t, "GET", base+"/api/exports/invoices.csv?lang=en&customer="+apptest.CustomerB, apptest.Tokens.Staff, "")
	var voidedRow string
	for _, line := range strings.Split(string(export.Body), "\n") {
		if strings.HasPrefix(line, inv.GetString("number")) {
			voidedRow = line
		}
	}
	if export.Status != 200 || !strings.Contains(voidedRow, ",0.00,0.00,0.00,Voided,") || !strings.Contains(string(export.Body), ",121.00,0.00,121.00,") {
		t.Errorf("the export: %d\n%s", export.Status, export.Body)
	}

	pdf := apptest.Call(t, "GET", base+"/api/invoices/"+inv.Id+"/pdf", apptest.Tokens.ContactB, "")
	if pdf.Status != 200 {
		t.Fatalf("the voided PDF: %d", pdf.Status)
	}
	// Customer B reads English. The stamp's letters run diagonally: read
	// in content order, they follow one another.
	if text := rawPDFText(t, pdf.Body); !strings.Contains(strings.Join(strings.Fields(text), ""), "VOIDED") {
		t.Errorf("the voided invoice's PDF is not stamped:\n%s", text)
	}
}
