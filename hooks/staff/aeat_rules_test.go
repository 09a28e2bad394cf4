package staff_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// TestIssueRefusalReadsInTheClerksLanguage: issuing from the workspace a
// draft the AEAT would refuse (an operation date after today) comes back on
// the invoice's page with the reason in the clerk's Spanish, the draft
// still a draft.
func TestIssueRefusalReadsInTheClerksLanguage(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	d, err := app.FindRecordById(invoicing.Invoices, apptest.DraftA)
	if err != nil {
		t.Fatal(err)
	}
	d.Set("operation_date", clock.Today().AddDate(0, 0, 3))
	if err := app.Save(d); err != nil {
		t.Fatal(err)
	}
	page := "/app/invoices/" + apptest.DraftA
	p := b.Post(page+"/issue", url.Values{"csrf": {b.CSRF(page)}})
	body := html.UnescapeString(p.Body)
	if p.Status != http.StatusBadRequest || !strings.Contains(body, "La fecha de operación") || !strings.Contains(body, "posterior a hoy") {
		t.Errorf("issuing with tomorrow's operation date: %d, want the reason in Spanish", p.Status)
	}
	if strings.Contains(body, "The operation date") {
		t.Error("the reason is in English")
	}
	if d, _ := app.FindRecordById(invoicing.Invoices, apptest.DraftA); d.GetString("status") != invoicing.StatusDraft {
		t.Errorf("refused, the draft is %s", d.GetString("status"))
	}
}

// TestFutureIssueDateRefusedInTheClerksLanguage: a draft dated by the
// clerk after today is not issued from the workspace (the AEAT refuses a
// FechaExpedicionFactura after its own date); the reason reads in Spanish
// and no number is taken.
func TestFutureIssueDateRefusedInTheClerksLanguage(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	d, err := app.FindRecordById(invoicing.Invoices, apptest.DraftA)
	if err != nil {
		t.Fatal(err)
	}
	d.Set("issue_date", clock.Today().AddDate(0, 0, 1))
	if err := app.Save(d); err != nil {
		t.Fatal(err)
	}
	page := "/app/invoices/" + apptest.DraftA
	p := b.Post(page+"/issue", url.Values{"csrf": {b.CSRF(page)}})
	body := html.UnescapeString(p.Body)
	if p.Status != http.StatusBadRequest || !strings.Contains(body, "La fecha de expedición") || !strings.Contains(body, "posterior a hoy") {
		t.Errorf("issuing dated tomorrow: %d, want the reason in Spanish", p.Status)
	}
	if d, _ := app.FindRecordById(invoicing.Invoices, apptest.DraftA); d.GetString("status") != invoicing.StatusDraft || d.GetString("number") != "" {
		t.Errorf("refused, the draft is %s %q", d.GetString("status"), d.GetString("number"))
	}
}
