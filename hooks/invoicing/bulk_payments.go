package invoicing

import (
	"errors"
	"facturo/internal/money"
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
)

// PaymentFor is a payment of one invoice, for RecordPayments.
type PaymentFor struct {
	InvoiceID string
	Payment
}

// RecordPayments records payments against issued invoices, one or many (a
// bank statement pays thousands), in one transaction: the one writer of
// payments. Each payment is checked by itself (normalize) and against its
// invoice as the batch leaves it (checkAgainst: issued, still owed at
// least as much, not paid before it was issued); each invoice's new paid
// total and state pass the invoice guard (checkInvoiceChange) that every
// save of an invoice passes; payments, the invoices' states and the
// payment and paid events are written through prepared statements (saving
// a record for each payment, invoice and event took 1.5 ms a payment), and
// the events reach OnEventsAppended's listeners once committed. It returns
// the payments' ids, in order; with any payment refused, nothing is
// written.
func RecordPayments(app core.App, payments []PaymentFor, actor Actor) ([]string, error) {
	if len(payments) == 0 {
		return nil, nil
	}
	for i := range payments {
		if err := payments[i].Payment.normalize(); err != nil {
			return nil, inBatch(i, len(payments), err)
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
				return inBatch(i, len(payments), err)
			}
			ids[i] = core.GenerateDefaultRandomId()
			paidOn := dateTime(civilDate(pf.PaidOn)).String()
			reference := pf.Reference
			if _, err := insertPayment.Bind(dbx.Params{
				"id": ids[i], "invoice": inv.ID, "amount": money.ToStored(pf.Amount), "paid_on": paidOn,
				"method": pf.Method, "reference": reference, "at": at,
			}).Execute(); err != nil {
				return err
			}
			inv.paid = inv.paid.Add(pf.Amount)
			inv.payments++
			inv.state = paymentState(inv.paid, inv.total)
			if err := event(inv, EventPayment, map[string]any{
				"payment": ids[i], "amount": money.ToStored(pf.Amount), "paid_on": paidOn,
				"method": pf.Method, "reference": reference, "paid_total": money.ToStored(inv.paid),
			}); err != nil {
				return err
			}
			if inv.state == "paid" {
				if err := event(inv, EventPaid, map[string]any{"paid_total": money.ToStored(inv.paid)}); err != nil {
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
			changed := inv.stored.Clone()
			changed.Set("paid_total", money.ToStored(inv.paid))
			changed.Set("payment", inv.state)
			if _, err := checkInvoiceChange(inv.stored, changed, true); err != nil {
				return err
			}
			if _, err := update.Bind(dbx.Params{"paid": money.ToStored(inv.paid), "state": inv.state, "payments": inv.payments, "written_at": writtenAt, "id": inv.ID}).Execute(); err != nil {
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

// owedInvoice is an invoice a batch pays: as stored, and what the batch
// has paid so far.
type owedInvoice struct {
	stored             *core.Record
	ID, Number, Status string
	Customer           string
	issueDate          time.Time
	total, paid        decimal.Decimal
	payments           int    // payments the batch records for it
	state              string // the payment state to store; empty when untouched
}

// owedOf loads the invoices the payments are for, whole: the invoice guard
// compares each with what the batch makes of it.
func owedOf(app core.App, payments []PaymentFor) (map[string]*owedInvoice, error) {
	var ids []string
	seen := map[string]bool{}
	for _, p := range payments {
		if !seen[p.InvoiceID] {
			seen[p.InvoiceID] = true
			ids = append(ids, p.InvoiceID)
		}
	}
	out := make(map[string]*owedInvoice, len(ids))
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		records, err := app.FindRecordsByIds(Invoices, ids[start:min(start+batch, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, r := range records {
			out[r.Id] = &owedInvoice{
				stored: r, ID: r.Id, Number: r.GetString("number"), Status: r.GetString("status"), Customer: r.GetString("customer"),
				issueDate: r.GetDateTime("issue_date").Time(), total: decimalField(r, "total"), paid: decimalField(r, "paid_total"),
			}
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

// inBatch says which payment of a batch of n a refusal is about (a single
// payment's refusal is said as it is).
func inBatch(i, n int, err error) error {
	var apiErr *router.ApiError
	if n > 1 && errors.As(err, &apiErr) {
		return apis.NewBadRequestError("Payment "+strconv.Itoa(i+1)+": "+apiErr.Message, apiErr.Data)
	}
	return err
}
