package staff_test

import (
	"bytes"
	"encoding/csv"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"facturo/hooks/demo"
	"facturo/internal/apptest"
)

// staffListRow is a row of the workspace's list of invoices; nextLink
// its link to the next page.
var (
	staffListRow = regexp.MustCompile(`<tr><td><a href="/app/invoices/[a-z0-9]+">`)
	nextLink     = regexp.MustCompile(`<a class="button secondary" href="([^"]+)">[^<]*→</a>`)
)

// exportLink is the href of the list's export button for file.
func exportLink(t *testing.T, body, file string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(/app/exports/` + regexp.QuoteMeta(file) + `[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s button on the list", file)
	}
	return html.UnescapeString(m[1])
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
			first := b.Get(list)
			if first.Status != 200 {
				t.Fatalf("the list: %d", first.Status)
			}
			shown := 0
			for page := first; ; {
				shown += len(staffListRow.FindAllString(page.Body, -1))
				m := nextLink.FindStringSubmatch(page.Body)
				if m == nil {
					break
				}
				page = b.Get(html.UnescapeString(m[1]))
			}
			for _, file := range []string{"invoices.csv", "invoices.xlsx"} {
				link := exportLink(t, first.Body, file)
				got := b.Get(link)
				if got.Status != 200 {
					t.Fatalf("%s: %d %s", link, got.Status, got.Body)
				}
				if n := exportedRows(t, link, []byte(got.Body)); n != shown {
					t.Errorf("the list shows %d invoices, %s exports %d", shown, link, n)
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
