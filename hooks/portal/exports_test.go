package portal_test

import (
	"bytes"
	"encoding/csv"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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
	next := regexp.MustCompile(`<a class="button secondary" href="([^"]+)">[^<]*→</a>`)

	lists := []string{"/portal/invoices", "/portal/invoices?q=carteles", "/portal/invoices?min=500&max=2000,50&sort=-total",
		"/portal/invoices?from=" + apptest.Date(-365) + "&to=" + apptest.Date(-30) + "&state=paid"}
	for _, state := range []string{"unpaid", "overdue", "paid", "rejected", "queried"} {
		lists = append(lists, "/portal/invoices?state="+state)
	}
	filtered := 0
	for _, list := range lists {
		t.Run(list, func(t *testing.T) {
			first := b.Get(list)
			if first.Status != 200 {
				t.Fatalf("the list: %d", first.Status)
			}
			shown := 0
			for page := first; ; {
				shown += len(row.FindAllString(page.Body, -1))
				m := next.FindStringSubmatch(page.Body)
				if m == nil {
					break
				}
				page = b.Get(html.UnescapeString(m[1]))
			}
			for _, file := range []string{"invoices.csv", "invoices.xlsx"} {
				m := regexp.MustCompile(`href="(/portal/exports/` + regexp.QuoteMeta(file) + `[^"]*)"`).FindStringSubmatch(first.Body)
				if m == nil {
					t.Fatalf("no %s button on the list", file)
				}
				link := html.UnescapeString(m[1])
				got := b.Get(link)
				if got.Status != 200 {
					t.Fatalf("%s: %d %s", link, got.Status, got.Body)
				}
				if n := exportedRows(t, link, []byte(got.Body)); n != shown {
					t.Errorf("the list shows %d invoices, %s exports %d", shown, link, n)
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

// exportedRows counts the invoices in a CSV or XLSX export: its rows
// without the header and the totals row.
func exportedRows(t *testing.T, name string, body []byte) int {
	t.Helper()
	var rows [][]string
	if strings.Contains(name, ".xlsx") {
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rows, err = f.GetRows(f.GetSheetName(0)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	} else {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
		r.FieldsPerRecord = -1
		if header, _, _ := bytes.Cut(body, []byte("\n")); bytes.ContainsRune(header, ';') {
			r.Comma = ';' // a Spanish reader's export
		}
		var err error
		if rows, err = r.ReadAll(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, body)
		}
	}
	n := len(rows) - 1 // the header
	if n > 0 && (rows[n][0] == "Totales" || rows[n][0] == "Totals") {
		n--
	}
	return n
}
