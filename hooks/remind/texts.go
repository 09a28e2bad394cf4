package remind

import (
	"fmt"
	"strings"
	"text/template"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/mail"
	"facturo/ui"
)

// TextData is what a level's subject and body print. Money and dates are
// formatted in the customer's language. With one invoice, Number, DueDate,
// DaysLate and DaysToDue are its own; with several (grouped per customer),
// those of the one reminded at the highest level, and Owed, Interest and
// Compensation are the sums.
type TextData struct {
	FirmName, CustomerName string
	Number                 string // the invoice's number
	Numbers                string // every invoice's number, comma separated
	Several                bool   // the reminder is about more than one invoice
	Owed                   string // what is still to be paid
	DueDate                string
	DaysLate               int // days since the due date (0 before it)
	DaysToDue              int // days until the due date (0 after it)
	Interest               string
	Compensation           string
	HasInterest            bool // interest or compensation is owed, and known
	HasStatement           bool // a statement of account is attached
	// EarlierNotices is true when reminders of these invoices were sent
	// before. A level's text speaks of "our previous reminders" only then:
	// after downtime, when the lower levels were skipped and never sent,
	// the notice says plainly that it is the first.
	EarlierNotices bool
	Link           string // the invoice's view link (signed for the recipient when sent)
	PortalURL      string
	IBAN           string
	Level          string // the level's name
	Invoices       []InvoiceText
}

// InvoiceText is one invoice of a reminder.
type InvoiceText struct {
	Number, IssueDate, DueDate, Owed, Interest, Compensation string
	DaysLate                                                 int
}

// textData builds what the texts print about a group of planned reminders
// (the first one is at the highest level).
func textData(lang, firmName, customerName, iban, portalURL string, group []Planned, hasStatement bool) TextData {
	first := group[0]
	d := TextData{
		FirmName: firmName, CustomerName: customerName, Number: first.Number,
		Several: len(group) > 1, DueDate: ui.FormatDate(lang, first.dueDate),
		DaysLate: max(0, first.DaysFromDue), DaysToDue: max(0, -first.DaysFromDue),
		Link: mail.ViewLinkMarker, PortalURL: portalURL, IBAN: iban, Level: first.LevelName,
		HasStatement: hasStatement,
	}
	var numbers []string
	var owed, interest, compensation decimal.Decimal
	known := true
	d.EarlierNotices = true
	for _, p := range group {
		d.EarlierNotices = d.EarlierNotices && p.sentBefore > 0
		known = known && p.interestKnown
		numbers = append(numbers, p.Number)
		owed, interest, compensation = owed.Add(p.owed), interest.Add(p.interest), compensation.Add(p.compensation)
		d.Invoices = append(d.Invoices, InvoiceText{
			Number: p.Number, IssueDate: ui.FormatDate(lang, p.issueDate), DueDate: ui.FormatDate(lang, p.dueDate),
			Owed:         ui.FormatMoney(lang, p.owed, p.currency),
			Interest:     ui.FormatMoney(lang, p.interest, p.currency),
			Compensation: ui.FormatMoney(lang, p.compensation, p.currency),
			DaysLate:     max(0, p.DaysFromDue),
		})
	}
	d.Numbers = strings.Join(numbers, ", ")
	d.Owed = ui.FormatMoney(lang, owed, first.currency)
	d.Interest = ui.FormatMoney(lang, interest, first.currency)
	d.Compensation = ui.FormatMoney(lang, compensation, first.currency)
	d.HasInterest = known && (interest.IsPositive() || compensation.IsPositive())
	return d
}

// render executes one of a level's texts.
func render(name, text string, data TextData) (string, error) {
	t, err := parseText(name, text)
	if err != nil {
		return "", err
	}
	return execute(t, data)
}

func parseText(name, text string) (*template.Template, error) {
	return template.New(name).Option("missingkey=error").Parse(text)
}

func execute(t *template.Template, data TextData) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// sampleText is what a level's texts are tried on when they are saved.
var sampleText = TextData{
	FirmName: "Firm", CustomerName: "Customer", Number: "A-2026-000001", Numbers: "A-2026-000001, A-2026-000002",
	Several: true, Owed: "1,00 €", DueDate: "01/01/2026", DaysLate: 1, Interest: "0,01 €", Compensation: "40,00 €",
	HasInterest: true, HasStatement: true, EarlierNotices: true, Link: "https://example.com/v/x", PortalURL: "https://example.com/portal/", IBAN: "ES00", Level: "Level",
	Invoices: []InvoiceText{{Number: "A-2026-000001", IssueDate: "01/12/2025", DueDate: "01/01/2026", Owed: "1,00 €", Interest: "0,01 €", Compensation: "40,00 €", DaysLate: 1}},
}

// validateLevel refuses a level whose texts do not parse or print a field
// that does not exist, naming the field.
func validateLevel(e *core.RecordEvent) error {
	errs := validation.Errors{}
	for _, field := range []string{"subject_es", "body_es", "subject_en", "body_en"} {
		if _, err := render(field, e.Record.GetString(field), sampleText); err != nil {
			errs[field] = validation.NewError("validation_template", fmt.Sprintf("the template does not work: %v", err))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return e.Next()
}

// validateCustomerDays refuses a customer's own reminder days that are not
// a list of whole days.
func validateCustomerDays(e *core.RecordEvent) error {
	days, err := parseCustomDays(e.Record.GetString("reminder_days"))
	if err != nil {
		return validation.Errors{"reminder_days": validation.NewError("validation_reminder_days", err.Error())}
	}
	if e.Record.GetString("reminders") == CustomerCustom && len(days) == 0 {
		return validation.Errors{"reminder_days": validation.NewError("validation_reminder_days", "list the days after the due date to remind this customer, e.g. [7, 30]")}
	}
	return e.Next()
}

// dayString is a day as YYYY-MM-DD.
func dayString(t time.Time) string { return t.Format(time.DateOnly) }
