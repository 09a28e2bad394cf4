package staff_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/demo"
	"facturo/internal/apptest"
)

// staffListRow is a row of the workspace's list of invoices.
var staffListRow = regexp.MustCompile(`<tr><td><a href="/app/invoices/[a-z0-9]+">`)

// TestExportsAreTheListOnScreen: for every filter of the invoices list, a
// search and a customer, the CSV and XLSX buttons export exactly as many
// invoices as the list shows across its pages.
func TestExportsAreTheListOnScreen(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if seeded, err := demo.Seed(app); err != nil || !seeded {
		t.Fatalf("seeding the demo: %v %v", seeded, err)
	}
	customer, err := app.FindFirstRecordByData("customers", "email", "facturas@ferreteria-lopez.example")
	if err != nil {
		t.Fatal(err)
	}
	col, _ := app.FindCollectionByNameOrId("invoices")
	draft := core.NewRecord(col)
	draft.Set("customer", customer.Id)
	draft.Set("lines", apptest.IssuedLines)
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t, apptest.Serve(t, app))
	b.SignIn("/app/login", demo.StaffEmail, demo.StaffPassword, "/app/")

	lists := []string{"/app/invoices", "/app/invoices?q=folletos", "/app/invoices?customer=" + customer.Id,
		"/app/invoices?customer=" + customer.Id + "&state=paid"}
	for _, state := range []string{"unpaid", "overdue", "paid", "rejected", "queried", "bounced", "correction", "unanswered", "unsent", "voided", "draft"} {
		lists = append(lists, "/app/invoices?state="+state)
	}
	filtered := 0
	for _, list := range lists {
		t.Run(list, func(t *testing.T) {
			pages := b.ListPages(list)
			first, shown := pages[0], 0
			for _, page := range pages {
				shown += len(staffListRow.FindAllString(page.Body, -1))
			}
			for _, file := range []string{"invoices.csv", "invoices.xlsx"} {
				link := apptest.ExportLink(t, first.Body, "/app/exports/", file)
				got := b.Get(link)
				if got.Status != 200 {
					t.Fatalf("%s: %d %s", link, got.Status, got.Body)
				}
				if _, rows := apptest.ExportRows(t, link, []byte(got.Body)); len(rows) != shown {
					t.Errorf("the list shows %d invoices, %s exports %d", shown, link, len(rows))
				}
			}
			if shown > 0 && list != "/app/invoices" {
				filtered++
			}
		})
	}
	if filtered < 10 {
		t.Errorf("only %d filtered lists had invoices: the comparison proves little", filtered)
	}
}

// TestAmountFiltersReadAsTheClerkWritesThem: the list's amount filters read
// what a clerk types as the page's language writes numbers (1.000,00 in
// Spanish, 1,000.00 in English; 1.000 is one in English and, ambiguous,
// left out in Spanish), and the list's CSV export reads them the same way:
// list and export hold exactly the issued invoices within the amounts.
func TestAmountFiltersReadAsTheClerkWritesThem(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if seeded, err := demo.Seed(app); err != nil || !seeded {
		t.Fatalf("seeding the demo: %v %v", seeded, err)
	}
	issued, err := app.FindRecordsByFilter("invoices", "number != ''", "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t, apptest.Serve(t, app))
	b.SignIn("/app/login", demo.StaffEmail, demo.StaffPassword, "/app/")
	row := regexp.MustCompile(`<tr><td><a href="/app/invoices/[a-z0-9]+">([^<]+)</a>`)

	const none = -1.0
	below := 0 // invoices a misread 1.000,00 (as 1) would let in
	for _, inv := range issued {
		if total := inv.GetFloat("total"); total >= 1 && total < 1000 {
			below++
		}
	}
	if below == 0 {
		t.Fatal("no invoice between 1 and 1000: the filters prove little")
	}
	for _, c := range []struct {
		query    string
		min, max float64
	}{
		{"min=1.000,00", 1000, none},
		{"min=1000,5", 1000.5, none},
		{"max=1.000,00", none, 1000},
		{"min=500&max=2.000,50", 500, 2000.5},
		{"min=1.000", none, none}, // a thousand or one: not guessed
		{"lang=en&min=1,000.00", 1000, none},
		{"lang=en&min=1.000,00", 1000, none},
		{"lang=en&min=1.000", 1, none}, // one, as English speakers write it
		{"lang=en&max=1,000", none, 1000},
	} {
		t.Run(c.query, func(t *testing.T) {
			var want []string
			for _, inv := range issued {
				if total := inv.GetFloat("total"); (c.min == none || total >= c.min) && (c.max == none || total <= c.max) {
					want = append(want, inv.GetString("number"))
				}
			}
			if len(want) == 0 {
				t.Fatal("no invoice within the amounts: the case proves little")
			}
			listed, exported := b.ListedAndExported("/app/invoices?"+c.query, row, "/app/exports/")
			slices.Sort(want)
			if !slices.Equal(listed, want) {
				t.Errorf("the list shows %v, want %v", listed, want)
			}
			if !slices.Equal(exported, want) {
				t.Errorf("the export holds %v, want %v", exported, want)
			}
		})
	}
}
