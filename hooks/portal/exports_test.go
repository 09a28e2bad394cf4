package portal_test

import (
	"regexp"
	"slices"
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

// TestAmountFiltersReadAsTheContactWritesThem: the list's amount filters
// read what a contact types as its language writes numbers (1.000,00 in
// Spanish, 1,000.00 in English; 1.000 is one in English and, ambiguous,
// left out in Spanish), and the list's CSV export reads them the same way:
// list and export hold exactly the customer's invoices within the amounts.
func TestAmountFiltersReadAsTheContactWritesThem(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if seeded, err := demo.Seed(app); err != nil || !seeded {
		t.Fatalf("seeding the demo: %v %v", seeded, err)
	}
	contact, err := app.FindAuthRecordByEmail("contacts", demo.ContactEmail)
	if err != nil {
		t.Fatal(err)
	}
	issued, err := app.FindRecordsByFilter("invoices", "customer = {:c} && number != ''", "", 0, 0, map[string]any{"c": contact.GetString("customer")})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, apptest.Serve(t, app))
	b.SignIn("/portal/login", demo.ContactEmail, demo.ContactPassword, "/portal/")
	row := regexp.MustCompile(`<tr><td><a href="/portal/invoices/[a-z0-9]+">([^<]+)</a>`)

	const none = -1.0
	below := 0 // invoices a misread 1.000,00 (as 1) would let in
	for _, inv := range issued {
		if total := inv.GetFloat("total"); total >= 1 && total < 1000 {
			below++
		}
	}
	if below == 0 {
		t.Fatal("the customer has no invoice between 1 and 1000: the filters prove little")
	}
	for _, c := range []struct {
		lang, query string
		min, max    float64
	}{
		{"es", "min=1.000,00", 1000, none},
		{"es", "min=1000,5", 1000.5, none},
		{"es", "max=1.000,00", none, 1000},
		{"es", "min=500&max=2.000,50", 500, 2000.5},
		{"es", "min=1.000", none, none}, // a thousand or one: not guessed
		{"en", "min=1,000.00", 1000, none},
		{"en", "min=1.000,00", 1000, none},
		{"en", "min=1.000", 1, none}, // one, as English speakers write it
		{"en", "max=1,000", none, 1000},
	} {
		t.Run(c.lang+" "+c.query, func(t *testing.T) {
			contact.Set("language", c.lang)
			if err := app.Save(contact); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, inv := range issued {
				if total := inv.GetFloat("total"); (c.min == none || total >= c.min) && (c.max == none || total <= c.max) {
					want = append(want, inv.GetString("number"))
				}
			}
			if len(want) == 0 {
				t.Fatal("no invoice within the amounts: the case proves little")
			}
			listed, exported := b.ListedAndExported("/portal/invoices?"+c.query, row, "/portal/exports/")
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
