package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Staff answers to a customer's question go through the outbox too; the
// message keeps the text it sends.
func init() {
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(messageID)
		if err != nil {
			return err
		}
		c.Fields.Add(&core.TextField{Name: "body", Max: 20000, Help: "The text of an answer; invoice emails are written from templates"})
		return app.Save(c)
	}, func(app core.App) error {
		return removeFields(app, messageID, "body")
	})
}
