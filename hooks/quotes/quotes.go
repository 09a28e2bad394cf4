// Package quotes keeps quotes (presupuestos): written like an invoice,
// numbered in their own series and counters (quote_counters), drawn as a
// PDF of their own kind, answered by the customer, and turned into a draft
// invoice once accepted. A quote never takes an invoice number, never
// enters the invoices' chain and never counts in the invoice figures:
// nothing here touches series_counters, the chain or the invoices' events.
package quotes

import (
	"database/sql"
	"errors"
	"facturo/internal/money"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
	"facturo/hooks/pdf"
	"facturo/internal/clock"
	"facturo/internal/taxes"
)

// Collections this package owns.
const (
	Collection = "quotes"
	Counters   = "quote_counters"
	Events     = "quote_events"
)

// A quote's states.
const (
	StatusDraft    = "draft"
	StatusSent     = "sent" // finished: numbered, drawn, shown to the customer
	StatusAccepted = "accepted"
	StatusRejected = "rejected"
	StatusInvoiced = "invoiced"
)

// defaultSeries and defaultValidDays apply when the firm's profile says
// nothing.
const (
	defaultSeries    = "P"
	defaultValidDays = 30
)

// Finish numbers a draft quote in its own series, works out its totals
// with the invoices' arithmetic, draws its PDF, and makes it visible to the
// customer; it no longer changes.
func Finish(app core.App, id, actorEmail string) (*core.Record, error) {
	var done *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		q, err := tx.FindRecordById(Collection, id)
		if err != nil {
			return err
		}
		if q.GetString("status") != StatusDraft {
			return apis.NewBadRequestError("Quote "+q.GetString("number")+" is already finished.", nil)
		}
		lines, err := taxes.ParseLines([]byte(q.GetString("lines")))
		if err != nil || len(lines) == 0 {
			return apis.NewBadRequestError("A quote needs at least one line.", nil)
		}
		if err := invoicing.SetTotals(q, taxes.Compute(lines)); err != nil {
			return err
		}
		firm, err := invoicing.LoadIssuer(tx)
		if err != nil {
			return err
		}
		issueDate := clock.Today()
		if d := q.GetDateTime("issue_date"); !d.IsZero() {
			issueDate = clock.Day(d.Time())
		}
		q.Set("issue_date", issueDate)
		if q.GetDateTime("valid_until").IsZero() {
			days := firm.GetInt("quote_valid_days")
			if days <= 0 {
				days = defaultValidDays
			}
			q.Set("valid_until", issueDate.AddDate(0, 0, days))
		}
		series := q.GetString("series")
		if series == "" {
			series = firm.GetString("quote_series")
		}
		if series == "" {
			series = defaultSeries
		}
		q.Set("series", series)
		number, err := nextNumber(tx, series, issueDate.Year())
		if err != nil {
			return err
		}
		q.Set("number", number)
		doc, err := Render(tx, q)
		if err != nil {
			return err
		}
		file, err := filesystem.NewFileFromBytes(doc, number+".pdf")
		if err != nil {
			return err
		}
		q.Set("pdf", file)
		q.Set("status", StatusSent)
		q.Set("finished_at", clock.Now().UTC())
		if q.GetString("delivery") == "" {
			q.Set("delivery", "not_sent")
		}
		if err := tx.Save(q); err != nil {
			return err
		}
		done = q
		return appendEvent(tx, q.Id, "finished", actorEmail, map[string]any{"number": number, "total": q.GetFloat("total")})
	})
	return done, err
}

// Render draws a quote as a quote: its number, the day it stands until,
// no payment block and no QR code.
func Render(app core.App, q *core.Record) ([]byte, error) {
	doc, err := invoicing.CurrentDocument(app, q)
	if err != nil {
		return nil, err
	}
	doc.Kind = pdf.KindQuote
	doc.Number = q.GetString("number")
	doc.ValidUntil = q.GetDateTime("valid_until").Time()
	doc.DueDate = time.Time{}
	doc.Payment = nil
	return pdf.Render(doc)
}

// nextNumber takes the next number of a quote series for a year, in the
// quotes' own counters: P-2026-000001.
func nextNumber(tx core.App, series string, year int) (string, error) {
	counter := &core.Record{}
	err := tx.RecordQuery(Counters).AndWhere(dbx.HashExp{"series": series, "year": year}).Limit(1).One(counter)
	if errors.Is(err, sql.ErrNoRows) {
		col, cerr := tx.FindCachedCollectionByNameOrId(Counters)
		if cerr != nil {
			return "", cerr
		}
		counter = core.NewRecord(col)
		counter.Set("series", series)
		counter.Set("year", year)
	} else if err != nil {
		return "", err
	}
	next := counter.GetInt("last") + 1
	counter.Set("last", next)
	if err := tx.Save(counter); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d-%06d", series, year, next), nil
}

// Respond records the customer's answer to a finished quote: accepted or
// rejected, with its reason, by whom.
func Respond(app core.App, id, contactID string, accept bool, note string) (*core.Record, error) {
	var done *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		q, err := tx.FindRecordById(Collection, id)
		if err != nil {
			return err
		}
		if q.GetString("status") != StatusSent {
			return apis.NewBadRequestError("This quote cannot be answered now.", nil)
		}
		status, event := StatusRejected, "rejected"
		if accept {
			status, event = StatusAccepted, "accepted"
		}
		q.Set("status", status)
		q.Set("response_note", note)
		q.Set("response_by", contactID)
		q.Set("response_at", clock.Now().UTC())
		if err := tx.Save(q); err != nil {
			return err
		}
		done = q
		return appendEvent(tx, q.Id, event, "", map[string]any{"note": note, "contact": contactID})
	})
	return done, err
}

