package staff_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/banktest"
	"facturo/internal/clock"
)

// uploadStatement posts a statement to the bank page as its form does.
func uploadStatement(t *testing.T, b *apptest.Browser, content []byte, dryRun bool) apptest.Page {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf", b.CSRF("/app/bank"))
	if dryRun {
		w.WriteField("dry_run", "true")
	}
	part, _ := w.CreateFormFile("file", "extracto.n43")
	part.Write(content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.Base+"/app/bank", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.Do(req)
}

// TestBankPage: staff import a statement; a credit naming an invoice pays
// it, one that only matches an amount waits for staff, who confirm it.
func TestBankPage(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	owedA := int64((a.GetFloat("total") - a.GetFloat("paid_total")) * 100)
	statement := banktest.Norma43(
		banktest.Move{Cents: owedA, Concept: "TRANSFERENCIA FRA " + a.GetString("number")},
		banktest.Move{Cents: 12100, Concept: "TRANSFERENCIA DE BETA DISTRIBUCIONES SA"},
	)
	if p := uploadStatement(t, b, statement, true); p.Status != http.StatusOK || !strings.Contains(p.Body, `id="summary"`) {
		t.Fatalf("a dry run: %d", p.Status)
	}
	if n, _ := app.CountRecords("bank_movements"); n != 0 {
		t.Fatalf("a dry run wrote %d movements", n)
	}
	p := uploadStatement(t, b, statement, false)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, a.GetString("number")) {
		t.Fatalf("importing: %d", p.Status)
	}
	if a, _ = app.FindRecordById(invoicing.Invoices, apptest.IssuedA); a.GetString("payment") != "paid" {
		t.Errorf("the invoice named in the concept is %s", a.GetString("payment"))
	}
	proposal, err := app.FindFirstRecordByFilter("bank_movements", "status = 'proposed'")
	if err != nil {
		t.Fatalf("no proposal: %v", err)
	}
	if !strings.Contains(p.Body, "/app/bank/movements/"+proposal.Id+"/confirm") {
		t.Error("the page does not offer to confirm the proposal")
	}
	if p := b.Post("/app/bank/movements/"+proposal.Id+"/confirm", url.Values{"csrf": {b.CSRF("/app/bank")}, "invoice": {apptest.IssuedB}}); p.Status != http.StatusSeeOther {
		t.Fatalf("confirming: %d %s", p.Status, p.Body)
	}
	if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB); inv.GetString("payment") != "paid" {
		t.Errorf("the confirmed invoice is %s", inv.GetString("payment"))
	}
	if p := uploadStatement(t, b, []byte("not a statement"), false); p.Status != http.StatusBadRequest {
		t.Errorf("a file that is no statement: %d", p.Status)
	}
}

