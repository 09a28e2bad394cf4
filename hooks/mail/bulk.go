package mail

import (
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// QueueUnsent queues the email of every issued invoice never sent, oldest
// first, and returns the queued messages. progress, when not nil, is told
// after each one.
func QueueUnsent(app core.App, actor invoicing.Actor, progress func(done, total int)) ([]*core.Record, error) {
	unsent, err := app.FindRecordsByFilter(invoicing.Invoices,
		"status != 'draft' && status != 'voided' && delivery = 'not_sent'", "chain_seq", 0, 0)
	if err != nil {
		return nil, err
	}
	var queued []*core.Record
	for i, inv := range unsent {
		msg, err := Queue(app, inv.Id, actor)
		if err != nil {
			return queued, err
		}
		queued = append(queued, msg)
		if progress != nil {
			progress(i+1, len(unsent))
		}
	}
	return queued, nil
}
