package invoicing

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Open is one fetch of an email's tracking pixel.
type Open struct {
	InvoiceID  string
	CustomerID string
	Actor      Actor
	Data       map[string]any
	// Automated fetches (image proxies, prefetchers) are logged but do not
	// set the invoice's opened_at.
	Automated bool
	At        string // PocketBase datetime
}

// AppendOpens writes a batch of pixel fetches to the timeline in one
// transaction, and sets opened_at on the invoices a person opened for the
// first time. Pixels are the product's hottest route (every image load of
// every email), so this path goes to SQL directly, with one prepared
// statement, instead of saving each event as a record: it skips the
// per-record validation (the fields come from a verified token) and
// PocketBase's realtime notifications, which a weak signal does not need.
func AppendOpens(app core.App, opens []Open) error {
	if len(opens) == 0 {
		return nil
	}
	defer invoicesChanged() // after the commit, or the rollback
	var written []*core.Record
	followed := OnEventsAppended(app).Length() > 0 // records are built only for listeners
	err := app.RunInTransaction(func(tx core.App) error {
		batch := newEventBatch(tx, followed)
		defer batch.close()
		firstOpen := map[string]string{}
		for _, o := range opens {
			if err := batch.add(o.InvoiceID, o.CustomerID, EventOpened, o.Actor, o.Data, o.At); err != nil {
				return err
			}
			if _, ok := firstOpen[o.InvoiceID]; !ok && !o.Automated {
				firstOpen[o.InvoiceID] = o.At
			}
		}
		for id, at := range firstOpen {
			if _, err := tx.DB().NewQuery("UPDATE invoices SET opened_at = {:at}, updated = {:now} WHERE id = {:id} AND opened_at = ''").
				Bind(dbx.Params{"at": at, "id": id, "now": types.NowDateTime().String()}).Execute(); err != nil {
				return err
			}
		}
		written = batch.written
		return nil
	})
	if err != nil {
		return err
	}
	announceEvents(app, written)
	return nil
}

// EventsEvent is timeline events just committed, one or a batch.
type EventsEvent struct {
	hook.Event
	App    core.App
	Events []*core.Record // records of the events collection, as stored
}

// OnEventsAppended is the one notification of the timeline: triggered once
// the events written by AppendEvent, AppendEvents, AppendOpens or
// RecordPayments have committed, alone or in a batch. Whoever follows the
// timeline (webhooks) listens here; the events collection's record hooks
// see only writes from outside the product (which its guards refuse).
// Errors of its handlers are logged: the events are written by then.
func OnEventsAppended(app core.App) *hook.Hook[*EventsEvent] {
	return &eventsHook(app).Hook
}

const storeEventsHook = "facturo.invoicing.eventsAppended"

type eventsAppended struct {
	hook.Hook[*EventsEvent]
	mu  sync.Mutex
	app core.App // the app outside any transaction, for batches written in one
}

func eventsHook(app core.App) *eventsAppended {
	h := app.Store().GetOrSet(storeEventsHook, func() any { return &eventsAppended{} }).(*eventsAppended)
	if app.TxInfo() == nil {
		h.mu.Lock()
		if h.app == nil {
			h.app = app
		}
		h.mu.Unlock()
	}
	return h
}

func (h *eventsAppended) outsideTx() core.App {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.app
}

func (h *eventsAppended) announce(app core.App, written []*core.Record) {
	if app == nil {
		return // every listener was bound inside a transaction: none can be told
	}
	if err := h.Trigger(&EventsEvent{App: app, Events: written}); err != nil {
		app.Logger().Error("A listener of the events just written failed", "error", err)
	}
}

// announceEvents tells OnEventsAppended's listeners of the events written,
// once they are committed: at once, or when the caller's transaction
// commits (and never if it rolls back).
func announceEvents(app core.App, written []*core.Record) {
	if len(written) == 0 {
		return
	}
	h := eventsHook(app)
	if tx := app.TxInfo(); tx != nil {
		// Called inside a caller's transaction: the rows exist only once it
		// commits, and then the caller's tx app is spent.
		tx.OnComplete(func(txErr error) error {
			if txErr == nil {
				h.announce(h.outsideTx(), written)
			}
			return nil
		})
		return
	}
	h.announce(app, written)
}

// eventRecord is the event row of type just inserted with params, as a
// record.
func eventRecord(app core.App, eventType string, params dbx.Params) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId(Events)
	if err != nil {
		return nil, err
	}
	ev := core.NewRecord(col)
	ev.Id = params["id"].(string)
	ev.Load(map[string]any{
		"invoice": params["invoice"], "customer": params["customer"], "type": eventType, "actor": params["actor"],
		"actor_email": params["email"], "ip": params["ip"], "user_agent": params["ua"],
		"data": params["data"], "by_firm": params["by_firm"], "created": params["at"],
	})
	ev.MarkAsNotNew()
	return ev, nil
}

// truncate cuts s to at most n bytes without splitting a UTF-8 character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
