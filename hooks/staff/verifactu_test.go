package staff_test

import (
	"bytes"
	"context"
	"facturo/internal/clock"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
	"facturo/internal/certificate/certtest"
	"facturo/ui"
)

// TestTheVerifactuPageTakesStaffFromSetUpToACorrection: the page says it
// waits for a certificate; staff load one (a wrong password refused), switch
// sending on towards the stand-in AEAT, issue, and see the queue; a record
// the AEAT refused is listed with its words and what to do, and the
// correction sent from the page is accepted; the queue says when the AEAT
// last answered and when the next request may go; the invoice's page shows its
// AEAT state and CSV, and voids it.
func TestTheVerifactuPageTakesStaffFromSetUpToACorrection(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	s.SetWait(0)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)

	page := b.Get("/app/verifactu?lang=en")
	if page.Status != 200 || !strings.Contains(page.Body, "Waiting for a certificate") || !strings.Contains(page.Body, "Declaración responsable") ||
		!strings.Contains(page.Body, "No certificate is loaded") {
		t.Fatalf("the page before set-up: %d\n%s", page.Status, page.Body)
	}
	upload := func(password string) apptest.Page {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fields := map[string]string{"csrf": b.CSRF("/app/verifactu"), "enabled": "on", "environment": verifactu.EnvCustom,
			"endpoint": s.URL, "server_ca": s.RootPEM, "certificate_password": password}
		for k, v := range fields {
			w.WriteField(k, v)
		}
		f, _ := w.CreateFormFile("certificate", "sello.p12")
		f.Write(s.ClientPFX(t, certtest.Seal(), clock.Now().AddDate(0, 0, 10), "clave"))
		w.Close()
		req, _ := http.NewRequest(http.MethodPost, base+"/app/verifactu/settings?lang=en", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return b.Do(req)
	}
	if p := upload("mala"); p.Status != 400 || !strings.Contains(p.Body, "password") {
		t.Errorf("a wrong password: %d", p.Status)
	}
	if p := upload("clave"); p.Status != http.StatusSeeOther {
		t.Fatalf("saving the settings: %d %s", p.Status, p.Body)
	}
	page = b.Get("/app/verifactu?lang=en")
	for _, want := range []string{"Sending is on", "TALLERES NORTE SL", "B12345674", "Entity seal", "expires within 30 days"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the page after set-up lacks %q", want)
		}
	}

	invs := make([]string, 2)
	for i := range invs {
		inv, err := invoicing.IssueRecord(app, draftFor(t, app, apptest.CustomerA).Id, invoicing.Actor{Email: apptest.StaffEmail})
		if err != nil {
			t.Fatal(err)
		}
		invs[i] = inv.Id
	}
	if page := b.Get("/app/verifactu?lang=en"); !strings.Contains(page.Body, `<td class="num" id="pending">2</td>`) {
		t.Errorf("the queue does not show 2 records waiting")
	}
	s.Then(aeattest.Incorrect(1, "1100"))
	if _, err := (&verifactu.Sender{App: app}).Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	page = b.Get("/app/verifactu?lang=en")
	if !strings.Contains(page.Body, "Valor o tipo incorrecto del campo.") || !strings.Contains(page.Body, "What to do") {
		t.Fatalf("the refused record is not listed with the AEAT's words:\n%s", page.Body)
	}
	if ov := b.Get("/app/?lang=en"); attentionCount(t, ov.Body, "AEAT: records to correct") != "1" {
		t.Error("the overview does not count the refused record")
	}
	refused := recordsOf(t, app, invs[1])[0]
	if p := b.Post("/app/verifactu/records/"+refused.Id+"/correct?lang=en", url.Values{"csrf": {b.CSRF("/app/verifactu")}, "description": {"Consultoría de marzo"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("correcting: %d %s", p.Status, p.Body)
	}
	if p := b.Post("/app/verifactu/send", url.Values{"csrf": {b.CSRF("/app/verifactu")}}); p.Status != http.StatusSeeOther {
		t.Errorf("send now: %d", p.Status)
	}
	if _, err := (&verifactu.Sender{App: app}).Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	if page := b.Get("/app/verifactu?lang=en"); !strings.Contains(page.Body, "Nothing: the AEAT has refused") {
		t.Error("the corrected record still needs action")
	}

	// The queue says when the AEAT last answered and when it lets the next
	// request go.
	now := clock.Now().Add(time.Minute).Truncate(time.Minute)
	t.Cleanup(clock.Set(func() time.Time { return now }))
	if _, err := invoicing.IssueRecord(app, draftFor(t, app, apptest.CustomerA).Id, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	s.Then(aeattest.Wait(60))
	if _, err := (&verifactu.Sender{App: app}).Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	page = b.Get("/app/verifactu?lang=en")
	if !strings.Contains(page.Body, `id="last-answer">`+ui.FormatMoment("en", now)+"<") ||
		!strings.Contains(page.Body, `id="next-send">`+ui.FormatMoment("en", now.Add(time.Minute))+"<") {
		t.Errorf("the queue does not say when the AEAT answered (%s) and when the next request may go", ui.FormatMoment("en", now))
	}

	inv := b.Get("/app/invoices/" + invs[0] + "?lang=en")
	csv := recordsOf(t, app, invs[0])[0].GetString("csv")
	if !strings.Contains(inv.Body, `id="aeat"`) || !strings.Contains(inv.Body, "Accepted") || csv == "" || !strings.Contains(inv.Body, csv) ||
		!strings.Contains(inv.Body, "Carries the VERI*FACTU legend") {
		t.Errorf("the invoice's page does not show its AEAT state and CSV %q", csv)
	}
	if p := b.Post("/app/invoices/"+invs[0]+"/void", url.Values{"csrf": {b.CSRF("/app/")}, "reason": {"Duplicada"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("voiding: %d %s", p.Status, p.Body)
	}
	if inv := b.Get("/app/invoices/" + invs[0] + "?lang=en"); !strings.Contains(inv.Body, ">Voided</span>") || strings.Contains(inv.Body, "/void\"") {
		t.Error("the voided invoice's page does not say so, or still offers to void it")
	}
	if list := b.Get("/app/invoices?state=voided&lang=en"); !strings.Contains(list.Body, invs[0]) {
		t.Error("the list of voided invoices does not hold it")
	}
}

func draftFor(t *testing.T, app core.App, customer string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("customer", customer)
	r.Set("lines", apptest.IssuedLines)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func recordsOf(t *testing.T, app core.App, invoiceID string) []*core.Record {
	t.Helper()
	rs, err := verifactu.InvoiceRecords(app, invoiceID)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestTheCorrectionFormRefusesInSpanish: what the form to correct a record
// the AEAT refused says when it refuses (a tax id that is no tax id, a
// country that is no country, an id type for a Spanish NIF, a breakdown
// line that does not exist or bears VAT, a record corrected already or
// that needs no correction) is written in the clerk's language, the tax id
// checker's own finding included.
func TestTheCorrectionFormRefusesInSpanish(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	refused, other := recordsOf(t, app, apptest.IssuedA)[0], recordsOf(t, app, apptest.IssuedB)[0]
	if _, err := app.DB().NewQuery("UPDATE verifactu_records SET status = 'rejected' WHERE id = {:id}").Bind(map[string]any{"id": refused.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	token := b.CSRF("/app/verifactu")
	post := func(id string, form url.Values) apptest.Page {
		t.Helper()
		form.Set("csrf", token)
		return b.Post("/app/verifactu/records/"+id+"/correct?lang=es", form)
	}
	es := func(key string, args ui.Args) string { return html.EscapeString(ui.Tf("es", key, args)) }
	for _, c := range []struct {
		id   string
		form url.Values
		want string
	}{
		{refused.Id, url.Values{"recipient_tax_id": {"B1234"}}, es("verifactu.err.recipient_tax_id", ui.Args{"problem": ui.Errorf("taxid.err.spanish_shape", ui.Args{"id": "B1234"})})},
		{refused.Id, url.Values{"recipient_tax_id": {"12345678"}, "recipient_country": {"ESP"}}, es("verifactu.err.recipient_tax_id", ui.Args{"problem": ui.Errorf("taxid.err.country", ui.Args{"country": "ESP"})})},
		{refused.Id, url.Values{"recipient_tax_id": {"B87654323"}, "recipient_id_type": {"02"}}, es("verifactu.err.recipient_id_type", nil)},
		{refused.Id, url.Values{"class_5": {"N1"}}, es("verifactu.err.classification", ui.Args{"problem": ui.Errorf("verifactu.err.no_detail", ui.Args{"n": "5"})})},
		{refused.Id, url.Values{"class_1": {"E1"}}, es("verifactu.err.classification", ui.Args{"problem": ui.Errorf("verifactu.err.detail_bears_vat", ui.Args{"n": "1"})})},
		{other.Id, url.Values{"description": {"Consultoría"}}, es("verifactu.err.not_correctable", nil)},
	} {
		p := post(c.id, c.form)
		if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, c.want) {
			t.Errorf("correcting with %v: %d, the page does not say %q", c.form, p.Status, c.want)
		}
		for _, problem := range apptest.NotSpanish(p.Body) {
			t.Errorf("correcting with %v: %s", c.form, problem)
		}
	}
	if p := post(refused.Id, url.Values{"description": {"Consultoría de marzo"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("correcting: %d", p.Status)
	}
	p := post(refused.Id, url.Values{"description": {"Consultoría de abril"}})
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, strings.SplitN(ui.T("es", "verifactu.err.corrected_already"), "(", 2)[0]) {
		t.Errorf("correcting twice: %d, the page does not say it was corrected already", p.Status)
	}
	for _, problem := range apptest.NotSpanish(p.Body) {
		t.Errorf("correcting twice: %s", problem)
	}
}
