// Package bank reconciles bank statements with the invoices they pay: it
// reads Norma 43 (AEB Cuaderno 43) and ISO 20022 camt.053 statements, keeps
// every movement once in bank_movements, records the payments it is certain
// of through invoicing, and leaves the rest for staff to confirm or reject.
package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Movements is the collection of every statement line ever imported.
const Movements = "bank_movements"

// Movement statuses.
const (
	StatusMatched   = "matched"   // a certain match: the payment was recorded on import
	StatusProposed  = "proposed"  // a likely invoice, waiting for staff
	StatusUnmatched = "unmatched" // a credit nothing matched
	StatusIgnored   = "ignored"   // a debit: money going out pays no invoice
	StatusConfirmed = "confirmed" // staff confirmed a proposal (or chose an invoice)
	StatusRejected  = "rejected"  // staff said it pays no invoice
)

// Movement is one line of a bank statement.
type Movement struct {
	Line        int // 1-based line of the statement where the movement starts
	BookingDate time.Time
	ValueDate   time.Time
	Amount      decimal.Decimal // credits positive, debits negative
	Currency    string          // ISO 4217 letters
	Concept     string          // all concept and remittance text, joined
	Reference   string          // the bank's own references and the end-to-end id
	Account     string          // the IBAN when known, else the bank's account id
	Key         string          // stable identity: see assignKeys
}

// LineError is a problem with one line of a statement.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (e LineError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Message }

// assignKeys gives each movement its identity: a hash of what the bank says
// about it and of its ordinal among identical movements of the statement.
// Importing the statement again, or a later one that repeats its days,
// yields the same keys; two identical transfers on one day stay two.
func assignKeys(ms []Movement) {
	seen := map[string]int{}
	for i := range ms {
		m := &ms[i]
		identity := strings.Join([]string{
			m.Account, m.BookingDate.Format(time.DateOnly), m.ValueDate.Format(time.DateOnly),
			m.Amount.StringFixed(2), m.Currency, m.Reference, m.Concept,
		}, "\x1f")
		ordinal := seen[identity]
		seen[identity]++
		sum := sha256.Sum256([]byte(identity + "\x1f" + strconv.Itoa(ordinal)))
		m.Key = hex.EncodeToString(sum[:16])
	}
}

// joinText joins the non-empty, trimmed parts with single spaces.
func joinText(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}
