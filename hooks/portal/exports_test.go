package portal_test

import (
	"regexp"
	"testing"

	"facturo/hooks/demo"
	"facturo/internal/apptest"
)

// TestExportsAreTheListOnScreen: for every state, a search, an amount and
// a date range and an order, the portal's CSV and XLSX buttons export
// exactly as many invoices as the list shows across its pages.
func TestExportsAreTheListOnScreen(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if seeded, err := demo.Seed(app); err != nil || !seeded {
		t.Fatalf("seeding the demo: %v %v", seeded, err)
	}
	b := newBrowser(t, apptest.Serve(t, app))
	b.SignIn("/portal/login", demo.ContactEmail, demo.ContactPassword, "/portal/")
	row := regexp.MustCompile(`<tr><td><a href="/portal/invoices/[a-z0-9]+">`)

	lists := []string{"/portal/invoices", "/portal/invoices?q=carteles", "/portal/invoices?min=500&max=2000,50&sort=-total",
		"/portal/invoices?from=" + apptest.Date(-365) + "&to=" + apptest.Date(-30) + "&state=paid"}
	for _, state := range []string{"unpaid", "overdue", "paid", "rejected", "queried"} {
		lists = append(lists, "/portal/invoices?state="+state)
	}
	filtered := 0
	for _, list := range lists {
		t.Run(list, func(t *testing.T) {
			pages := b.ListPages(list)
			first, shown := pages[0], 0
			for _, page := range pages {
				shown += len(row.FindAllString(page.Body, -1))
			}
			for _, file := range []string{"invoices.csv", "invoices.xlsx"} {
				link := apptest.ExportLink(t, first.Body, "/portal/exports/", file)
				got := b.Get(link)
				if got.Status != 200 {
					t.Fatalf("%s: %d %s", link, got.Status, got.Body)
				}
				if _, rows := apptest.ExportRows(t, link, []byte(got.Body)); len(rows) != shown {
					t.Errorf("the list shows %d invoices, %s exports %d", shown, link, len(rows))
				}
			}
			if shown > 0 && list != "/portal/invoices" {
				filtered++
			}
		})
	}
	if p := b.Get("/portal/exports/invoices.csv?state=draft"); p.Status != 400 {
		t.Errorf("a contact's export of drafts: %d, want 400", p.Status)
	}
	if filtered < 6 {
		t.Errorf("only %d filtered lists had invoices: the comparison proves little", filtered)
	}
}
