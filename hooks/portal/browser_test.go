package portal_test

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/browsertest"
	"facturo/ui"
)

// TestPortalInARealBrowser drives Debian's Chromium, headless, through what
// a contact does: sign in on a phone, see the charts drawn, search an
// invoice by a line's words, open it, download its PDF, reject it with a
// reason, and export the list as XLSX; then the same first screen on a
// desktop. Screenshots of both are written to PORTAL_SCREENSHOTS, or a
// temporary folder that the log names.
func TestPortalInARealBrowser(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	br := browsertest.Start(t, "PORTAL_SCREENSHOTS")
	eval, waitFor, shot, must := br.Eval, br.WaitFor, br.Shot, br.Do
	noSideScroll, chartDrawn := browsertest.NoSideScroll, browsertest.ChartDrawn("chartMonthly")

	// On a phone.
	must(
		chromedp.EmulateViewport(375, 667),
		chromedp.Navigate(base+"/portal/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ana@alfa.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "contact-password-1"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#chartMonthly")),
	)
	if got := eval(chartDrawn); got != "drawn" {
		t.Errorf("the monthly chart: %s", got)
	}
	if eval(noSideScroll) != "true" {
		t.Error("the first screen scrolls sideways at 375 px")
	}
	if got := eval(chartNumbers); !strings.Contains(got, "Pagado: 21,00 € | Pendiente: 100,00 €") {
		t.Errorf("the Spanish chart writes numbers as %q", got)
	}
	if got := eval(browsertest.ChartDrawn("chartAgeing")); got != "drawn" {
		t.Errorf("the ageing chart on a phone: %s", got)
	}
	shot("portal-phone.png")

	must(
		chromedp.Navigate(base+"/portal/invoices"),
		chromedp.SendKeys(chromedp.CSS("#q"), "Consultoría"),
		chromedp.Submit(chromedp.CSS("#q")),
	)
	// The list page before the search has a table too: wait for the page
	// the search loads, or the click below may land on a node just gone.
	waitFor(`location.search.includes("q=") && document.readyState === "complete" && document.querySelector("table a") !== null`)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if got := eval(`document.querySelector('table a').textContent`); got != a.GetString("number") {
		t.Errorf("searching by a line's words found %q, want %s", got, a.GetString("number"))
	}
	if eval(noSideScroll) != "true" {
		t.Errorf("the list scrolls sideways at 375 px (%s px wide)", eval(`String(document.documentElement.scrollWidth)`))
	}
	must(
		chromedp.Click(chromedp.CSS("table a")),
		chromedp.WaitVisible(chromedp.CSS("#action")),
	)
	if got := eval(`fetch(document.querySelector('a[download]').href).then(r => r.status + " " + r.headers.get("content-type"))`); got != "200 application/pdf" {
		t.Errorf("downloading the PDF: %s", got)
	}
	// A rejection without its reason comes back as a rejection, with what
	// was typed and the problem in the contact's language: never one click
	// from an acceptance.
	contact, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	must(
		chromedp.SetValue(chromedp.CSS("#action"), "reject"),
		chromedp.SendKeys(chromedp.CSS("#note"), "Falta el pedido"),
		chromedp.Submit(chromedp.CSS("#note")),
		chromedp.WaitVisible(chromedp.CSS(".error")),
	)
	if got, want := eval(`document.querySelector('.error').textContent`), ui.T(contact.GetString("language"), "portal.respond.err.reason"); got != want {
		t.Errorf("a rejection without its reason says %q, want %q", got, want)
	}
	if got := eval(`document.querySelector('#action').value + "|" + document.querySelector('#note').value`); got != "reject|Falta el pedido" {
		t.Errorf("the refused form came back as %q, want the rejection and its note", got)
	}
	must(
		chromedp.SetValue(chromedp.CSS("#reason"), "PRI"),
		chromedp.SetValue(chromedp.CSS("#correction"), "CNP"),
		chromedp.SetValue(chromedp.CSS("#note"), "No es el precio acordado"),
		chromedp.Submit(chromedp.CSS("#note")),
		chromedp.WaitVisible(chromedp.CSS(".ok")),
	)
	// What staff see: the invoice record itself.
	a, _ = app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if a.GetString("response") != "rejected" || a.GetString("response_reason") != "PRI" || a.GetString("response_by") != apptest.ContactA {
		t.Errorf("the rejection did not reach the invoice: %s %s %s", a.GetString("response"), a.GetString("response_reason"), a.GetString("response_by"))
	}

	xlsx := eval(`fetch("/portal/exports/invoices.xlsx").then(r => r.arrayBuffer()).then(b => {
		let s = ""; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); return btoa(s);
	})`)
	raw, err := base64.StdEncoding.DecodeString(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue(f.GetSheetName(0), "A2"); v != a.GetString("number") {
		t.Errorf("the exported workbook's first invoice is %q", v)
	}
	f.Close()

	// An overdue invoice is marked late, with its days, on a phone too; the
	// list of overdue invoices exports exactly its rows.
	late := issueDue(t, app, -12, "", false)
	must(
		chromedp.Navigate(base+"/portal/invoices"),
		chromedp.SetValue(chromedp.CSS("#state"), "overdue"),
		chromedp.Submit(chromedp.CSS("#q")),
	)
	waitFor(`location.search.includes("state=overdue") && document.readyState === "complete"`)
	mark := eval(`(() => {
		const pill = [...document.querySelectorAll('tr')].find(tr => tr.textContent.includes(` + strconv.Quote(late.GetString("number")) + `))?.querySelector('.phone-only .pill.late');
		return pill && pill.offsetParent !== null ? pill.textContent : "not shown";
	})()`)
	if want := ui.Late(contact.GetString("language"), 12); mark != want {
		t.Errorf("on a phone the overdue invoice is marked %q, want %q", mark, want)
	}
	shot("portal-phone-overdue.png")
	rows := eval(`[...document.querySelectorAll('table tbody tr a')].map(a => a.textContent).sort().join(",")`)
	exported := eval(`fetch(document.querySelector('a[href*="invoices.csv"]').href).then(r => r.text()).then(text =>
		text.split("\n").map(l => (l.match(/^"?([A-Z]+-\d{4}-\d+)/) || [])[1]).filter(Boolean).sort().join(","))`)
	if rows == "" || rows != exported {
		t.Errorf("the overdue list shows %q and its CSV holds %q", rows, exported)
	}

	// On a desktop.
	must(
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/portal/"),
		chromedp.WaitVisible(chromedp.CSS("#chartAgeing")),
	)
	if got := eval(chartDrawn); got != "drawn" {
		t.Errorf("the monthly chart on a desktop: %s", got)
	}
	shot("portal-desktop.png")

	// An English reader's chart writes numbers the English way.
	contact, _ = app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	contact.Set("language", "en")
	if err := app.Save(contact); err != nil {
		t.Fatal(err)
	}
	must(
		chromedp.Navigate(base+"/portal/"),
		chromedp.WaitVisible(chromedp.CSS("#chartMonthly")),
	)
	if got := eval(chartNumbers); !strings.Contains(got, "Paid: €21.00 | Outstanding: €100.00") {
		t.Errorf("the English chart writes numbers as %q", got)
	}
}

// chartNumbers is how the monthly chart's tooltips write what its bars
// hold, after the month they are in.
const chartNumbers = `[...document.querySelectorAll('#chartMonthly rect title')]
	.map(t => t.textContent.split(" · ")[1]).join(" | ")`