// ToDraftInvoice makes a draft invoice of an accepted quote: its customer,
// lines and notes, with the quote's number as the order reference. The
// draft is numbered only when it is issued, as any other.
func ToDraftInvoice(app core.App, id, actorEmail string) (*core.Record, error) {
	var inv *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		q, err := tx.FindRecordById(Collection, id)
		if err != nil {
			return err
		}
		if q.GetString("status") != StatusAccepted {
			return apis.NewBadRequestError("Only an accepted quote becomes an invoice.", nil)
		}
		col, err := tx.FindCachedCollectionByNameOrId(invoicing.Invoices)
		if err != nil {
			return err
		}
		inv = core.NewRecord(col)
		inv.Load(map[string]any{"customer": q.GetString("customer"), "lines": q.GetString("lines"), "notes": q.GetString("notes"),
			"currency": money.Currency, "order_reference": q.GetString("number"), "issue_date": clock.Today()})
		if err := tx.Save(inv); err != nil {
			return err
		}
		q.Set("status", StatusInvoiced)
		q.Set("invoice", inv.Id)
		if err := tx.Save(q); err != nil {
			return err
		}
		return appendEvent(tx, q.Id, "invoiced", actorEmail, map[string]any{"invoice": inv.Id})
	})
	return inv, err
}

func appendEvent(tx core.App, quoteID, kind, actorEmail string, data map[string]any) error {
	q, err := tx.FindRecordById(Collection, quoteID)
	if err != nil {
		return err
	}
	return AppendEvent(tx, q, kind, Actor{Email: actorEmail}, data)
}

// Actor is who did what a quote's timeline records: a recipient of its
// e-mail, a contact, a member of staff, or the system (empty).
type Actor struct {
	Email, IP, UserAgent string
	Contact              string // the contact's id, when a contact did it
}

// deliveryEvents are the delivery states a quote's e-mail moves through,
// each with the timeline event that records it.
var deliveryEvents = map[string]string{
	"queued": "queued", "sent": "sent", "failed": "send_failed", "delivered": "delivered", "bounced": "bounced",
}

// SetDelivery records, inside tx, what happened to a quote's e-mail: the
// quote's delivery state and the event on its timeline. A delivery report
// after a bounce is recorded without undoing the bounce.
func SetDelivery(tx core.App, quoteID, delivery string, actor Actor, data map[string]any) error {
	event, ok := deliveryEvents[delivery]
	if !ok {
		return fmt.Errorf("no quote delivery state %q", delivery)
	}
	q, err := tx.FindRecordById(Collection, quoteID)
	if err != nil {
		return err
	}
	if !(delivery == "delivered" && q.GetString("delivery") == "bounced") {
		q.Set("delivery", delivery)
		if err := tx.Save(q); err != nil {
			return err
		}
	}
	return AppendEvent(tx, q, event, actor, data)
}

// AppendEvent adds an event to a quote's timeline.
func AppendEvent(tx core.App, q *core.Record, kind string, actor Actor, data map[string]any) error {
	col, err := tx.FindCachedCollectionByNameOrId(Events)
	if err != nil {
		return err
	}
	e := core.NewRecord(col)
	e.Load(map[string]any{"quote": q.Id, "customer": q.GetString("customer"), "type": kind, "actor": actor.Contact,
		"actor_email": actor.Email, "ip": actor.IP, "user_agent": actor.UserAgent, "data": data})
	// Dated by the firm's clock, as the invoices' timeline is.
	at, err := types.ParseDateTime(clock.Now().UTC())
	if err != nil {
		return err
	}
	e.SetRaw("created", at)
	return tx.Save(e)
}

// MarkSeen records that the quote was opened (the e-mail's image, a weak
// signal), viewed (its page, by a person) or downloaded (its PDF); the
// first of each sets opened_at or viewed_at. An automated fetch is on the
// timeline, labelled so, and sets nothing.
func MarkSeen(app core.App, quoteID, kind string, automated bool, actor Actor, data map[string]any) error {
	return app.RunInTransaction(func(tx core.App) error {
		q, err := tx.FindRecordById(Collection, quoteID)
		if err != nil {
			return err
		}
		field := map[string]string{"opened": "opened_at", "viewed": "viewed_at", "downloaded": "viewed_at"}[kind]
		if field == "" {
			return fmt.Errorf("no quote signal %q", kind)
		}
		if !automated && q.GetDateTime(field).IsZero() {
			q.Set(field, clock.Now().UTC())
			if err := tx.Save(q); err != nil {
				return err
			}
		}
		return AppendEvent(tx, q, kind, actor, data)
	})
}

// Timeline is a quote's events, oldest first.
func Timeline(app core.App, quoteID string) ([]*core.Record, error) {
	return app.FindRecordsByFilter(Events, "quote = {:q}", "created", 0, 0, dbx.Params{"q": quoteID})
}
