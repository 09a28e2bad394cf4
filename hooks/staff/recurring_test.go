package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"facturo/hooks/recurring"
	"facturo/internal/apptest"
)

// TestRecurringInvoicesAreWrittenInTheWorkspace: a recurring invoice
// without a start is refused beside the field in the clerk's language; a
// good one is saved with its next period at its start, listed, and after
// a run its edit page lists the period billed with the invoice made.
func TestRecurringInvoicesAreWrittenInTheWorkspace(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/recurring/new")
	form := url.Values{"csrf": {csrf}, "customer": {apptest.CustomerB}, "customer_name": {"Beta"}, "name": {"Hosting"},
		"interval": {"months"}, "every": {"2"}, "on_day": {"issue"}, "series": {"R"}, "active": {"true"},
		"line.description": {"Hosting, {period}"}, "line.quantity": {"1"}, "line.unit_price": {"30"}, "line.discount": {""},
		"line.vat": {"21"}, "line.vat_exemption": {""}, "line.surcharge": {""}, "line.withholding": {""}}
	p := b.Post("/app/recurring/new?lang=es", form)
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, `<input id="start_date" name="start_date" type="date" value="" required aria-invalid="true"><p class="field-error">Obligatorio.</p>`) {
		t.Fatalf("without a start: %d", p.Status)
	}
	form.Set("start_date", apptest.Date(-3))
	p = b.Post("/app/recurring/new", form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("saving: %d %s", p.Status, p.Body)
	}
	r, err := app.FindFirstRecordByData(recurring.Collection, "name", "Hosting")
	if err != nil {
		t.Fatal(err)
	}
	if next := r.GetDateTime("next_date").Time().Format(time.DateOnly); next != apptest.Date(-3) || r.GetInt("every") != 2 || r.GetString("action") != "issue" {
		t.Fatalf("saved next %s, every %d, action %s", next, r.GetInt("every"), r.GetString("action"))
	}
	for lang, want := range map[string]string{"es": "Cada 2 meses", "en": "Every 2 months"} {
		if list := b.Get("/app/recurring?lang=" + lang).Body; !strings.Contains(list, want) || !strings.Contains(list, "Hosting") {
			t.Errorf("the %s list does not show the schedule %q", lang, want)
		}
	}
	made, err := recurring.Run(app, apptest.Today(), false)
	if err != nil || len(made) != 1 || made[0].Number == "" {
		t.Fatalf("the run: %v %+v", err, made)
	}
	page := b.Get("/app/recurring/" + r.Id + "?lang=en").Body
	if !strings.Contains(page, made[0].Number) || !strings.Contains(page, `href="/app/invoices/`+made[0].Invoice+`"`) {
		t.Error("the edit page does not list the period billed")
	}
	// Without its token the form is refused.
	form.Del("csrf")
	if p := b.Post("/app/recurring/"+r.Id, form); p.Status == http.StatusSeeOther {
		t.Error("a form without its CSRF token was saved")
	}
}
