package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// webhookProblems are the ways a webhook delivery fails: the endpoint
// answered an error status, a redirect, or 410 Gone; no answer came (the
// server could not be reached, or it did not answer in time); the request
// could not be made; the product stopped while sending it.
var webhookProblems = []string{"status", "redirect", "gone", "unreachable", "timeout", "request", "interrupted"}

// A delivery records which of its failures it was, so that the workspace
// says it in the reader's language; last_error keeps the network's or the
// endpoint's own words, as a detail.
func init() {
	register(func(app core.App) error {
		deliveries, err := app.FindCollectionByNameOrId(webhookDeliveryID)
		if err != nil {
			return err
		}
		deliveries.Fields.Add(&core.SelectField{Name: "last_problem", Values: webhookProblems, MaxSelect: 1,
			Help: "What went wrong on the last attempt, if it failed; set by the system"})
		return app.Save(deliveries)
	}, func(app core.App) error {
		return removeFields(app, webhookDeliveryID, "last_problem")
	})
}
