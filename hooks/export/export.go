// Package export writes invoice lists as CSV and XLSX files: staff get all
// customers, a contact only their own customer's invoices, with the same
// filters as the portal's list.
package export

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// Register binds the export routes.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/exports/invoices.csv", func(e *core.RequestEvent) error { return Write(e, "csv") })
		se.Router.GET("/api/exports/invoices.xlsx", func(e *core.RequestEvent) error { return Write(e, "xlsx") })
		return se.Next()
	})
}

// writer writes the selected invoices in one format.
type writer func(e *core.RequestEvent, lang string, rows func(func(invoicing.Row) error) error) error

// Write answers the request with the export in format (csv or xlsx) of the
// invoices e.Auth may see, filtered by the query string. The portal calls it
// too, with its signed-in contact.
func Write(e *core.RequestEvent, format string) error {
	write := writeCSV
	if format == "xlsx" {
		write = writeXLSX
	}
	f, err := filterFromQuery(e)
	if err != nil {
		return err
	}
	lang := e.Request.URL.Query().Get("lang")
	switch {
	case e.HasSuperuserAuth():
		f.Customer = e.Request.URL.Query().Get("customer")
		if lang == "" {
			if issuer, err := invoicing.LoadIssuer(e.App); err == nil {
				lang = issuer.GetString("default_language")
			}
		}
	case e.Auth != nil && e.Auth.Collection().Name == invoicing.Contacts:
		f.Customer = e.Auth.GetString("customer") // never another customer's, whatever the query says
		if lang == "" {
			lang = e.Auth.GetString("language")
		}
	default:
		return apis.NewUnauthorizedError("Sign in to export invoices.", nil)
	}
	if lang != "en" {
		lang = "es"
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return write(e, lang, func(fn func(invoicing.Row) error) error { return invoicing.EachInvoice(e.App, f, fn) })
}

// filterFromQuery reads the list filters from the query string, refusing
// what does not parse with a 400 naming the parameter.
func filterFromQuery(e *core.RequestEvent) (invoicing.Filter, error) {
	q := e.Request.URL.Query()
	f := invoicing.Filter{Search: q.Get("q"), State: q.Get("state"), Sort: q.Get("sort")}
	switch f.State {
	case "", "unpaid", "overdue", "paid", "rejected", "queried":
	default:
		return f, apis.NewBadRequestError("state must be unpaid, overdue, paid, rejected or queried.", nil)
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			d, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return f, apis.NewBadRequestError(name+" must be a date such as 2026-11-27.", nil)
			}
			*dst = d
		}
	}
	for name, dst := range map[string]**float64{"min": &f.Min, "max": &f.Max} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
			if err != nil {
				return f, apis.NewBadRequestError(name+" must be an amount such as 1200.50.", nil)
			}
			*dst = &n
		}
	}
	return f, nil
}

// columns are the export's columns, as translation keys.
var columns = []string{
	"number", "customer", "tax_id", "issue_date", "due_date", "currency", "base", "vat", "surcharge",
	"withholding", "total", "paid", "outstanding", "payment", "response", "delivery",
}

func header(lang string) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = ui.T(lang, "export.col."+c)
	}
	return out
}

// sums are the totals row's money columns, added up exactly: the float
// amounts of the rows are two-decimal values, whose float sum would drift.
type sums struct{ base, vat, surcharge, withholding, total, paid decimal.Decimal }

func (s *sums) add(r invoicing.Row) {
	s.base = s.base.Add(decimal.NewFromFloat(r.Subtotal))
	s.vat = s.vat.Add(decimal.NewFromFloat(r.TaxTotal))
	s.surcharge = s.surcharge.Add(decimal.NewFromFloat(r.SurchargeTotal))
	s.withholding = s.withholding.Add(decimal.NewFromFloat(r.WithholdingTotal))
	s.total = s.total.Add(decimal.NewFromFloat(r.Total))
	s.paid = s.paid.Add(decimal.NewFromFloat(r.PaidTotal))
}

// outstanding is what is still owed on a row.
func outstanding(r invoicing.Row) decimal.Decimal {
	return decimal.NewFromFloat(r.Total).Sub(decimal.NewFromFloat(r.PaidTotal))
}

func fileName(lang, ext string) string {
	return ui.T(lang, "export.filename") + "-" + time.Now().Format(time.DateOnly) + "." + ext
}

func attachment(e *core.RequestEvent, contentType, name string) {
	e.Response.Header().Set("Content-Type", contentType)
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	e.Response.WriteHeader(http.StatusOK)
}
