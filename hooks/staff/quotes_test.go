package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/hooks/quotes"
	"facturo/internal/apptest"
)

// TestQuotesAreWrittenFinishedAndInvoiced: a quote written in the editor
// is finished with its own number and PDF, listed, and once accepted
// turned into a draft invoice opened in the editor; the invoices'
// numbering is untouched by it.
func TestQuotesAreWrittenFinishedAndInvoiced(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/quotes/new")
	form := url.Values{"csrf": {csrf}, "customer": {apptest.CustomerA}, "customer_name": {"Alfa"}, "issue_date": {apptest.Date(0)}, "action": {"finish"},
		"line.description": {"Reforma"}, "line.quantity": {"2"}, "line.unit_price": {"1000"}, "line.discount": {""},
		"line.vat": {"21"}, "line.vat_exemption": {""}, "line.surcharge": {""}, "line.withholding": {""}}
	if p := b.Post("/app/quotes/preview", form); p.Status != http.StatusOK || !strings.HasPrefix(p.Body, "%PDF") {
		t.Fatalf("the preview: %d", p.Status)
	}
	p := b.Post("/app/quotes/new", form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("finishing: %d %s", p.Status, p.Body)
	}
	q, err := app.FindFirstRecordByFilter(quotes.Collection, "number != ''")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(q.GetString("number"), "P-") {
		t.Errorf("the quote's number %q", q.GetString("number"))
	}
	if list := b.Get("/app/quotes?lang=es").Body; !strings.Contains(list, q.GetString("number")) || !strings.Contains(list, "2420,00 €") && !strings.Contains(list, "2.420,00 €") {
		t.Error("the list does not show the quote with its total")
	}
	if pdf := b.Get("/app/quotes/" + q.Id + "/pdf"); pdf.Status != http.StatusOK || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Errorf("the quote's PDF: %d", pdf.Status)
	}
	if page := b.Get("/app/quotes/" + q.Id + "?lang=en").Body; strings.Contains(page, "Turn into a draft invoice") {
		t.Error("a quote not accepted offers to become an invoice")
	}
	// Sending it from its page queues its e-mail in the outbox and shows
	// it on the quote's timeline.
	if p := b.Post("/app/quotes/"+q.Id+"/send", url.Values{"csrf": {csrf}}); p.Status != http.StatusSeeOther || !strings.Contains(p.Header.Get("Location"), "done=queued") {
		t.Fatalf("sending the quote: %d %s", p.Status, p.Header.Get("Location"))
	}
	if msgs, _ := app.FindRecordsByFilter("messages", "quote = {:q} && kind = 'quote'", "", 0, 0, map[string]any{"q": q.Id}); len(msgs) != 1 {
		t.Errorf("%d e-mails of the quote in the outbox", len(msgs))
	}
	if page := b.Get("/app/quotes/" + q.Id + "?lang=es").Body; !strings.Contains(page, "En cola de envío") || !strings.Contains(page, apptest.StaffEmail) {
		t.Error("the quote's page does not show its e-mail queued on its timeline, by whom")
	}
	if _, err := quotes.Respond(app, q.Id, apptest.ContactA, true, ""); err != nil {
		t.Fatal(err)
	}
	p = b.Post("/app/quotes/"+q.Id+"/invoice", url.Values{"csrf": {csrf}})
	if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Header.Get("Location"), "/edit") {
		t.Fatalf("turning into an invoice: %d %s", p.Status, p.Header.Get("Location"))
	}
	n, _ := app.CountRecords(invoicing.SeriesCounters)
	inv, err := app.FindFirstRecordByData(invoicing.Invoices, "order_reference", q.GetString("number"))
	if err != nil || inv.GetString("status") != invoicing.StatusDraft || inv.GetString("number") != "" || n != 1 {
		t.Errorf("the draft from the quote: %v, counters %d", err, n)
	}
}
