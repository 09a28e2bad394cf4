package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

const (
	webhookID         = "pbc_webhooks"
	webhookDeliveryID = "pbc_webhook_deliveries"
)

// webhookEventTypes are the timeline types a webhook can subscribe to.
var webhookEventTypes = []string{
	"issued", "delivered", "bounced", "opened", "viewed", "accepted", "rejected", "queried", "replied", "paid",
}

// Webhooks let the firm's ERP follow its invoices: the endpoints staff
// register, and the log of every delivery to them. Both are for staff only
// (no API rules: superusers alone).
func init() {
	register(func(app core.App) error {
		hooks := core.NewBaseCollection("webhooks", webhookID)
		hooks.Fields.Add(
			&core.URLField{Name: "url", Required: true, Presentable: true, Help: "Where events are POSTed; http or https"},
			&core.SelectField{Name: "events", Values: webhookEventTypes, MaxSelect: len(webhookEventTypes), Help: "Event types to send; all when none is chosen"},
			&core.TextField{Name: "secret", Hidden: true, Min: 32, Max: 200, Help: "Signs every delivery (Facturo-Signature); generated when left empty, and again when cleared"},
			&core.BoolField{Name: "active", Help: "Deliveries are sent only while active; a 410 Gone answer turns this off"},
			text("description", 500, ""),
		)
		hooks.Fields.Add(timestamps()...)
		if err := app.Save(hooks); err != nil {
			return err
		}

		deliveries := core.NewBaseCollection("webhook_deliveries", webhookDeliveryID)
		deliveries.Fields.Add(
			&core.RelationField{Name: "webhook", CollectionId: webhookID, MaxSelect: 1, Required: true, CascadeDelete: true},
			relation("event", eventID, false),
			&core.SelectField{Name: "event_type", Values: append(append([]string{}, webhookEventTypes...), "ping"), MaxSelect: 1, Required: true},
			&core.TextField{Name: "payload", Max: 1 << 20, Help: "The exact JSON body sent"},
			&core.SelectField{Name: "status", Values: []string{"pending", "sending", "retry", "delivered", "failed"}, MaxSelect: 1, Required: true},
			&core.NumberField{Name: "attempts", OnlyInt: true},
			&core.DateField{Name: "next_attempt_at"},
			&core.NumberField{Name: "last_status_code", OnlyInt: true, Help: "HTTP status of the last attempt; 0 when there was no answer"},
			&core.TextField{Name: "last_error", Max: 2000},
			&core.TextField{Name: "last_response", Max: 1024, Help: "First 1 KB of the last answer's body"},
			&core.JSONField{Name: "attempt_log", MaxSize: 1 << 16, Help: "Every attempt: when, HTTP status, error, first bytes of the answer"},
			&core.DateField{Name: "delivered_at"},
		)
		deliveries.Fields.Add(timestamps()...)
		// The worker seeks each endpoint's next due delivery; it and the
		// dashboard find deliveries by status; staff read an endpoint's log
		// newest first.
		deliveries.AddIndex("idx_webhook_deliveries_due", false, "webhook, status, next_attempt_at", "")
		deliveries.AddIndex("idx_webhook_deliveries_status", false, "status, next_attempt_at", "")
		deliveries.AddIndex("idx_webhook_deliveries_webhook", false, "webhook, created", "")
		return app.Save(deliveries)
	}, func(app core.App) error {
		return deleteCollections(app, webhookDeliveryID, webhookID)
	})
}
