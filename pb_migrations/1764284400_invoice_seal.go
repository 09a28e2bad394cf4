package pb_migrations

import (
	"encoding/json"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/seal"
)

// sealedFieldsV1 are the invoice fields the content hash covers, as this
// migration seals them: everything an issued invoice says, frozen at issue.
// It is version 1 of the invoicing package's sealVersions.
var sealedFieldsV1 = []string{
	"customer", "series", "number", "issue_date", "operation_date", "due_date", "currency", "lines", "notes",
	"external_id", "rectifies", "rectification_code", "rectification_reason",
	"subtotal", "tax_total", "surcharge_total", "withholding_total", "total", "taxes",
	"recipient", "issuer", "issuer_tax_id", "hash", "prev_hash", "hashed_at", "chain_seq", "issued_at",
}

// An issued invoice states its parties and proves its content: the
// recipient's and the issuer's identity are copied onto it at issue
// (recipient, issuer), a content hash over every frozen field is stored
// (content_hash), and the counts of its timeline entries and payments are
// kept on it (event_count, payment_count) so that a row deleted from either
// is noticed. Invoices issued before this migration get their copies from
// the customer and the firm's profile as they are now, and are sealed as
// they stand.
func init() {
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		c.Fields.Add(
			&core.JSONField{Name: "recipient", MaxSize: 1 << 14, Help: "The customer's identity as the invoice states it; copied at issue, then frozen"},
			&core.JSONField{Name: "issuer", MaxSize: 1 << 14, Help: "The firm's identity as the invoice states it; copied at issue, then frozen"},
			&core.TextField{Name: "content_hash", Max: 64, Help: "SHA-256 over every frozen field; set at issue"},
			&core.NumberField{Name: "event_count", OnlyInt: true, Help: "Timeline entries written for this invoice; set by the system"},
			&core.NumberField{Name: "payment_count", OnlyInt: true, Help: "Payments recorded against this invoice; set by the system"},
		)
		if err := app.Save(c); err != nil {
			return err
		}
		return sealIssuedInvoices(app)
	}, func(app core.App) error {
		return removeFields(app, "invoices", "recipient", "issuer", "content_hash", "event_count", "payment_count")
	})
}

// sealIssuedInvoices gives the invoices issued before this migration their
// copies, content hash and counts, written in SQL: the record hooks refuse
// any change to an issued invoice's frozen fields.
func sealIssuedInvoices(app core.App) error {
	issuers, err := app.FindAllRecords("issuer")
	if err != nil || len(issuers) == 0 {
		return err
	}
	firm := issuers[0]
	country := func(r *core.Record) string {
		if c := r.GetString("country"); c != "" {
			return c
		}
		return "ES"
	}
	issuerCopy, err := json.Marshal(map[string]any{
		"name": strings.TrimSpace(firm.GetString("legal_name")), "trade_name": strings.TrimSpace(firm.GetString("trade_name")),
		"tax_id": firm.GetString("tax_id"), "address": firm.GetString("address"), "city": firm.GetString("city"),
		"postal_code": firm.GetString("postal_code"), "province": firm.GetString("province"), "country": country(firm),
		"email": firm.GetString("email_reply_to"), "phone": firm.GetString("phone"), "iban": firm.GetString("iban"), "bic": firm.GetString("bic"),
	})
	if err != nil {
		return err
	}
	invoices, err := app.FindRecordsByFilter("invoices", "status != 'draft'", "chain_seq", 0, 0)
	if err != nil {
		return err
	}
	for _, inv := range invoices {
		customer, err := app.FindRecordById("customers", inv.GetString("customer"))
		if err != nil {
			return err
		}
		lang := customer.GetString("language")
		if lang == "" {
			lang = firm.GetString("default_language")
		}
		recipientCopy, err := json.Marshal(map[string]any{
			"name": strings.TrimSpace(customer.GetString("name")), "tax_id": customer.GetString("tax_id"),
			"address": customer.GetString("address"), "city": customer.GetString("city"),
			"postal_code": customer.GetString("postal_code"), "province": customer.GetString("province"),
			"country": country(customer), "language": lang,
		})
		if err != nil {
			return err
		}
		inv.Set("recipient", string(recipientCopy))
		inv.Set("issuer", string(issuerCopy))
		var counts struct {
			Events   int `db:"events"`
			Payments int `db:"payments"`
		}
		if err := app.DB().NewQuery(`SELECT (SELECT COUNT(*) FROM events WHERE invoice = {:id}) AS events,
			(SELECT COUNT(*) FROM payments WHERE invoice = {:id}) AS payments`).Bind(dbx.Params{"id": inv.Id}).One(&counts); err != nil {
			return err
		}
		if _, err := app.DB().Update("invoices", dbx.Params{
			"recipient": string(recipientCopy), "issuer": string(issuerCopy), "content_hash": seal.Hash(inv, sealedFieldsV1),
			"event_count": counts.Events, "payment_count": counts.Payments,
		}, dbx.HashExp{"id": inv.Id}).Execute(); err != nil {
			return err
		}
	}
	return nil
}
