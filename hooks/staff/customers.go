package staff

import (
	"crypto/rand"
	"encoding/base64"
	"facturo/internal/money"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
	facturomail "facturo/hooks/mail"
	"facturo/internal/clock"
	"facturo/internal/web"
	"facturo/ui"
)

type customerRow struct {
	ID, Name, TaxID, Email, Owed string
	Bouncing                     bool
}

type customersPage struct {
	page
	Query    string
	Archived bool
	Rows     []customerRow
}

// handleCustomers lists the customers, by name, with what each owes.
func handleCustomers(e *core.RequestEvent, p page) error {
	p = p.titled("app.customers", "customers")
	cp := customersPage{page: p, Query: strings.TrimSpace(e.Request.URL.Query().Get("q")), Archived: e.Request.URL.Query().Get("archived") == "1"}
	// Archived customers are listed on their own.
	filter, params := "archived != true", dbx.Params{}
	if cp.Archived {
		filter = "archived = true"
	}
	if cp.Query != "" {
		filter, params["q"] = filter+" && (name ~ {:q} || tax_id ~ {:q} || email ~ {:q})", cp.Query
	}
	customers, err := e.App.FindRecordsByFilter(invoicing.Customers, filter, "name", 500, 0, params)
	if err != nil {
		return err
	}
	owed, err := invoicing.OwedByCustomer(e.App)
	if err != nil {
		return err
	}
	for _, c := range customers {
		cp.Rows = append(cp.Rows, customerRow{
			ID: c.Id, Name: c.GetString("name"), TaxID: c.GetString("tax_id"), Email: c.GetString("email"),
			Owed:     ui.FormatMoney(p.Lang, money.FromStored(owed[c.Id]), money.Currency),
			Bouncing: c.GetBool("email_bouncing"),
		})
	}
	return render(e, http.StatusOK, "customers.html", p, cp)
}

type contactRow struct {
	ID, Email, Name, Role, RoleName, Language string
	Disabled                                  bool
}

type customerPage struct {
	page
	ID, Name, TaxID, Email, Cc, Address, Language, Terms string
	Bouncing, Archived                                   bool
	Details                                              []detailRow
	BounceNote                                           string
	OpenBalance, Overdue, ThisYear                       string
	Invoices                                             []invoiceRow
	Contacts                                             []contactRow
	EditURL, Notice, Error                               string
	Invite                                               contactRow

	// CanBillInterest: some invoice of the customer is overdue, so there
	// is late-payment interest to bill.
	CanBillInterest bool
}

// overdueInvoices are the ids of the customer's overdue invoices, the ones
// late-payment interest is billed on.
func overdueInvoices(app core.App, customerID string) ([]string, error) {
	var ids []string
	err := invoicing.EachInvoice(app, invoicing.Filter{Customer: customerID, State: "overdue"}, func(r invoicing.Row) error {
		ids = append(ids, r.ID)
		return nil
	})
	return ids, err
}

