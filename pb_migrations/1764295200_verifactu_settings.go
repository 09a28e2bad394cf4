package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

const verifactuSettingsID = "pbc_verifactu_settings"

// VERI*FACTU: the one row of settings with which the product sends every
// invoice record to the AEAT, staff only (no API rules). The certificate is
// the firm's (or its representative's) qualified certificate as a PKCS#12
// file; its password is hidden from every API answer. Sending is off until
// staff switch it on.
func init() {
	register(func(app core.App) error {
		c := core.NewBaseCollection("verifactu_settings", verifactuSettingsID)
		c.Fields.Add(
			&core.BoolField{Name: "enabled", Help: "Send every invoice record to the AEAT (VERI*FACTU); invoices issued while on carry the VERI*FACTU legend"},
			&core.SelectField{Name: "environment", Values: []string{"test", "production", "custom"}, MaxSelect: 1, Required: true,
				Help: "test: the AEAT's test service; production: the real one; custom: the endpoint below"},
			&core.URLField{Name: "endpoint", Help: "Only for custom: the service's URL"},
			&core.FileField{Name: "certificate", MaxSelect: 1, MaxSize: 64 << 10, Protected: true,
				Help: "The firm's or a representative's qualified certificate, PKCS#12 (.p12, .pfx)"},
			&core.TextField{Name: "certificate_password", Max: 200, Hidden: true, Help: "The certificate file's password; never shown again"},
			&core.TextField{Name: "server_ca", Max: 64 << 10, Help: "Only for custom: PEM certificates of the roots to trust for the endpoint"},
			&core.TextField{Name: "status", Max: 2000, Help: "What the sender is doing, or why it waits; set by the system"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := app.Save(c); err != nil {
			return err
		}
		r := core.NewRecord(c)
		r.Set("enabled", false)
		r.Set("environment", "test")
		return app.Save(r)
	}, func(app core.App) error {
		return deleteCollections(app, "verifactu_settings")
	})
}
