package einvoice_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestDownloadsAreLimitedAndLogged: staff and the customer's contact get
// each format, logged as downloaded with the format; another customer's
// contact gets 404, nobody signed in 403, a draft nothing.
func TestDownloadsAreLimitedAndLogged(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	customer, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	customer.Load(map[string]any{"address": "Calle Mayor 2", "city": "Burgos", "postal_code": "09001", "province": "Burgos"})
	if err := app.Save(customer); err != nil {
		t.Fatal(err)
	}
	inv := issue(t, app, newDraft(t, app, customer, `[{"description":"Servicio","quantity":1,"unit_price":"100","vat":21}]`, nil))
	for _, format := range []string{"ubl", "cii", "facturae"} {
		url := base + "/api/invoices/" + inv.Id + "/" + format + ".xml"
		res := apptest.Call(t, http.MethodGet, url, apptest.Tokens.ContactA, "")
		if res.Status != http.StatusOK || !strings.HasPrefix(string(res.Body), "<?xml") || !strings.Contains(res.Header.Get("Content-Disposition"), "."+format+".xml") {
			t.Fatalf("%s for the customer's contact: %d %s", format, res.Status, res.Body)
		}
		ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'downloaded' && data.format = {:f}",
			map[string]any{"id": inv.Id, "f": format})
		if err != nil || ev.GetString("actor") != apptest.ContactA {
			t.Errorf("%s download not logged as the contact's: %v", format, err)
		}
		if res := apptest.Call(t, http.MethodGet, url, apptest.Tokens.Staff, ""); res.Status != http.StatusOK {
			t.Errorf("%s for staff: %d", format, res.Status)
		}
		if res := apptest.Call(t, http.MethodGet, url, apptest.Tokens.ContactB, ""); res.Status != http.StatusNotFound {
			t.Errorf("%s for another customer's contact: %d, want 404", format, res.Status)
		}
		if res := apptest.Call(t, http.MethodGet, url, "", ""); res.Status != http.StatusForbidden {
			t.Errorf("%s signed out: %d, want 403", format, res.Status)
		}
		draft := base + "/api/invoices/" + apptest.DraftA + "/" + format + ".xml"
		if res := apptest.Call(t, http.MethodGet, draft, apptest.Tokens.ContactA, ""); res.Status != http.StatusNotFound {
			t.Errorf("%s of a draft for the contact: %d, want 404", format, res.Status)
		}
		if res := apptest.Call(t, http.MethodGet, draft, apptest.Tokens.Staff, ""); res.Status != http.StatusBadRequest {
			t.Errorf("%s of a draft for staff: %d, want 400", format, res.Status)
		}
	}
}

// TestIssuingSaysWhatTheCustomersFormatLacks: a customer who wants UBL has
// no address; the draft's check lists it, issuing is refused naming the
// field and the draft stays a draft; with the address it issues.
func TestIssuingSaysWhatTheCustomersFormatLacks(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	customer := newCustomer(t, app, map[string]any{"name": "Sin Dirección S.L.", "tax_id": "A28391043", "country": "ES", "einvoice_format": "ubl"})
	draft := newDraft(t, app, customer, `[{"description":"Servicio","quantity":1,"unit_price":"100","vat":21}]`, nil)

	res := apptest.Call(t, http.MethodGet, base+"/api/invoices/"+draft.Id+"/einvoice-check", apptest.Tokens.Staff, "")
	var check struct {
		Format  string            `json:"format"`
		Ready   bool              `json:"ready"`
		Missing map[string]string `json:"missing"`
	}
	if err := json.Unmarshal(res.Body, &check); err != nil || res.Status != http.StatusOK {
		t.Fatalf("check: %d %s", res.Status, res.Body)
	}
	if check.Format != "ubl" || check.Ready || check.Missing["customer.address"] == "" || check.Missing["customer.city"] == "" {
		t.Errorf("the check: %+v", check)
	}
	if res := apptest.Call(t, http.MethodGet, base+"/api/invoices/"+draft.Id+"/einvoice-check", apptest.Tokens.ContactA, ""); res.Status == http.StatusOK {
		t.Error("a contact ran the staff's check")
	}

	res = apptest.Call(t, http.MethodPost, base+"/api/invoices/"+draft.Id+"/issue", apptest.Tokens.Staff, "")
	if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "customer.address") {
		t.Fatalf("issuing without the buyer's address: %d %s", res.Status, res.Body)
	}
	if again, _ := app.FindRecordById(invoicing.Invoices, draft.Id); again.GetString("status") != invoicing.StatusDraft || again.GetString("number") != "" {
		t.Error("the refused issue left the invoice issued or numbered")
	}

	customer.Set("address", "Calle Mayor 2")
	customer.Set("city", "Burgos")
	if err := app.Save(customer); err != nil {
		t.Fatal(err)
	}
	if res := apptest.Call(t, http.MethodPost, base+"/api/invoices/"+draft.Id+"/issue", apptest.Tokens.Staff, ""); res.Status != http.StatusOK {
		t.Fatalf("issuing with the address: %d %s", res.Status, res.Body)
	}
}

// TestDIR3CodesAreCheckedForShape refuses a code that is not DIR3's.
func TestDIR3CodesAreCheckedForShape(t *testing.T) {
	app := apptest.New(t)
	c, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	c.Set("dir3_unidad_tramitadora", "l0128-079")
	if err := app.Save(c); err == nil || !strings.Contains(err.Error(), "dir3_unidad_tramitadora") {
		t.Errorf("a malformed DIR3 code was saved: %v", err)
	}
	c.Set("dir3_unidad_tramitadora", "L01280796")
	if err := app.Save(c); err != nil {
		t.Errorf("a DIR3 code was refused: %v", err)
	}
}