// TestStatementAndInterestDraft: staff download a customer's statement and
// turn the interest of its overdue invoices into a draft; the customer's
// contact downloads their own statement from the portal.
func TestStatementAndInterestDraft(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	if p := b.Get("/app/customers/" + apptest.CustomerA + "/statement.pdf"); p.Status != http.StatusOK || !strings.HasPrefix(p.Body, "%PDF") {
		t.Errorf("the staff's statement: %d", p.Status)
	}
	contact := apptest.NewBrowser(t, base)
	contact.SignIn("/portal/login", "ana@alfa.example", "contact-password-1", "/portal/")
	if p := contact.Get("/portal/statement.pdf"); p.Status != http.StatusOK || !strings.HasPrefix(p.Body, "%PDF") {
		t.Errorf("the contact's statement: %d", p.Status)
	}
	if p := apptest.NewBrowser(t, base).Get("/portal/statement.pdf"); p.Status != http.StatusSeeOther {
		t.Errorf("a guest's statement: %d", p.Status)
	}

	// Nothing overdue yet: nothing to invoice.
	page := "/app/customers/" + apptest.CustomerA
	if p := b.Post(page+"/interest-draft", url.Values{"csrf": {b.CSRF(page)}}); p.Status != http.StatusBadRequest {
		t.Errorf("an interest draft with nothing overdue: %d", p.Status)
	}
	// An invoice of last year, due long ago.
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	draft := newRecord(col, map[string]any{
		"customer": apptest.CustomerA, "issue_date": "2025-09-01", "due_date": "2025-10-01",
		"lines": `[{"description":"Obra","quantity":1,"unit_price":"1000","vat":21}]`,
	})
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	late, err := invoicing.Issue(app, draft.Id, invoicing.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	// Without the rate of the current half-year the draft is refused,
	// naming it; staff add it (here a made-up rate) and try again.
	now := clock.Today()
	current := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	current = current.AddDate(0, -int(current.Month()-1)%6, 0)
	if _, err := app.DB().NewQuery("DELETE FROM interest_rates WHERE `from` >= {:from}").Bind(dbx.Params{"from": current.Format(time.DateOnly)}).Execute(); err != nil {
		t.Fatal(err)
	}
	p := b.Post(page+"/interest-draft", url.Values{"csrf": {b.CSRF(page)}})
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "no late-payment interest rate for the") {
		t.Fatalf("the interest draft without the current half-year's rate: %d", p.Status)
	}
	rates, _ := app.FindCollectionByNameOrId("interest_rates")
	// Every half-year the delay spans needs its rate: those the table
	// lacks up to today get one.
	half := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; !half.After(now); half = half.AddDate(0, 6, 0) {
		if _, err := app.FindFirstRecordByFilter(rates, "from = {:from}", dbx.Params{"from": half.Format("2006-01-02 15:04:05.000Z")}); err != nil {
			if err := app.Save(newRecord(rates, map[string]any{"from": half.Format(time.DateOnly), "rate": 10, "source": "test"})); err != nil {
				t.Fatal(err)
			}
		}
	}
	p = b.Post(page+"/interest-draft", url.Values{"csrf": {b.CSRF(page)}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("the interest draft: %d %s", p.Status, p.Body)
	}
	id := strings.TrimPrefix(strings.Split(p.Header.Get("Location"), "?")[0], "/app/invoices/")
	interestDraft, err := app.FindRecordById(invoicing.Invoices, id)
	if err != nil || interestDraft.GetString("status") != "draft" || !strings.Contains(interestDraft.GetString("lines"), late.GetString("number")) ||
		interestDraft.GetFloat("total") <= 40 {
		t.Errorf("the interest draft: %v, lines %s, total %v", err, interestDraft.GetString("lines"), interestDraft.GetFloat("total"))
	}
	if n, _ := app.CountRecords(invoicing.Invoices, dbx.HashExp{"status": "draft", "customer": apptest.CustomerA}); n != 2 {
		t.Errorf("%d drafts for the customer, want the fixture's and the interest's", n)
	}
}

func newRecord(col *core.Collection, data map[string]any) *core.Record {
	r := core.NewRecord(col)
	r.Load(data)
	return r
}

// TestRemindersPage: the page lists what today's run sends, and sending it
// now queues the email and puts the reminder on the invoice's timeline.
func TestRemindersPage(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	today := clock.Now().In(clock.Zone)
	draft := newRecord(col, map[string]any{
		"customer": apptest.CustomerA, "issue_date": today.Format(time.DateOnly), "due_date": today.AddDate(0, 0, 3).Format(time.DateOnly),
		"lines": `[{"description":"Obra","quantity":1,"unit_price":"100","vat":21}]`,
	})
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	inv, err := invoicing.Issue(app, draft.Id, invoicing.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	page := b.Get("/app/reminders")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, inv.GetString("number")) {
		t.Fatalf("the page does not plan the reminder of %s (due in 3 days): %d", inv.GetString("number"), page.Status)
	}
	if p := b.Post("/app/reminders/run", url.Values{"csrf": {b.CSRF("/app/reminders")}}); p.Status != http.StatusSeeOther {
		t.Fatalf("running: %d %s", p.Status, p.Body)
	}
	if n, _ := app.CountRecords("messages", dbx.HashExp{"invoice": inv.Id, "kind": "reminder"}); n != 1 {
		t.Errorf("%d reminder emails queued", n)
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": inv.Id, "type": "reminder_sent"}); n != 1 {
		t.Errorf("%d reminder_sent events", n)
	}
	if body := b.Get("/app/reminders").Body; strings.Contains(body, ">"+inv.GetString("number")+"<") {
		t.Error("the reminder is still planned after it was sent")
	}
}
