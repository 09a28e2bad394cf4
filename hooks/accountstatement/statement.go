// Package accountstatement builds a customer's statement of account: the open
// invoices with the late-payment interest and compensation they carry, the
// payments of the last twelve months and what can be claimed in all, drawn
// by package pdf and served to staff and to the customer's contacts.
package accountstatement

import (
	"errors"
	"facturo/internal/money"
	"facturo/ui"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
	"golang.org/x/text/unicode/norm"

	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
	"facturo/hooks/pdf"
)

// StatementPDF draws the statement of account of a customer as of a day, in
// lang ("es" or "en"; empty for the customer's language). The same data and
// day give the same bytes. It fails, naming the half-year, when an open
// invoice's delay runs through a half-year with no rate in interest_rates.
func StatementPDF(app core.App, customerID string, asOf time.Time, lang string) ([]byte, error) {
	s, err := Build(app, customerID, asOf, lang)
	if err != nil {
		return nil, err
	}
	return pdf.RenderStatement(s)
}

// Build gathers the statement's figures.
func Build(app core.App, customerID string, asOf time.Time, lang string) (pdf.Statement, error) {
	y, m, d := asOf.Date()
	asOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	customer, err := app.FindRecordById(invoicing.Customers, customerID)
	if err != nil {
		return pdf.Statement{}, errors.New("no customer with id " + customerID)
	}
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return pdf.Statement{}, err
	}
	if lang == "" {
		lang = customer.GetString("language")
	}
	if lang == "" {
		lang = issuer.GetString("default_language")
	}
	firm := invoicing.PartyOf(issuer)
	s := pdf.Statement{
		Lang:     lang,
		Currency: money.Currency,
		AsOf:     asOf,
		Issuer:   firm.Printed(lang, firm.Country),
		Customer: invoicing.PartyOf(customer).Printed(lang, firm.Country),
	}
	if s.Logo, err = invoicing.ReadLogo(app, issuer); err != nil {
		return pdf.Statement{}, err
	}
	if err := addOpenInvoices(app, &s, customerID); err != nil {
		return pdf.Statement{}, err
	}
	err = invoicing.EachPayment(app, invoicing.PaymentFilter{Customer: customerID, From: asOf.AddDate(-1, 0, 1), To: asOf},
		func(p invoicing.PaymentRow) error {
			s.Payments = append(s.Payments, pdf.StatementPayment{
				Date: p.PaidOn, Invoice: p.InvoiceNumber, Amount: p.Amount, Method: p.Method, Reference: p.Reference,
			})
			return nil
		})
	if err != nil {
		return pdf.Statement{}, err
	}
	t := &s.Totals
	t.Claimable = t.Outstanding.Add(t.Interest).Add(t.Compensation)
	if iban := issuer.GetString("iban"); iban != "" && t.Claimable.IsPositive() {
		s.Payment = &pdf.Payment{Method: "transfer", IBAN: iban, BIC: issuer.GetString("bic"), Reference: customer.GetString("tax_id")}
	}
	return s, nil
}

// addOpenInvoices lists what the customer still owes, invoice by invoice,
// oldest due first, as every figure counts it (invoicing.OpenInvoicesSQL):
// a rectified invoice is listed with its facturas rectificativas, for what
// they leave owed together, and accrues no interest (the invoice it was is
// no longer in force). Each invoice in force shows what it has accrued by
// the statement's day, except one the customer has disputed and the firm
// has not answered yet: that claims no interest nor compensation until it
// is answered (as reminders, which wait for the answer).
func addOpenInvoices(app core.App, s *pdf.Statement, customerID string) error {
	var ids []string
	err := app.DB().NewQuery(`SELECT id FROM (` + invoicing.OpenInvoicesSQL("o.customer = {:customer}") + `) ORDER BY due_date, id`).
		Bind(dbx.Params{"customer": customerID}).Column(&ids)
	if err != nil {
		return err
	}
	rates, err := interest.LoadRates(app)
	if err != nil {
		return err
	}
	t := &s.Totals
	for _, id := range ids {
		inv, err := app.FindRecordById(invoicing.Invoices, id)
		if err != nil {
			return err
		}
		total, paid := money.FromStored(inv.GetFloat("total")), money.FromStored(inv.GetFloat("paid_total"))
		number := inv.GetString("number")
		if inv.GetString("status") == invoicing.StatusRectified {
			c, err := invoicing.CorrectionOf(app, inv)
			if err != nil {
				return err
			}
			for _, r := range c.RectifiedBy {
				total = total.Add(money.FromStored(r.GetFloat("total")))
				paid = paid.Add(money.FromStored(r.GetFloat("paid_total")))
				number += " / " + r.GetString("number")
			}
		}
		outstanding := total.Sub(paid)
		if !outstanding.IsPositive() {
			continue
		}
		row := pdf.StatementInvoice{
			Number: number, IssueDate: inv.GetDateTime("issue_date").Time(), DueDate: inv.GetDateTime("due_date").Time(),
			Total: total, Paid: paid, Outstanding: outstanding, Interest: decimal.Zero, Compensation: decimal.Zero,
		}
		disputed, err := invoicing.AwaitingAnswer(app, inv)
		if err != nil {
			return err
		}
		if !disputed {
			accrued, comp, missing, err := interest.AsFarAsKnown(app, inv, s.AsOf, rates)
			if err != nil {
				return err
			}
			if missing != nil && (s.InterestUntil.IsZero() || missing.HalfYear.Before(s.InterestUntil.AddDate(0, 0, 1))) {
				s.InterestUntil = missing.HalfYear.AddDate(0, 0, -1)
			}
			row.Interest, row.Compensation = accrued.Amount, comp
		}
		if due := row.DueDate; s.AsOf.After(due) {
			row.DaysLate = int(s.AsOf.Sub(due) / (24 * time.Hour))
		}
		s.Open = append(s.Open, row)
		t.Outstanding = t.Outstanding.Add(outstanding)
		t.Interest = t.Interest.Add(row.Interest)
		t.Compensation = t.Compensation.Add(row.Compensation)
	}
	return nil
}

// FileName is the statement's download name, ASCII only so that every mail
// client and file system keeps it: "Extracto-Alfa-Comercial-SL-2026-11-27.pdf".
func FileName(customerName string, asOf time.Time) string {
	var b strings.Builder
	dash := false
	for _, c := range norm.NFD.String(customerName) {
		switch {
		case c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			b.WriteRune(c)
			dash = false
		case unicode.Is(unicode.Mn, c) || c == '.':
			// accents and the dots of "S.L." vanish
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimSuffix(b.String(), "-")
	if name == "" {
		name = "cliente"
	}
	return "Extracto-" + name + "-" + asOf.Format(time.DateOnly) + ".pdf"
}

func knownLanguage(lang string) bool { return lang == "" || slices.Contains(ui.Languages, lang) }
