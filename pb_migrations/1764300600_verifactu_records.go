package pb_migrations

import (
	"crypto/rand"
	"encoding/hex"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const verifactuRecordsID = "pbc_verifactu_records"

// aeatEvents are the AEAT's answers on an invoice's timeline: the firm's
// business with the tax agency, which its customers' contacts never read.
var aeatEvents = []string{"aeat_accepted", "aeat_rejected"}

// VERI*FACTU for real: every issue and every cancellation leaves a
// registration record (verifactu_records: its XML as sent, its huella and
// place in its issuer's chain, what the AEAT answered), written only by the
// product, read only by staff. An invoice issued by mistake may be voided;
// the timeline gains the void and the AEAT's answers, the latter hidden
// from contacts. The sender keeps its state on the settings row, where the
// installation gets its number. The issuer's old "verifactu" switch, which
// printed the VERI*FACTU legend whether or not anything reached the AEAT,
// gives way to verifactu_settings.enabled: it is not copied over, since
// sending starts only when staff choose to, with a certificate.
func init() {
	register(func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		addSelectValues(invoices, "status", "voided")
		if err := app.Save(invoices); err != nil {
			return err
		}

		events, err := app.FindCollectionByNameOrId(eventID)
		if err != nil {
			return err
		}
		addSelectValues(events, "type", append([]string{"voided"}, aeatEvents...)...)
		visible := isContact + " && customer = @request.auth.customer && invoice.status != 'draft' && type != 'aeat_accepted' && type != 'aeat_rejected'"
		events.ListRule, events.ViewRule = types.Pointer(visible), types.Pointer(visible)
		if err := app.Save(events); err != nil {
			return err
		}

		if err := app.Save(verifactuRecordsCollection()); err != nil {
			return err
		}
		records, err := app.FindCollectionByNameOrId(verifactuRecordsID)
		if err != nil {
			return err
		}
		records.Fields.AddAt(slices.Index(records.Fields.FieldNames(), "sent_at"),
			&core.RelationField{Name: "corrects", CollectionId: verifactuRecordsID, MaxSelect: 1,
				Help: "The record this one corrects (a subsanación); set by the system"})
		records.AddIndex("idx_verifactu_records_corrects", false, "corrects", "corrects != ''")
		if err := app.Save(records); err != nil {
			return err
		}

		settings, err := app.FindCollectionByNameOrId(verifactuSettingsID)
		if err != nil {
			return err
		}
		settings.Fields.Add(
			&core.TextField{Name: "installation_number", Max: 100, Help: "NumeroInstalacion: this installation in every record; set once by the system"},
			&core.DateField{Name: "next_send_at", Help: "The AEAT's last answer asks to wait until then (TiempoEsperaEnvio); set by the system"},
			&core.DateField{Name: "retry_at", Help: "After a failed attempt, the next one; set by the system"},
			&core.DateField{Name: "last_answer_at", Help: "When the AEAT last answered; set by the system"},
			&core.TextField{Name: "last_error", Max: 2000, Help: "The last attempt's failure, if it failed; set by the system"},
			&core.DateField{Name: "outage_since", Help: "Since when the AEAT cannot be reached; records sent after it say Incidencia S; set by the system"},
		)
		if err := app.Save(settings); err != nil {
			return err
		}
		number := make([]byte, 12)
		if _, err := rand.Read(number); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("UPDATE verifactu_settings SET installation_number = {:n} WHERE installation_number = ''").
			Bind(map[string]any{"n": "FT-" + hex.EncodeToString(number)}).Execute(); err != nil {
			return err
		}
		return removeFields(app, issuerID, "verifactu")
	}, func(app core.App) error {
		issuer, err := app.FindCollectionByNameOrId(issuerID)
		if err != nil {
			return err
		}
		issuer.Fields.Add(&core.BoolField{Name: "verifactu", Help: "VERI*FACTU mode: invoices carry the VERI*FACTU legend next to their QR"})
		if err := app.Save(issuer); err != nil {
			return err
		}
		if err := removeFields(app, verifactuSettingsID, "installation_number", "next_send_at", "retry_at", "last_answer_at", "last_error", "outage_since"); err != nil {
			return err
		}
		if err := deleteCollections(app, verifactuRecordsID); err != nil {
			return err
		}
		events, err := app.FindCollectionByNameOrId(eventID)
		if err != nil {
			return err
		}
		removeSelectValues(events, "type", append([]string{"voided"}, aeatEvents...)...)
		visible := isContact + " && customer = @request.auth.customer && invoice.status != 'draft'"
		events.ListRule, events.ViewRule = types.Pointer(visible), types.Pointer(visible)
		if err := app.Save(events); err != nil {
			return err
		}
		invoices, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		removeSelectValues(invoices, "status", "voided")
		return app.Save(invoices)
	})
}

