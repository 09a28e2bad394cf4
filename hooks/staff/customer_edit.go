package staff

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/web"
	"facturo/ui"
)

// customerForm is a customer as its form shows it.
type customerForm struct {
	page
	ID, Next                                                string
	Name, TaxID, Email, Cc, Language                        string
	Address, City, PostalCode, Province, Country            string
	Terms, Reminders, ReminderDays, Notes                   string
	EInvoiceFormat, BuyerReference, DIR3Oficina, DIR3Organo string
	DIR3Unidad                                              string
	Errors                                                  map[string]string
	Error                                                   string
	Countries                                               []option
	Setup                                                   bool // shown as a step of the first run's setup
	SetupStep                                               int
}

// customerTextFields are the form's fields stored as they are typed.
var customerTextFields = map[string]func(f *customerForm) *string{
	"name": func(f *customerForm) *string { return &f.Name }, "tax_id": func(f *customerForm) *string { return &f.TaxID },
	"email": func(f *customerForm) *string { return &f.Email }, "cc": func(f *customerForm) *string { return &f.Cc },
	"language": func(f *customerForm) *string { return &f.Language }, "address": func(f *customerForm) *string { return &f.Address },
	"city": func(f *customerForm) *string { return &f.City }, "postal_code": func(f *customerForm) *string { return &f.PostalCode },
	"province": func(f *customerForm) *string { return &f.Province }, "country": func(f *customerForm) *string { return &f.Country },
	"notes": func(f *customerForm) *string { return &f.Notes }, "reminders": func(f *customerForm) *string { return &f.Reminders },
	"einvoice_format": func(f *customerForm) *string { return &f.EInvoiceFormat }, "buyer_reference": func(f *customerForm) *string { return &f.BuyerReference },
	"dir3_oficina_contable": func(f *customerForm) *string { return &f.DIR3Oficina }, "dir3_organo_gestor": func(f *customerForm) *string { return &f.DIR3Organo },
	"dir3_unidad_tramitadora": func(f *customerForm) *string { return &f.DIR3Unidad },
}

// euCountries are offered first in the country list; any ISO code may be
// typed.
var euCountries = []string{"ES", "PT", "FR", "DE", "IT", "NL", "BE", "IE", "AT", "LU", "GB", "US", "AD", "MX", "AR", "CO", "CL"}

func (f *customerForm) fill(lang string) {
	f.Countries = nil
	for _, c := range euCountries {
		f.Countries = append(f.Countries, option{Value: c, Label: c + " · " + ui.T(lang, "country."+c), Selected: c == f.Country})
	}
}

func customerFormOf(p page, c *core.Record) customerForm {
	f := customerForm{page: p, Errors: map[string]string{}}
	if c == nil {
		f.Country, f.Terms, f.Language, f.Reminders = "ES", "30", p.Lang, "default"
		return f
	}
	f.ID = c.Id
	for field, ptr := range customerTextFields {
		*ptr(&f) = c.GetString(field)
	}
	f.Terms = strconv.Itoa(c.GetInt("payment_terms_days"))
	var days []int
	if err := json.Unmarshal([]byte(c.GetString("reminder_days")), &days); err == nil {
		parts := make([]string, len(days))
		for i, d := range days {
			parts[i] = strconv.Itoa(d)
		}
		f.ReminderDays = strings.Join(parts, ", ")
	}
	if f.Reminders == "" {
		f.Reminders = "default"
	}
	return f
}

// safeNext is where a form sends the clerk once saved: a page of the
// workspace the link asked for, or "".
func safeNext(next string) string {
	if next == "" || site.Next(next) != next {
		return ""
	}
	return next
}

func handleCustomerNew(e *core.RequestEvent, p page) error {
	p = p.titled("app.customers.new", "customers")
	f := customerFormOf(p, nil)
	f.Next = safeNext(e.Request.URL.Query().Get("next"))
	f.fill(p.Lang)
	return render(e, http.StatusOK, "customer_edit.html", p, f)
}

