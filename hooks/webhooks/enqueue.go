package webhooks

import (
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/web"
)

// enqueueEvents writes one delivery per active webhook subscribed to each
// event's type. It runs after the events are committed, and a failure here
// is only logged: the operation that recorded the events has succeeded.
func enqueueEvents(app core.App, events []*core.Record) {
	if err := enqueue(app, events); err != nil {
		app.Logger().Error("webhooks: queuing the deliveries of new events", "events", len(events), "error", err)
	}
}

// subscription is what choosing a webhook for an event needs.
type subscription struct {
	id     string
	events []string // none: all
}

func (s subscription) wants(eventType string) bool {
	return len(s.events) == 0 || slices.Contains(s.events, eventType)
}

func enqueue(app core.App, events []*core.Record) error {
	var sendable []*core.Record
	for _, ev := range events {
		if slices.Contains(EventTypes, ev.GetString("type")) {
			sendable = append(sendable, ev)
		}
	}
	if len(sendable) == 0 {
		return nil
	}
	subs, err := activeSubscriptions(app)
	if err != nil || len(subs) == 0 {
		return err
	}
	col, err := app.FindCachedCollectionByNameOrId(Deliveries)
	if err != nil {
		return err
	}
	now := time.Now()
	cache := map[string]*core.Record{}
	var rows []*core.Record
	for _, ev := range sendable {
		eventType := ev.GetString("type")
		var targets []string
		for _, s := range subs {
			if s.wants(eventType) {
				targets = append(targets, s.id)
			}
		}
		if len(targets) == 0 {
			continue
		}
		subj, err := describe(app, ev, cache)
		if err != nil {
			// One unreadable event must not hold back the rest of the batch.
			app.Logger().Error("webhooks: reading an event's invoice", "event", ev.Id, "error", err)
			continue
		}
		for _, webhookID := range targets {
			d, err := newDelivery(col, webhookID, ev.Id, eventType, subj, now)
			if err != nil {
				return err
			}
			rows = append(rows, d)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	err = app.RunInTransaction(func(tx core.App) error {
		for _, d := range rows {
			if err := tx.Save(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		wake(app)
	}
	return err
}

// activeSubscriptions lists the active webhooks and what they subscribe to.
func activeSubscriptions(app core.App) ([]subscription, error) {
	records, err := app.FindRecordsByFilter(Webhooks, "active = true", "created", 0, 0)
	if err != nil {
		return nil, err
	}
	subs := make([]subscription, len(records))
	for i, r := range records {
		subs[i] = subscription{id: r.Id, events: r.GetStringSlice("events")}
	}
	return subs, nil
}

// newDelivery builds a pending delivery whose body is final: its id is
// chosen first so that the body can carry it.
func newDelivery(col *core.Collection, webhookID, eventID, eventType string, subj subject, now time.Time) (*core.Record, error) {
	d := core.NewRecord(col)
	d.Id = core.GenerateDefaultRandomId()
	body, err := subj.body(d.Id, now)
	if err != nil {
		return nil, err
	}
	d.Set("webhook", webhookID)
	d.Set("event", eventID)
	d.Set("event_type", eventType)
	d.Set("payload", string(body))
	d.Set("status", StatusPending)
	d.Set("next_attempt_at", now)
	d.Set("created", now)
	return d, nil
}

// QueuePing writes a ping delivery to the webhook, to check the endpoint
// and its signature check, whatever event types it subscribes to.
func QueuePing(app core.App, webhookID string) (*core.Record, error) {
	hook, err := app.FindRecordById(Webhooks, webhookID)
	if err != nil {
		return nil, err
	}
	if !hook.GetBool("active") {
		return nil, errInactive()
	}
	col, err := app.FindCachedCollectionByNameOrId(Deliveries)
	if err != nil {
		return nil, err
	}
	d, err := newDelivery(col, webhookID, "", EventPing, subject{}, time.Now())
	if err != nil {
		return nil, err
	}
	if err := app.Save(d); err != nil {
		return nil, err
	}
	wake(app)
	return d, nil
}

// SendAgain makes a delivery due now, whatever became of it: staff use it
// for a failed delivery once the endpoint is fixed, or to hurry a retry.
// One in flight is refused.
func SendAgain(app core.App, deliveryID string) (*core.Record, error) {
	var d *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		if d, err = tx.FindRecordById(Deliveries, deliveryID); err != nil {
			return err
		}
		if d.GetString("status") == StatusSending {
			return web.Refuse(apis.NewBadRequestError("The delivery is being sent right now; ask again once it is done.", nil), "webhooks.err.sending", nil)
		}
		hook, err := tx.FindRecordById(Webhooks, d.GetString("webhook"))
		if err != nil {
			return err
		}
		if !hook.GetBool("active") {
			return errInactive()
		}
		d.Set("status", StatusPending)
		d.Set("next_attempt_at", time.Now())
		return tx.Save(d)
	})
	if err != nil {
		return nil, err
	}
	wake(app)
	return d, nil
}

// An inactive webhook is sent nothing, not even a ping or a delivery staff
// ask to send again; what is queued for it waits until it is active again.
func errInactive() error {
	return web.Refuse(apis.NewBadRequestError("The webhook is inactive; activate it first.", nil), "webhooks.err.inactive", nil)
}

const storeWake = "facturo.webhooks.wake"

// wakeChannel tells the app's worker that a delivery became due. Buffered
// by one: a pending wake-up is enough.
func wakeChannel(app core.App) chan struct{} {
	return app.Store().GetOrSet(storeWake, func() any { return make(chan struct{}, 1) }).(chan struct{})
}

func wake(app core.App) {
	select {
	case wakeChannel(app) <- struct{}{}:
	default:
	}
}
