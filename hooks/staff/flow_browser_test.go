package staff_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/products"
	"facturo/internal/apptest"
	"facturo/internal/browsertest"
)

// TestNewInvoiceInARealBrowser drives Chromium, headless, through a
// clerk's everyday work: sign in, create a customer, write a three-line
// invoice whose first line is filled from a product, watch the server's
// totals as the lines are typed, preview the draft's PDF, issue and send
// it, and find it in the customer's portal; then write one on a phone,
// which must not scroll sideways. Screenshots go to STAFF_SCREENSHOTS
// (docs/ holds the ones the README shows).
func TestNewInvoiceInARealBrowser(t *testing.T) {
	app := apptest.New(t)
	col, _ := app.FindCollectionByNameOrId(products.Collection)
	product := core.NewRecord(col)
	product.Load(map[string]any{"name": "Camiseta estampada", "code": "CAM-1", "unit_price": 12.5, "vat": 21, "active": true})
	if err := app.Save(product); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, app)
	br := browsertest.Start(t, "STAFF_SCREENSHOTS")
	eval, waitFor, shot := br.Eval, br.WaitFor, br.Shot
	ready := `document.readyState === "complete"`

	br.Do(
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/app/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), apptest.StaffEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), staffPassword),
		chromedp.Submit(chromedp.CSS("#password")),
	)
	waitFor(`location.pathname === "/app/" && ` + ready)

	// A new customer.
	br.Do(chromedp.Navigate(base+"/app/customers/new?lang=es"), chromedp.WaitVisible(chromedp.CSS("#name")))
	for id, v := range map[string]string{"name": "Gamma Estudio S.L.", "tax_id": "12345678Z", "address": "Calle Luna 3", "postal_code": "28004",
		"city": "Madrid", "province": "Madrid", "email": "pagos@gamma.example"} {
		br.Do(chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
	br.Do(chromedp.Submit(chromedp.CSS("#name")))
	waitFor(`/^\/app\/customers\/[a-z0-9]{15}$/.test(location.pathname) && ` + ready)
	customerID := strings.TrimPrefix(eval(`location.pathname`), "/app/customers/")
	customer, err := app.FindRecordById(invoicing.Customers, customerID)
	if err != nil || customer.GetString("name") != "Gamma Estudio S.L." {
		t.Fatalf("the customer made in the browser: %v", err)
	}

	// The invoice: a product picked from the suggestions, two lines typed.
	br.Do(chromedp.Navigate(base+"/app/invoices/new?lang=es&customer="+customerID), chromedp.WaitVisible(chromedp.CSS("#lines")))
	waitFor(`document.querySelectorAll("#lines li").length >= 3`)
	line := func(n int, field string) string {
		return `#lines li:nth-child(` + string(rune('0'+n)) + `) [name="line.` + field + `"]`
	}
	br.Do(chromedp.SendKeys(chromedp.CSS(line(1, "description")), "Camis"))
	waitFor(`document.querySelector("#lines li:nth-child(1) .options li") !== null`)
	eval(`document.querySelector("#lines li:nth-child(1) .options li").dispatchEvent(new MouseEvent("mousedown", {bubbles: true})), ""`)
	waitFor(`document.querySelector('` + line(1, "unit_price") + `').value !== ""`)
	eval(`(q => { q.value = "2"; q.dispatchEvent(new Event("input", {bubbles: true})); return "" })(document.querySelector('` + line(1, "quantity") + `'))`)
	for n, l := range [][2]string{{"Instalación", "100"}, {"Transporte", "30"}} {
		br.Do(
			chromedp.SendKeys(chromedp.CSS(line(n+2, "description")), l[0]),
			chromedp.SendKeys(chromedp.CSS(line(n+2, "quantity")), "1"),
			chromedp.SendKeys(chromedp.CSS(line(n+2, "unit_price")), l[1]),
		)
	}
	waitFor(`document.querySelector("#t-total").textContent.replace(/\s/g, " ") === "187,55 €"`)
	if got := eval(`document.querySelector("#lines li:nth-child(1) .line-amount").textContent`); !strings.Contains(got, "25,00") {
		t.Errorf("the product's line shows %q", got)
	}
	shot("editor-desktop.png")

	// The preview is the form as posted, drawn as a PDF.
	if got := eval(`fetch("/app/invoices/preview", {method: "POST", body: new FormData(document.getElementById("editor"))}).then(r => r.headers.get("Content-Type") + " " + r.status)`); got != "application/pdf 200" {
		t.Errorf("the preview answered %q", got)
	}

	// Issue and send, confirmed.
	eval(`window.confirm = () => true, ""`)
	br.Do(chromedp.Click(chromedp.CSS(`button[value="issue_send"]`)))
	waitFor(`location.search.includes("done=issue_send") && ` + ready)
	number := strings.TrimSpace(eval(`document.querySelector("h1").textContent`))
	inv, err := app.FindFirstRecordByFilter(invoicing.Invoices, "customer = {:c}", map[string]any{"c": customerID})
	if err != nil || inv.GetString("number") == "" || !strings.Contains(number, inv.GetString("number")) || inv.GetFloat("total") != 187.55 {
		t.Fatalf("the invoice issued: %v (page says %q)", err, number)
	}
	if inv.GetString("delivery") == "not_sent" || inv.GetString("delivery") == "" {
		t.Errorf("the invoice was not queued to be sent: %q", inv.GetString("delivery"))
	}
	shot("invoice-issued-desktop.png")

	// The customer's approver sees it in the portal.
	contacts, _ := app.FindCollectionByNameOrId(invoicing.Contacts)
	contact := core.NewRecord(contacts)
	contact.Load(map[string]any{"customer": customerID, "role": "approver", "name": "Gema", "email": "gema@gamma.example", "password": "contact-password-1"})
	if err := app.Save(contact); err != nil {
		t.Fatal(err)
	}
	br.Do(
		chromedp.Navigate(base+"/portal/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "gema@gamma.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "contact-password-1"),
		chromedp.Submit(chromedp.CSS("#password")),
	)
	waitFor(`location.pathname === "/portal/" && ` + ready)
	br.Do(chromedp.Navigate(base + "/portal/invoices"))
	waitFor(ready)
	if got := eval(`document.body.innerText`); !strings.Contains(got, inv.GetString("number")) {
		t.Errorf("the portal does not list %s", inv.GetString("number"))
	}

	// On a phone: the editor with a line typed, without sideways scrolling.
	br.Do(chromedp.EmulateViewport(375, 740), chromedp.Navigate(base+"/app/invoices/new?lang=es&customer="+customerID))
	waitFor(ready + ` && document.querySelectorAll("#lines li").length >= 3`)
	br.Do(
		chromedp.SendKeys(chromedp.CSS(line(1, "description")), "Mantenimiento"),
		chromedp.SendKeys(chromedp.CSS(line(1, "quantity")), "3"),
		chromedp.SendKeys(chromedp.CSS(line(1, "unit_price")), "40"),
	)
	waitFor(`document.querySelector("#t-total").textContent.replace(/\s/g, " ") === "145,20 €"`)
	if eval(browsertest.NoSideScroll) != "true" {
		t.Errorf("the editor scrolls sideways at 375 px (%s px wide)", eval(`String(document.documentElement.scrollWidth)`))
	}
	shot("editor-phone.png")
	for _, path := range []string{"/app/customers/new", "/app/products", "/app/recurring/new", "/app/quotes", "/app/settings", "/app/invoices/" + inv.Id} {
		br.Do(chromedp.Navigate(base + path + "?lang=es"))
		waitFor(ready)
		if eval(browsertest.NoSideScroll) != "true" {
			t.Errorf("%s scrolls sideways at 375 px (%s px wide)", path, eval(`String(document.documentElement.scrollWidth)`))
		}
	}
}
