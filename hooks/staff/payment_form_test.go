package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestThePaymentFormReadsAmountsAsTheImportDoes: the payment form reads a
// typed amount by the import's rule: 1.000,00 and 1000,50 on a Spanish
// page, 1,000.25 on an English one; an ambiguous 1.000 and a word are
// refused in the clerk's language and write nothing.
func TestThePaymentFormReadsAmountsAsTheImportDoes(t *testing.T) {
	app := apptest.New(t)
	draft, err := app.FindRecordById(invoicing.Invoices, apptest.DraftA)
	if err != nil {
		t.Fatal(err)
	}
	draft.Set("lines", `[{"description":"Obra","quantity":1,"unit_price":"5000","vat":21}]`) // 6.050,00 €
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Issue(app, apptest.DraftA, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	page := "/app/invoices/" + apptest.DraftA
	token := b.CSRF(page)

	paid := 0.0
	for _, tc := range []struct {
		lang, typed string
		amount      float64 // recorded; 0 when refused
		problem     string
	}{
		{"es", "1.000,00", 1000, ""},
		{"es", "1000,50", 1000.50, ""},
		{"es", " 12,5 € ", 12.50, ""},
		{"en", "1,000.25", 1000.25, ""},
		{"es", "1.000", 0, "Es ambiguo: escríbalo sin separador de miles, como 1234,50."},
		{"es", "mil", 0, "El importe debe ser una cantidad como 1210,00."},
		{"es", "1,000.00", 0, "El importe debe ser una cantidad como 1210,00."},
		{"en", "ten", 0, "The amount must be a figure such as 1210.00."},
	} {
		p := b.Post(page+"/payment?lang="+tc.lang, url.Values{"csrf": {token}, "amount": {tc.typed}, "paid_on": {apptest.Date(0)}})
		paid += tc.amount
		inv, _ := app.FindRecordById(invoicing.Invoices, apptest.DraftA)
		if got := inv.GetFloat("paid_total"); got != paid {
			t.Errorf("%s %q: paid %v in all, want %v", tc.lang, tc.typed, got, paid)
			paid = got
		}
		if tc.amount != 0 && p.Status != http.StatusSeeOther {
			t.Errorf("%s %q refused: %d", tc.lang, tc.typed, p.Status)
		}
		if tc.amount == 0 && (p.Status != http.StatusBadRequest || !strings.Contains(p.Body, tc.problem)) {
			t.Errorf("%s %q: %d, not refused with %q", tc.lang, tc.typed, p.Status, tc.problem)
		}
	}
}
