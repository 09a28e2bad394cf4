package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Each timeline entry says whether the firm did it (its staff, or the
// product on its behalf), so that what a customer's contact reads shows the
// firm's acts as the firm's, never its staff's addresses, and a member of
// staff downloading an invoice is not taken for the customer reading it.
// Entries written before this migration are the firm's when their type is
// one only the firm causes, when they are the firm's answer, or when their
// address is a member of staff's.
func init() {
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("events")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.BoolField{Name: "by_firm", Help: "The firm did it: its staff, or the product on its behalf; set by the system"})
		if err := app.Save(c); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(`UPDATE events SET by_firm = TRUE
			WHERE type IN ('issued', 'queued', 'sent', 'send_failed', 'payment', 'paid', 'rectified', 'reminder_sent')
			OR json_extract(data, '$.direction') = 'to_customer'
			OR (actor = '' AND actor_email != '' AND actor_email IN (SELECT email FROM _superusers))`).Execute()
		return err
	}, func(app core.App) error {
		return removeFields(app, "events", "by_firm")
	})
}