func handleCustomerEdit(e *core.RequestEvent, p page) error {
	c, err := e.App.FindRecordById(invoicing.Customers, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	p = p.titled("app.customers.edit", "customers")
	f := customerFormOf(p, c)
	f.Next = safeNext(e.Request.URL.Query().Get("next"))
	f.fill(p.Lang)
	return render(e, http.StatusOK, "customer_edit.html", p, f)
}

// saveCustomerForm writes the posted form into c (a new record or a
// stored one) and saves it; the form comes back with its problems.
func saveCustomerForm(e *core.RequestEvent, p page, c *core.Record) (customerForm, error) {
	f := customerForm{page: p, ID: c.Id, Errors: map[string]string{}, Next: safeNext(e.Request.PostFormValue("next"))}
	for field, ptr := range customerTextFields {
		v := e.Request.PostFormValue(field)
		if field != "notes" {
			v = strings.TrimSpace(v)
		}
		if field == "country" || strings.HasPrefix(field, "dir3_") {
			v = strings.ToUpper(v)
		}
		*ptr(&f) = v
		c.Set(field, v)
	}
	if c.GetString("country") == "" {
		c.Set("country", "ES")
	}
	f.Terms = strings.TrimSpace(e.Request.PostFormValue("payment_terms_days"))
	f.ReminderDays = strings.TrimSpace(e.Request.PostFormValue("reminder_days"))
	f.fill(p.Lang)
	terms := 30
	if f.Terms != "" {
		n, err := strconv.Atoi(f.Terms)
		if err != nil {
			f.Errors["payment_terms_days"] = ui.T(p.Lang, "app.form.err.whole")
		}
		terms = n
	}
	c.Set("payment_terms_days", terms)
	days := []int{}
	for _, part := range strings.FieldsFunc(f.ReminderDays, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		n, err := strconv.Atoi(part)
		if err != nil {
			f.Errors["reminder_days"] = ui.T(p.Lang, "app.customers.err.reminder_days")
			break
		}
		days = append(days, n)
	}
	if f.Reminders == "custom" {
		raw, _ := json.Marshal(days)
		c.Set("reminder_days", string(raw))
	} else {
		c.Set("reminder_days", nil)
	}
	if len(f.Errors) > 0 {
		f.Error = ui.T(p.Lang, "app.form.fix")
		return f, errors.New("form")
	}
	if err := e.App.Save(c); err != nil {
		fields, whole := fieldProblems(p.Lang, err)
		for k, v := range fields {
			f.Errors[k] = v
		}
		f.Error = whole
		return f, err
	}
	f.ID = c.Id
	return f, nil
}

func handleCustomerCreate(e *core.RequestEvent, p page) error {
	p = p.titled("app.customers.new", "customers")
	col, err := e.App.FindCachedCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		return err
	}
	c := core.NewRecord(col)
	f, err := saveCustomerForm(e, p, c)
	if err != nil {
		return render(e, http.StatusBadRequest, "customer_edit.html", p, f)
	}
	return e.Redirect(http.StatusSeeOther, customerSaved(f.Next, c.Id))
}

// customerSaved is where a saved customer's form leads: back to the page
// that asked for a new customer (the invoice editor, the setup), with the
// customer chosen, or to the customer's page.
func customerSaved(next, id string) string {
	if next == "" {
		return "/app/customers/" + id + "?done=saved"
	}
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	return next + sep + "customer=" + id
}

