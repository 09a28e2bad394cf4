package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

const productsID = "pbc_products"

// The firm's catalogue: what a line of an invoice, a quote or a recurring
// invoice is filled from. Staff only (no API rules). Its tax defaults are
// checked by the invoice line rules when a product is saved.
func init() {
	register(func(app core.App) error {
		c := core.NewBaseCollection("products", productsID)
		c.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true, Help: "What the line says"},
			&core.TextField{Name: "code", Max: 50, Help: "The firm's own code (SKU); unique when set; an import updates the product with the same code"},
			&core.TextField{Name: "description", Max: 1000, Help: "Longer text for the catalogue; not printed"},
			&core.NumberField{Name: "unit_price", Help: "Price of one unit before tax, in euros"},
			&core.TextField{Name: "unit", Max: 20, Help: "h, kg, ud…"},
			&core.NumberField{Name: "vat", Help: "IVA percent: 21, 10, 4 or 0"},
			&core.TextField{Name: "vat_exemption", Max: 200, Help: "Why the product bears no IVA, when vat is 0"},
			&core.NumberField{Name: "surcharge", Help: "Recargo de equivalencia percent: 5.2, 1.4, 0.5, or 0"},
			&core.NumberField{Name: "withholding", Help: "IRPF percent: 15, 7, 19, 1, or 0"},
			&core.BoolField{Name: "active", Help: "Inactive products are not suggested"},
		)
		c.Fields.Add(timestamps()...)
		c.AddIndex("idx_products_code", true, "code", "code != ''")
		c.AddIndex("idx_products_name", false, "name", "")
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "products")
	})
}
