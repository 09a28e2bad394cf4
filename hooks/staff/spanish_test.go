package staff_test

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"facturo/hooks/imports"
	"facturo/internal/apptest"
	"facturo/ui"
)

// TestTheWorkspaceSpeaksSpanish: every page of the workspace, and what each
// form says when it refuses, is in Spanish for a Spanish clerk: no
// catalogue key shows as such, and no English sentence the product is
// known to say (the English catalogue's, the REST API's) is on the page;
// the import's help says what each column holds.
func TestTheWorkspaceSpeaksSpanish(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	check := func(what string, p apptest.Page) {
		t.Helper()
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			return
		}
		for _, problem := range apptest.NotSpanish(p.Body) {
			t.Errorf("%s (%d): %s", what, p.Status, problem)
		}
	}
	for _, path := range staffPages {
		check(path, b.Get(inSpanish(path)))
	}
	// The import's help says what each column holds, in Spanish.
	help := b.Get("/app/import?lang=es").Body
	for _, c := range imports.Columns() {
		if !ui.Has("app.import.col."+c.Name) || !strings.Contains(help, "<code>"+c.Name+"</code>") ||
			!strings.Contains(help, html.EscapeString(ui.T("es", "app.import.col."+c.Name))) {
			t.Errorf("the import page does not say in Spanish what %s holds", c.Name)
		}
	}
	token := b.CSRF("/app/")
	invoice, draft, customer := "/app/invoices/"+apptest.IssuedA, "/app/invoices/"+apptest.DraftA, "/app/customers/"+apptest.CustomerA
	for _, f := range []struct {
		path string
		form url.Values
	}{
		{invoice + "/payment", url.Values{"amount": {"500"}}},
		{invoice + "/payment", url.Values{"amount": {"cien"}}},
		{invoice + "/payment", url.Values{"amount": {"10"}, "paid_on": {"2001-01-01"}}},
		{invoice + "/payment", url.Values{"amount": {"10"}, "method": {"bitcoin"}}},
		{invoice + "/payment", url.Values{"amount": {"10,005"}}},
		{invoice + "/payment", url.Values{"amount": {"10"}, "reference": {strings.Repeat("x", 201)}}},
		{draft + "/payment", url.Values{"amount": {"10"}}},
		{invoice + "/void", url.Values{}},
		{draft + "/void", url.Values{"reason": {"mal"}}},
		{invoice + "/rectify", url.Values{"code": {"R9"}, "reason": {"x"}}},
		{invoice + "/rectify", url.Values{"code": {"R1"}}},
		{draft + "/rectify", url.Values{"code": {"R1"}, "reason": {"x"}}},
		{invoice + "/issue", url.Values{}},
		{invoice + "/answer", url.Values{}},
		{draft + "/send", url.Values{}},
		{customer + "/invite", url.Values{"email": {"no es una dirección"}}},
		{"/app/customers/new", url.Values{"name": {""}, "tax_id": {"B1234"}, "email": {"x"}}},
		{"/app/webhooks", url.Values{"url": {"ftp://nowhere"}}},
		{"/app/webhooks", url.Values{"url": {"https://erp.example/hook"}, "events": {"nonsense"}}},
		{"/app/webhooks/anything/ping", url.Values{}},
		{"/app/webhook-deliveries/anything/retry", url.Values{}},
		{"/app/bank/movements/anything/confirm", url.Values{}},
		{"/app/import", url.Values{}},
		{"/app/products/new", url.Values{"name": {""}, "unit_price": {"mucho"}}},
		{"/app/settings/profile", url.Values{"name": {""}, "tax_id": {"X"}}},
		{"/app/settings/public-url", url.Values{"public_url": {"nada"}}},
		{"/app/settings/mail", url.Values{"port": {"muchos"}}},
		{"/app/settings/mail/test", url.Values{}},
		{"/app/settings/mailbox", url.Values{"port": {"muchos"}}},
		{"/app/settings/staff", url.Values{"email": {"x"}}},
		{"/app/verifactu/settings", url.Values{"enabled": {"true"}}},
		{"/app/verifactu/records/anything/correct", url.Values{}},
		{"/app/verifactu/records/anything/review", url.Values{}},
		{"/app/recurring/new", url.Values{}},
		{"/app/quotes/new", url.Values{}},
	} {
		f.form.Set("csrf", token)
		check("posting to "+f.path, b.Post(inSpanish(f.path), f.form))
	}
}

// inSpanish is path asking for the Spanish page.
func inSpanish(path string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=es"
	}
	return path + "?lang=es"
}
