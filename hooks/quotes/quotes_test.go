package quotes_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/quotes"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) {
	os.Exit(apptest.Run(m))
}

func newQuote(t *testing.T, app core.App) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(quotes.Collection)
	if err != nil {
		t.Fatal(err)
	}
	q := core.NewRecord(col)
	q.Load(map[string]any{"customer": apptest.CustomerA, "status": quotes.StatusDraft, "currency": "EUR", "notes": "Plazo: dos semanas",
		"lines": `[{"description":"Reforma","quantity":2,"unit_price":"1000","vat":21},{"description":"Material","quantity":1,"unit_price":"250","vat":10}]`})
	if err := app.Save(q); err != nil {
		t.Fatal(err)
	}
	return q
}

// chainState is what the invoices' numbering and chain look like.
func chainState(t *testing.T, app core.App) string {
	t.Helper()
	var counters, head string
	if err := app.DB().NewQuery("SELECT COALESCE(group_concat(series || year || ':' || last), '') FROM (SELECT * FROM series_counters ORDER BY series, year)").Row(&counters); err != nil {
		t.Fatal(err)
	}
	if err := app.DB().NewQuery("SELECT COALESCE(MAX(chain_seq), 0) || ' ' || COUNT(*) FROM invoices").Row(&head); err != nil {
		t.Fatal(err)
	}
	return counters + " | " + head
}

// TestQuotesAreNeverNumberedAsInvoicesNorChained: finishing quotes numbers
// them in their own series, one after another, with the invoices' totals,
// and leaves the invoices' counters, chain and list untouched; the next
// invoice issued takes the number it would have taken without them; an
// accepted quote becomes a draft invoice with no number, which is numbered
// in the invoice series only when issued.
func TestQuotesAreNeverNumberedAsInvoicesNorChained(t *testing.T) {
	app := apptest.New(t)
	before := chainState(t, app)
	year := apptest.Today().Year()
	var numbers []string
	for range 2 {
		q, err := quotes.Finish(app, newQuote(t, app).Id, apptest.StaffEmail)
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, q.GetString("number"))
		if q.GetFloat("total") != 2695 || q.GetString("pdf") == "" || q.GetString("status") != quotes.StatusSent {
			t.Errorf("finished quote: total %v, pdf %q, status %s", q.GetFloat("total"), q.GetString("pdf"), q.GetString("status"))
		}
	}
	want := []string{"P-" + itoa(year) + "-000001", "P-" + itoa(year) + "-000002"}
	if strings.Join(numbers, ",") != strings.Join(want, ",") {
		t.Errorf("quote numbers %v, want %v", numbers, want)
	}
	if after := chainState(t, app); after != before {
		t.Errorf("finishing quotes changed the invoices: %s → %s", before, after)
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.NewExp("type = 'issued'")); n != 2 {
		t.Errorf("%d issue events, want the fixture's 2", n)
	}

	q, _ := app.FindFirstRecordByData(quotes.Collection, "number", numbers[0])
	if _, err := quotes.ToDraftInvoice(app, q.Id, apptest.StaffEmail); err == nil {
		t.Error("a quote not accepted became an invoice")
	}
	if _, err := quotes.Respond(app, q.Id, apptest.ContactA, true, "Adelante"); err != nil {
		t.Fatal(err)
	}
	inv, err := quotes.ToDraftInvoice(app, q.Id, apptest.StaffEmail)
	if err != nil {
		t.Fatal(err)
	}
	if inv.GetString("number") != "" || inv.GetString("status") != invoicing.StatusDraft || inv.GetString("order_reference") != numbers[0] {
		t.Errorf("the draft: number %q, status %s, reference %q", inv.GetString("number"), inv.GetString("status"), inv.GetString("order_reference"))
	}
	issued, err := invoicing.Issue(app, inv.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	// The fixture issued A-year-000001 and 000002.
	if got := issued.GetString("number"); got != "A-"+itoa(year)+"-000003" || issued.GetFloat("total") != 2695 {
		t.Errorf("the invoice from the quote: %s, %v", got, issued.GetFloat("total"))
	}
	q, _ = app.FindRecordById(quotes.Collection, q.Id)
	if q.GetString("status") != quotes.StatusInvoiced || q.GetString("invoice") != inv.Id {
		t.Errorf("the quote after: %s %s", q.GetString("status"), q.GetString("invoice"))
	}
	// A rejected quote keeps its reason and cannot be answered again.
	other, _ := app.FindFirstRecordByData(quotes.Collection, "number", numbers[1])
	if _, err := quotes.Respond(app, other.Id, apptest.ContactA, false, "Demasiado caro"); err != nil {
		t.Fatal(err)
	}
	if _, err := quotes.Respond(app, other.Id, apptest.ContactA, true, ""); err == nil {
		t.Error("a rejected quote was accepted")
	}
	other, _ = app.FindRecordById(quotes.Collection, other.Id)
	if other.GetString("response_note") != "Demasiado caro" || other.GetString("status") != quotes.StatusRejected {
		t.Errorf("the rejected quote: %s %q", other.GetString("status"), other.GetString("response_note"))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
