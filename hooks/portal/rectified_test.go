package portal_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/ui"
)

// correct issues a factura rectificativa of an invoice with lines, and
// returns it.
func correct(t *testing.T, app core.App, id, lines string) *core.Record {
	t.Helper()
	draft, err := invoicing.Rectify(app, id, "R1", "Precio erróneo")
	if err != nil {
		t.Fatal(err)
	}
	draft.Set("lines", lines)
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	issued, err := invoicing.Issue(app, draft.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	return issued
}

var cellRe = regexp.MustCompile(`(?s)<tr id="([a-z-]+)">.*?<td[^>]*>(.*?)</td>`)

// cells are a page's rows with an id, by id: the text of their cell.
func cells(body string) map[string]string {
	out := map[string]string{}
	for _, m := range cellRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

var paymentRe = regexp.MustCompile(`(?s)<td class="num" id="payment">(.*?)</td>`)

// TestCorrectionsReadAsCorrections: in the portal, a rectified invoice and
// its factura rectificativa link to each other, each says what the two
// still owe together, and they are never both "pending payment"; the list
// marks both.
func TestCorrectionsReadAsCorrections(t *testing.T) {
	money := func(d decimal.Decimal) string { return ui.FormatMoney("es", d, "EUR") }
	for _, c := range []struct {
		name, lines                  string
		originalState, correctsState string // keys of view.payment; "" for the invoice's own
	}{
		{"a full credit", `[{"description":"Consultoría","quantity":-1,"unit_price":"100","vat":21}]`, "pair_settled", "credit"},
		{"a partial credit", `[{"description":"Descuento","quantity":-1,"unit_price":"40","vat":21}]`, "", "credit"},
		{"a correction that adds", `[{"description":"Horas de más","quantity":1,"unit_price":"50","vat":21}]`, "", "unpaid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := apptest.New(t)
			b := newBrowser(t, apptest.Serve(t, app))
			b.signIn("ana@alfa.example")
			original, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
			r := correct(t, app, apptest.IssuedA, c.lines)
			// What the two owe together: what is left of the invoice (the
			// world's has a part paid) and what the correction adds or
			// takes away, never below zero.
			owed := decimal.Max(decimal.Zero, decimal.NewFromFloat(original.GetFloat("total")).
				Sub(decimal.NewFromFloat(original.GetFloat("paid_total"))).Add(decimal.NewFromFloat(r.GetFloat("total"))))
			if c.originalState == "" {
				c.originalState = original.GetString("payment")
			}

			page := b.Get("/portal/invoices/" + apptest.IssuedA).Body
			got := cells(page)
			if !strings.Contains(got["rectified-by"], `href="/portal/invoices/`+r.Id+`"`) || !strings.Contains(got["rectified-by"], r.GetString("number")) {
				t.Errorf("the rectified invoice does not link to its correction: %q", got["rectified-by"])
			}
			if !strings.Contains(got["pair-owed"], money(owed)) {
				t.Errorf("the rectified invoice says %q still owed, want %s", got["pair-owed"], money(owed))
			}
			originalState := html.UnescapeString(paymentRe.FindStringSubmatch(page)[1])
			if !strings.HasPrefix(originalState, ui.T("es", "view.payment."+c.originalState)) {
				t.Errorf("the rectified invoice's state: %q, want %q", originalState, ui.T("es", "view.payment."+c.originalState))
			}

			page = b.Get("/portal/invoices/" + r.Id).Body
			got = cells(page)
			if !strings.Contains(got["rectifies"], `href="/portal/invoices/`+apptest.IssuedA+`"`) || !strings.Contains(got["rectifies"], original.GetString("number")) {
				t.Errorf("the correction does not link to the invoice it corrects: %q", got["rectifies"])
			}
			if !strings.Contains(got["pair-owed"], money(owed)) {
				t.Errorf("the correction says %q still owed, want %s", got["pair-owed"], money(owed))
			}
			correctsState := html.UnescapeString(paymentRe.FindStringSubmatch(page)[1])
			if !strings.HasPrefix(correctsState, ui.T("es", "view.payment."+c.correctsState)) {
				t.Errorf("the correction's state: %q, want %q", correctsState, ui.T("es", "view.payment."+c.correctsState))
			}
			// A credit is never read as something to pay.
			if pending := ui.T("es", "view.payment.unpaid"); r.GetFloat("total") < 0 && strings.HasPrefix(correctsState, pending) {
				t.Error("the credit reads as pending payment")
			}

			list := html.UnescapeString(b.Get("/portal/invoices").Body)
			for _, mark := range []string{
				ui.Tf("es", "view.mark.rectified_by", ui.Args{"numbers": r.GetString("number")}),
				ui.Tf("es", "view.mark.rectifies", ui.Args{"number": original.GetString("number")}),
			} {
				if !strings.Contains(list, mark) {
					t.Errorf("the list lacks the mark %q", mark)
				}
			}
		})
	}
}
