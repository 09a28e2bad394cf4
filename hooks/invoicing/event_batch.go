package invoicing

import (
	"encoding/json"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// eventBatch writes timeline entries inside a transaction with one prepared
// statement: the one way entries are written, one (AppendEvent) or
// thousands (the pixel's opens, a statement's payments, a reminder run). It
// keeps them as records for OnEventsAppended's listeners when there are
// any.
type eventBatch struct {
	tx       core.App
	insert   *dbx.Query
	count    *dbx.Query
	followed bool
	written  []*core.Record
}

func newEventBatch(tx core.App, followed bool) *eventBatch {
	return &eventBatch{tx: tx, followed: followed, insert: tx.DB().NewQuery(
		"INSERT INTO events (id, invoice, customer, type, actor, actor_email, ip, user_agent, data, by_firm, created) " +
			"VALUES ({:id}, {:invoice}, {:customer}, {:type}, {:actor}, {:email}, {:ip}, {:ua}, {:data}, {:by_firm}, {:at})").Prepare(),
		count: tx.DB().NewQuery("UPDATE invoices SET event_count = event_count + 1 WHERE id = {:id}").Prepare()}
}

// add writes one entry, at the PocketBase datetime at.
func (b *eventBatch) add(invoiceID, customerID, eventType string, actor Actor, data any, at string) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if len(raw) > maxEventData {
		return fmt.Errorf("the %s event's data is %d bytes; at most %d", eventType, len(raw), maxEventData)
	}
	actorID := ""
	if actor.Contact != nil {
		actorID = actor.Contact.Id
	}
	params := dbx.Params{
		"id": core.GenerateDefaultRandomId(), "invoice": invoiceID, "customer": customerID, "type": eventType,
		"actor": actorID, "email": truncate(actor.Email, 320), "ip": truncate(actor.IP, 64), "ua": truncate(actor.UserAgent, 500), "data": string(raw),
		"by_firm": byFirm(eventType, actor, data), "at": at,
	}
	if _, err := b.insert.Bind(params).Execute(); err != nil {
		return err
	}
	if _, err := b.count.Bind(dbx.Params{"id": invoiceID}).Execute(); err != nil {
		return err
	}
	if b.followed {
		ev, err := eventRecord(b.tx, eventType, params)
		if err != nil {
			return err
		}
		b.written = append(b.written, ev)
	}
	return nil
}

// maxEventData is the events' data field's size.
const maxEventData = 1 << 16

func (b *eventBatch) close() {
	b.insert.Close()
	b.count.Close()
}
