package invoicing

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// IssuingEvent is an invoice being issued, inside the issuing transaction.
type IssuingEvent struct {
	hook.Event
	App     core.App     // the issuing transaction
	Invoice *core.Record // the invoice, issued in this transaction
	Actor   Actor
	Send    bool // the caller asked for the invoice to be e-mailed
}

const storeIssuingHook = "facturo.invoicing.issuing"

// OnIssuing is triggered inside the transaction that issues an invoice, so
// that what must happen with the issue happens with it or not at all: the
// outbox queues the invoice's e-mail here, and a crash cannot leave an
// invoice issued "and sent" whose e-mail was never queued. A handler's error
// rolls the issue back.
func OnIssuing(app core.App) *hook.Hook[*IssuingEvent] {
	return app.Store().GetOrSet(storeIssuingHook, func() any { return &hook.Hook[*IssuingEvent]{} }).(*hook.Hook[*IssuingEvent])
}
