// Package webhooks lets the firm's systems (its ERP) follow every change to
// its invoices: each timeline event of a subscribed type is POSTed, signed,
// to every active endpoint staff registered, through a delivery log that a
// worker sends and retries.
package webhooks

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// Collections this package owns.
const (
	Webhooks   = "webhooks"
	Deliveries = "webhook_deliveries"
)

// Delivery statuses. A delivery is pending until its first attempt, sending
// while an attempt is in flight, retry between failed attempts, and ends
// delivered or failed.
const (
	StatusPending   = "pending"
	StatusSending   = "sending"
	StatusRetry     = "retry"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
)

// EventPing is the type of the test delivery staff ask for; it is sent
// whatever the webhook subscribes to.
const EventPing = "ping"

// EventTypes are the timeline types a webhook can subscribe to; they keep
// their timeline names. Other timeline types are not sent.
var EventTypes = []string{
	invoicing.EventIssued, invoicing.EventDelivered, invoicing.EventBounced, invoicing.EventOpened,
	invoicing.EventViewed, invoicing.EventAccepted, invoicing.EventRejected, invoicing.EventQueried,
	invoicing.EventReplied, invoicing.EventPaid,
}

// secretBytes is the randomness of a generated signing secret.
const secretBytes = 32

// Register binds the delivery of timeline events, the webhooks' own record
// hooks, the staff routes, and the worker, which runs while the server
// serves.
func Register(app core.App) {
	// Every timeline entry, written alone or in a batch, is announced here
	// once committed.
	invoicing.OnEventsAppended(app).BindFunc(func(e *invoicing.EventsEvent) error {
		enqueueEvents(e.App, e.Events)
		return e.Next()
	})

	app.OnRecordCreateRequest(Webhooks).BindFunc(activeByDefault)
	app.OnRecordCreate(Webhooks).BindFunc(ensureSecret)
	app.OnRecordUpdate(Webhooks).BindFunc(ensureSecret)
	app.OnRecordValidate(Webhooks).BindFunc(validateURL)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/webhooks/{id}/test", handleTest).Bind(apis.RequireSuperuserAuth())
		se.Router.POST("/api/webhook-deliveries/{id}/retry", handleRetry).Bind(apis.RequireSuperuserAuth())
		if err := se.Next(); err != nil {
			return err
		}
		if se.Server == nil {
			return nil // a test router, not a listening server: tests start workers themselves
		}
		worker, err := StartWorker(se.App, Options{})
		if err != nil {
			return err
		}
		se.App.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
			worker.Stop()
			return te.Next()
		})
		return nil
	})
}

// activeByDefault makes a webhook created over REST active unless the
// request says otherwise.
func activeByDefault(e *core.RecordRequestEvent) error {
	body, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if _, given := body.Body["active"]; !given {
		e.Record.Set("active", true)
	}
	return e.Next()
}

// ensureSecret gives a webhook without a secret a new random one: at
// creation, and when staff clear it to rotate it.
func ensureSecret(e *core.RecordEvent) error {
	if e.Record.GetString("secret") == "" {
		secret, err := NewSecret()
		if err != nil {
			return err
		}
		e.Record.Set("secret", secret)
	}
	return e.Next()
}

// NewSecret returns a signing secret: 32 random bytes, base64url.
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// validateURL accepts only absolute http and https URLs: nothing else can
// receive a POST.
func validateURL(e *core.RecordEvent) error {
	raw := e.Record.GetString("url")
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return validation.Errors{"url": validation.NewError("validation_webhook_url", "Must be an http:// or https:// URL.")}
		}
	}
	return e.Next()
}
