package mail

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"facturo/hooks/invoicing"
)

// Register binds the send route, sending on issue, and the outbox worker,
// which runs while the server serves.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/invoices/{id}/send", handleSend).Bind(apis.RequireSuperuserAuth())
		se.Router.POST("/api/invoices/send-unsent", handleSendUnsent).Bind(apis.RequireSuperuserAuth())
		se.Router.POST("/api/invoices/{id}/answer", handleAnswer).Bind(apis.RequireSuperuserAuth())
		bindTrackingRoutes(se)
		if err := se.Next(); err != nil {
			return err
		}
		if se.Server == nil {
			return nil // a test router, not a listening server: tests start workers themselves
		}
		worker, err := StartWorker(se.App)
		if err != nil {
			return err
		}
		se.App.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
			worker.Stop()
			return te.Next()
		})
		return nil
	})
	invoicing.OnIssuing(app).BindFunc(queueOnIssue)
	app.OnRecordAfterUpdateSuccess(MailSettings).BindFunc(forgetLinks)
	bindAccountMail(app)
	app.OnMailerSend().BindFunc(keepSystemMailInFolder)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		opens(e.App).flush(e.App)
		return e.Next()
	})
}

// handleSend queues the invoice email (again, if it was sent before) and
// answers with the queued message.
func handleSend(e *core.RequestEvent) error {
	msg, err := Queue(e.App, e.Request.PathValue("id"), invoicing.ActorFromRequest(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusAccepted, msg)
}

// handleSendUnsent queues every issued invoice never sent; the worker sends
// them.
func handleSendUnsent(e *core.RequestEvent) error {
	queued, err := QueueUnsent(e.App, invoicing.ActorFromRequest(e), nil)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusAccepted, map[string]any{"queued": len(queued)})
}

// queueOnIssue queues the email of an invoice as it is issued, in the
// issuing transaction, when the caller asks for it or the mail settings
// send on issue: the issue and the queued e-mail commit together.
func queueOnIssue(e *invoicing.IssuingEvent) error {
	send := e.Send
	if !send {
		settings, err := LoadSettings(e.App)
		send = err == nil && settings.SendOnIssue
	}
	if send {
		if _, err := Queue(e.App, e.Invoice.Id, e.Actor); err != nil {
			var refused *router.ApiError
			if !errors.As(err, &refused) {
				return err // the database failed: the issue rolls back with it
			}
			// Refused before anything was written (the customer has no
			// address): the invoice is issued, and listed as not sent.
			e.App.Logger().Warn("Issued, but its email could not be queued", "invoice", e.Invoice.GetString("number"), "error", err)
		}
	}
	return e.Next()
}
