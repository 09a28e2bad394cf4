package invoicing

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/clock"
	"facturo/internal/web"
	"facturo/ui"
)

// Peppol Invoice Response code lists: UNCL4343 status reasons, and the
// corrective actions a rejecting customer asks for.
var (
	StatusReasons     = []string{"NON", "REF", "LEG", "REC", "QUA", "DEL", "PRI", "QTY", "ITM", "PAY", "UNR", "FIN", "OTH"}
	CorrectionActions = []string{"NOA", "PIN", "NIN", "CNF", "CNP", "CNA", "OTH"}
)

// deliveryEvents maps each delivery state to the event that reports it.
var deliveryEvents = map[string]string{
	"queued":    EventQueued,
	"sent":      EventSent,
	"delivered": EventDelivered,
	"failed":    EventSendFailed,
	"bounced":   EventBounced,
}

// SetDelivery moves an issued invoice's delivery state and logs the matching
// event with its details (SMTP reply, DSN status…).
func SetDelivery(app core.App, invoiceID, delivery string, actor Actor, data map[string]any) (*core.Record, error) {
	eventType, ok := deliveryEvents[delivery]
	if !ok {
		return nil, apis.NewBadRequestError("Unknown delivery state "+delivery+".", nil)
	}
	return changeIssued(app, invoiceID, func(inv *core.Record) (string, map[string]any, error) {
		inv.Set("delivery", delivery)
		return eventType, data, nil
	}, actor)
}

// MarkOpened records that the invoice email was opened (a weak signal: a
// tracking pixel was fetched).
func MarkOpened(app core.App, invoiceID string, actor Actor, data map[string]any) (*core.Record, error) {
	return changeIssued(app, invoiceID, func(inv *core.Record) (string, map[string]any, error) {
		if inv.GetDateTime("opened_at").IsZero() {
			inv.Set("opened_at", dateTime(clock.Now().UTC()))
		}
		return EventOpened, data, nil
	}, actor)
}

// MarkViewed records that a person looked at the invoice page or its PDF.
func MarkViewed(app core.App, invoiceID string, actor Actor, data map[string]any) (*core.Record, error) {
	return changeIssued(app, invoiceID, func(inv *core.Record) (string, map[string]any, error) {
		if inv.GetDateTime("viewed_at").IsZero() {
			inv.Set("viewed_at", dateTime(clock.Now().UTC()))
		}
		return EventViewed, data, nil
	}, actor)
}

// Response is a customer's answer to an invoice.
type Response struct {
	Action     string // accept, reject or query
	Reason     string // UNCL4343 status reason, required to reject
	Correction string // corrective action asked for, optional
	Note       string // required to query
}

// Respond records a contact's acceptance, rejection or query of an invoice.
func Respond(app core.App, invoiceID string, r Response, actor Actor) (*core.Record, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	return changeIssued(app, invoiceID, func(inv *core.Record) (string, map[string]any, error) {
		// A rectified invoice was replaced by its factura rectificativa: the
		// customer answers that one.
		if status := inv.GetString("status"); status != StatusIssued {
			return "", nil, web.Refuse(apis.NewBadRequestError("Invoice "+inv.GetString("number")+" is "+status+" and no longer in force; answer the invoice that replaced it.",
				validation.Errors{"action": validation.NewError("validation_not_in_force", "the invoice is "+status)}), "invoicing.err.not_in_force", ui.Args{"number": inv.GetString("number")})
		}
		event := map[string]string{"accept": EventAccepted, "reject": EventRejected, "query": EventQueried}[r.Action]
		inv.Set("response", map[string]string{"accept": "accepted", "reject": "rejected", "query": "queried"}[r.Action])
		inv.Set("response_reason", r.Reason)
		inv.Set("response_action", r.Correction)
		inv.Set("response_note", strings.TrimSpace(r.Note))
		inv.Set("response_at", dateTime(clock.Now().UTC()))
		if actor.Contact != nil {
			inv.Set("response_by", actor.Contact.Id)
		}
		return event, map[string]any{"reason": r.Reason, "correction": r.Correction, "note": strings.TrimSpace(r.Note)}, nil
	}, actor)
}

// maxNote is the most a response's note holds (the response_note field's
// size).
const maxNote = 2000

func (r Response) validate() error {
	switch r.Action {
	case "accept":
	case "reject":
		if !slices.Contains(StatusReasons, r.Reason) {
			return web.Refuse(apis.NewBadRequestError("A rejection needs its reason.",
				validation.Errors{"reason": validation.NewError("validation_invalid", "choose one of "+strings.Join(StatusReasons, ", "))}), "invoicing.err.reject_reason", nil)
		}
	case "query":
		if strings.TrimSpace(r.Note) == "" {
			return web.Refuse(apis.NewBadRequestError("A question needs its text.",
				validation.Errors{"note": validation.NewError("validation_required", "write the question")}), "invoicing.err.query_text", nil)
		}
	default:
		return web.Refuse(apis.NewBadRequestError("The action must be accept, reject or query.",
			validation.Errors{"action": validation.NewError("validation_invalid", "must be accept, reject or query")}), "invoicing.err.action", nil)
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(r.Note)); n > maxNote {
		return web.Refuse(apis.NewBadRequestError(fmt.Sprintf("The note has %d characters; at most %d.", n, maxNote),
			validation.Errors{"note": validation.NewError("validation_length_too_long", fmt.Sprintf("at most %d characters", maxNote))}), "invoicing.err.note_too_long", ui.Args{"n": n, "max": maxNote})
	}
	if err := CheckText("note", r.Note, true); err != nil {
		return err
	}
	if r.Correction != "" && !slices.Contains(CorrectionActions, r.Correction) {
		return web.Refuse(apis.NewBadRequestError("Unknown correction.",
			validation.Errors{"correction": validation.NewError("validation_invalid", "choose one of "+strings.Join(CorrectionActions, ", "))}), "invoicing.err.correction", nil)
	}
	return nil
}

// changeIssued applies a state change to an issued invoice and appends the
// event it reports, in one transaction.
func changeIssued(app core.App, invoiceID string, change func(*core.Record) (string, map[string]any, error), actor Actor) (*core.Record, error) {
	var inv *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		inv, err = findInvoice(tx, invoiceID)
		if err != nil {
			return err
		}
		if inv.GetString("status") == StatusDraft {
			return web.Refuse(apis.NewBadRequestError("Invoice is still a draft.", nil), "invoicing.err.draft", nil)
		}
		eventType, data, err := change(inv)
		if err != nil {
			return err
		}
		if err := saveAsSystem(tx, inv); err != nil {
			return err
		}
		_, err = AppendEvent(tx, inv, eventType, actor, data)
		return err
	})
	return inv, err
}
