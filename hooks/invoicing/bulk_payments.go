package invoicing

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/shopspring/decimal"

	"facturo/internal/clock"
	"facturo/internal/money"
)

// PaymentFor is a payment of one invoice, for RecordPayments.
type PaymentFor struct {
	InvoiceID string
	Payment
}

// RecordPayments records many payments at once, with RecordPayment's checks
// and the same rows and events, in one transaction, through prepared
// statements: a bank statement pays thousands of invoices, and saving a
// record for each payment, invoice and event took 1.5 ms a payment. The
// events reach OnEventsAppended's listeners (webhooks) once committed, not
// the events collection's record hooks. It returns the payments' ids, in
// order; with any payment refused, nothing is written.
func RecordPayments(app core.App, payments []PaymentFor, actor Actor) ([]string, error) {
	if len(payments) == 0 {
		return nil, nil
	}
	for i := range payments {
		if err := payments[i].Payment.normalize(); err != nil {
			return nil, inBatch(i, err)
		}
	}
	defer invoicesChanged() // after the commit, or the rollback
	var customers []string
	defer func() { customersChanged(app, customers...) }()
	ids := make([]string, len(payments))
	var written []*core.Record
	followed := OnEventsAppended(app).Length() > 0 // records are built only for listeners
	err := app.RunInTransaction(func(tx core.App) error {
		invoices, err := owedOf(tx, payments)
		if err != nil {
			return err
		}
		for _, inv := range invoices {
			if inv != nil {
				customers = append(customers, inv.Customer)
			}
		}
		insertPayment := tx.DB().NewQuery("INSERT INTO payments (id, invoice, amount, paid_on, method, reference, created) " +
			"VALUES ({:id}, {:invoice}, {:amount}, {:paid_on}, {:method}, {:reference}, {:at})").Prepare()
		defer insertPayment.Close()
		batch := newEventBatch(tx, followed)
		defer batch.close()
		at := dateTime(clock.Now().UTC()).String()
		event := func(inv *owedInvoice, eventType string, data map[string]any) error {
			return batch.add(inv.ID, inv.Customer, eventType, actor, data, at)
		}
		for i, pf := range payments {
			inv, ok := invoices[pf.InvoiceID]
			if !ok {
				return apis.NewNotFoundError("No invoice with id "+pf.InvoiceID+".", nil)
			}
			if err := pf.checkAgainst(payable{number: inv.Number, status: inv.Status, issueDate: inv.issueDate, owed: inv.total.Sub(inv.paid)}); err != nil {
				return inBatch(i, err)
			}
			ids[i] = core.GenerateDefaultRandomId()
			paidOn := dateTime(civilDate(pf.PaidOn)).String()
			reference := pf.Reference
			if _, err := insertPayment.Bind(dbx.Params{
				"id": ids[i], "invoice": inv.ID, "amount": pf.Amount.InexactFloat64(), "paid_on": paidOn,
				"method": pf.Method, "reference": reference, "at": at,
			}).Execute(); err != nil {
				return err
			}
			inv.paid = inv.paid.Add(pf.Amount)
			inv.payments++
			inv.state = "partial"
			if inv.paid.Equal(inv.total) {
				inv.state = "paid"
			}
			if err := event(inv, EventPayment, map[string]any{
				"payment": ids[i], "amount": pf.Amount.InexactFloat64(), "paid_on": paidOn,
				"method": pf.Method, "reference": reference, "paid_total": inv.paid.InexactFloat64(),
			}); err != nil {
				return err
			}
			if inv.state == "paid" {
				if err := event(inv, EventPaid, map[string]any{"paid_total": inv.paid.InexactFloat64()}); err != nil {
					return err
				}
			}
		}
		// updated is when the row was written, as PocketBase keeps it, not
		// the product's clock: the overview's cache compares it with the
		// writes of other processes.
		writtenAt := types.NowDateTime().String()
		update := tx.DB().NewQuery("UPDATE invoices SET paid_total = {:paid}, payment = {:state}, " +
			"payment_count = payment_count + {:payments}, updated = {:written_at} WHERE id = {:id}").Prepare()
		defer update.Close()
		for _, inv := range invoices {
			if inv.state == "" {
				continue
			}
			if _, err := update.Bind(dbx.Params{"paid": inv.paid.InexactFloat64(), "state": inv.state, "payments": inv.payments, "written_at": writtenAt, "id": inv.ID}).Execute(); err != nil {
				return err
			}
		}
		written = batch.written
		return nil
	})
	if err != nil {
		return nil, err
	}
	announceEvents(app, written)
	return ids, nil
}

// owedInvoice is what RecordPayments needs of an invoice, and what it has
// paid so far in the batch.
type owedInvoice struct {
	ID        string  `db:"id"`
	Number    string  `db:"number"`
	Status    string  `db:"status"`
	Customer  string  `db:"customer"`
	IssueDate string  `db:"issue_date"`
	Total     float64 `db:"total"`
	Paid      float64 `db:"paid_total"`

	issueDate   time.Time
	total, paid decimal.Decimal
	payments    int    // payments the batch records for it
	state       string // the payment state to store; empty when untouched
}

// owedOf loads the invoices the payments are for.
func owedOf(app core.App, payments []PaymentFor) (map[string]*owedInvoice, error) {
	out := map[string]*owedInvoice{}
	var ids []any
	for _, p := range payments {
		if _, seen := out[p.InvoiceID]; !seen {
			out[p.InvoiceID] = nil
			ids = append(ids, p.InvoiceID)
		}
	}
	clear(out)
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		var rows []*owedInvoice
		err := app.DB().Select("id", "number", "status", "customer", "issue_date", "total", "paid_total").From(Invoices).
			Where(dbx.In("id", ids[start:min(start+batch, len(ids))]...)).All(&rows)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			r.total, r.paid = money.FromStored(r.Total), money.FromStored(r.Paid)
			if d, err := types.ParseDateTime(r.IssueDate); err == nil {
				r.issueDate = d.Time()
			}
			out[r.ID] = r
		}
	}
	return out, nil
}

// NewEvent is a timeline entry for AppendEvents.
type NewEvent struct {
	InvoiceID, CustomerID string
	Type                  string
	Actor                 Actor
	Data                  map[string]any
}

// AppendEvents writes many timeline entries at once, as AppendEvent writes
// one, through a prepared statement: a reminder run puts thousands on the
// timeline. They reach OnEventsAppended's listeners once committed, not the
// events collection's record hooks.
func AppendEvents(app core.App, events []NewEvent) error {
	if len(events) == 0 {
		return nil
	}
	for _, ev := range events {
		if !slices.Contains(EventTypes, ev.Type) {
			return fmt.Errorf("unknown event type %q", ev.Type)
		}
	}
	var written []*core.Record
	followed := OnEventsAppended(app).Length() > 0 // records are built only for listeners
	err := app.RunInTransaction(func(tx core.App) error {
		batch := newEventBatch(tx, followed)
		defer batch.close()
		at := dateTime(clock.Now().UTC()).String()
		for _, ev := range events {
			if err := batch.add(ev.InvoiceID, ev.CustomerID, ev.Type, ev.Actor, ev.Data, at); err != nil {
				return err
			}
		}
		written = batch.written
		return nil
	})
	if err != nil {
		return err
	}
	announceEvents(app, written)
	return nil
}

// inBatch says which payment of a batch a refusal is about.
func inBatch(i int, err error) error {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apis.NewBadRequestError("Payment "+strconv.Itoa(i+1)+": "+apiErr.Message, apiErr.Data)
	}
	return err
}
