package portal_test

import (
	"archive/zip"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"facturo/internal/apptest"
)

// TestZIPHoldsTheListOnScreen follows the list's ZIP form as a browser
// would: its hidden fields carry the filters in force, so the ZIP holds
// the invoices the list shows, one PDF each, and no others.
func TestZIPHoldsTheListOnScreen(t *testing.T) {
	app := apptest.New(t)
	issueParts(t, app, 6)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	rows := regexp.MustCompile(`<tr><td><a href="/portal/invoices/[^"]+">([^<]+)</a>`)
	form := regexp.MustCompile(`(?s)<form class="row zip-export" method="get" action="([^"]+)">(.*?)</form>`)
	hidden := regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

	for _, list := range []string{"/portal/invoices", "/portal/invoices?q=Pieza", "/portal/invoices?q=Pieza&min=14&max=16,00&sort=-total"} {
		page := b.Get(list)
		var shown []string
		for _, m := range rows.FindAllStringSubmatch(page.Body, -1) {
			shown = append(shown, m[1])
		}
		f := form.FindStringSubmatch(page.Body)
		if f == nil {
			t.Fatalf("%s: no ZIP form", list)
		}
		q := url.Values{"format": {"pdf"}}
		for _, h := range hidden.FindAllStringSubmatch(f[2], -1) {
			q.Add(h[1], html.UnescapeString(h[2]))
		}
		got := b.Get(html.UnescapeString(f[1]) + "?" + q.Encode())
		if got.Status != 200 {
			t.Fatalf("%s: the ZIP answered %d %s", list, got.Status, got.Body)
		}
		zr, err := zip.NewReader(strings.NewReader(got.Body), int64(len(got.Body)))
		if err != nil {
			t.Fatalf("%s: not a ZIP: %v", list, err)
		}
		var inZIP []string
		for _, file := range zr.File {
			inZIP = append(inZIP, file.Name)
		}
		if len(inZIP) != len(shown) {
			t.Errorf("%s: the list shows %v, the ZIP holds %v", list, shown, inZIP)
		}
		for _, number := range shown {
			if !strings.Contains(strings.Join(inZIP, " "), number+".pdf") {
				t.Errorf("%s: %s is listed but not in the ZIP %v", list, number, inZIP)
			}
		}
	}
}
