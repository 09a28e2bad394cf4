package staff_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"
	"facturo/ui"
)

// TestADraftHasNoIssueDate: a draft not yet dated shows no date, never the
// zero time's 01/01/0001, in the lists, on its page, in the exports and in
// its preview.
func TestADraftHasNoIssueDate(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	draft, err := app.FindRecordById(invoicing.Invoices, apptest.DraftA)
	if err != nil {
		t.Fatal(err)
	}
	draft.Set("issue_date", "")
	draft.Set("due_date", "")
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/app/invoices?state=draft", "/app/invoices?state=draft&lang=en", "/app/invoices/" + apptest.DraftA,
		"/app/invoices/" + apptest.DraftA + "?lang=en", "/app/customers/" + apptest.CustomerA,
		"/app/exports/invoices.csv?state=draft", "/app/exports/lines.csv",
	} {
		p := b.Get(path)
		if p.Status != 200 {
			t.Fatalf("%s: %d", path, p.Status)
		}
		for _, zero := range []string{"01/01/0001", "1 Jan 1 ", "1 Jan 1<", "0001-01-01", "01/01/01"} {
			if strings.Contains(p.Body, zero) {
				t.Errorf("%s shows the zero date (%q)", path, zero)
			}
		}
	}
	if !strings.Contains(b.Get("/app/invoices/"+apptest.DraftA).Body, "<td>—</td>") {
		t.Error("the draft's page does not mark its issue date as not set")
	}
	text := toolcheck.PDFText(t, []byte(b.Get("/app/invoices/"+apptest.DraftA+"/preview.pdf").Body))
	if strings.Contains(text, "01/01/0001") {
		t.Errorf("the draft's preview shows the zero date:\n%s", text)
	}
}

// TestEmptyListsSayWhatIsEmpty: each empty list of the workspace names what
// it lacks, in the reader's language, and none of them speaks of invoices
// unless it lists invoices.
func TestEmptyListsSayWhatIsEmpty(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	col, _ := app.FindCollectionByNameOrId(invoicing.Customers)
	fresh := core.NewRecord(col)
	fresh.Load(map[string]any{"name": "Gamma Nueva S.L.", "tax_id": "B12345674", "email": "billing@gamma.example"})
	if err := app.Save(fresh); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path   string
		key    string
		others bool // the page lists invoices too, which are not empty
	}{
		{"/app/customers/" + fresh.Id, "app.contacts.none", false},
		{"/app/customers/" + fresh.Id, "app.customer.invoices.none", false},
		{"/app/customers?q=nadie-se-llama-asi", "app.customers.none_found", false},
		{"/app/customers?archived=1", "app.customers.none_archived", false},
		{"/app/invoices/" + apptest.DraftA, "portal.timeline.none", true},
		{"/app/invoices?q=nadie-se-llama-asi", "portal.none", true},
	} {
		for _, lang := range ui.Languages {
			body := html.UnescapeString(b.Get(c.path + sep(c.path) + "lang=" + lang).Body)
			if !strings.Contains(body, ui.T(lang, c.key)) {
				t.Errorf("%s in %s does not say %q", c.path, lang, ui.T(lang, c.key))
			}
			if !c.others && strings.Contains(body, ui.T(lang, "portal.none")) {
				t.Errorf("%s in %s says %q of a list that is not of invoices", c.path, lang, ui.T(lang, "portal.none"))
			}
		}
	}
	// A customer with none: the list of customers is empty only when no customer is.
	var nobody []string
	for _, lang := range ui.Languages {
		nobody = append(nobody, ui.T(lang, "app.customers.none"))
	}
	for _, lang := range ui.Languages {
		body := html.UnescapeString(b.Get("/app/customers?lang=" + lang).Body)
		for _, s := range nobody {
			if strings.Contains(body, s) {
				t.Errorf("the customers list says %q with customers on it", s)
			}
		}
	}
}

