package apptest

import (
	"bytes"
	"encoding/csv"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// ExportRows reads an export as a spreadsheet shows it, a CSV or an XLSX
// as name's extension says (a Spanish reader's CSV is separated by ";"):
// its header, and its rows without the totals row.
func ExportRows(t testing.TB, name string, body []byte) (header []string, rows [][]string) {
	t.Helper()
	var all [][]string
	if strings.Contains(name, ".xlsx") {
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if all, err = f.GetRows(f.GetSheetName(0)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	} else {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
		r.FieldsPerRecord = -1
		if first, _, _ := bytes.Cut(body, []byte("\n")); bytes.ContainsRune(first, ';') {
			r.Comma = ';' // a Spanish reader's export
		}
		var err error
		if all, err = r.ReadAll(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, body)
		}
	}
	if len(all) == 0 {
		t.Fatalf("%s has no header", name)
	}
	header, rows = all[0], all[1:]
	if n := len(rows); n > 0 && len(rows[n-1]) > 0 && (rows[n-1][0] == "Totales" || rows[n-1][0] == "Totals") {
		rows = rows[:n-1]
	}
	return header, rows
}

// nextPage is a list's link to its next page.
var nextPage = regexp.MustCompile(`<a class="button secondary" href="([^"]+)">[^<]*→</a>`)

// ListPages loads a paged list (the portal's or the workspace's) from
// path: its first page, then each page its "next" link leads to.
func (b *Browser) ListPages(path string) []Page {
	b.t.Helper()
	var pages []Page
	for page := b.Get(path); ; {
		if page.Status != 200 {
			b.t.Fatalf("%s: %d", path, page.Status)
		}
		pages = append(pages, page)
		m := nextPage.FindStringSubmatch(page.Body)
		if m == nil {
			return pages
		}
		page = b.Get(html.UnescapeString(m[1]))
	}
}

// ExportLink is the href, unescaped, of a list's button for an export
// under prefix ("/portal/exports/", "/app/exports/") named file
// ("invoices.csv").
func ExportLink(t testing.TB, body, prefix, file string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(prefix+file) + `[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s button on the list", file)
	}
	return html.UnescapeString(m[1])
}

// ListedAndExported walks the list at path page by page, taking the first
// group of row from each page's rows, and reads the list's CSV export
// (under exportPrefix) the same way, first column of each row: both
// sorted, to compare with each other and with what the list should hold.
func (b *Browser) ListedAndExported(path string, row *regexp.Regexp, exportPrefix string) (listed, exported []string) {
	b.t.Helper()
	pages := b.ListPages(path)
	for _, page := range pages {
		for _, m := range row.FindAllStringSubmatch(page.Body, -1) {
			listed = append(listed, m[1])
		}
	}
	link := ExportLink(b.t, pages[0].Body, exportPrefix, "invoices.csv")
	got := b.Get(link)
	if got.Status != 200 {
		b.t.Fatalf("%s: %d %s", link, got.Status, got.Body)
	}
	_, rows := ExportRows(b.t, link, []byte(got.Body))
	for _, r := range rows {
		exported = append(exported, r[0])
	}
	slices.Sort(listed)
	slices.Sort(exported)
	return listed, exported
}
