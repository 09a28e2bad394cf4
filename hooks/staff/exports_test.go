package staff_test

import (
	"regexp"
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
