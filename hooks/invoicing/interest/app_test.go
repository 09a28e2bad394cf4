package interest_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

// addRate puts a half-year's rate in the table (replacing the seeded one,
// if any), as staff do in the dashboard.
func addRate(t *testing.T, app core.App, from string, percent float64) {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(interest.Rates)
	if err != nil {
		t.Fatal(err)
	}
	r, err := app.FindFirstRecordByFilter(col, "from = {:from}", dbx.Params{"from": from + " 00:00:00.000Z"})
	if err != nil {
		r = core.NewRecord(col)
	}
	r.Set("from", from)
	r.Set("rate", percent)
	r.Set("source", "test")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// issueExempt issues an invoice of amount euros without VAT, so that its
// total is exactly amount.
func issueExempt(t *testing.T, app core.App, customer, issued, due, amount string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"customer": customer, "issue_date": issued, "due_date": due,
		"lines": `[{"description":"Obra","quantity":1,"unit_price":"` + amount + `","vat":0,"vat_exemption":"Exenta (art. 20 LIVA)"}]`,
	})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	inv, err := invoicing.Issue(app, r.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func pay(t *testing.T, app core.App, inv *core.Record, amount, on string) {
	t.Helper()
	paidOn, _ := time.Parse(time.DateOnly, on)
	if _, err := invoicing.RecordPayment(app, inv.Id, invoicing.Payment{Amount: decimal.RequireFromString(amount), PaidOn: paidOn},
		invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
}

func date(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func reload(t *testing.T, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(invoicing.Invoices, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestForInvoiceFollowsThePayments(t *testing.T) {
	app := apptest.New(t)
	addRate(t, app, "2025-07-01", 10.15)

	cases := []struct {
		name     string
		payments [][2]string
		asOf     string
		want     string
		wantDays int
		wantComp string
	}{
		// 31 days on 1,000 at 10.15 %: 8.6205 → 8.62.
		{"unpaid", nil, "2025-10-31", "8.62", 31, "40"},
		// 1–15 October on 1,000 (4.1712), 16–31 October on 500 (2.2247):
		// 6.3959 → 6.40.
		{"half paid on 15 October", [][2]string{{"500", "2025-10-15"}}, "2025-10-31", "6.40", 31, "40"},
		// Paid off on 15 October: 15 days on 1,000 = 4.1712 → 4.17, still
		// claimable months later; the later half-year needs no rate.
		{"paid late", [][2]string{{"1000", "2025-10-15"}}, "2026-03-01", "4.17", 15, "40"},
		{"paid on the due date", [][2]string{{"1000", "2025-09-30"}}, "2025-12-31", "0", 0, "0"},
		{"not yet due", nil, "2025-09-30", "0", 0, "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := issueExempt(t, app, apptest.CustomerA, "2025-09-01", "2025-09-30", "1000")
			for _, p := range c.payments {
				pay(t, app, inv, p[0], p[1])
			}
			got, comp, err := interest.ForInvoice(app, reload(t, app, inv.Id), date(c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			if !got.Amount.Equal(decimal.RequireFromString(c.want)) || got.Days != c.wantDays || !comp.Equal(decimal.RequireFromString(c.wantComp)) {
				t.Fatalf("got %s over %d days, compensation %s; want %s over %d, %s", got.Amount, got.Days, comp, c.want, c.wantDays, c.wantComp)
			}
		})
	}
}

func TestForInvoiceNamesAMissingHalfYear(t *testing.T) {
	app := apptest.New(t)
	addRate(t, app, "2026-01-01", 10.15)
	if _, err := app.DB().NewQuery("DELETE FROM interest_rates WHERE `from` >= '2026-07-01'").Execute(); err != nil {
		t.Fatal(err)
	}
	// Due before the half-year without a rate, still unpaid after it.
	inv := issueExempt(t, app, apptest.CustomerA, "2025-11-01", "2026-06-15", "1000")
	_, _, err := interest.ForInvoice(app, inv, date("2026-07-10"))
	var missing *interest.MissingRateError
	if !errors.As(err, &missing) || !missing.HalfYear.Equal(date("2026-07-01")) || !strings.Contains(err.Error(), inv.GetString("number")) {
		t.Fatalf("got %v, want the second half of 2026 named", err)
	}
}

func TestForInvoiceGivesNothingOnACredit(t *testing.T) {
	app := apptest.New(t)
	addRate(t, app, "2025-07-01", 10.15)
	inv := issueExempt(t, app, apptest.CustomerA, "2025-09-01", "2025-09-30", "-50")
	got, comp, err := interest.ForInvoice(app, inv, date("2025-10-31"))
	if err != nil || !got.Amount.IsZero() || !comp.IsZero() {
		t.Fatalf("credit: %s %s %v", got.Amount, comp, err)
	}
}

func TestRatesStartAHalfYear(t *testing.T) {
	app := apptest.New(t)
	col, _ := app.FindCollectionByNameOrId(interest.Rates)
	r := core.NewRecord(col)
	r.Set("from", "2025-07-02")
	r.Set("rate", 10.15)
	if err := app.Save(r); err == nil || !strings.Contains(err.Error(), "1 January or 1 July") {
		t.Fatalf("a rate from 2 July: %v", err)
	}
}

func TestInterestDraftRoute(t *testing.T) {
	app := apptest.New(t)
	addRate(t, app, "2025-07-01", 10.15)
	base := apptest.Serve(t, app)
	first := issueExempt(t, app, apptest.CustomerA, "2025-09-01", "2025-09-30", "1000")
	second := issueExempt(t, app, apptest.CustomerA, "2025-09-01", "2025-09-30", "1000")
	pay(t, app, second, "500", "2025-10-15")
	other := issueExempt(t, app, apptest.CustomerB, "2025-09-01", "2025-09-30", "1000")
	url := base + "/api/interest/draft"
	body := `{"invoices":["` + first.Id + `","` + second.Id + `"],"as_of":"2025-10-31","compensation":true}`

	if res := apptest.Call(t, "POST", url, apptest.Tokens.ContactA, body); res.Status != 403 {
		t.Errorf("a contact: %d", res.Status)
	}
	mixed := `{"invoices":["` + first.Id + `","` + other.Id + `"],"as_of":"2025-10-31"}`
	if res := apptest.Call(t, "POST", url, apptest.Tokens.Staff, mixed); res.Status != 400 || !strings.Contains(string(res.Body), "another customer") {
		t.Errorf("two customers: %d %s", res.Status, res.Body)
	}
	notLate := `{"invoices":["` + first.Id + `"],"as_of":"2025-09-30"}`
	if res := apptest.Call(t, "POST", url, apptest.Tokens.Staff, notLate); res.Status != 400 || !strings.Contains(string(res.Body), "no interest") {
		t.Errorf("not late: %d %s", res.Status, res.Body)
	}

	res := apptest.Call(t, "POST", url, apptest.Tokens.Staff, body)
	if res.Status != 201 {
		t.Fatalf("draft: %d %s", res.Status, res.Body)
	}
	var draft struct {
		ID     string  `json:"id"`
		Status string  `json:"status"`
		Total  float64 `json:"total"`
		Lines  []struct {
			Description  string `json:"description"`
			UnitPrice    any    `json:"unit_price"`
			VAT          any    `json:"vat"`
			VATExemption string `json:"vat_exemption"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(res.Body, &draft); err != nil {
		t.Fatal(err)
	}
	// 8.62 + 40 + 6.40 + 40.
	if draft.Status != "draft" || draft.Total != 95.02 || len(draft.Lines) != 4 {
		t.Fatalf("draft: %s", res.Body)
	}
	want := "Intereses de demora factura " + first.GetString("number") + " (31 días al 10,15 %)"
	if draft.Lines[0].Description != want {
		t.Errorf("line 1 %q, want %q", draft.Lines[0].Description, want)
	}
	for i, l := range draft.Lines {
		if l.VATExemption != "No sujeto: indemnización (art. 78.Tres.1º LIVA)" {
			t.Errorf("line %d: exemption %q", i+1, l.VATExemption)
		}
	}
	// The draft issues like any other.
	if _, err := invoicing.Issue(app, draft.ID, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatalf("issuing the draft: %v", err)
	}
}

// TestAsFarAsKnownStopsBeforeAMissingHalfYear: without the rate of the
// second half of 2026, interest runs to 30 June, and the missing half-year
// is named.
func TestAsFarAsKnownStopsBeforeAMissingHalfYear(t *testing.T) {
	app := apptest.New(t)
	addRate(t, app, "2026-01-01", 10.15)
	if _, err := app.DB().NewQuery("DELETE FROM interest_rates WHERE `from` >= '2026-07-01'").Execute(); err != nil {
		t.Fatal(err)
	}
	inv := issueExempt(t, app, apptest.CustomerA, "2025-11-01", "2026-06-15", "1000")
	rates, err := interest.LoadRates(app)
	if err != nil {
		t.Fatal(err)
	}
	got, comp, missing, err := interest.AsFarAsKnown(app, inv, date("2026-07-10"), rates)
	// 16–30 June: 15 days on 1,000 at 10.15 % = 4.1712 → 4.17.
	if err != nil || missing == nil || !missing.HalfYear.Equal(date("2026-07-01")) ||
		!got.Amount.Equal(decimal.RequireFromString("4.17")) || got.Days != 15 || !comp.Equal(interest.Compensation) {
		t.Fatalf("got %s over %d days, compensation %s, missing %v, %v", got.Amount, got.Days, comp, missing, err)
	}
}
