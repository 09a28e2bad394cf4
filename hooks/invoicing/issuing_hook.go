package invoicing

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"facturo/internal/taxes"
)

// IssuingEvent is an invoice being issued, inside the issuing transaction.
type IssuingEvent struct {
	hook.Event
	App     core.App     // the issuing transaction
	Invoice *core.Record // the invoice, issued in this transaction
	Actor   Actor
	Send    bool // the caller asked for the invoice to be e-mailed
	// The invoice's lines and the totals computed from them at issue, so
	// that handlers need not read them back from the record.
	Lines  []taxes.Line
	Totals taxes.Totals
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
