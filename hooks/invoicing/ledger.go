package invoicing

import (
	"database/sql"
	"encoding/json"
	"facturo/internal/money"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/shopspring/decimal"

	"facturo/internal/clock"
)

// PaymentFilter selects payments, for exports.
type PaymentFilter struct {
	Customer string    // only payments of this customer's invoices; empty for all
	From, To time.Time // paid_on days, inclusive; zero for no bound
}

// PaymentRow is a payment with the invoice it settles.
type PaymentRow struct {
	ID, InvoiceID, InvoiceNumber, CustomerName, CustomerTaxID, Currency string
	Amount                                                              decimal.Decimal
	PaidOn                                                              time.Time // the calendar day, at UTC midnight
	Method, Reference                                                   string
	RecordedAt                                                          time.Time // when it was recorded
}

// EachPayment calls fn for every payment the filter selects, in the order
// they were paid (and, on one day, recorded), streaming rows from the
// database.
func EachPayment(app core.App, f PaymentFilter, fn func(PaymentRow) error) error {
	q := app.DB().Select(
		"p.id", "p.invoice", "i.number", recipientName+" AS customer_name", recipientTaxID+" AS customer_tax_id", "i.currency",
		"p.amount", "p.paid_on", "p.method", "p.reference", "p.created",
	).From("payments p").
		InnerJoin("invoices i", dbx.NewExp("i.id = p.invoice")).
		InnerJoin("customers c", dbx.NewExp("c.id = i.customer"))
	if f.Customer != "" {
		q.AndWhere(dbx.NewExp("i.customer = {:customer}", dbx.Params{"customer": f.Customer}))
	}
	if !f.From.IsZero() {
		q.AndWhere(dbx.NewExp("p.paid_on >= {:from}", dbx.Params{"from": dateTime(civilDate(f.From)).String()}))
	}
	if !f.To.IsZero() {
		q.AndWhere(dbx.NewExp("p.paid_on <= {:to}", dbx.Params{"to": endOfDate(f.To)}))
	}
	// rowid is the order of insertion, which breaks ties of the same millisecond.
	q.OrderBy("p.paid_on ASC", "p.created ASC", "p.rowid ASC")

	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r struct {
			ID            string  `db:"id"`
			Invoice       string  `db:"invoice"`
			Number        string  `db:"number"`
			CustomerName  string  `db:"customer_name"`
			CustomerTaxID string  `db:"customer_tax_id"`
			Currency      string  `db:"currency"`
			Amount        float64 `db:"amount"`
			PaidOn        string  `db:"paid_on"`
			Method        string  `db:"method"`
			Reference     string  `db:"reference"`
			Created       string  `db:"created"`
		}
		if err := rows.ScanStruct(&r); err != nil {
			return err
		}
		paidOn, _ := types.ParseDateTime(r.PaidOn)
		created, _ := types.ParseDateTime(r.Created)
		if err := fn(PaymentRow{
			ID: r.ID, InvoiceID: r.Invoice, InvoiceNumber: r.Number, CustomerName: r.CustomerName,
			CustomerTaxID: r.CustomerTaxID, Currency: r.Currency,
			// The amount was rounded to the cent before it was stored; the
			// float column only needs reading back as those cents.
			Amount: money.FromStored(r.Amount), PaidOn: paidOn.Time(),
			Method: r.Method, Reference: r.Reference, RecordedAt: created.Time(),
		}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EventFilter selects timeline events, for exports.
type EventFilter struct {
	Customer string    // only this customer's events; empty for all
	Invoice  string    // only this invoice's events, by its id or its number; empty for all
	Type     string    // only events of this type (one of EventTypes); empty for all
	From, To time.Time // the days they happened in Spain, inclusive; zero for no bound
}

// EventRow is a timeline event with its invoice.
type EventRow struct {
	ID, InvoiceID, InvoiceNumber, CustomerName, CustomerTaxID string
	Type                                                      string
	ActorEmail, IP, UserAgent                                 string
	Data                                                      json.RawMessage // as stored; empty when there is none
	Created                                                   time.Time
}

// EachEvent calls fn for every event the filter selects, oldest first,
// streaming rows from the database.
func EachEvent(app core.App, f EventFilter, fn func(EventRow) error) error {
	q := app.DB().Select(
		"e.id", "e.invoice", "i.number", recipientName+" AS customer_name", recipientTaxID+" AS customer_tax_id",
		"e.type", "e.actor_email", "e.ip", "e.user_agent", "e.data", "e.created",
	).From("events e").
		LeftJoin("invoices i", dbx.NewExp("i.id = e.invoice")).
		LeftJoin("customers c", dbx.NewExp("c.id = e.customer"))
	if f.Customer != "" {
		q.AndWhere(dbx.NewExp("e.customer = {:customer}", dbx.Params{"customer": f.Customer}))
	}
	if f.Invoice != "" {
		// A subquery rather than an OR on the join, so that the events'
		// (invoice, created) index serves it.
		q.AndWhere(dbx.NewExp("e.invoice IN (SELECT id FROM invoices WHERE id = {:invoice} OR number = {:invoice})",
			dbx.Params{"invoice": f.Invoice}))
	}
	if f.Type != "" {
		q.AndWhere(dbx.HashExp{"e.type": f.Type})
	}
	if !f.From.IsZero() {
		q.AndWhere(dbx.NewExp("e.created >= {:from}", dbx.Params{"from": dateTime(startOfSpanishDay(f.From)).String()}))
	}
	// The last day a date filter can name, 9999-12-31, has no next day to
	// compare with: up to it is no bound at all.
	if !f.To.IsZero() && f.To.Year() < 9999 {
		q.AndWhere(dbx.NewExp("e.created < {:to}", dbx.Params{"to": dateTime(startOfSpanishDay(f.To.AddDate(0, 0, 1))).String()}))
	}
	q.OrderBy("e.created ASC", "e.rowid ASC")

	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r struct {
			ID            string         `db:"id"`
			Invoice       string         `db:"invoice"`
			Number        sql.NullString `db:"number"`
			CustomerName  sql.NullString `db:"customer_name"`
			CustomerTaxID sql.NullString `db:"customer_tax_id"`
			Type          string         `db:"type"`
			ActorEmail    string         `db:"actor_email"`
			IP            string         `db:"ip"`
			UserAgent     string         `db:"user_agent"`
			Data          sql.NullString `db:"data"`
			Created       string         `db:"created"`
		}
		if err := rows.ScanStruct(&r); err != nil {
			return err
		}
		created, _ := types.ParseDateTime(r.Created)
		ev := EventRow{
			ID: r.ID, InvoiceID: r.Invoice, InvoiceNumber: r.Number.String, CustomerName: r.CustomerName.String,
			CustomerTaxID: r.CustomerTaxID.String, Type: r.Type, ActorEmail: r.ActorEmail, IP: r.IP,
			UserAgent: r.UserAgent, Created: created.Time(),
		}
		if r.Data.String != "" && r.Data.String != "null" {
			ev.Data = json.RawMessage(r.Data.String)
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return rows.Err()
}

// startOfSpanishDay is the instant the calendar day of t begins in Spain,
// in UTC as events' times are stored.
func startOfSpanishDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, clock.Zone).UTC()
}
