package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// mailKinds are the e-mails the outbox sends besides invoices, reminders,
// answers and quotes: sign-in codes, password links, invitations (to the
// portal and to the workspace) and notices to the firm.
var mailKinds = []string{"code", "password", "staff_invite", "notice"}

// quoteMailEvents are what the mailbox reader learns of a quote's e-mail.
var quoteMailEvents = []string{"delivered", "delayed", "bounced"}

// Every e-mail goes through the outbox: a message may be about nobody's
// invoice (a sign-in code, an invitation, a notice), and then keeps what
// its template prints (data) and the reader's language (lang). A quote's
// e-mail is delivered or bounced like an invoice's, on the quote's own
// timeline.
func init() {
	register(func(app core.App) error {
		messages, err := app.FindCollectionByNameOrId(messageID)
		if err != nil {
			return err
		}
		kind := messages.Fields.GetByName("kind").(*core.SelectField)
		kind.Values = append(kind.Values, mailKinds...)
		messages.Fields.Add(
			&core.JSONField{Name: "data", MaxSize: 1 << 16, Help: "What the e-mail's template prints, for e-mails about no invoice; emptied of secrets once sent"},
			&core.TextField{Name: "lang", Max: 5, Help: "The reader's language, for e-mails about no customer"},
		)
		if err := app.Save(messages); err != nil {
			return err
		}
		quotes, err := app.FindCollectionByNameOrId(quotesID)
		if err != nil {
			return err
		}
		delivery := quotes.Fields.GetByName("delivery").(*core.SelectField)
		delivery.Values = append(delivery.Values, "delivered")
		if err := app.Save(quotes); err != nil {
			return err
		}
		events, err := app.FindCollectionByNameOrId(quoteEventsID)
		if err != nil {
			return err
		}
		types := events.Fields.GetByName("type").(*core.SelectField)
		types.Values = append(types.Values, quoteMailEvents...)
		return app.Save(events)
	}, func(app core.App) error {
		events, err := app.FindCollectionByNameOrId(quoteEventsID)
		if err != nil {
			return err
		}
		types := events.Fields.GetByName("type").(*core.SelectField)
		types.Values = slices.DeleteFunc(types.Values, func(v string) bool { return slices.Contains(quoteMailEvents, v) })
		if err := app.Save(events); err != nil {
			return err
		}
		quotes, err := app.FindCollectionByNameOrId(quotesID)
		if err != nil {
			return err
		}
		delivery := quotes.Fields.GetByName("delivery").(*core.SelectField)
		delivery.Values = slices.DeleteFunc(delivery.Values, func(v string) bool { return v == "delivered" })
		if err := app.Save(quotes); err != nil {
			return err
		}
		messages, err := app.FindCollectionByNameOrId(messageID)
		if err != nil {
			return err
		}
		kind := messages.Fields.GetByName("kind").(*core.SelectField)
		kind.Values = slices.DeleteFunc(kind.Values, func(v string) bool { return slices.Contains(mailKinds, v) })
		messages.Fields.RemoveByName("data")
		messages.Fields.RemoveByName("lang")
		return app.Save(messages)
	})
}
