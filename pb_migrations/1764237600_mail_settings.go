package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const mailSettingsID = "pbc_mail_settings"

// The product's mail settings, next to PocketBase's own SMTP settings (host,
// port, TLS, authentication), which the outbox uses as they are.
func init() {
	register(func(app core.App) error {
		c := core.NewBaseCollection("mail_settings", mailSettingsID)
		c.Fields.Add(
			&core.SelectField{Name: "delivery", Values: []string{"smtp", "folder"}, MaxSelect: 1,
				Help: "smtp: through the server of Settings → Mail settings; folder: write .eml files under pb_data/outbox (demo)"},
			&core.SelectField{Name: "smtp_tls", Values: []string{"auto", "starttls", "implicit", "none"}, MaxSelect: 1,
				Help: "auto: implicit TLS when Mail settings' TLS is on, else STARTTLS when the server offers it"},
			&core.NumberField{Name: "concurrency", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(32.0), Help: "Messages sent at once; 4 when empty"},
			&core.BoolField{Name: "send_on_issue", Help: "Queue the invoice email as soon as an invoice is issued"},
			&core.EmailField{Name: "bounce_address", Help: "Base of the envelope sender: bounces@firm.es gives bounces+<message>@firm.es"},
			&core.EmailField{Name: "reply_address", Help: "Base of Reply-To: ar@firm.es gives ar+<invoice>@firm.es"},
			&core.TextField{Name: "dkim_selector", Max: 63, Help: "DKIM selector published in DNS (s=)"},
			&core.TextField{Name: "dkim_private_key", Max: 8000, Help: "PEM private key, RSA or Ed25519; empty: no DKIM signature"},
			&core.TextField{Name: "status", Max: 1000, Help: "What the outbox is doing, or why it waits"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := app.Save(c); err != nil {
			return err
		}
		r := core.NewRecord(c)
		r.Set("delivery", "smtp")
		r.Set("smtp_tls", "auto")
		r.Set("concurrency", 4)
		return app.Save(r)
	}, func(app core.App) error {
		return deleteCollections(app, "mail_settings")
	})
}