func handleCustomerUpdate(e *core.RequestEvent, p page) error {
	c, err := e.App.FindRecordById(invoicing.Customers, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	p = p.titled("app.customers.edit", "customers")
	f, err := saveCustomerForm(e, p, c)
	if err != nil {
		return render(e, http.StatusBadRequest, "customer_edit.html", p, f)
	}
	return e.Redirect(http.StatusSeeOther, customerSaved(f.Next, c.Id))
}

// customerActions are what staff do to a customer as a record, from its
// page: archive it (it leaves the pickers), bring it back, or delete one
// never invoiced.
var customerActions = map[string]func(e *core.RequestEvent, p page, c *core.Record) error{
	"archive":   func(e *core.RequestEvent, p page, c *core.Record) error { return setArchived(e, p, c, true) },
	"unarchive": func(e *core.RequestEvent, p page, c *core.Record) error { return setArchived(e, p, c, false) },
	"delete": func(e *core.RequestEvent, p page, c *core.Record) error {
		err := invoicing.DeleteCustomer(e.App, c.Id)
		var invoiced *invoicing.CustomerInvoicedError
		switch {
		case errors.As(err, &invoiced):
			return renderCustomer(e, p, c, http.StatusBadRequest, "",
				strings.ReplaceAll(ui.T(p.Lang, "app.customers.err.invoiced"), "{n}", strconv.Itoa(invoiced.Issued)), contactRow{Role: "approver", Language: c.GetString("language")})
		case err != nil:
			return renderCustomer(e, p, c, http.StatusBadRequest, "", ui.T(p.Lang, "app.customers.err.in_use"), contactRow{Role: "approver", Language: c.GetString("language")})
		}
		return e.Redirect(http.StatusSeeOther, "/app/customers?done=deleted")
	},
}

func setArchived(e *core.RequestEvent, p page, c *core.Record, archived bool) error {
	c.Set("archived", archived)
	if err := e.App.Save(c); err != nil {
		return renderCustomer(e, p, c, http.StatusBadRequest, "", problemText(p.Lang, err), contactRow{Role: "approver", Language: c.GetString("language")})
	}
	done := "archived"
	if !archived {
		done = "unarchived"
	}
	return e.Redirect(http.StatusSeeOther, "/app/customers/"+c.Id+"?done="+done)
}

// handleContactAction changes one of a customer's people: their name,
// address, role and language; disables them (they can no longer sign in,
// and their open sessions end) or enables them again; or invites them
// again with a new link to choose a password.
func handleContactAction(e *core.RequestEvent, p page) error {
	c, err := e.App.FindRecordById(invoicing.Customers, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	contact, err := e.App.FindRecordById(invoicing.Contacts, e.Request.PathValue("contact"))
	if err != nil || contact.GetString("customer") != c.Id {
		return e.NotFoundError("", nil)
	}
	form := func(name string) string { return strings.TrimSpace(e.Request.PostFormValue(name)) }
	fail := func(err error) error {
		return renderCustomer(e, p, c, http.StatusBadRequest, "", problemText(p.Lang, err), contactRow{Role: "approver", Language: c.GetString("language")})
	}
	action := e.Request.PathValue("action")
	switch action {
	case "save":
		row := contactRow{Email: form("email"), Name: form("name"), Role: form("role"), Language: form("language")}
		if err := checkContact(row); err != nil {
			return fail(err)
		}
		contact.SetEmail(row.Email)
		contact.Set("name", row.Name)
		contact.Set("role", row.Role)
		contact.Set("language", row.Language)
		if err := e.App.Save(contact); err != nil {
			return fail(err)
		}
	case "disable", "enable":
		contact.Set("disabled", action == "disable")
		if err := e.App.Save(contact); err != nil {
			return fail(err)
		}
		if action == "disable" {
			if err := web.EndSessions(e.App, contact); err != nil {
				return err
			}
		}
	case "invite":
		if err := sendInvitation(e.App, contact, p.Firm); err != nil {
			return fail(err)
		}
	default:
		return e.NotFoundError("", nil)
	}
	return e.Redirect(http.StatusSeeOther, "/app/customers/"+c.Id+"?done=contact-"+action+"#contacts")
}

// detailRow is one labelled value of a record's page.
type detailRow struct{ Label, Value string }

// customerDetails are what the customer's page says of it, in lang.
func customerDetails(lang string, c *core.Record) []detailRow {
	address := strings.Trim(strings.Join([]string{c.GetString("address"), strings.TrimSpace(c.GetString("postal_code") + " " + c.GetString("city")), c.GetString("province"), c.GetString("country")}, ", "), ", ")
	email := c.GetString("email")
	if cc := c.GetString("cc"); cc != "" {
		email += " · cc: " + cc
	}
	reminders := c.GetString("reminders")
	if reminders == "" {
		reminders = "default"
	}
	remindersText := ui.T(lang, "app.customers.reminders."+reminders)
	if reminders == "custom" {
		remindersText += ": " + strings.Trim(c.GetString("reminder_days"), "[]")
	}
	format := c.GetString("einvoice_format")
	if format == "" {
		format = "pdf"
	}
	rows := []detailRow{
		{ui.T(lang, "export.col.tax_id"), c.GetString("tax_id")},
		{ui.T(lang, "app.email"), email},
		{ui.T(lang, "app.address"), address},
		{ui.T(lang, "portal.profile.language"), ui.T(lang, "language."+c.GetString("language"))},
		{ui.T(lang, "app.customers.reminders"), remindersText},
		{ui.T(lang, "app.customers.einvoice_format"), ui.T(lang, "einvoice.format."+format)},
	}
	for _, f := range []string{"buyer_reference", "dir3_oficina_contable", "dir3_organo_gestor", "dir3_unidad_tramitadora", "notes"} {
		if v := c.GetString(f); v != "" {
			rows = append(rows, detailRow{ui.T(lang, "app.customers."+f), v})
		}
	}
	return rows
}
