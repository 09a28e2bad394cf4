package staff_test

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

// TestListsShowLateAsLate: the invoices list and the customer's page mark
// an overdue invoice with its days late, and only an overdue one.
func TestListsShowLateAsLate(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	late := regexp.MustCompile(`<span class="pill late">([^<]*)</span>`)
	for _, c := range []struct {
		name     string
		due      int  // days from today
		part     bool // half paid
		paid     bool
		daysLate int
	}{
		{"due yesterday", -1, false, false, 1},
		{"half paid, due 30 days ago", -30, true, false, 30},
		{"due today", 0, false, false, 0},
		{"due next week", 7, false, false, 0},
		{"paid, due 12 days ago", -12, false, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := core.NewRecord(col)
			d.Set("customer", apptest.CustomerB)
			d.Set("series", "L") // a series of its own, dated before the world's invoices
			d.Set("lines", apptest.IssuedLines)
			d.Set("issue_date", apptest.Date(-60))
			d.Set("due_date", apptest.Date(c.due))
			if err := app.Save(d); err != nil {
				t.Fatal(err)
			}
			inv, err := invoicing.IssueRecord(app, d.Id, invoicing.Actor{})
			if err != nil {
				t.Fatal(err)
			}
			for amount, do := range map[string]bool{"50": c.part, "121": c.paid} {
				if do {
					if _, err := invoicing.RecordPayment(app, inv.Id, invoicing.Payment{Amount: decimal.RequireFromString(amount)}, invoicing.Actor{}); err != nil {
						t.Fatal(err)
					}
				}
			}
			row := regexp.MustCompile(`<tr><td><a href="/app/invoices/` + inv.Id + `">.*?</tr>`)
			for _, list := range []string{"/app/invoices?q=" + inv.GetString("number"), "/app/customers/" + apptest.CustomerB} {
				r := row.FindString(b.Get(list).Body)
				if r == "" {
					t.Fatalf("%s does not list the invoice", list)
				}
				m := late.FindStringSubmatch(r)
				switch {
				case c.daysLate == 0 && m != nil:
					t.Errorf("%s marks it late: %s", list, m[1])
				case c.daysLate > 0 && (m == nil || html.UnescapeString(m[1]) != ui.Late("es", c.daysLate)):
					t.Errorf("%s does not say %q: %v", list, ui.Late("es", c.daysLate), m)
				}
			}
		})
	}
}
