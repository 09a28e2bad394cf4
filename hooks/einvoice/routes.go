package einvoice

import (
	"errors"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/einvoice"
	"facturo/ui"
)

// handleDownload serves an issued invoice in an XML format to staff or to
// a contact of the invoice's customer, and logs the download with its
// format; anyone else gets what the PDF route gives them (403 signed out,
// 404 for another customer's invoice).
func handleDownload(format string) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if e.Auth == nil {
			return apis.NewForbiddenError(ui.T(lang(e), "einvoice.api.signin"), nil)
		}
		inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
		if err != nil {
			return apis.NewNotFoundError(ui.T(lang(e), "einvoice.api.not_found"), nil)
		}
		isContact := e.Auth.Collection().Name == invoicing.Contacts
		if !e.HasSuperuserAuth() && !(isContact && e.Auth.GetString("customer") == inv.GetString("customer")) {
			return apis.NewNotFoundError(ui.T(lang(e), "einvoice.api.not_found"), nil)
		}
		return Serve(e, inv, format, invoicing.ActorFromRequest(e), isContact)
	}
}

// Serve sends an invoice in an XML format and logs the download;
// byCustomer marks the invoice viewed. The portal's and the workspace's
// pages serve the files through it too. A draft is a 404 for the customer
// and a 400 for staff; what the format lacks, a 400 naming it.
func Serve(e *core.RequestEvent, inv *core.Record, format string, actor invoicing.Actor, byCustomer bool) error {
	f, err := Write(e.App, inv, format)
	switch {
	case errors.Is(err, errNotIssued) && byCustomer:
		return apis.NewNotFoundError(ui.T(lang(e), "einvoice.api.not_found"), nil)
	case errors.Is(err, errNotIssued):
		return apis.NewBadRequestError(ui.T(lang(e), "einvoice.api.not_issued"), nil)
	case err != nil:
		var missing *MissingError
		if errors.As(err, &missing) {
			return missingError(lang(e), missing)
		}
		return err
	}
	if err := invoicing.RecordDownload(e.App, inv, actor, byCustomer, f.Name, format); err != nil {
		return err
	}
	e.Response.Header().Set("Content-Type", f.ContentType)
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+f.Name+`"`)
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.WriteHeader(http.StatusOK)
	_, err = e.Response.Write(f.Data)
	return err
}

// Check is what a format needs that an invoice lacks, in a reader's
// language: the format, and each problem by field.
type Check struct {
	Format  string            `json:"format"`
	Ready   bool              `json:"ready"`
	Missing map[string]string `json:"missing"`
}

// CheckInvoice tells what an invoice (a draft as it would be issued now)
// lacks for a format; the customer's preferred one when format is "".
func CheckInvoice(app core.App, inv *core.Record, format, lang string) (*Check, error) {
	if format == "" {
		var err error
		if format, err = PreferredFormat(app, inv.GetString("customer")); err != nil {
			return nil, err
		}
	}
	d, err := Document(app, inv)
	if err != nil {
		return nil, err
	}
	c := &Check{Format: format, Missing: map[string]string{}}
	for _, p := range einvoice.Missing(d, format) {
		c.Missing[p.Field] = sentence(lang, p)
	}
	c.Ready = len(c.Missing) == 0
	return c, nil
}

// handleCheck answers GET /api/invoices/{id}/einvoice-check[?format=]
// for staff: what the invoice lacks for the customer's preferred format,
// or for the one asked.
func handleCheck(e *core.RequestEvent) error {
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil {
		return apis.NewNotFoundError(ui.T(lang(e), "einvoice.api.not_found"), nil)
	}
	format := e.Request.URL.Query().Get("format")
	if format != "" && format != einvoice.FormatPDF && format != einvoice.FormatFacturX && !isXMLFormat(format) {
		return apis.NewBadRequestError(ui.T(lang(e), "einvoice.api.format"), validation.Errors{"format": validation.NewError("validation_invalid_format", ui.T(lang(e), "einvoice.api.format"))})
	}
	c, err := CheckInvoice(e.App, inv, format, lang(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, c)
}

// missingError is the 400 that names, field by field, what a format lacks.
func missingError(lang string, m *MissingError) error {
	data := validation.Errors{}
	var all []string
	for _, p := range m.Problems {
		s := sentence(lang, p)
		data[p.Field] = validation.NewError("validation_einvoice_missing", s)
		all = append(all, s)
	}
	message := strings.NewReplacer("{format}", ui.T(lang, "einvoice.format."+m.Format), "{missing}", strings.Join(all, " ")).
		Replace(ui.T(lang, "einvoice.api.missing"))
	return apis.NewBadRequestError(message, data)
}

// sentence says a problem in lang.
// ProblemText says in lang what an invoice lacks for a format.
func ProblemText(lang string, p einvoice.Problem) string { return sentence(lang, p) }

func sentence(lang string, p einvoice.Problem) string {
	s := ui.T(lang, p.Key)
	for _, a := range p.Args {
		if str, ok := a.(string); ok {
			s = strings.ReplaceAll(s, "{country}", str)
		} else if n, ok := a.(int); ok {
			s = strings.ReplaceAll(s, "{max}", itoa(n))
		}
	}
	return strings.ReplaceAll(s, "{party}", ui.T(lang, "einvoice.party."+strings.SplitN(p.Field, ".", 2)[0]))
}

func isXMLFormat(format string) bool {
	for _, f := range XMLFormats {
		if f == format {
			return true
		}
	}
	return false
}

func lang(e *core.RequestEvent) string { return e.Request.Header.Get("Accept-Language") }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
