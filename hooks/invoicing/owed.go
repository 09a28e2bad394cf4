package invoicing

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/money"
)

// What is still owed has one definition, used by every figure, list,
// statement and reminder:
//
//   - an invoice in force (status issued) owes what is left to pay on it,
//     when that is above zero: a credit owes nothing;
//   - a rectified invoice and its facturas rectificativas are one debt: the
//     rectified invoice owes what is left to pay on it plus what its
//     corrections add or take away (a credit of −200 on an invoice of 1,000
//     leaves 800), when that is above zero. A correction that is itself
//     owed (one that adds to the invoice, still unpaid) is counted on its
//     own, as above, and not again in the pair.
//
// A voided invoice owes nothing: it was issued by mistake.

// ownOpen is the condition, on an invoice aliased o, of an invoice in force
// owing something on its own: word for word the condition of the index of
// open invoices (idx_invoices_owed), so that SQLite uses it.
const ownOpen = "o.status = 'issued' AND o.total > o.paid_total"

// OpenInvoicesSQL is a query of every invoice that still owes something,
// with the columns id, customer, issue_date, due_date and owed; cond (on
// the invoice, aliased o; "" for none) narrows it, e.g. to one customer.
func OpenInvoicesSQL(cond string) string {
	return `SELECT o.id, o.customer, o.issue_date, o.due_date, o.total - o.paid_total AS owed
		FROM invoices o INDEXED BY idx_invoices_owed WHERE ` + ownOpen + and(cond) + `
		UNION ALL ` + RectifiedPairsSQL(cond)
}

// RectifiedPairsSQL is the part of OpenInvoicesSQL that counts the
// rectified invoices with their corrections, for the figures that add up
// the invoices in force some other way.
func RectifiedPairsSQL(cond string) string {
	return `SELECT o.id, o.customer, o.issue_date, o.due_date,
			ROUND(o.total - o.paid_total + SUM(CASE WHEN r.status = 'issued' AND r.total > r.paid_total THEN 0 ELSE r.total - r.paid_total END), 2) AS owed
		FROM invoices r INDEXED BY idx_invoices_rectifying CROSS JOIN invoices o ON o.id = r.rectifies
		WHERE r.rectifies != '' AND r.status IN ('issued', 'rectified') AND o.status = 'rectified'` + and(cond) + `
		GROUP BY o.id HAVING owed > 0`
}

func and(cond string) string {
	if cond == "" {
		return ""
	}
	return " AND (" + cond + ")"
}

// Correction is how an invoice stands in a rectification: the invoice it
// corrects, the ones that correct it, and what the invoice and its
// corrections still owe together.
type Correction struct {
	Rectifies   *core.Record   // the invoice this one corrects, or nil
	RectifiedBy []*core.Record // its issued corrections, oldest first
	// PairOwed is what a rectified invoice and its corrections still owe
	// together, never below zero (set only when RectifiedBy is not empty).
	PairOwed decimal.Decimal
}

// CorrectionOf reads how an invoice stands in a rectification.
func CorrectionOf(app core.App, inv *core.Record) (Correction, error) {
	var c Correction
	if id := inv.GetString("rectifies"); id != "" {
		original, err := app.FindRecordById(Invoices, id)
		if err != nil {
			return c, err
		}
		c.Rectifies = original
	}
	by, err := app.FindRecordsByFilter(Invoices, "rectifies = {:id} && (status = 'issued' || status = 'rectified')", "issued_at", 0, 0, dbx.Params{"id": inv.Id})
	if err != nil || len(by) == 0 {
		return c, err
	}
	c.RectifiedBy = by
	owed := money.FromStored(inv.GetFloat("total")).Sub(money.FromStored(inv.GetFloat("paid_total")))
	for _, r := range by {
		owed = owed.Add(money.FromStored(r.GetFloat("total")).Sub(money.FromStored(r.GetFloat("paid_total"))))
	}
	c.PairOwed = decimal.Max(owed, decimal.Zero)
	return c, nil
}

// unansweredSQL is the condition, on an invoice aliased i, that the firm
// has not written to the customer since the customer answered the invoice.
const unansweredSQL = `NOT EXISTS (SELECT 1 FROM events e WHERE e.invoice = i.id
			AND e.type = 'replied' AND json_extract(e.data, '$.direction') = 'to_customer' AND e.created > i.response_at)`

// AwaitingAnswerSQL is the condition, on an invoice aliased i, of an
// invoice the customer has rejected or queried and the firm has not
// answered yet. Such an invoice is disputed: until it is answered, neither
// the reminders nor the statement of account claim it or its interest.
const AwaitingAnswerSQL = `(i.response IN ('rejected', 'queried') AND ` + unansweredSQL + `)`

// AwaitingAnswer reports whether the customer has rejected or queried an
// invoice and the firm has not answered yet (AwaitingAnswerSQL).
func AwaitingAnswer(app core.App, inv *core.Record) (bool, error) {
	if r := inv.GetString("response"); r != "rejected" && r != "queried" {
		return false, nil
	}
	var n int
	err := app.DB().NewQuery(`SELECT COUNT(*) FROM invoices i WHERE i.id = {:id} AND ` + AwaitingAnswerSQL).
		Bind(dbx.Params{"id": inv.Id}).Row(&n)
	return n > 0, err
}
