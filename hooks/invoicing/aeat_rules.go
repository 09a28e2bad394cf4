package invoicing

import (
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/clock"
	"facturo/ui"
)

// An invoice is not issued with a registration record the AEAT would
// refuse: the rules below are the AEAT's own, from its VERI*FACTU
// "Validaciones y errores" (business rules of the RegistroAlta, 3.1.3),
// checked before the invoice is numbered, whether sending is on or not (the
// record is made either way, and the rules are the law's).
//
//   - FechaOperacion (3.1.3, item 7; errors 1134 and 1125): not before the
//     current date less twenty years; and, for IVA, after the current date
//     only under ClaveRegimen 14 or 15 (VAT not yet due on public works
//     certified, or on successive supplies), which the product never
//     states. The current date is the AEAT's when it reads the record,
//     never earlier than the issue's; the record states the operation date
//     only when it differs from the issue date. An operation date later
//     than the issue date is allowed: an invoice may precede the operation.
//   - FechaExpedicionFactura (errors 1112 and 1133): not after the current
//     date, and not before the current date less twenty years. An invoice
//     is issued on the day it is issued or on a day before it (a clerk, the
//     REST API and the import may date it so), never on a day still to
//     come. The import checks its files' dates by the same rule (DateRule)
//     before it writes anything.
//   - TipoFactura R3 (error 1191): a correction for a bad debt (art. 80.4
//     Ley 37/1992) names its recipient only by a NIF, or as a Spanish
//     customer not in the census (IDType 07): never a customer abroad, whose
//     tax base the law does not let be modified so (art. 80.5).

// checkAEATRules refuses, with the reason in the clerk's language, an
// invoice about to be issued on issueDate that the AEAT would refuse.
func checkAEATRules(inv, customer *core.Record, issueDate time.Time) error {
	var op time.Time
	if d := inv.GetDateTime("operation_date"); !d.IsZero() {
		op = civilDate(d.Time())
	}
	if field, problem := DateRule(issueDate, op); problem != nil {
		return refusal(field, problem)
	}
	if inv.GetString("rectifies") != "" && inv.GetString("rectification_code") == "R3" {
		return checkBadDebtRecipient(customer)
	}
	return nil
}

// DateRule is what the AEAT's rules on dates refuse in an invoice issued
// on issueDate whose operation took place on op (zero when it names no
// operation date), both calendar days at UTC midnight, judged on the
// firm's today: the field refused and the problem, or "" and nil. The
// issue applies it, and the import to each file's invoices before writing
// them.
func DateRule(issueDate, op time.Time) (field string, problem *ui.Error) {
	today := clock.Today()
	switch {
	case issueDate.After(today):
		return "issue_date", ui.Errorf("invoice.err.issue_future", ui.Args{"date": issueDate, "today": today})
	case issueDate.Before(today.AddDate(-20, 0, 0)):
		return "issue_date", ui.Errorf("invoice.err.issue_too_old", ui.Args{"date": issueDate})
	}
	switch {
	case op.IsZero(), op.Equal(issueDate):
		// Not stated in the record: the issue date is the operation's.
	case op.After(today):
		return "operation_date", ui.Errorf("invoice.err.operation_future", ui.Args{"date": op, "today": today})
	case op.Before(today.AddDate(-20, 0, 0)):
		return "operation_date", ui.Errorf("invoice.err.operation_too_old", ui.Args{"date": op})
	}
	return "", nil
}

// checkBadDebtRecipient refuses a correction for a bad debt (R3) to a
// customer established outside Spain.
func checkBadDebtRecipient(customer *core.Record) error {
	if country := strings.ToUpper(strings.TrimSpace(customer.GetString("country"))); country != "" && country != "ES" {
		return refusal("rectification_code", ui.Errorf("invoice.err.bad_debt_abroad", ui.Args{"customer": customer.GetString("name"), "country": country}))
	}
	return nil
}

// refusal is a 400 naming field, whose message is problem: its catalogue
// key and values travel with it, for whoever writes it in the reader's
// language (ui.Message).
func refusal(field string, problem *ui.Error) error {
	return apis.NewBadRequestError(problem.Error(), validation.Errors{field: problem})
}