// TestTheCustomersSearchIsLabelledForCustomers: the customers page's search
// names what it searches (name, tax id, e-mail), not the invoices' fields.
func TestTheCustomersSearchIsLabelledForCustomers(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	label := regexp.MustCompile(`<label for="q"[^>]*>([^<]*)</label>`)
	for _, lang := range ui.Languages {
		m := label.FindStringSubmatch(b.Get("/app/customers?lang=" + lang).Body)
		if m == nil {
			t.Fatalf("%s: the customers page has no search label", lang)
		}
		if got := html.UnescapeString(m[1]); got != ui.T(lang, "app.customers.search") || got == ui.T(lang, "portal.search") {
			t.Errorf("%s: the customers search reads %q", lang, got)
		}
	}
	// It searches what it says.
	if !strings.Contains(b.Get("/app/customers?q=B87654323").Body, "/app/customers/"+apptest.CustomerA) ||
		!strings.Contains(b.Get("/app/customers?q=billing@alfa").Body, "/app/customers/"+apptest.CustomerA) {
		t.Error("the customers search does not find a customer by its tax id or e-mail")
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// TestTheSendButtonSaysSendUntilTheInvoiceWasSent: an invoice never sent
// (issued only, or queued and not yet gone, or failed) offers "Enviar";
// once its e-mail left, "Reenviar".
func TestTheSendButtonSaysSendUntilTheInvoiceWasSent(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	page := "/app/invoices/" + apptest.IssuedA
	button := regexp.MustCompile(`<button type="submit" id="send">([^<]*)</button>`)
	label := func(lang string) string {
		t.Helper()
		m := button.FindStringSubmatch(b.Get(page + "?lang=" + lang).Body)
		if m == nil {
			t.Fatalf("no send button on the issued invoice's page")
		}
		return html.UnescapeString(m[1])
	}
	for _, step := range []struct {
		name string
		do   func()
		key  string
	}{
		{"issued", func() {}, "app.send"},
		{"queued", func() {
			if p := b.Post(page+"/send", url.Values{"csrf": {b.CSRF(page)}}); p.Status != http.StatusSeeOther {
				t.Fatalf("sending: %d", p.Status)
			}
		}, "app.send"},
		{"failed", func() { setDelivery(t, app, "failed") }, "app.send"},
		{"sent", func() { setDelivery(t, app, "sent") }, "app.send.again"},
		{"delivered", func() { setDelivery(t, app, "delivered") }, "app.send.again"},
	} {
		step.do()
		for _, lang := range ui.Languages {
			if got := label(lang); got != ui.T(lang, step.key) {
				t.Errorf("%s, in %s: the button reads %q, want %q", step.name, lang, got, ui.T(lang, step.key))
			}
		}
	}
	if ui.T("es", "app.send") != "Enviar" || ui.T("es", "app.send.again") != "Reenviar" {
		t.Errorf("the send buttons read %q and %q in Spanish", ui.T("es", "app.send"), ui.T("es", "app.send.again"))
	}
}

// setDelivery records the invoice e-mail's outcome as the outbox's worker does.
func setDelivery(t *testing.T, app core.App, state string) {
	t.Helper()
	if _, err := invoicing.SetDelivery(app, apptest.IssuedA, state, invoicing.Actor{}, map[string]any{}); err != nil {
		t.Fatal(err)
	}
}

// TestInterestIsOfferedOnlyWhenSomethingIsOverdue: the customer's page
// offers to bill late-payment interest only while an invoice of theirs is
// overdue and unpaid.
func TestInterestIsOfferedOnlyWhenSomethingIsOverdue(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	customers, _ := app.FindCollectionByNameOrId(invoicing.Customers)
	invoices, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	for i, c := range []struct {
		name    string
		invoice bool
		due     int    // days from today
		paid    string // the amount paid of 121
		offered bool
	}{
		{"no invoices", false, 0, "", false},
		{"due next month", true, 30, "", false},
		{"due today", true, 0, "", false},
		{"overdue, unpaid", true, -10, "", true},
		{"overdue, half paid", true, -10, "60", true},
		{"overdue, paid", true, -10, "121", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			customer := core.NewRecord(customers)
			customer.Load(map[string]any{"name": "Cliente " + c.name, "tax_id": "B12345674", "email": "c" + strings.Repeat("x", i) + "@example.com"})
			if err := app.Save(customer); err != nil {
				t.Fatal(err)
			}
			if c.invoice {
				d := core.NewRecord(invoices)
				d.Load(map[string]any{"customer": customer.Id, "series": "T", "lines": apptest.IssuedLines,
					"issue_date": apptest.Date(-60), "due_date": apptest.Date(c.due)})
				if err := app.Save(d); err != nil {
					t.Fatal(err)
				}
				if _, err := invoicing.IssueRecord(app, d.Id, invoicing.Actor{}); err != nil {
					t.Fatal(err)
				}
				if c.paid != "" {
					if _, err := invoicing.RecordPayment(app, d.Id, invoicing.Payment{Amount: decimal.RequireFromString(c.paid)}, invoicing.Actor{}); err != nil {
						t.Fatal(err)
					}
				}
			}
			page := b.Get("/app/customers/" + customer.Id)
			if offered := strings.Contains(page.Body, `id="interest-draft"`); offered != c.offered {
				t.Errorf("the interest button offered: %v, want %v", offered, c.offered)
			}
			if strings.Contains(page.Body, ui.T("es", "app.interest_draft")) != c.offered {
				t.Errorf("%q shown: %v, want %v", ui.T("es", "app.interest_draft"), !c.offered, c.offered)
			}
		})
	}
}
