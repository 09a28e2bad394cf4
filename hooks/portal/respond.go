package portal

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/ui"
)

// handleRespond records an approver's answer to one of their customer's
// invoices: accept; reject with a reason (UNCL4343) and the correction
// asked for; or ask a question. Staff are emailed. Any other customer's
// invoice, or a draft, answers 404: the route does not admit it exists.
func handleRespond(e *core.RequestEvent) error {
	if e.Auth == nil || e.Auth.Collection().Name != invoicing.Contacts {
		return apis.NewUnauthorizedError("Sign in as a contact of the customer to answer an invoice.", nil)
	}
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil || inv.GetString("customer") != e.Auth.GetString("customer") || inv.GetString("status") == invoicing.StatusDraft {
		return apis.NewNotFoundError("No invoice with id "+e.Request.PathValue("id")+".", nil)
	}
	if e.Auth.GetString("role") != "approver" {
		return apis.NewForbiddenError("Only approvers can accept, reject or query invoices; ask your firm's approver.", nil)
	}
	var body struct {
		Action     string `json:"action"`
		Reason     string `json:"reason"`
		Correction string `json:"correction"`
		Note       string `json:"note"`
	}
	if err := invoicing.DecodeBody(e, &body); err != nil {
		return err
	}
	inv, err = invoicing.Respond(e.App, inv.Id, invoicing.Response{
		Action: body.Action, Reason: body.Reason, Correction: body.Correction, Note: body.Note,
	}, invoicing.ActorFromRequest(e))
	if err != nil {
		return err
	}
	notifyStaff(e.App, inv, e.Auth)
	return e.JSON(http.StatusOK, inv)
}

// notifyStaff emails the firm with the answer, in the firm's language,
// reasons spelled out as sentences.
func notifyStaff(app core.App, inv, contact *core.Record) {
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return
	}
	customer, err := app.FindRecordById(invoicing.Customers, inv.GetString("customer"))
	if err != nil {
		return
	}
	lang := issuer.GetString("default_language")
	sentence := func(prefix, code string) string {
		if code == "" {
			return "—"
		}
		return ui.T(lang, prefix+code)
	}
	who := contact.GetString("name")
	if who == "" {
		who = contact.Email()
	}
	note := strings.TrimSpace(inv.GetString("response_note"))
	if note == "" {
		note = "—"
	}
	replace := strings.NewReplacer(
		"{customer}", customer.GetString("name"), "{invoice}", inv.GetString("number"), "{who}", who,
		"{response}", ui.T(lang, "response."+inv.GetString("response")),
		"{reason}", sentence("reason.", inv.GetString("response_reason")),
		"{correction}", sentence("correction.", inv.GetString("response_action")), "{note}", note,
	)
	if err := mail.NotifyStaff(app, replace.Replace(ui.T(lang, "notice.response.subject")), replace.Replace(ui.T(lang, "notice.response.body"))); err != nil {
		app.Logger().Error("portal: telling staff about an answer", "invoice", inv.Id, "error", err)
	}
}
