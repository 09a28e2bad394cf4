package remind

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
)

// lateInterest is the late-payment interest an invoice has accrued by the
// day at, and the fixed compensation for collection costs owed on it.
func lateInterest(app core.App, invoiceID string, at time.Time) (interest, compensation decimal.Decimal, err error) {
	return decimal.Zero, decimal.Zero, nil
}

// statement is a customer's statement of account as of the day at, as a
// PDF in the language given; nil when there is none to attach.
func statement(app core.App, customerID string, at time.Time, lang string) ([]byte, error) {
	return nil, nil
}
