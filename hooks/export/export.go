// Package export writes CSV and XLSX files. Invoice lists go to staff (all
// customers) and to a contact (their own customer's invoices), with the
// same filters as the portal's list; the staff exports (invoice lines,
// payments and the events timeline) go to staff only. Every export is one
// table (see table.go) written by one CSV and one XLSX writer.
package export

import (
	"facturo/ui"
	"net/http"
	"net/url"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// formats are the file formats of every export, by extension.
var formats = map[string]func(e *core.RequestEvent, lang string, t table, rows rowSource) error{
	"csv":  writeCSV,
	"xlsx": writeXLSX,
}

// staffExport is an export for staff only: its table, and its rows as the
// request's query string selects them (or a 400 naming a bad parameter).
type staffExport struct {
	table table
	rows  func(e *core.RequestEvent, lang string) (rowSource, error)
}

var staffExports = []staffExport{
	{linesTable, lineRows},
	{paymentsTable, paymentRows},
	{eventsTable, eventRows},
}

// Register binds the export routes.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/exports/invoices.zip", WriteZIP)
		for ext := range formats {
			se.Router.GET("/api/exports/invoices."+ext, func(e *core.RequestEvent) error { return Write(e, ext) })
			for _, x := range staffExports {
				se.Router.GET("/api/exports/"+x.table.name+"."+ext, func(e *core.RequestEvent) error {
					return WriteFile(e, x.table.name, ext)
				}).Bind(apis.RequireSuperuserAuth())
			}
		}
		return se.Next()
	})
}

// WriteFile answers the request with the export called name (invoices,
// lines, payments or events) in format (csv or xlsx), filtered by the query
// string. Only staff (a superuser as e.Auth) get the exports other than
// invoices; the staff workspace calls it with its signed-in staff member.
func WriteFile(e *core.RequestEvent, name, format string) error {
	if _, ok := formats[format]; !ok {
		return apis.NewNotFoundError("", nil)
	}
	if name == invoicesTable.name {
		return Write(e, format)
	}
	for _, x := range staffExports {
		if x.table.name != name {
			continue
		}
		if !e.HasSuperuserAuth() {
			return apis.NewForbiddenError("Only staff can export "+name+".", nil)
		}
		lang := staffLang(e)
		rows, err := x.rows(e, lang)
		if err != nil {
			return err
		}
		return serve(e, format, lang, x.table, rows)
	}
	return apis.NewNotFoundError("", nil)
}

// Write answers the request with the export in format (csv or xlsx) of the
// invoices e.Auth may see, filtered by the query string. The portal calls it
// too, with its signed-in contact.
func Write(e *core.RequestEvent, format string) error {
	f, lang, err := invoiceSelection(e)
	if err != nil {
		return err
	}
	return serve(e, format, lang, invoicesTable, invoiceRows(e.App, lang, f))
}

// invoiceSelection is the invoices a request for an invoice export selects,
// and the language to write in: staff choose any customer (or all); a
// contact gets its own customer's, whatever the query says.
func invoiceSelection(e *core.RequestEvent) (invoicing.Filter, string, error) {
	var lang, customer string
	switch {
	case e.HasSuperuserAuth():
		customer, lang = e.Request.URL.Query().Get("customer"), staffLang(e)
	case e.Auth != nil && e.Auth.Collection().Name == invoicing.Contacts:
		customer = e.Auth.GetString("customer") // never another customer's, whatever the query says
		lang = e.Request.URL.Query().Get("lang")
		if lang == "" {
			lang = e.Auth.GetString("language")
		}
		lang = supported(lang)
	default:
		return invoicing.Filter{}, "", apis.NewUnauthorizedError("Sign in to export invoices.", nil)
	}
	f, err := filterFromQuery(e, lang)
	if err != nil {
		return f, "", err
	}
	f.Customer = customer
	if f.Drafts && !e.HasSuperuserAuth() {
		return f, "", badParam("state", "state must be one of "+strings.Join(invoicing.ListStates, ", ")+".")
	}
	return f, lang, nil
}

// serve writes an export in a format, in lang (es or en).
func serve(e *core.RequestEvent, format, lang string, t table, rows rowSource) error {
	write, ok := formats[format]
	if !ok {
		return apis.NewNotFoundError("", nil)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	if err := write(e, lang, t, rows); err != nil {
		// The filters were checked before: what fails now is the server's.
		return e.InternalServerError("The export could not be written.", err)
	}
	return nil
}

// staffLang is the language of a staff export: the lang parameter, or the
// firm's default language.
func staffLang(e *core.RequestEvent) string {
	if lang := e.Request.URL.Query().Get("lang"); lang != "" {
		return supported(lang)
	}
	if issuer, err := invoicing.LoadIssuer(e.App); err == nil {
		return supported(issuer.GetString("default_language"))
	}
	return supported("")
}

// supported is the language an export is written in: the one asked for
// when the product speaks it, the default otherwise.
func supported(lang string) string {
	return ui.Pick(lang)
}

// badParam is the 400 answer to a query parameter that does not parse; it
// names the parameter in the message and in the error's data.
func badParam(name, message string) error {
	return apis.NewBadRequestError(message, validation.Errors{name: validation.NewError("validation_invalid", message)})
}

// dateParam reads a date parameter (2026-11-27); zero when absent.
func dateParam(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return d, badParam(name, name+" must be a date such as 2026-11-27.")
	}
	return d, nil
}

func attachment(e *core.RequestEvent, contentType, name string) {
	e.Response.Header().Set("Content-Type", contentType)
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	e.Response.WriteHeader(http.StatusOK)
}

// abortStarted ends a response whose file has begun to go out and cannot be
// finished: it logs why and drops the connection, so that the client sees a
// failed download rather than a file that looks whole but lacks rows. It
// does not return.
func abortStarted(e *core.RequestEvent, t table, err error) {
	e.App.Logger().Error("export aborted", "export", t.name, "error", err.Error())
	panic(http.ErrAbortHandler)
}
