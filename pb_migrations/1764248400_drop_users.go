package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// PocketBase creates a "users" auth collection that anyone may sign up to.
// The product's people are staff (superusers) and customers' contacts; an
// open sign-up collection would only be a door left ajar, so it goes while
// it is still empty.
func init() {
	register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return nil
		}
		if n, err := app.CountRecords(users); err != nil || n > 0 {
			return err
		}
		return app.Delete(users)
	}, nil)
}
