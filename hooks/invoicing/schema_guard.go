package invoicing

import (
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/migrating"
)

// guardedSchemas are the collections whose schema holds the invoices and
// their history: dropping, renaming or retyping one of their fields, or
// deleting one of them, would destroy or garble what issued invoices say.
var guardedSchemas = []string{Invoices, Events, Payments, SeriesCounters, Customers}

// bindSchemaGuard refuses such changes for everyone (the admin dashboard,
// the collections API, Go code) outside the product's migrations, which are
// reviewed, versioned and run once. Adding a field, an index or changing
// the API rules stays possible.
func bindSchemaGuard(app core.App) {
	app.OnCollectionUpdate().BindFunc(func(e *core.CollectionEvent) error {
		if migrating.InProgress() {
			return e.Next()
		}
		stored, err := e.App.FindCollectionByNameOrId(e.Collection.Id)
		if err != nil || !slices.Contains(guardedSchemas, stored.Name) {
			return e.Next()
		}
		if problems := schemaChanges(stored, e.Collection); len(problems) > 0 {
			return apis.NewBadRequestError("The schema of "+stored.Name+" holds issued invoices and their history and changes only in a migration: "+
				strings.Join(problems, "; ")+".", nil)
		}
		return e.Next()
	})
	app.OnCollectionDelete().BindFunc(func(e *core.CollectionEvent) error {
		if err := refuseSchemaDelete(e.Collection); err != nil {
			return err
		}
		return e.Next()
	})
	// The collections API answers a refused delete with a message of its
	// own; refusing the request first tells the reason.
	app.OnCollectionDeleteRequest().BindFunc(func(e *core.CollectionRequestEvent) error {
		if err := refuseSchemaDelete(e.Collection); err != nil {
			return err
		}
		return e.Next()
	})
}

func refuseSchemaDelete(c *core.Collection) error {
	if migrating.InProgress() || !slices.Contains(guardedSchemas, c.Name) {
		return nil
	}
	return apis.NewBadRequestError("The collection "+c.Name+" holds issued invoices and their history and is never deleted.", nil)
}

// schemaChanges names what an update would drop, rename or retype.
func schemaChanges(stored, updated *core.Collection) []string {
	var problems []string
	if updated.Name != stored.Name {
		problems = append(problems, "it cannot be renamed to "+updated.Name)
	}
	for _, old := range stored.Fields {
		now := updated.Fields.GetById(old.GetId())
		switch {
		case now == nil:
			problems = append(problems, "the field "+old.GetName()+" cannot be removed")
		case now.Type() != old.Type():
			problems = append(problems, "the field "+old.GetName()+" cannot change from "+old.Type()+" to "+now.Type())
		case now.GetName() != old.GetName():
			problems = append(problems, "the field "+old.GetName()+" cannot be renamed to "+now.GetName())
		}
	}
	return problems
}
