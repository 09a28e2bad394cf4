package export

import (
	"archive/zip"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/einvoice"
	"facturo/hooks/invoicing"
	"facturo/internal/clock"
	"facturo/ui"
)

// zipFormats are the formats a ZIP of invoices can hold: the PDF (a
// Factur-X one when the firm makes them), or one of the structured XMLs.
var zipFormats = append([]string{"pdf"}, einvoice.XMLFormats...)

// maxZIPInvoices bounds one ZIP: beyond it the request is refused with a
// message asking to narrow the filters (by dates, say).
const maxZIPInvoices = 10_000

// WriteZIP answers GET /api/exports/invoices.zip?format=…&<the invoice
// export's filters>: a ZIP of the selected invoices' files in one format,
// streamed one file at a time, for staff (any customer) or a contact (its
// own). An invoice the format cannot express is left out and named, with
// what it lacks, in a text file of the ZIP. A contact's ZIP is logged on
// each invoice's timeline as downloaded.
func WriteZIP(e *core.RequestEvent) error {
	format := e.Request.URL.Query().Get("format")
	if format == "" {
		format = "pdf"
	}
	if !slices.Contains(zipFormats, format) {
		return badParam("format", "format must be one of "+strings.Join(zipFormats, ", ")+".")
	}
	f, lang, err := invoiceSelection(e)
	if err != nil {
		return err
	}
	n, err := invoicing.CountInvoices(e.App, f)
	if err != nil {
		return err
	}
	if n > maxZIPInvoices {
		return badParam("to", fmt.Sprintf(ui.T(lang, "export.zip.too_many"), n, maxZIPInvoices))
	}
	var ids []string
	if err := invoicing.EachInvoice(e.App, f, func(r invoicing.Row) error {
		ids = append(ids, r.ID)
		return nil
	}); err != nil {
		return err
	}

	e.Response.Header().Set("Cache-Control", "private, no-store")
	attachment(e, "application/zip", ui.T(lang, "export.file.invoices")+"-"+format+"-"+clock.Today().Format(time.DateOnly)+".zip")
	zw := zip.NewWriter(e.Response)
	var left []string
	var downloaded []invoicing.NewEvent
	actor := invoicing.ActorFromRequest(e)
	byCustomer := actor.Contact != nil
	for _, id := range ids {
		inv, err := e.App.FindRecordById(invoicing.Invoices, id)
		if err != nil {
			abortStarted(e, invoicesTable, err)
		}
		name, write, err := invoiceFile(e.App, inv, format)
		var missing *einvoice.MissingError
		switch {
		case asMissing(err, &missing):
			left = append(left, inv.GetString("number")+": "+missingText(lang, missing))
			continue
		case err != nil:
			abortStarted(e, invoicesTable, err)
		}
		w, err := zw.Create(name)
		if err != nil {
			abortStarted(e, invoicesTable, err)
		}
		if err := write(w); err != nil {
			abortStarted(e, invoicesTable, err)
		}
		if byCustomer {
			downloaded = append(downloaded, invoicing.NewEvent{InvoiceID: inv.Id, CustomerID: inv.GetString("customer"),
				Type: invoicing.EventDownloaded, Actor: actor, Data: map[string]any{"file": name, "format": format, "via": "zip"}})
		}
	}
	if len(left) > 0 {
		w, err := zw.Create(ui.T(lang, "export.zip.left_out_file"))
		if err != nil {
			abortStarted(e, invoicesTable, err)
		}
		fmt.Fprintf(w, "%s\r\n\r\n%s\r\n", ui.T(lang, "export.zip.left_out"), strings.Join(left, "\r\n"))
	}
	if err := zw.Close(); err != nil {
		abortStarted(e, invoicesTable, err)
	}
	if err := invoicing.AppendEvents(e.App, downloaded); err != nil {
		e.App.Logger().Error("The ZIP's downloads could not be logged", "error", err)
	}
	return nil
}

// invoiceFile is an invoice's file in a format: its name in the ZIP and
// what writes it.
func invoiceFile(app core.App, inv *core.Record, format string) (string, func(io.Writer) error, error) {
	if format == "pdf" {
		if inv.GetString("pdf") == "" {
			var err error
			if inv, err = invoicing.AttachPDF(app, inv.Id); err != nil {
				return "", nil, err
			}
		}
		return invoicing.PDFFileName(inv), func(w io.Writer) error {
			fsys, err := app.NewFilesystem()
			if err != nil {
				return err
			}
			defer fsys.Close()
			r, err := fsys.GetReader(inv.BaseFilesPath() + "/" + inv.GetString("pdf"))
			if err != nil {
				return err
			}
			defer r.Close()
			_, err = io.Copy(w, r)
			return err
		}, nil
	}
	f, err := einvoice.Write(app, inv, format)
	if err != nil {
		return "", nil, err
	}
	return f.Name, func(w io.Writer) error {
		_, err := w.Write(f.Data)
		return err
	}, nil
}

func asMissing(err error, target **einvoice.MissingError) bool {
	m, ok := err.(*einvoice.MissingError)
	if ok {
		*target = m
	}
	return ok
}

// missingText says in lang what an invoice lacks for a format.
func missingText(lang string, m *einvoice.MissingError) string {
	var what []string
	for _, p := range m.Problems {
		what = append(what, einvoice.ProblemText(lang, p))
	}
	return strings.Join(what, "; ")
}
