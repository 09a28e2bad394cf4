package portal_test

import (
	"html"
	"regexp"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/ui"
)

// lateCases are invoices due on various days and paid or voided or not,
// and whether the lists call them late, and by how many days.
var lateCases = []struct {
	name     string
	due      int    // days from today
	paid     string // "", "part", "all"
	voided   bool
	daysLate int
}{
	{"due yesterday", -1, "", false, 1},
	{"due twelve days ago", -12, "", false, 12},
	{"partly paid, due 30 days ago", -30, "part", false, 30},
	{"due today", 0, "", false, 0},
	{"due next week", 7, "", false, 0},
	{"paid, due 12 days ago", -12, "all", false, 0},
	{"voided, due 12 days ago", -12, "", true, 0},
}

// issueDue issues an invoice of customer A due on the given day, paid or
// voided as asked, and returns its record.
func issueDue(t *testing.T, app core.App, due int, paid string, voided bool) *core.Record {
	t.Helper()
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	d := core.NewRecord(col)
	d.Set("customer", apptest.CustomerA)
	d.Set("lines", apptest.IssuedLines)
	d.Set("series", "L") // a series of its own, dated before the world's invoices
	d.Set("issue_date", apptest.Date(-60))
	d.Set("due_date", apptest.Date(due))
	if err := app.Save(d); err != nil {
		t.Fatal(err)
	}
	inv, err := invoicing.IssueRecord(app, d.Id, invoicing.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	switch paid {
	case "part":
		_, err = invoicing.RecordPayment(app, inv.Id, invoicing.Payment{Amount: decimal.NewFromInt(50)}, invoicing.Actor{})
	case "all":
		_, err = invoicing.RecordPayment(app, inv.Id, invoicing.Payment{Amount: decimal.RequireFromString("121")}, invoicing.Actor{})
	}
	if err != nil {
		t.Fatal(err)
	}
	if voided {
		if _, err := invoicing.Void(app, inv.Id, "Duplicada", invoicing.Actor{Email: apptest.StaffEmail, Staff: true}); err != nil {
			t.Fatal(err)
		}
	}
	inv, _ = app.FindRecordById(invoicing.Invoices, inv.Id)
	return inv
}

// TestLateIsShownAsLate: the portal's list (whose payment column shows on
// phones too) and the invoice's page mark an overdue invoice with its days
// late, and only an overdue one.
func TestLateIsShownAsLate(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	for _, c := range lateCases {
		t.Run(c.name, func(t *testing.T) {
			inv := issueDue(t, app, c.due, c.paid, c.voided)
			row := regexp.MustCompile(`<tr><td><a href="/portal/invoices/` + inv.Id + `">.*?</tr>`).FindString(b.Get("/portal/invoices?q=" + inv.GetString("number")).Body)
			page := b.Get("/portal/invoices/" + inv.Id).Body
			late := regexp.MustCompile(`<span class="pill late"[^>]*>([^<]*)</span>`)
			for where, body := range map[string]string{"the list": row, "the page": page} {
				m := late.FindStringSubmatch(body)
				switch {
				case c.daysLate == 0 && m != nil:
					t.Errorf("%s marks it late: %s", where, m[1])
				case c.daysLate > 0 && (m == nil || html.UnescapeString(m[1]) != ui.Late("es", c.daysLate)):
					t.Errorf("%s does not say %q: %v", where, ui.Late("es", c.daysLate), m)
				}
			}
			if !regexp.MustCompile(`<div class="phone-only"><span class="pill`).MatchString(row) {
				t.Error("the list hides the payment state on phones")
			}
		})
	}
}
