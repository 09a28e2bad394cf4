package invoicing

import (
	"net/http"

	"facturo/internal/clock"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// handleDownloadPDF serves an issued invoice's PDF to staff or to a contact
// of the invoice's customer, and logs who downloaded it, when and from where.
// Anyone else gets a 403 (not signed in) or a 404 (another customer's
// invoice, which this route does not admit exists).
func handleDownloadPDF(e *core.RequestEvent) error {
	if e.Auth == nil {
		return apis.NewForbiddenError("Sign in to download invoices.", nil)
	}
	inv, err := findInvoice(e.App, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	isContact := e.Auth.Collection().Name == Contacts
	if !e.HasSuperuserAuth() && !(isContact && e.Auth.GetString("customer") == inv.GetString("customer")) {
		return apis.NewNotFoundError("No invoice with id "+inv.Id+".", nil)
	}
	if inv.GetString("status") == StatusDraft {
		if isContact {
			return apis.NewNotFoundError("No invoice with id "+inv.Id+".", nil)
		}
		return apis.NewBadRequestError("A draft has no PDF yet; issue it first.", nil)
	}
	return ServePDF(e, inv, ActorFromRequest(e), isContact)
}

// ServePDF sends an issued invoice's PDF (drawing it first if it has none)
// and logs the download; byCustomer marks the invoice viewed, since a person
// at the customer opened it. A voided invoice's PDF is drawn afresh,
// stamped as voided: the stored one, drawn at issue, is not.
func ServePDF(e *core.RequestEvent, inv *core.Record, actor Actor, byCustomer bool) error {
	if inv.GetString("status") == StatusVoided {
		if err := recordDownload(e.App, inv, actor, byCustomer); err != nil {
			return err
		}
		return serveVoidedPDF(e.App, e.Response, inv)
	}
	if inv.GetString("pdf") == "" {
		var err error
		if inv, err = AttachPDF(e.App, inv.Id); err != nil {
			return err
		}
	}
	if err := recordDownload(e.App, inv, actor, byCustomer); err != nil {
		return err
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return fsys.Serve(e.Response, e.Request, inv.BaseFilesPath()+"/"+inv.GetString("pdf"), PDFFileName(inv))
}

// recordDownload logs the downloaded event of the PDF.
func recordDownload(app core.App, inv *core.Record, actor Actor, byCustomer bool) error {
	return RecordDownload(app, inv, actor, byCustomer, PDFFileName(inv), "pdf")
}

// RecordDownload logs that a file of an issued invoice was downloaded: its
// name and its format ("pdf", or a structured format: "ubl", "cii",
// "facturae"). A download by the customer is also the first sign that a
// person there looked at the invoice.
func RecordDownload(app core.App, inv *core.Record, actor Actor, byCustomer bool, file, format string) error {
	_, err := changeIssued(app, inv.Id, func(r *core.Record) (string, map[string]any, error) {
		if byCustomer && r.GetDateTime("viewed_at").IsZero() {
			r.Set("viewed_at", dateTime(clock.Now().UTC()))
		}
		return EventDownloaded, map[string]any{"file": file, "format": format}, nil
	}, actor)
	return err
}

// serveVoidedPDF writes a voided invoice's PDF, stamped as voided.
func serveVoidedPDF(app core.App, w http.ResponseWriter, inv *core.Record) error {
	doc, err := RenderPDF(app, inv)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+PDFFileName(inv)+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(doc)
	return err
}
