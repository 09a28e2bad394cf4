package staff_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"facturo/apptest"
	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/internal/toolcheck"
)

// TestWorkspaceInARealBrowser drives Debian's Chromium, headless, through
// the workspace over the demo's two years of invoices: staff sign in, see
// the overview's charts drawn on a desktop and on a phone, open a list of
// what needs action and an invoice from it, and import a file through the
// upload page. Screenshots are written to
// STAFF_SCREENSHOTS, or a temporary folder the log names.
func TestWorkspaceInARealBrowser(t *testing.T) {
	chromium := toolcheck.Require(t, "chromium", "chromium")
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if _, err := demo.Seed(app); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, app)
	shots := os.Getenv("STAFF_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		must(err)
		return v
	}
	waitFor := func(js string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("still not true after 15 s (last error %v): %s", err, js)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(err)
		must(os.WriteFile(filepath.Join(shots, name), png, 0o644))
	}
	drawn := func(id string) string {
		return `(() => {
			const c = document.querySelector('#` + id + ` canvas');
			if (!c || !c.width) return "no canvas";
			const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return "drawn";
			return "empty";
		})()`
	}
	noSideScroll := `String(document.documentElement.scrollWidth <= window.innerWidth)`

	must(chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/app/"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), demo.StaffEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.StaffPassword),
		chromedp.Submit(chromedp.CSS("#password")),
	))
	waitFor(`location.pathname === "/app/" && document.readyState === "complete" && document.querySelector("#chartFunnel canvas") !== null`)
	time.Sleep(700 * time.Millisecond) // the charts' entry animation
	for _, id := range []string{"chartMonthly", "chartAgeing", "chartFunnel"} {
		if got := eval(drawn(id)); got != "drawn" {
			t.Errorf("%s on a desktop: %s", id, got)
		}
	}
	shot("workspace-desktop.png")

	must(chromedp.Do(ctx, chromedp.EmulateViewport(375, 740), chromedp.Reload()))
	waitFor(`document.readyState === "complete" && document.querySelector("#chartFunnel canvas") !== null`)
	time.Sleep(700 * time.Millisecond)
	if got := eval(drawn("chartMonthly")); got != "drawn" {
		t.Errorf("the monthly chart on a phone: %s", got)
	}
	if eval(noSideScroll) != "true" {
		t.Errorf("the overview scrolls sideways at 375 px (%s px wide)", eval(`String(document.documentElement.scrollWidth)`))
	}
	shot("workspace-phone.png")

	// From the overdue card to its list, and to the first invoice in it.
	must(chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.CSS(`a[href="/app/invoices?state=overdue"]`))))
	waitFor(`location.search === "?state=overdue" && document.readyState === "complete" && document.querySelector("table tbody a") !== null`)
	number := eval(`document.querySelector("table tbody a").textContent`)
	must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS("table tbody a"))))
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
		must(chromedp.Do(ctx,
			chromedp.Navigate(base+"/app/import"),
			chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
		))
		if !dryRun {
			eval(`document.querySelector('input[name="dry_run"]').checked = false, ""`)
		}
		must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#start"))))
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
	t.Logf("screenshots in %s", shots)
}
