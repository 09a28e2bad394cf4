package pb_migrations

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Tracking links: the keys that sign pixel and view-link tokens (generated
// here, one per installation; add a key and make it current to rotate), and
// how long a view link stays valid.
func init() {
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(mailSettingsID)
		if err != nil {
			return err
		}
		c.Fields.Add(
			&core.JSONField{Name: "tracking_keys", MaxSize: 1 << 14,
				Help: `{"current":"k1","keys":{"k1":"<base64, 32 bytes or more>"}}; to rotate, add a key and make it current, keeping the old one while its links live`},
			&core.NumberField{Name: "view_link_days", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(3650.0), Help: "How long the view link of an email works; 180 when empty"},
		)
		if err := app.Save(c); err != nil {
			return err
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		r := &core.Record{}
		if err := app.RecordQuery(c).Limit(1).One(r); err != nil {
			return err
		}
		r.Set("tracking_keys", map[string]any{"current": "k1", "keys": map[string]string{"k1": base64.StdEncoding.EncodeToString(key)}})
		r.Set("view_link_days", 180)
		return app.Save(r)
	}, func(app core.App) error {
		return removeFields(app, mailSettingsID, "tracking_keys", "view_link_days")
	})
}