func handleCustomer(e *core.RequestEvent, p page) error {
	c, err := e.App.FindRecordById(invoicing.Customers, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	var notice string
	if k := e.Request.URL.Query().Get("done"); k != "" {
		notice = ui.T(p.Lang, "app.done."+k)
	}
	return renderCustomer(e, p, c, http.StatusOK, notice, "", contactRow{Role: "approver", Language: c.GetString("language")})
}

func renderCustomer(e *core.RequestEvent, p page, c *core.Record, status int, notice, problem string, invite contactRow) error {
	p = p.titled("app.customer", "customers")
	lang := p.Lang
	cp := customerPage{
		page: p, ID: c.Id, Name: c.GetString("name"), TaxID: c.GetString("tax_id"), Email: c.GetString("email"),
		Cc: c.GetString("cc"), Language: c.GetString("language"), Terms: strconv.Itoa(c.GetInt("payment_terms_days")),
		Address:  strings.Trim(strings.Join([]string{c.GetString("address"), c.GetString("postal_code") + " " + c.GetString("city"), c.GetString("province"), c.GetString("country")}, ", "), ", "),
		Bouncing: c.GetBool("email_bouncing"), BounceNote: c.GetString("email_bounce_note"),
		EditURL: "/app/customers/" + c.Id + "/edit", Archived: c.GetBool("archived"),
		Notice: notice, Error: problem, Invite: invite,
	}
	formatAmount := func(v float64) string { return ui.FormatMoney(lang, money.FromStored(v), money.Currency) }
	summary, err := invoicing.Summarize(e.App, c.Id, clock.Now())
	if err != nil {
		return err
	}
	cp.OpenBalance, cp.Overdue, cp.ThisYear = formatAmount(summary.OpenBalance), formatAmount(summary.Overdue), formatAmount(summary.InvoicedThisYear)
	err = invoicing.EachInvoice(e.App, invoicing.Filter{Customer: c.Id, Limit: 20}, func(r invoicing.Row) error {
		cp.Invoices = append(cp.Invoices, invoiceRow{
			ID: r.ID, Number: r.Number, IssueDate: ui.FormatDate(lang, r.IssueDate), DueDate: ui.FormatDate(lang, r.DueDate),
			Total:   ui.FormatMoney(lang, money.FromStored(r.Total), r.Currency),
			Payment: ui.T(lang, "view.payment."+r.PaymentState()), Delivery: ui.T(lang, "delivery."+r.Delivery), Response: ui.T(lang, "response."+r.Response),
			Late: lateLabel(lang, r),
		})
		return nil
	})
	if err != nil {
		return err
	}
	overdue, err := overdueInvoices(e.App, c.Id)
	if err != nil {
		return err
	}
	cp.CanBillInterest = len(overdue) > 0
	cp.Details = customerDetails(lang, c)
	contacts, err := e.App.FindRecordsByFilter(invoicing.Contacts, "customer = {:c}", "email", 200, 0, dbx.Params{"c": c.Id})
	if err != nil {
		return err
	}
	for _, k := range contacts {
		cp.Contacts = append(cp.Contacts, contactRow{ID: k.Id, Email: k.Email(), Name: k.GetString("name"), Role: k.GetString("role"),
			RoleName: ui.T(lang, "app.role."+k.GetString("role")), Language: k.GetString("language"), Disabled: k.GetBool("disabled")})
	}
	return render(e, status, "customer.html", p, cp)
}

// handleCustomerAction runs what staff do from a customer's page: invite a
// contact to the portal, or clear the bouncing flag once the address is
// fixed.
func handleCustomerAction(e *core.RequestEvent, p page) error {
	c, err := e.App.FindRecordById(invoicing.Customers, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	action := e.Request.PathValue("action")
	if act, ok := customerActions[action]; ok {
		return act(e, p, c)
	}
	switch action {
	case "invite":
		invite := contactRow{
			Email: strings.TrimSpace(e.Request.PostFormValue("email")), Name: strings.TrimSpace(e.Request.PostFormValue("name")),
			Role: e.Request.PostFormValue("role"), Language: e.Request.PostFormValue("language"),
		}
		if err := inviteContact(e.App, c, invite, p.Firm); err != nil {
			return renderCustomer(e, p, c, http.StatusBadRequest, "", problemText(p.Lang, err), invite)
		}
	case "interest-draft":
		overdue, err := overdueInvoices(e.App, c.Id)
		if err != nil {
			return err
		}
		if len(overdue) == 0 {
			return renderCustomer(e, p, c, http.StatusBadRequest, "", ui.T(p.Lang, "app.interest_draft.none"), contactRow{Role: "approver", Language: c.GetString("language")})
		}
		draft, err := interest.InterestDraft(e.App, overdue, clock.Today(), true)
		if err != nil {
			return renderCustomer(e, p, c, http.StatusBadRequest, "", problemText(p.Lang, err), contactRow{Role: "approver", Language: c.GetString("language")})
		}
		return e.Redirect(http.StatusSeeOther, "/app/invoices/"+draft.Id+"?done=interest-draft")
	case "bounce-cleared":
		c.Set("email_bouncing", false)
		c.Set("email_bounce_note", "")
		if err := e.App.Save(c); err != nil {
			return err
		}
	default:
		return e.NotFoundError("", nil)
	}
	return e.Redirect(http.StatusSeeOther, "/app/customers/"+c.Id+"?done="+action)
}

// inviteContact creates a contact of the customer with a password nobody
// knows, and emails them a link to choose their own: the invitation.
func inviteContact(app core.App, customer *core.Record, invite contactRow, firm string) error {
	invite.Language = ui.Pick(invite.Language)
	if err := checkContact(invite); err != nil {
		return err
	}
	col, err := app.FindCachedCollectionByNameOrId(invoicing.Contacts)
	if err != nil {
		return err
	}
	contact := core.NewRecord(col)
	contact.SetEmail(invite.Email)
	contact.Set("name", invite.Name)
	contact.Set("customer", customer.Id)
	contact.Set("role", invite.Role)
	contact.Set("language", invite.Language)
	secret := make([]byte, 24)
	rand.Read(secret)
	contact.SetPassword(base64.RawURLEncoding.EncodeToString(secret))
	if err := app.Save(contact); err != nil {
		return err
	}
	return sendInvitation(app, contact, firm)
}

// checkContact checks what staff write of a contact.
func checkContact(c contactRow) error {
	if _, err := mail.ParseAddress(c.Email); err != nil || !strings.Contains(c.Email, "@") {
		return inviteError("email", "is not an email address")
	}
	if c.Role != "viewer" && c.Role != "approver" {
		return inviteError("role", "must be viewer or approver")
	}
	if !ui.Speaks(c.Language) || len(c.Language) != 2 {
		return inviteError("language", "must be es or en")
	}
	return nil
}

// sendInvitation e-mails a contact a link to choose their password and
// sign in to the portal, in their language, through the outbox.
func sendInvitation(app core.App, contact *core.Record, _ string) error {
	return facturomail.InviteContact(app, contact)
}

func inviteError(field, text string) error {
	return web.Refuse(apis.NewBadRequestError("The invitation is not valid.", validation.Errors{field: validation.NewError("validation_invalid_"+field, text)}),
		"app.invite.err."+field, nil)
}
