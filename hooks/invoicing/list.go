package invoicing

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/internal/clock"
	"facturo/internal/taxes"
)

// Filter selects issued invoices, for lists and exports; or drafts, for
// staff.
type Filter struct {
	Drafts   bool      // drafts instead of issued invoices; never set from what a contact sends
	Customer string    // only this customer's invoices; empty for all (staff)
	IDs      []string  // only these invoices; empty for all
	Search   string    // in the number, the notes and the line descriptions
	From, To time.Time // issue dates, inclusive; zero for no bound
	State    string    // unpaid, overdue, paid, rejected, queried or voided; for staff also bounced, correction (rejected, a correction asked), unanswered (queried, not answered) or unsent (issued, never e-mailed); empty for all
	Min, Max *float64  // total, inclusive
	Sort     string    // issue_date, total, number or due_date, "-" first for descending; newest first by default
	Limit    int       // at most this many rows; 0 for all
	Offset   int       // rows skipped first, for pages
}

// Row is an invoice as lists and exports show it.
type Row struct {
	ID, Number, ExternalID, CustomerName, CustomerTaxID  string
	Currency                                             string
	IssueDate, DueDate                                   time.Time
	Subtotal, TaxTotal, SurchargeTotal, WithholdingTotal float64
	Total, PaidTotal                                     float64
	Status, Delivery, Response, Payment                  string
	Rectifies                                            string // the id of the invoice this one corrects, or ""
}

// sortColumns are the orders a list may take.
var sortColumns = map[string]string{
	"issue_date": "i.issue_date", "total": "i.total", "number": "i.number", "due_date": "i.due_date",
}

// KnownSort tells whether sort names an order a Filter can take: one of
// its columns, with "-" before it for descending.
func KnownSort(sort string) bool {
	_, ok := sortColumns[strings.TrimPrefix(sort, "-")]
	return ok
}

