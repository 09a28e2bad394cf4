package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Structured e-invoices: the firm's Factur-X switch (on: its invoice PDFs
// carry their CII XML), each customer's preferred format (what the invoice
// e-mail attaches besides the PDF), its standing buyer reference (Peppol's
// BT-10, which many buyers require to route an invoice), the three DIR3
// codes of a public body (FACe routes a Facturae by them), and the order an
// invoice answers (a draft field that freezes at issue).
func init() {
	register(func(app core.App) error {
		issuer, err := app.FindCollectionByNameOrId("issuer")
		if err != nil {
			return err
		}
		issuer.Fields.Add(&core.BoolField{Name: "facturx", Help: "Invoice PDFs are Factur-X (PDF/A-3 with the invoice's CII XML inside)"})
		if err := app.Save(issuer); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("UPDATE issuer SET facturx = TRUE").Execute(); err != nil {
			return err
		}

		customers, err := app.FindCollectionByNameOrId(customerID)
		if err != nil {
			return err
		}
		// DIR3 codes are nine letters and digits, the first a letter for the
		// kind of administration (E state, A regional, L local, U
		// universities, GE, EA, …).
		const dir3 = `^[A-Z][A-Z0-9]{8}$`
		customers.Fields.Add(
			&core.SelectField{Name: "einvoice_format", Values: []string{"pdf", "facturx", "ubl", "facturae"}, MaxSelect: 1,
				Help: "What the invoice e-mail attaches besides the PDF: nothing (pdf, or empty), a Factur-X PDF, UBL (Peppol) or signed Facturae"},
			&core.TextField{Name: "buyer_reference", Max: 100, Help: "The reference the customer wants on its invoices to route them (Peppol buyer reference)"},
			&core.TextField{Name: "dir3_oficina_contable", Max: 9, Pattern: dir3, Help: "Public bodies: DIR3 code of the oficina contable (accounting office)"},
			&core.TextField{Name: "dir3_organo_gestor", Max: 9, Pattern: dir3, Help: "Public bodies: DIR3 code of the órgano gestor (managing body)"},
			&core.TextField{Name: "dir3_unidad_tramitadora", Max: 9, Pattern: dir3, Help: "Public bodies: DIR3 code of the unidad tramitadora (processing unit)"},
		)
		if err := app.Save(customers); err != nil {
			return err
		}

		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.Add(&core.TextField{Name: "order_reference", Max: 100, Help: "The customer's purchase order this invoice answers; frozen at issue"})
		return app.Save(invoices)
	}, func(app core.App) error {
		if err := removeFields(app, "invoices", "order_reference"); err != nil {
			return err
		}
		if err := removeFields(app, "customers", "einvoice_format", "buyer_reference", "dir3_oficina_contable", "dir3_organo_gestor", "dir3_unidad_tramitadora"); err != nil {
			return err
		}
		return removeFields(app, "issuer", "facturx")
	})
}
