package invoicing

import (
	"facturo/internal/web"

	"github.com/pocketbase/pocketbase/core"
)

// bindCustomerView binds what a customer's contact gets through the REST
// API beyond the collections' rules: the timeline as the portal tells it,
// and the PDF's download logged whichever door it leaves by.
func bindCustomerView(app core.App) {
	app.OnRecordEnrich(Events).BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil && isContact(e.RequestInfo.Auth) {
			ForCustomer(e.Record)
		}
		return e.Next()
	})
	app.OnFileDownloadRequest(Invoices).BindFunc(logFileDownload)
}

func isContact(r *core.Record) bool {
	return r != nil && r.Collection().Name == Contacts
}

// ForCustomer makes a timeline entry what a customer's contact may read:
// the firm's acts are the firm's, with no staff address; no entry tells
// from where or with what browser it was made.
func ForCustomer(ev *core.Record) {
	ev.Hide("ip", "user_agent")
	if ev.GetBool("by_firm") {
		ev.Set("actor_email", "")
	}
}

// logFileDownload logs a download of an invoice's PDF through PocketBase's
// file route (/api/files/invoices/{id}/{file}?token=…) as the PDF route
// does: the file token says who, and a contact's download marks the invoice
// viewed.
func logFileDownload(e *core.FileDownloadRequestEvent) error {
	if e.FileField == nil || e.FileField.GetName() != "pdf" || e.Record.GetString("status") == StatusDraft {
		return e.Next()
	}
	who, _ := e.App.FindAuthRecordByToken(e.Request.URL.Query().Get("token"), core.TokenTypeFile)
	if who == nil {
		return e.Next()
	}
	actor := Actor{Email: who.Email(), IP: web.ClientIP(e.RequestEvent), UserAgent: e.Request.UserAgent(), Staff: who.IsSuperuser()}
	if isContact(who) {
		actor.Contact = who
	}
	if err := recordDownload(e.App, e.Record, actor, isContact(who)); err != nil {
		return err
	}
	if e.Record.GetString("status") == StatusVoided {
		return serveVoidedPDF(e.App, e.Response, e.Record)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	if e.ServedName == e.Record.GetString("pdf") {
		e.ServedName = PDFFileName(e.Record)
	}
	return e.Next()
}
