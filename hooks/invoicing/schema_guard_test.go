package invoicing_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/migrating"
)

// TestSchemaOfTheInvoicesChangesOnlyInAMigration tries, as staff over REST
// and as Go code, to drop, rename and retype fields of the collections that
// hold issued invoices and to delete them; each is refused, while adding a
// field is not, and a migration may do what it must.
func TestSchemaOfTheInvoicesChangesOnlyInAMigration(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)

	for _, name := range []string{"invoices", "events", "payments", "series_counters", "customers"} {
		if res := call(t, "DELETE", base+"/api/collections/"+name, apptest.Tokens.Staff, ""); res.status != 400 || !strings.Contains(res.body, "never deleted") {
			t.Errorf("deleting %s over REST: %d %s", name, res.status, res.body)
		}
	}

	edits := []struct {
		name   string
		change func(c *core.Collection)
		want   string
	}{
		{"drop notes", func(c *core.Collection) { c.Fields.RemoveByName("notes") }, "notes cannot be removed"},
		{"retype total", func(c *core.Collection) {
			f := c.Fields.GetByName("total")
			c.Fields.RemoveByName("total")
			c.Fields.Add(&core.TextField{Id: f.GetId(), Name: "total"})
		}, "total cannot change from number to text"},
		{"rename lines", func(c *core.Collection) { c.Fields.GetByName("lines").SetName("items") }, "lines cannot be renamed to items"},
		{"rename the collection", func(c *core.Collection) { c.Name = "facturas" }, "cannot be renamed"},
	}
	for _, edit := range edits {
		c, err := app.FindCollectionByNameOrId(invoicing.Invoices)
		if err != nil {
			t.Fatal(err)
		}
		edit.change(c)
		if err := app.Save(c); err == nil || !strings.Contains(err.Error(), edit.want) {
			t.Errorf("%s from Go: %v, want %q", edit.name, err, edit.want)
		}
	}
	// Over REST, as the dashboard sends it: the whole field list, one short.
	res := call(t, "PATCH", base+"/api/collections/payments", apptest.Tokens.Staff,
		`{"fields":[{"name":"invoice","type":"relation","collectionId":"pbc_invoices","maxSelect":1,"required":true}]}`)
	if res.status != 400 || !strings.Contains(res.body, "cannot be removed") {
		t.Errorf("dropping the payments' fields over REST: %d %s", res.status, res.body)
	}
	for _, name := range []string{"notes", "total", "lines"} {
		if c, _ := app.FindCollectionByNameOrId(invoicing.Invoices); c.Fields.GetByName(name) == nil {
			t.Errorf("the field %s is gone", name)
		}
	}

	// Adding a field and changing the rules stay possible.
	c, err := app.FindCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		t.Fatal(err)
	}
	c.Fields.Add(&core.TextField{Name: "sector"})
	if err := app.Save(c); err != nil {
		t.Errorf("adding a field was refused: %v", err)
	}

	// A migration may drop a field.
	err = migrating.Wrap(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoicing.Customers)
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("sector")
		return app.Save(c)
	})(app)
	if err != nil {
		t.Errorf("a migration could not drop a field: %v", err)
	}
}
