package invoicing

import (
	"context"
	"facturo/internal/clock"
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
var firmEvents = []string{EventIssued, EventQueued, EventSent, EventSendFailed, EventPayment, EventPaid, EventRectified, EventReminderSent,
	EventVoided, EventAEATAccepted, EventAEATRejected}

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

// AppendEvent adds an entry to the invoice's timeline, and counts it on the
// invoice in the same transaction. It is the only way single events are
// written; they are never updated or deleted.
func AppendEvent(app core.App, invoice *core.Record, eventType string, actor Actor, data map[string]any) (*core.Record, error) {
	var ev *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		ev, err = appendEvent(tx, invoice, eventType, actor, data)
		if err != nil {
			return err
		}
		return countRows(tx, "event_count", invoice.Id, 1)
	})
	return ev, err
}

func appendEvent(app core.App, invoice *core.Record, eventType string, actor Actor, data map[string]any) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId(Events)
	if err != nil {
		return nil, err
	}
	ev := core.NewRecord(col)
	ev.Set("invoice", invoice.Id)
	ev.Set("customer", invoice.GetString("customer"))
	ev.Set("type", eventType)
	if actor.Contact != nil {
		ev.Set("actor", actor.Contact.Id)
	}
	ev.Set("actor_email", actor.Email)
	ev.Set("ip", actor.IP)
	ev.Set("user_agent", actor.UserAgent)
	ev.Set("by_firm", byFirm(eventType, actor, data))
	ev.SetRaw("created", dateTime(clock.Now().UTC()))
	if data != nil {
		ev.Set("data", data)
	}
	if err := app.SaveWithContext(asSystem(context.Background()), ev); err != nil {
		return nil, err
	}
	return ev, nil
}

// countRows adds n to one of an invoice's counts of history rows
// (counterFields), in SQL: record saves keep the stored counts.
func countRows(tx core.App, field, invoiceID string, n int) error {
	_, err := tx.DB().NewQuery("UPDATE invoices SET " + field + " = " + field + " + {:n} WHERE id = {:id}").
		Bind(dbx.Params{"n": n, "id": invoiceID}).Execute()
	return err
}
