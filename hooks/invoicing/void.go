package invoicing

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"facturo/internal/web"
	"facturo/ui"
)

// maxVoidReason is the most a void's reason holds.
const maxVoidReason = 500

// Void cancels an invoice issued by mistake (an operation that never took
// place, an invoice issued twice): it becomes voided, which leaves every
// figure, list of what is owed, reminder and bank match, and OnVoiding's
// handlers act in the same transaction (the VERI*FACTU cancellation
// record). What was invoiced wrongly but happened is corrected with a
// factura rectificativa instead; so an invoice with payments, a
// rectificativa itself, or an invoice already rectified or voided is
// refused.
func Void(app core.App, invoiceID, reason string, actor Actor) (*core.Record, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, web.Refuse(apis.NewBadRequestError("Say why the invoice is voided.",
			validation.Errors{"reason": validation.NewError("validation_required", "is required")}), "invoicing.err.void_reason", nil)
	}
	if n := utf8.RuneCountInString(reason); n > maxVoidReason {
		return nil, web.Refuse(apis.NewBadRequestError("The reason is too long.",
			validation.Errors{"reason": validation.NewError("validation_length_too_long", "at most 500 characters")}), "invoicing.err.reason_too_long", nil)
	}
	if err := CheckText("reason", reason, false); err != nil {
		return nil, err
	}
	var voided *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		inv, err := findInvoice(tx, invoiceID)
		if err != nil {
			return err
		}
		number := inv.GetString("number")
		switch inv.GetString("status") {
		case StatusDraft:
			return web.Refuse(apis.NewBadRequestError("A draft is not voided; delete it or edit it.", nil), "invoicing.err.void_draft", nil)
		case StatusVoided:
			return web.Refuse(apis.NewBadRequestError("Invoice "+number+" is already voided.", nil), "invoicing.err.void_voided", ui.Args{"number": number})
		case StatusRectified:
			return web.Refuse(apis.NewBadRequestError("Invoice "+number+" was corrected by a factura rectificativa and can no longer be voided.", nil), "invoicing.err.void_rectified", ui.Args{"number": number})
		}
		if inv.GetString("rectifies") != "" {
			return web.Refuse(apis.NewBadRequestError("Invoice "+number+" is a factura rectificativa; correct it with another one instead of voiding it.", nil), "invoicing.err.void_rectifying", ui.Args{"number": number})
		}
		if inv.GetFloat("paid_total") != 0 || inv.GetInt("payment_count") > 0 {
			return web.Refuse(apis.NewBadRequestError("Invoice "+number+" has payments recorded; it took place, so correct it with a factura rectificativa.", nil), "invoicing.err.void_paid", ui.Args{"number": number})
		}
		pending, err := tx.CountRecords(Invoices, dbx.HashExp{"rectifies": inv.Id, "status": StatusDraft})
		if err != nil {
			return err
		}
		if pending > 0 {
			return web.Refuse(apis.NewBadRequestError("A draft factura rectificativa of invoice "+number+" is waiting; delete it before voiding the invoice.", nil), "invoicing.err.void_pending", ui.Args{"number": number})
		}
		inv.Set("status", StatusVoided)
		if err := saveAsSystem(tx, inv); err != nil {
			return err
		}
		if _, err := AppendEvent(tx, inv, EventVoided, actor, map[string]any{"number": number, "reason": reason}); err != nil {
			return err
		}
		if err := OnVoiding(tx).Trigger(&VoidingEvent{App: tx, Invoice: inv, Actor: actor, Reason: reason}); err != nil {
			return err
		}
		voided, err = findInvoice(tx, inv.Id)
		return err
	})
	return voided, err
}

// VoidingEvent is an invoice being voided, inside the transaction that
// voids it.
type VoidingEvent struct {
	hook.Event
	App     core.App     // the voiding transaction
	Invoice *core.Record // the invoice, voided in this transaction
	Actor   Actor
	Reason  string
}

const storeVoidingHook = "facturo.invoicing.voiding"

// OnVoiding is triggered inside the transaction that voids an invoice: the
// cancellation record VERI*FACTU asks for is made there, so that an invoice
// is never voided without it. A handler's error rolls the void back.
func OnVoiding(app core.App) *hook.Hook[*VoidingEvent] {
	return app.Store().GetOrSet(storeVoidingHook, func() any { return &hook.Hook[*VoidingEvent]{} }).(*hook.Hook[*VoidingEvent])
}

func handleVoid(e *core.RequestEvent) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := DecodeBody(e, &body); err != nil {
		return err
	}
	inv, err := Void(e.App, e.Request.PathValue("id"), body.Reason, ActorFromRequest(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, inv)
}
