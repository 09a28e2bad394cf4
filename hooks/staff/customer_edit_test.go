package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestCustomersAreCreatedAndEditedInTheWorkspace: a bad NIF comes back
// beside its field with nothing written; a good customer is created with
// its billing, reminder and e-invoice fields, and then edited; a customer
// asked for by the invoice editor goes back to it, chosen.
func TestCustomersAreCreatedAndEditedInTheWorkspace(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/customers/new")
	before, _ := app.CountRecords(invoicing.Customers)
	form := url.Values{"csrf": {csrf}, "name": {"Gamma Servicios S.L."}, "tax_id": {"B87654320"}, "country": {"ES"},
		"email": {"admin@gamma.example"}, "cc": {"conta@gamma.example"}, "language": {"es"}, "payment_terms_days": {"45"},
		"reminders": {"custom"}, "reminder_days": {"7, 30"}, "einvoice_format": {"ubl"}, "buyer_reference": {"GAM-01"},
		"address": {"Calle Luna 3"}, "city": {"Madrid"}, "postal_code": {"28004"}, "next": {"/app/invoices/new"}}
	p := b.Post("/app/customers/new?lang=es", form)
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "El NIF no es válido") || !strings.Contains(p.Body, `value="Gamma Servicios S.L."`) {
		t.Fatalf("a bad NIF: %d", p.Status)
	}
	if n, _ := app.CountRecords(invoicing.Customers); n != before {
		t.Fatal("a refused customer was written")
	}
	form.Set("tax_id", "b87654323")
	p = b.Post("/app/customers/new", form)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/app/invoices/new?customer=") {
		t.Fatalf("creating: %d %s %s", p.Status, p.Header.Get("Location"), p.Body)
	}
	id := strings.TrimPrefix(p.Header.Get("Location"), "/app/invoices/new?customer=")
	c, err := app.FindRecordById(invoicing.Customers, id)
	if err != nil || c.GetString("tax_id") != "B87654323" || c.GetInt("payment_terms_days") != 45 || c.GetString("reminders") != "custom" ||
		c.GetString("reminder_days") != "[7,30]" || c.GetString("einvoice_format") != "ubl" || c.GetString("cc") != "conta@gamma.example" {
		t.Fatalf("the customer: %v %v", err, c)
	}
	if editor := b.Get(p.Header.Get("Location")); !strings.Contains(editor.Body, `value="Gamma Servicios S.L."`) {
		t.Error("the invoice editor does not have the new customer chosen")
	}

	edit := url.Values{}
	for k, v := range form {
		edit[k] = v
	}
	edit.Set("name", "Gamma Servicios Integrales S.L.")
	edit.Set("reminders", "off")
	edit.Del("next")
	p = b.Post("/app/customers/"+id+"/edit", edit)
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/app/customers/"+id+"?done=saved" {
		t.Fatalf("editing: %d %s", p.Status, p.Body)
	}
	c, _ = app.FindRecordById(invoicing.Customers, id)
	if c.GetString("name") != "Gamma Servicios Integrales S.L." || c.GetString("reminders") != "off" {
		t.Errorf("after the edit: %s, %s", c.GetString("name"), c.GetString("reminders"))
	}
	if page := b.Get("/app/customers/" + id + "/edit?lang=en"); !strings.Contains(page.Body, `value="7, 30"`) && c.GetString("reminders") == "custom" {
		t.Error("the edit form lost the reminder days")
	}
}

