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

// TestIssueRefusalsReadInTheClerksLanguage: issuing from the workspace a
// draft the AEAT would refuse comes back on the invoice's page with the
// reason in the clerk's Spanish, the draft still a draft with no number:
// an operation date after today, and an issue date after today (the AEAT
// refuses a FechaExpedicionFactura after its own date).
func TestIssueRefusalsReadInTheClerksLanguage(t *testing.T) {
	for _, c := range []struct {
		field, spanish, english string
	}{
		{"operation_date", "La fecha de operación", "The operation date"},
		{"issue_date", "La fecha de expedición", "The issue date"},
	} {
		t.Run(c.field, func(t *testing.T) {
			app := apptest.New(t)
			base := apptest.Serve(t, app)
			b := signedIn(t, base)
			d, err := app.FindRecordById(invoicing.Invoices, apptest.DraftA)
			if err != nil {
				t.Fatal(err)
			}
			d.Set(c.field, clock.Today().AddDate(0, 0, 3))
			if err := app.Save(d); err != nil {
				t.Fatal(err)
			}
			page := "/app/invoices/" + apptest.DraftA
			p := b.Post(page+"/issue", url.Values{"csrf": {b.CSRF(page)}})
			body := html.UnescapeString(p.Body)
			if p.Status != http.StatusBadRequest || !strings.Contains(body, c.spanish) || !strings.Contains(body, "posterior a hoy") {
				t.Errorf("issuing with %s in three days: %d, want the reason in Spanish", c.field, p.Status)
			}
			if strings.Contains(body, c.english) {
				t.Error("the reason is in English")
			}
			if d, _ := app.FindRecordById(invoicing.Invoices, apptest.DraftA); d.GetString("status") != invoicing.StatusDraft || d.GetString("number") != "" {
				t.Errorf("refused, the draft is %s %q", d.GetString("status"), d.GetString("number"))
			}
		})
	}
}
