package bank

import (
	"encoding/json"
	"errors"
	"facturo/internal/money"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
)

// Summary is what an import did, or with a dry run would do.
type Summary struct {
	Movements int         `json:"movements"` // in the statement
	Matched   []Match     `json:"matched"`   // payments recorded
	Proposed  int         `json:"proposed"`  // waiting for staff
	Unmatched int         `json:"unmatched"` // credits nothing matched
	Known     int         `json:"known"`     // imported before: skipped
	Ignored   int         `json:"ignored"`   // debits
	DryRun    bool        `json:"dry_run"`
	Errors    []LineError `json:"errors"` // the statement's problems; with any, nothing was written
}

// Match is a payment recorded from a movement.
type Match struct {
	Invoice string `json:"invoice"` // its number
	Amount  string `json:"amount"`
}

// errRollback ends a dry run's transaction without writing.
var errRollback = errors.New("dry run: rolled back")

// Import reads the statement named name and reconciles it: in one
// transaction it stores the movements not seen before and records the
// payments it is certain of. With any problem in the statement nothing is
// written and the summary lists them; a dry run does everything and rolls
// back, so it tells exactly what a real run would do. The error is for
// failures of the store.
func Import(app core.App, name string, content []byte, dryRun bool) (Summary, error) {
	s := Summary{Matched: []Match{}, Errors: []LineError{}, DryRun: dryRun}
	movements, errs := Parse(content)
	if len(errs) > 0 {
		s.Errors = errs
		return s, nil
	}
	s.Movements = len(movements)
	err := app.RunInTransaction(func(tx core.App) error {
		s = Summary{Movements: len(movements), Matched: []Match{}, Errors: []LineError{}, DryRun: dryRun}
		known, err := knownKeys(tx, movements)
		if err != nil {
			return err
		}
		idx, err := newIndex(tx)
		if err != nil {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId(Movements)
		if err != nil {
			return err
		}
		// Payments are recorded together, after every movement is decided
		// (the index keeps what each decision paid), and the movements are
		// written together: a record save each took most of the time.
		var (
			rows  []*core.Record
			pays  []invoicing.PaymentFor
			payOf = map[*core.Record][]int{}
		)
		for _, m := range movements {
			if known[m.Key] {
				s.Known++
				continue
			}
			r := newMovementRecord(col, name, m)
			rows = append(rows, r)
			if !m.Amount.IsPositive() {
				s.Ignored++
				r.Set("status", StatusIgnored)
				continue
			}
			d := decide(m.Amount, m.Currency, idx.clues(m))
			r.Set("status", d.Status)
			r.Set("note", d.Note)
			r.Set("invoice", candidateIDs(d.Pay))
			switch d.Status {
			case StatusMatched:
				for i, inv := range d.Pay {
					payOf[r] = append(payOf[r], len(pays))
					pays = append(pays, invoicing.PaymentFor{InvoiceID: inv.ID, Payment: invoicing.Payment{
						Amount: d.Amount[i], PaidOn: m.BookingDate, Method: "transfer", Reference: paymentReference(m),
					}})
					idx.paid(inv.ID, d.Amount[i])
					s.Matched = append(s.Matched, Match{Invoice: inv.Number, Amount: d.Amount[i].StringFixed(2)})
				}
			case StatusProposed:
				s.Proposed++
			default:
				s.Unmatched++
			}
		}
		ids, err := invoicing.RecordPayments(tx, pays, invoicing.Actor{})
		if err != nil {
			return err
		}
		for r, list := range payOf {
			payments := make([]string, len(list))
			for i, n := range list {
				payments[i] = ids[n]
			}
			r.Set("payment", payments)
		}
		if err := insertMovements(tx, rows); err != nil {
			return err
		}
		if dryRun {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return Summary{}, err
	}
	return s, nil
}

// insertMovements writes the movement records with one prepared statement.
func insertMovements(app core.App, rows []*core.Record) error {
	insert := app.DB().NewQuery("INSERT INTO " + Movements + ` (id, key, statement, line, booking_date, value_date, amount, currency,
		concept, reference, account, status, invoice, payment, note, created, updated) VALUES ({:id}, {:key}, {:statement}, {:line},
		{:booking}, {:value}, {:amount}, {:currency}, {:concept}, {:reference}, {:account}, {:status}, {:invoice}, {:payment}, {:note},
		{:at}, {:at})`).Prepare()
	defer insert.Close()
	at := types.NowDateTime().String()
	for _, r := range rows {
		invoices, err := json.Marshal(r.GetStringSlice("invoice"))
		if err != nil {
			return err
		}
		payments, err := json.Marshal(r.GetStringSlice("payment"))
		if err != nil {
			return err
		}
		if _, err := insert.Bind(dbx.Params{
			"id": core.GenerateDefaultRandomId(), "key": r.GetString("key"), "statement": r.GetString("statement"), "line": r.GetInt("line"),
			"booking": r.GetDateTime("booking_date").String(), "value": r.GetDateTime("value_date").String(), "amount": r.GetFloat("amount"),
			"currency": r.GetString("currency"), "concept": r.GetString("concept"), "reference": r.GetString("reference"),
			"account": r.GetString("account"), "status": r.GetString("status"), "invoice": string(invoices), "payment": string(payments),
			"note": truncate(r.GetString("note"), 500), "at": at,
		}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

func newMovementRecord(col *core.Collection, statement string, m Movement) *core.Record {
	r := core.NewRecord(col)
	booking, _ := types.ParseDateTime(m.BookingDate)
	value, _ := types.ParseDateTime(m.ValueDate)
	r.Load(map[string]any{
		"key": m.Key, "statement": truncate(statement, 300), "line": m.Line, "booking_date": booking, "value_date": value,
		"amount": money.ToStored(m.Amount), "currency": truncate(m.Currency, 3), "concept": truncate(m.Concept, 2000),
		"reference": truncate(m.Reference, 500), "account": truncate(m.Account, 64),
	})
	return r
}

// knownKeys are the keys of the movements imported before.
func knownKeys(app core.App, ms []Movement) (map[string]bool, error) {
	known := map[string]bool{}
	const batch = 500
	for start := 0; start < len(ms); start += batch {
		keys := make([]any, 0, batch)
		for _, m := range ms[start:min(start+batch, len(ms))] {
			keys = append(keys, m.Key)
		}
		var found []string
		if err := app.DB().Select("key").From(Movements).Where(dbx.In("key", keys...)).Column(&found); err != nil {
			return nil, err
		}
		for _, k := range found {
			known[k] = true
		}
	}
	return known, nil
}

func candidateIDs(cs []Candidate) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// paymentReference is what the payment record says it came from.
func paymentReference(m Movement) string {
	if m.Reference != "" {
		return truncate("bank "+m.Reference, 200)
	}
	return truncate("bank "+m.Concept, 200)
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n]))
	}
	return s
}