// TestACustomerWithIssuedInvoicesIsArchivedNotDeleted: deleting it is
// refused, saying why; archived, it leaves the list; one never invoiced
// is deleted with its drafts and contacts.
func TestACustomerWithIssuedInvoicesIsArchivedNotDeleted(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/")
	p := b.Post("/app/customers/"+apptest.CustomerA+"/delete?lang=en", url.Values{"csrf": {csrf}})
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "it has 1 issued invoices, which the law keeps") {
		t.Fatalf("deleting an invoiced customer: %d", p.Status)
	}
	if _, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA); err != nil {
		t.Fatal("the invoiced customer is gone")
	}
	if p := b.Post("/app/customers/"+apptest.CustomerA+"/archive", url.Values{"csrf": {csrf}}); p.Status != http.StatusSeeOther {
		t.Fatalf("archiving: %d", p.Status)
	}
	if list := b.Get("/app/customers").Body; strings.Contains(list, "Alfa Comercial") {
		t.Error("the archived customer is still listed")
	}
	if list := b.Get("/app/customers?archived=1").Body; !strings.Contains(list, "Alfa Comercial") {
		t.Error("the archived customer is not among the archived")
	}

	form := url.Values{"csrf": {csrf}, "name": {"Delta Nueva S.L."}, "country": {"ES"}, "language": {"es"}}
	p = b.Post("/app/customers/new", form)
	id := strings.TrimSuffix(strings.TrimPrefix(p.Header.Get("Location"), "/app/customers/"), "?done=saved")
	save := editorForm(csrf, id, []string{"Consultoría", "1", "100", "", "21"})
	save.Set("action", "save")
	if p := b.Post("/app/invoices/new", save); p.Status != http.StatusSeeOther {
		t.Fatalf("a draft for the new customer: %d", p.Status)
	}
	if p := b.Post("/app/customers/"+id+"/invite", url.Values{"csrf": {csrf}, "email": {"ana@delta.example"}, "role": {"approver"}, "language": {"es"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("inviting: %d", p.Status)
	}
	if p := b.Post("/app/customers/"+id+"/delete", url.Values{"csrf": {csrf}}); p.Status != http.StatusSeeOther {
		t.Fatalf("deleting a customer never invoiced: %d %s", p.Status, p.Body)
	}
	if n, _ := app.CountRecords(invoicing.Invoices); n != 4 {
		t.Errorf("%d invoices left; its draft should be gone with it", n)
	}
	if _, err := app.FindAuthRecordByEmail(invoicing.Contacts, "ana@delta.example"); err == nil {
		t.Error("its contact is still there")
	}
}

// TestADisabledContactCannotSignIn: disabled from the customer's page, a
// contact's open portal session ends, the portal and REST refuse its
// password, and enabled again it signs in.
func TestADisabledContactCannotSignIn(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	portal := apptest.NewBrowser(t, base)
	portal.SignIn("/portal/login", "ana@alfa.example", "contact-password-1", "/portal/")

	disable := b.Post("/app/customers/"+apptest.CustomerA+"/contacts/"+apptest.ContactA+"/disable", url.Values{"csrf": {b.CSRF("/app/")}})
	if disable.Status != http.StatusSeeOther {
		t.Fatalf("disabling: %d %s", disable.Status, disable.Body)
	}
	if p := portal.Get("/portal/"); p.Status != http.StatusSeeOther {
		t.Errorf("the disabled contact's open session: %d", p.Status)
	}
	again := apptest.NewBrowser(t, base)
	if p := again.Post("/portal/login", url.Values{"csrf": {again.CSRF("/portal/login")}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}}); p.Status != http.StatusUnauthorized {
		t.Errorf("the disabled contact signing in: %d", p.Status)
	}
	rest := apptest.Call(t, "POST", base+"/api/collections/contacts/auth-with-password", "", `{"identity":"ana@alfa.example","password":"contact-password-1"}`)
	if rest.Status < 400 {
		t.Errorf("the disabled contact's REST sign-in: %d", rest.Status)
	}

	if p := b.Post("/app/customers/"+apptest.CustomerA+"/contacts/"+apptest.ContactA+"/enable", url.Values{"csrf": {b.CSRF("/app/")}}); p.Status != http.StatusSeeOther {
		t.Fatalf("enabling: %d", p.Status)
	}
	again.SignIn("/portal/login", "ana@alfa.example", "contact-password-1", "/portal/")

	// Edited from the customer's page: role and language.
	edit := b.Post("/app/customers/"+apptest.CustomerA+"/contacts/"+apptest.ViewerA+"/save", url.Values{"csrf": {b.CSRF("/app/")},
		"email": {"victor@alfa.example"}, "name": {"Víctor Alfa"}, "role": {"approver"}, "language": {"en"}})
	if edit.Status != http.StatusSeeOther {
		t.Fatalf("editing a contact: %d %s", edit.Status, edit.Body)
	}
	v, _ := app.FindRecordById(invoicing.Contacts, apptest.ViewerA)
	if v.GetString("role") != "approver" || v.GetString("language") != "en" || v.GetString("name") != "Víctor Alfa" {
		t.Errorf("the edited contact: %v", v)
	}
	// Another customer's contact is not reached through this customer.
	if p := b.Post("/app/customers/"+apptest.CustomerA+"/contacts/"+apptest.ContactB+"/disable", url.Values{"csrf": {b.CSRF("/app/")}}); p.Status != http.StatusNotFound {
		t.Errorf("customer B's contact through customer A: %d", p.Status)
	}
}
