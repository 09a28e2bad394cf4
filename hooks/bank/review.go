package bank

import (
	"database/sql"
	"errors"
	"facturo/internal/money"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// Proposal is a movement waiting for staff, with the invoices it may pay.
type Proposal struct {
	Movement   *core.Record
	Candidates []invoicing.Row
}

// Proposed lists up to limit movements waiting for staff (all when limit
// is 0), oldest first, each with its candidate invoices as they stand now.
func Proposed(app core.App, limit int) ([]Proposal, error) {
	records, err := app.FindRecordsByFilter(Movements, "status = 'proposed'", "booking_date,line", limit, 0)
	if err != nil {
		return nil, err
	}
	out := make([]Proposal, len(records))
	for i, r := range records {
		out[i].Movement = r
		if ids := r.GetStringSlice("invoice"); len(ids) > 0 {
			err := invoicing.EachInvoice(app, invoicing.Filter{IDs: ids, Sort: "due_date"}, func(row invoicing.Row) error {
				out[i].Candidates = append(out[i].Candidates, row)
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Confirm records the movement's amount as a payment of the invoice staff
// chose (a proposal's candidate or any other) and marks it confirmed.
func Confirm(app core.App, movementID, invoiceID string, actor invoicing.Actor) (*core.Record, error) {
	var movement *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		m, err := reviewable(tx, movementID)
		if err != nil {
			return err
		}
		amount := money.FromStored(m.GetFloat("amount"))
		payment, err := invoicing.RecordPayment(tx, invoiceID, invoicing.Payment{
			Amount: amount, PaidOn: m.GetDateTime("booking_date").Time(), Method: "transfer",
			Reference: paymentReference(Movement{Reference: m.GetString("reference"), Concept: m.GetString("concept")}),
		}, actor)
		if err != nil {
			return err
		}
		m.Set("status", StatusConfirmed)
		m.Set("invoice", []string{invoiceID})
		m.Set("payment", []string{payment.Id})
		m.Set("note", truncate("confirmed by "+nonEmpty(actor.Email, "staff"), 500))
		movement = m
		return tx.Save(m)
	})
	return movement, err
}

// Reject marks the movement as paying no invoice.
func Reject(app core.App, movementID string, actor invoicing.Actor) (*core.Record, error) {
	var movement *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		m, err := reviewable(tx, movementID)
		if err != nil {
			return err
		}
		m.Set("status", StatusRejected)
		m.Set("note", truncate("rejected by "+nonEmpty(actor.Email, "staff"), 500))
		movement = m
		return tx.Save(m)
	})
	return movement, err
}

// reviewable finds a movement staff may still decide on: a proposal, or a
// credit nothing matched.
func reviewable(app core.App, id string) (*core.Record, error) {
	m, err := app.FindRecordById(Movements, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apis.NewNotFoundError("No bank movement with id "+id+".", nil)
	}
	if err != nil {
		return nil, err
	}
	if s := m.GetString("status"); s != StatusProposed && s != StatusUnmatched {
		return nil, apis.NewBadRequestError("This movement is "+s+"; only proposed and unmatched movements can be confirmed or rejected.", nil)
	}
	return m, nil
}

func nonEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}