// EachInvoice calls fn for every issued invoice the filter selects, in its
// order, streaming rows from the database rather than loading them all.
func EachInvoice(app core.App, f Filter, fn func(Row) error) error {
	rows, err := selectInvoices(app, f).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r invoiceColumns
		if err := rows.ScanStruct(&r); err != nil {
			return err
		}
		if err := fn(r.row()); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LineRow is one line of an issued invoice, with the invoice it is on.
type LineRow struct {
	Invoice Row
	No      int // 1 for the invoice's first line
	Line    taxes.Line
}

// EachLine calls fn for every line of every issued invoice the filter
// selects, invoice by invoice in the filter's order and in each invoice's
// line order, streaming invoices from the database.
func EachLine(app core.App, f Filter, fn func(LineRow) error) error {
	rows, err := selectInvoices(app, f, "i.lines").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r struct {
			invoiceColumns
			Lines string `db:"lines"`
		}
		if err := rows.ScanStruct(&r); err != nil {
			return err
		}
		inv := r.row()
		// The lines were validated when the invoice was issued and are
		// frozen since; failing here means the stored record was altered.
		lines, err := taxes.ParseLines([]byte(r.Lines))
		if err != nil {
			return fmt.Errorf("invoice %s: %w", inv.Number, err)
		}
		for i, l := range lines {
			if err := fn(LineRow{Invoice: inv, No: i + 1, Line: l}); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

// invoiceColumns are the columns of a Row, as selectInvoices reads them.
type invoiceColumns struct {
	ID               string  `db:"id"`
	Number           string  `db:"number"`
	ExternalID       string  `db:"external_id"`
	CustomerName     string  `db:"customer_name"`
	CustomerTaxID    string  `db:"customer_tax_id"`
	Currency         string  `db:"currency"`
	IssueDate        string  `db:"issue_date"`
	DueDate          string  `db:"due_date"`
	Subtotal         float64 `db:"subtotal"`
	TaxTotal         float64 `db:"tax_total"`
	SurchargeTotal   float64 `db:"surcharge_total"`
	WithholdingTotal float64 `db:"withholding_total"`
	Total            float64 `db:"total"`
	PaidTotal        float64 `db:"paid_total"`
	Status           string  `db:"status"`
	Delivery         string  `db:"delivery"`
	Response         string  `db:"response"`
	Payment          string  `db:"payment"`
	Rectifies        string  `db:"rectifies"`
}

// PaymentState is what a list says of an invoice's payment: its payment
// state, or voided for an invoice that is owed nothing because it was
// voided.
func (r Row) PaymentState() string {
	if r.Status == StatusVoided {
		return StatusVoided
	}
	return r.Payment
}

func (r invoiceColumns) row() Row {
	issue, _ := types.ParseDateTime(r.IssueDate)
	due, _ := types.ParseDateTime(r.DueDate)
	return Row{
		ID: r.ID, Number: r.Number, ExternalID: r.ExternalID, CustomerName: r.CustomerName, CustomerTaxID: r.CustomerTaxID, Currency: r.Currency,
		IssueDate: issue.Time(), DueDate: due.Time(), Subtotal: r.Subtotal, TaxTotal: r.TaxTotal,
		SurchargeTotal: r.SurchargeTotal, WithholdingTotal: r.WithholdingTotal, Total: r.Total, PaidTotal: r.PaidTotal,
		Status: r.Status, Delivery: r.Delivery, Response: r.Response, Payment: r.Payment, Rectifies: r.Rectifies,
	}
}

// An issued invoice names its customer as its frozen copy says (recipient);
// a draft, as the customer is now. These read either, for a query of
// invoices aliased i joined to their customers aliased c.
const (
	recipientName  = "COALESCE(json_extract(i.recipient, '$.name'), c.name)"
	recipientTaxID = "COALESCE(json_extract(i.recipient, '$.tax_id'), c.tax_id)"
)

// selectInvoices is the query of the issued invoices the filter selects, in
// its order, reading the columns of a Row and any extra ones.
func selectInvoices(app core.App, f Filter, extra ...string) *dbx.SelectQuery {
	columns := append([]string{
		"i.id", "i.number", "i.external_id", recipientName + " AS customer_name", recipientTaxID + " AS customer_tax_id", "i.currency",
		"i.issue_date", "i.due_date", "i.subtotal", "i.tax_total", "i.surcharge_total", "i.withholding_total",
		"i.total", "i.paid_total", "i.status", "i.delivery", "i.response", "i.payment", "i.rectifies",
	}, extra...)
	q := app.DB().Select(columns...).From("invoices i").InnerJoin("customers c", dbx.NewExp("c.id = i.customer"))
	where(q, f)
	column, desc := "i.issue_date", true
	if f.Sort != "" {
		name := strings.TrimPrefix(f.Sort, "-")
		if c, ok := sortColumns[name]; ok {
			column, desc = c, strings.HasPrefix(f.Sort, "-")
		}
	}
	direction := " ASC"
	if desc {
		direction = " DESC"
	}
	q.OrderBy(column+direction, "i.number"+direction)
	if f.Limit > 0 {
		q.Limit(int64(f.Limit)).Offset(int64(f.Offset))
	}
	return q
}

// ListStates are the states a list can be narrowed to (Filter.State).
var ListStates = []string{"unpaid", "overdue", "paid", "rejected", "queried", "bounced", "correction", "unanswered", "unsent", "voided"}

// where narrows a query of invoices (aliased i) to what the filter selects.
func where(q *dbx.SelectQuery, f Filter) {
	if f.Drafts {
		q.Where(dbx.NewExp("i.status = 'draft'"))
	} else {
		q.Where(dbx.NewExp("i.status != 'draft'"))
	}
	if f.Customer != "" {
		q.AndWhere(dbx.NewExp("i.customer = {:customer}", dbx.Params{"customer": f.Customer}))
	}
	if len(f.IDs) > 0 {
		ids := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			ids[i] = id
		}
		q.AndWhere(dbx.In("i.id", ids...))
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		like := "%" + escapeLike(s) + "%"
		q.AndWhere(dbx.NewExp(`(i.number LIKE {:q} ESCAPE '\' OR i.notes LIKE {:q} ESCAPE '\' OR EXISTS (
			SELECT 1 FROM json_each(i.lines) l WHERE json_extract(l.value, '$.description') LIKE {:q} ESCAPE '\'))`, dbx.Params{"q": like}))
	}
	if !f.From.IsZero() {
		q.AndWhere(dbx.NewExp("i.issue_date >= {:from}", dbx.Params{"from": dateTime(civilDate(f.From)).String()}))
	}
	if !f.To.IsZero() {
		q.AndWhere(dbx.NewExp("i.issue_date <= {:to}", dbx.Params{"to": endOfDate(f.To)}))
	}
	if f.Min != nil {
		q.AndWhere(dbx.NewExp("i.total >= {:min}", dbx.Params{"min": *f.Min}))
	}
	if f.Max != nil {
		q.AndWhere(dbx.NewExp("i.total <= {:max}", dbx.Params{"max": *f.Max}))
	}
	switch f.State {
	// Owed as the figures count it (OpenInvoicesSQL): an invoice in force
	// with something left to pay, or a rectified one that, with its
	// corrections, still owes something; credits owe nothing. "Not paid", which that implies, is said too: it
	// lets SQLite walk the index of open invoices by due date.
	case "unpaid":
		q.AndWhere(dbx.NewExp("((i.payment != 'paid' AND i.status = 'issued' AND i.total > i.paid_total) OR (i.status = 'rectified' AND i.id IN (SELECT id FROM (" + RectifiedPairsSQL("") + "))))"))
	case "overdue":
		q.AndWhere(dbx.NewExp("((i.payment != 'paid' AND i.status = 'issued' AND i.total > i.paid_total) OR (i.status = 'rectified' AND i.id IN (SELECT id FROM ("+RectifiedPairsSQL("")+")))) AND i.due_date < {:today}", dbx.Params{"today": dateTime(clock.Today()).String()}))
	case "paid":
		q.AndWhere(dbx.NewExp("i.payment = 'paid'"))
	case "rejected", "queried":
		q.AndWhere(dbx.HashExp{"i.response": f.State}).AndWhere(dbx.NewExp("i.status != 'voided'"))
	case "voided":
		q.AndWhere(dbx.HashExp{"i.status": StatusVoided})
	case "bounced":
		q.AndWhere(dbx.NewExp("i.status = 'issued' AND i.delivery IN ('bounced', 'failed')"))
	case "unsent":
		// A rectified invoice never sent is unsent too: its customer is to
		// receive it with its correction (as send-unsent sends it).
		q.AndWhere(dbx.NewExp("i.status IN ('issued', 'rectified') AND i.delivery = 'not_sent'"))
	case "correction":
		q.AndWhere(dbx.NewExp("i.status = 'issued' AND i.response = 'rejected' AND i.response_action NOT IN ('', 'NOA')"))
	case "unanswered":
		q.AndWhere(dbx.NewExp(`i.response = 'queried' AND i.status != 'voided' AND ` + unansweredSQL))
	}
}

// CountInvoices counts the issued invoices the filter selects.
func CountInvoices(app core.App, f Filter) (int, error) {
	q := app.DB().Select("COUNT(*)").From("invoices i")
	where(q, f)
	var n int
	return n, q.Row(&n)
}

// escapeLike escapes the wildcards of a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
