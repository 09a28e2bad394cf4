package staff_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/browsertest"
)

// TestWorkspaceInARealBrowser drives Debian's Chromium, headless, through
// the workspace over the demo's two years of invoices: staff sign in, see
// the overview's charts drawn on a desktop and on a phone, open a list of
// what needs action and an invoice from it, and import a file through the
// upload page. Screenshots are written to
// STAFF_SCREENSHOTS, or a temporary folder the log names.
func TestWorkspaceInARealBrowser(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if _, err := demo.Seed(app); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, app)
	br := browsertest.Start(t, "STAFF_SCREENSHOTS")
	eval, waitFor, shot := br.Eval, br.WaitFor, br.Shot
	drawn, noSideScroll := browsertest.ChartDrawn, browsertest.NoSideScroll
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	br.Do(
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/app/"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), demo.StaffEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword),
		chromedp.Submit(chromedp.CSS("#password")),
	)
	// The charts are in the page as it arrives: no script draws them later.
	waitFor(`location.pathname === "/app/" && document.readyState === "complete"`)
	for _, id := range []string{"chartMonthly", "chartAgeing", "chartFunnel"} {
		if got := eval(drawn(id)); got != "drawn" {
			t.Errorf("%s on a desktop: %s", id, got)
		}
	}
	shot("workspace-desktop.png")

	br.Do(chromedp.EmulateViewport(375, 740), chromedp.Reload())
	waitFor(`document.readyState === "complete"`)
	for _, id := range []string{"chartMonthly", "chartAgeing", "chartFunnel"} {
		eval(`document.getElementById("` + id + `").scrollIntoView(), ""`)
		if got := eval(drawn(id)); got != "drawn" {
			t.Errorf("%s on a phone: %s", id, got)
		}
	}
	// A phone names only some of the months, each apart from the next.
	if got := eval(`(() => {
		const names = [...document.querySelectorAll('#chartMonthly .names b')].filter(b => b.offsetParent !== null).map(b => b.getBoundingClientRect());
		for (let i = 1; i < names.length; i++) if (names[i].left < names[i-1].right) return "overlap";
		return String(names.length);
	})()`); got == "overlap" || got == "0" {
		t.Errorf("the months named under the chart on a phone: %s", got)
	}
	eval(`window.scrollTo(0, 0), ""`)
	if eval(noSideScroll) != "true" {
		t.Errorf("the overview scrolls sideways at 375 px (%s px wide)", eval(`String(document.documentElement.scrollWidth)`))
	}
	shot("workspace-phone.png")

	// From the overdue card to its list, and to the first invoice in it.
	br.Do(chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.CSS(`a[href="/app/invoices?state=overdue"]`)))
	waitFor(`location.search === "?state=overdue" && document.readyState === "complete" && document.querySelector("table tbody a") !== null`)
	// Every row of the overdue list is marked late, on a phone too, and its
	// CSV holds exactly the rows on screen.
	br.Do(chromedp.EmulateViewport(375, 740))
	if got := eval(`String([...document.querySelectorAll("table tbody tr")].filter(tr => { const p = tr.querySelector(".pill.late"); return !p || p.offsetParent === null; }).length)`); got != "0" {
		t.Errorf("%s rows of the overdue list are not marked late on a phone", got)
	}
	shot("workspace-overdue-phone.png")
	listed := eval(`[...document.querySelectorAll("table tbody tr td:first-child > a")].map(a => a.textContent).sort().join(",")`)
	exported := eval(`fetch(document.querySelector('a[href*="invoices.csv"]').href).then(r => r.text()).then(text =>
		text.split("\n").map(l => (l.match(/^"?([A-Z]+-\d{4}-\d+)/) || [])[1]).filter(Boolean).sort().join(","))`)
	if listed == "" || listed != exported {
		t.Errorf("the overdue list shows %q and its CSV holds %q", listed, exported)
	}
	number := eval(`document.querySelector("table tbody a").textContent`)
	br.Do(chromedp.Click(chromedp.CSS("table tbody a")))
	waitFor(`location.pathname.startsWith("/app/invoices/") && document.readyState === "complete" && document.querySelector("#timeline") !== null`)
	if got := eval(`document.querySelector("h1").textContent`); got != number {
		t.Errorf("the invoice page shows %q, the list linked %q", got, number)
	}
	shot("workspace-invoice.png")

	// An import through the upload page: a file with a bad NIF is refused
	// with its row and column, and nothing is written; the corrected file
	// is imported.
	header := "external_id,customer_tax_id,customer_name,customer_email,series,issue_date,due_date,line_description,quantity,unit_price,discount,vat,surcharge,withholding,notes\n"
	rows := "ERP-77,%s,Nueva Cliente S.L.,pagos@nueva.example,,2026-11-20,2026-12-20,Diseño del catálogo,1,500,,21,,,\n" +
		"ERP-77,%s,Nueva Cliente S.L.,pagos@nueva.example,,2026-11-20,2026-12-20,Impresión,200,\"1,25\",,21,,,\n"
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "erp-bad.csv"), filepath.Join(dir, "erp.csv")
	must(os.WriteFile(bad, []byte(header+fmt.Sprintf(rows, "B87654320", "B87654320")), 0o644))
	must(os.WriteFile(good, []byte(header+fmt.Sprintf(rows, "B87654323", "B87654323")), 0o644))
	upload := func(file string, dryRun bool) {
		t.Helper()
		br.Do(
			chromedp.Navigate(base+"/app/import"),
			chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
		)
		if !dryRun {
			eval(`document.querySelector('input[name="dry_run"]').checked = false, ""`)
		}
		br.Do(chromedp.Click(chromedp.CSS("#start")))
		waitFor(`!document.querySelector("#result").hidden`)
	}
	upload(bad, false)
	if got := eval(`document.querySelector("#error-rows").innerText`); !strings.Contains(got, "2\tcustomer_tax_id") {
		t.Errorf("the errors shown: %q", got)
	}
	shot("workspace-import-errors.png")
	if n, _ := app.CountRecords(invoicing.Invoices, dbx.HashExp{"external_id": "ERP-77"}); n != 0 {
		t.Fatalf("a refused import wrote %d invoices", n)
	}
	upload(good, false)
	if got := eval(`document.querySelector("#verdict").className + " " + document.querySelector("#figures").innerText`); !strings.HasPrefix(got, "ok") {
		t.Errorf("the import's result: %q", got)
	}
	shot("workspace-import.png")
	inv, err := app.FindFirstRecordByData(invoicing.Invoices, "external_id", "ERP-77")
	if err != nil || inv.GetFloat("total") != 907.5 {
		t.Errorf("the imported draft: %v (total %v)", err, inv)
	}
}
