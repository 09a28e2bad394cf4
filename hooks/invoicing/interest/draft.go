package interest

import (
	"slices"
	"strconv"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/taxes"
	"facturo/ui"
)

// InterestDraft creates a draft invoice that claims the late-payment interest
// the given invoices accrued by asOf, one line per invoice, and with
// compensation also the fixed 40 € of each. Every invoice must be issued, of
// one customer, and late. Neither is subject to VAT: they compensate a
// damage, they pay for no supply (art. 78.Tres.1º Ley 37/1992). The draft is
// an ordinary one: staff check it and issue it.
func InterestDraft(app core.App, invoiceIDs []string, asOf time.Time, compensation bool) (*core.Record, error) {
	if len(invoiceIDs) == 0 {
		return nil, apis.NewBadRequestError("Name at least one invoice.",
			validation.Errors{"invoices": validation.NewError("validation_required", "name at least one invoice")})
	}
	rates, err := LoadRates(app)
	if err != nil {
		return nil, err
	}
	var customer *core.Record
	var lines []taxes.Line
	seen := map[string]bool{}
	for i, id := range invoiceIDs {
		field := "invoices." + strconv.Itoa(i)
		if seen[id] {
			return nil, badInvoice(field, "Invoice "+id+" is named twice.", "named twice")
		}
		seen[id] = true
		inv, err := app.FindRecordById(invoicing.Invoices, id)
		if err != nil || inv.GetString("status") == invoicing.StatusDraft {
			return nil, badInvoice(field, "No issued invoice with id "+id+".", "no such issued invoice")
		}
		if customer == nil {
			if customer, err = app.FindRecordById(invoicing.Customers, inv.GetString("customer")); err != nil {
				return nil, err
			}
		} else if inv.GetString("customer") != customer.Id {
			return nil, badInvoice(field, "Invoice "+inv.GetString("number")+" is of another customer; a claim goes to one customer.", "another customer")
		}
		accrued, comp, err := ForInvoiceWithRates(app, inv, asOf, rates)
		if err != nil {
			return nil, apis.NewBadRequestError(err.Error(), validation.Errors{field: validation.NewError("validation_interest", err.Error())})
		}
		if !accrued.Amount.IsPositive() {
			return nil, badInvoice(field, "Invoice "+inv.GetString("number")+" has accrued no interest by "+asOf.Format(time.DateOnly)+".", "no interest accrued")
		}
		lang := customerLang(app, customer)
		lines = append(lines, notSubject(lang, interestLine(lang, inv.GetString("number"), accrued), accrued.Amount))
		if compensation && comp.IsPositive() {
			text := strings.ReplaceAll(ui.T(lang, "interest.compensation_line"), "{number}", inv.GetString("number"))
			lines = append(lines, notSubject(lang, text, comp))
		}
	}
	encoded, err := taxes.MarshalLines(lines)
	if err != nil {
		return nil, err
	}
	col, err := app.FindCachedCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return nil, err
	}
	draft := core.NewRecord(col)
	draft.Set("customer", customer.Id)
	draft.Set("lines", string(encoded))
	if err := app.Save(draft); err != nil {
		return nil, err
	}
	return draft, nil
}

// interestLine describes one invoice's interest: "Intereses de demora
// factura A-2026-000123 (31 días al 10,15 %)", every rate named when the
// delay spans half-years with different ones.
func interestLine(lang, number string, accrued Interest) string {
	var percents []string
	for _, p := range accrued.Periods {
		if s := ui.FormatPercent(lang, p.Percent); !slices.Contains(percents, s) {
			percents = append(percents, s)
		}
	}
	r := strings.NewReplacer("{number}", number, "{days}", strconv.Itoa(accrued.Days),
		"{rates}", strings.Join(percents, ui.T(lang, "interest.line.and")))
	return r.Replace(ui.T(lang, "interest.line"))
}

func notSubject(lang, description string, amount decimal.Decimal) taxes.Line {
	return taxes.Line{
		Description: description, Quantity: decimal.NewFromInt(1), UnitPrice: amount,
		VAT: decimal.Zero, VATExemption: ui.T(lang, "interest.not_subject"),
	}
}

// customerLang is the language the customer's documents are written in.
func customerLang(app core.App, customer *core.Record) string {
	if lang := customer.GetString("language"); ui.Speaks(lang) {
		return ui.Pick(lang)
	}
	return invoicing.FirmLanguage(app)
}

func badInvoice(field, message, short string) error {
	return apis.NewBadRequestError(message, validation.Errors{field: validation.NewError("validation_invoice", short)})
}