// verifactuRecordsCollection holds the registration records: staff read
// them, only the product writes them (no API rules: superusers only; the
// verifactu package's record hooks refuse every other write).
func verifactuRecordsCollection() *core.Collection {
	c := core.NewBaseCollection("verifactu_records", verifactuRecordsID)
	c.Fields.Add(
		relation("invoice", invoiceID, true),
		&core.SelectField{Name: "kind", Values: []string{"alta", "anulacion"}, MaxSelect: 1, Required: true, Help: "RegistroAlta (issue) or RegistroAnulacion (void)"},
		&core.TextField{Name: "issuer_tax_id", Max: 20, Required: true, Help: "The issuer's NIF: each NIF has its own chain"},
		&core.TextField{Name: "number", Max: 60, Help: "The invoice's number"},
		&core.DateField{Name: "issue_date", Help: "The invoice's issue date"},
		&core.NumberField{Name: "seq", OnlyInt: true, Help: "Position in the issuer's chain, from 1"},
		&core.TextField{Name: "prev_hash", Max: 64, Help: "Huella of the record before it in the chain; empty for the first"},
		&core.TextField{Name: "huella", Max: 64, Help: "The record's huella"},
		&core.DateField{Name: "generated_at", Help: "FechaHoraHusoGenRegistro"},
		&core.TextField{Name: "xml", Max: 1 << 16, Help: "The record's XML, as generated and sent; never changed"},
		&core.BoolField{Name: "verifactu", Help: "Made while sending to the AEAT was on: it is sent, and its invoice carries the VERI*FACTU legend"},
		&core.SelectField{Name: "environment", Values: []string{"test", "production", "custom"}, MaxSelect: 1, Help: "Where it was to be sent"},
		&core.SelectField{Name: "status", Values: []string{"pending", "sent", "accepted", "accepted_with_errors", "rejected", "not_sent"}, MaxSelect: 1,
			Help: "pending: waits to be sent; sent: no answer yet; not_sent: made while sending was off, kept here only"},
		&core.TextField{Name: "csv", Max: 100, Help: "The AEAT's secure verification code of the request that registered it"},
		&core.TextField{Name: "error_code", Max: 10, Help: "The AEAT's error code, if any"},
		&core.TextField{Name: "error_text", Max: 1500, Help: "The AEAT's words about the error"},
		&core.NumberField{Name: "attempts", OnlyInt: true, Help: "Requests that carried it"},
		&core.BoolField{Name: "incidencia", Help: "Sent late because the AEAT could not be reached: its request says Incidencia S"},
		&core.BoolField{Name: "subsanacion", Help: "A correction of a record the AEAT refused or accepted with errors"},
		&core.DateField{Name: "sent_at"},
		&core.DateField{Name: "answered_at"},
		&core.DateField{Name: "reviewed_at", Help: "Staff read the AEAT's remarks and found nothing to correct"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	c.AddIndex("idx_verifactu_records_chain", true, "issuer_tax_id, seq", "")
	c.AddIndex("idx_verifactu_records_queue", false, "status, issuer_tax_id, seq", "")
	c.AddIndex("idx_verifactu_records_invoice", false, "invoice, kind", "")
	return c
}

// addSelectValues adds values to a select field.
func addSelectValues(c *core.Collection, field string, values ...string) {
	f := c.Fields.GetByName(field).(*core.SelectField)
	for _, v := range values {
		if !slices.Contains(f.Values, v) {
			f.Values = append(f.Values, v)
		}
	}
}

// removeSelectValues removes values from a select field.
func removeSelectValues(c *core.Collection, field string, values ...string) {
	f := c.Fields.GetByName(field).(*core.SelectField)
	f.Values = slices.DeleteFunc(f.Values, func(v string) bool { return slices.Contains(values, v) })
}
