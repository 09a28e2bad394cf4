package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

const webSessionsID = "pbc_web_sessions"

// The sessions of the portal and the workspace live on the server, so that
// signing out, or changing the password, ends them there: the browser's
// cookie holds a random id, the row its SHA-256. No API rules: only the
// product's code reads the table.
func init() {
	register(func(app core.App) error {
		c := core.NewBaseCollection("web_sessions", webSessionsID)
		c.Fields.Add(
			&core.TextField{Name: "area", Required: true, Max: 50, Help: "The pages the session opens: /portal or /app"},
			&core.TextField{Name: "account_collection", Required: true, Max: 100},
			&core.TextField{Name: "account", Required: true, Max: 100, Help: "The id of the signed-in account in account_collection"},
			&core.TextField{Name: "token_hash", Required: true, Max: 64, Hidden: true, Help: "SHA-256 (hex) of the cookie's random id"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.DateField{Name: "last_seen"},
			&core.DateField{Name: "expires", Required: true},
			&core.TextField{Name: "ip", Max: 100},
			&core.TextField{Name: "user_agent", Max: 500},
		)
		c.AddIndex("idx_web_sessions_token_hash", true, "token_hash", "")
		c.AddIndex("idx_web_sessions_account", false, "account_collection, account", "")
		c.AddIndex("idx_web_sessions_expires", false, "expires", "")
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, webSessionsID)
	})
}
