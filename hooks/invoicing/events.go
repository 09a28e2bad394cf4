package invoicing

import (
	"facturo/internal/clock"
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/web"
)

// Actor is who caused an event and from where.
type Actor struct {
	Contact   *core.Record // the customer's person, when one acted
	Staff     bool         // a member of the firm's staff acted
	Email     string
	IP        string
	UserAgent string
}

// firmEvents are the events only the firm causes: its staff, or the product
// on its behalf (sending, reminders, a bank statement's payments).
var firmEvents = []string{EventIssued, EventQueued, EventSent, EventSendFailed, EventPayment, EventPaid, EventRectified, EventReminderSent}

// byFirm tells whether an event is the firm's act; the timeline stores it
// (by_firm), and what a customer reads shows such acts as the firm's.
func byFirm(eventType string, actor Actor, data any) bool {
	if actor.Staff || slices.Contains(firmEvents, eventType) {
		return true
	}
	m, _ := data.(map[string]any)
	return m["direction"] == "to_customer"
}

// ActorFromRequest describes whoever made the request: a contact, a staff
// member (superuser) or a guest, from the address a trusted proxy vouches
// for.
func ActorFromRequest(e *core.RequestEvent) Actor {
	a := Actor{IP: web.ClientIP(e), UserAgent: e.Request.UserAgent(), Staff: e.HasSuperuserAuth()}
	if e.Auth != nil {
		a.Email = e.Auth.Email()
		if e.Auth.Collection().Name == Contacts {
			a.Contact = e.Auth
		}
	}
	return a
}

// AppendEvent adds an entry to the invoice's timeline, as AppendEvents
// adds many: the one writer of the timeline, single or batched, which
// counts each entry on its invoice in the same transaction and announces
// it to OnEventsAppended's listeners once committed. Entries are never
// updated or deleted.
func AppendEvent(app core.App, invoice *core.Record, eventType string, actor Actor, data map[string]any) (*core.Record, error) {
	if !slices.Contains(EventTypes, eventType) {
		return nil, fmt.Errorf("unknown event type %q", eventType)
	}
	var ev *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		b := newEventBatch(tx, true)
		defer b.close()
		if err := b.add(invoice.Id, invoice.GetString("customer"), eventType, actor, data, dateTime(clock.Now().UTC()).String()); err != nil {
			return err
		}
		ev = b.written[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	announceEvents(app, []*core.Record{ev})
	return ev, nil
}

// countRows adds n to one of an invoice's counts of history rows
// (counterFields), in SQL: record saves keep the stored counts.
func countRows(tx core.App, field, invoiceID string, n int) error {
	_, err := tx.DB().NewQuery("UPDATE invoices SET " + field + " = " + field + " + {:n} WHERE id = {:id}").
		Bind(dbx.Params{"n": n, "id": invoiceID}).Execute()
	return err
}
