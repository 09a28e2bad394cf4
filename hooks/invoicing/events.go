package invoicing

import (
	"context"

	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/web"
)

// Actor is who caused an event and from where.
type Actor struct {
	Contact   *core.Record // the customer's person, when one acted
	Email     string
	IP        string
	UserAgent string
}

// ActorFromRequest describes whoever made the request: a contact, a staff
// member (superuser) or a guest, from the address a trusted proxy vouches
// for.
func ActorFromRequest(e *core.RequestEvent) Actor {
	a := Actor{IP: web.ClientIP(e), UserAgent: e.Request.UserAgent()}
	if e.Auth != nil {
		a.Email = e.Auth.Email()
		if e.Auth.Collection().Name == Contacts {
			a.Contact = e.Auth
		}
	}
	return a
}

// AppendEvent adds an entry to the invoice's timeline. It is the only way
// events are written; they are never updated or deleted.
func AppendEvent(app core.App, invoice *core.Record, eventType string, actor Actor, data map[string]any) (*core.Record, error) {
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
	ev.SetRaw("created", dateTime(now().UTC()))
	if data != nil {
		ev.Set("data", data)
	}
	if err := app.SaveWithContext(asSystem(context.Background()), ev); err != nil {
		return nil, err
	}
	return ev, nil
}
