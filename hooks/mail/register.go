package mail

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

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
	app.OnRecordAfterUpdateSuccess(invoicing.Invoices).BindFunc(queueOnIssue)
	app.OnRecordAfterUpdateSuccess(MailSettings).BindFunc(forgetLinks)
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

// queueOnIssue queues the email of an invoice the moment it is issued, when
// the mail settings ask for it.
func queueOnIssue(e *core.RecordEvent) error {
	if e.Record.GetString("status") != invoicing.StatusIssued || e.Record.Original().GetString("status") != invoicing.StatusDraft {
		return e.Next()
	}
	settings, err := LoadSettings(e.App)
	if err != nil || !settings.SendOnIssue {
		return e.Next()
	}
	if _, err := Queue(e.App, e.Record.Id, invoicing.Actor{}); err != nil {
		e.App.Logger().Error("Sending on issue: the invoice email could not be queued", "invoice", e.Record.Id, "error", err)
	}
	return e.Next()
}
