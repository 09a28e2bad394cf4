package pb_migrations

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	inboxMailboxesID   = "pbc_inbox_mailboxes"
	inboxCheckpointsID = "pbc_inbox_checkpoints"
)

// inboxConnectionFields are the fields of inbox_settings that described its
// one mailbox; they move to inbox_mailboxes, one row per mailbox read.
var inboxConnectionFields = []string{
	"enabled", "host", "port", "tls", "username", "password", "mailbox", "processed_mailbox", "after_reading",
	"uid_validity", "last_uid", "last_poll_at", "last_error",
}

// Bounces (to the VERP address, bounces+…@) and replies (to ar+…@) usually
// land in two mailboxes, often of two accounts: the poller reads every row
// of inbox_mailboxes, and keeps where it stands in each account and mailbox
// in inbox_checkpoints, keyed by host, user and mailbox, so that editing
// the rows neither skips nor repeats mail. inbox_settings keeps what holds
// for all of them (poll interval, size limit); inbound says which mailbox
// each message came from.
func init() {
	register(func(app core.App) error {
		mailboxes := core.NewBaseCollection("inbox_mailboxes", inboxMailboxesID)
		mailboxes.Fields.Add(
			&core.BoolField{Name: "enabled", Help: "Read this mailbox"},
			&core.TextField{Name: "host", Max: 255, Required: true},
			&core.NumberField{Name: "port", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(65535.0), Help: "993 for implicit TLS, 143 for STARTTLS"},
			&core.SelectField{Name: "tls", Values: []string{"implicit", "starttls", "none"}, MaxSelect: 1},
			&core.TextField{Name: "username", Max: 255, Required: true},
			&core.TextField{Name: "password", Max: 255},
			&core.TextField{Name: "mailbox", Max: 255, Help: "Folder to read; INBOX when empty. Another row may read another folder of the same account"},
			&core.TextField{Name: "processed_mailbox", Max: 255, Help: "Where read messages are moved; Processed when empty"},
			&core.SelectField{Name: "after_reading", Values: []string{"move", "flag"}, MaxSelect: 1, Help: "Move read messages to the processed mailbox, or flag them where they are; mail is never deleted"},
			&core.DateField{Name: "last_poll_at"},
			&core.TextField{Name: "last_error", Max: 2000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		mailboxes.AddIndex("idx_inbox_mailboxes_key", true, "host, username, mailbox", "")
		if err := app.Save(mailboxes); err != nil {
			return err
		}

		checkpoints := core.NewBaseCollection("inbox_checkpoints", inboxCheckpointsID)
		checkpoints.Fields.Add(
			&core.TextField{Name: "host", Max: 255, Required: true},
			&core.TextField{Name: "username", Max: 255, Required: true},
			&core.TextField{Name: "mailbox", Max: 255, Required: true},
			&core.NumberField{Name: "uid_validity", OnlyInt: true, Help: "The mailbox's UIDVALIDITY when the UID below was read"},
			&core.NumberField{Name: "last_uid", OnlyInt: true, Help: "The last message read; the next read starts after it"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		checkpoints.AddIndex("idx_inbox_checkpoints_key", true, "host, username, mailbox", "")
		if err := app.Save(checkpoints); err != nil {
			return err
		}

		// The mailbox inbox_settings described becomes the first row, and
		// where the poller stood in it its first checkpoint.
		old := dbx.NullStringMap{}
		if err := app.DB().Select("*").From("inbox_settings").Limit(1).One(&old); err != nil {
			return err
		}
		if host := lowerTrim(old["host"].String); host != "" {
			row := core.NewRecord(mailboxes)
			row.Load(map[string]any{
				"enabled": old["enabled"].String == "1" || old["enabled"].String == "true", "host": host,
				"port": old["port"].String, "tls": old["tls"].String, "username": strings.TrimSpace(old["username"].String),
				"password": old["password"].String, "mailbox": mailboxName(old["mailbox"].String),
				"processed_mailbox": old["processed_mailbox"].String, "after_reading": old["after_reading"].String,
			})
			if err := app.Save(row); err != nil {
				return err
			}
			if uv := old["uid_validity"].String; uv != "" && uv != "0" {
				cp := core.NewRecord(checkpoints)
				cp.Load(map[string]any{
					"host": host, "username": row.GetString("username"), "mailbox": row.GetString("mailbox"),
					"uid_validity": uv, "last_uid": old["last_uid"].String,
				})
				if err := app.Save(cp); err != nil {
					return err
				}
			}
		}
		if err := removeFields(app, inboxSettingsID, inboxConnectionFields...); err != nil {
			return err
		}

		inbound, err := app.FindCollectionByNameOrId(inboundID)
		if err != nil {
			return err
		}
		inbound.Fields.Add(&core.TextField{Name: "mailbox", Max: 800, Help: "The account and folder the message was read from"})
		return app.Save(inbound)
	}, func(app core.App) error {
		settings, err := app.FindCollectionByNameOrId(inboxSettingsID)
		if err != nil {
			return err
		}
		settings.Fields.Add(
			&core.BoolField{Name: "enabled"},
			&core.TextField{Name: "host", Max: 255},
			&core.NumberField{Name: "port", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(65535.0)},
			&core.SelectField{Name: "tls", Values: []string{"implicit", "starttls", "none"}, MaxSelect: 1},
			&core.TextField{Name: "username", Max: 255},
			&core.TextField{Name: "password", Max: 255},
			&core.TextField{Name: "mailbox", Max: 255},
			&core.TextField{Name: "processed_mailbox", Max: 255},
			&core.SelectField{Name: "after_reading", Values: []string{"move", "flag"}, MaxSelect: 1},
			&core.NumberField{Name: "uid_validity", OnlyInt: true},
			&core.NumberField{Name: "last_uid", OnlyInt: true},
			&core.DateField{Name: "last_poll_at"},
			&core.TextField{Name: "last_error", Max: 2000},
		)
		if err := app.Save(settings); err != nil {
			return err
		}
		// The first mailbox, and where the poller stood in it, go back.
		first := dbx.NullStringMap{}
		if err := app.DB().Select("*").From("inbox_mailboxes").OrderBy("created").Limit(1).One(&first); err == nil {
			params := dbx.Params{}
			for _, f := range []string{"enabled", "host", "port", "tls", "username", "password", "mailbox", "processed_mailbox", "after_reading"} {
				params[f] = first[f].String
			}
			cp := dbx.NullStringMap{}
			if err := app.DB().Select("uid_validity", "last_uid").From("inbox_checkpoints").
				Where(dbx.HashExp{"host": first["host"].String, "username": first["username"].String, "mailbox": first["mailbox"].String}).
				One(&cp); err == nil {
				params["uid_validity"], params["last_uid"] = cp["uid_validity"].String, cp["last_uid"].String
			}
			if _, err := app.DB().Update("inbox_settings", params, nil).Execute(); err != nil {
				return err
			}
		}
		if err := removeFields(app, inboundID, "mailbox"); err != nil {
			return err
		}
		return deleteCollections(app, inboxCheckpointsID, inboxMailboxesID)
	})
}

// lowerTrim and mailboxName write a checkpoint's key as the inbox package
// does (hooks/inbox MailboxKey): host names in lower case, INBOX in capitals
// whatever case it was typed in (RFC 3501 §5.1), other folders as typed.
func lowerTrim(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func mailboxName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "INBOX") {
		return "INBOX"
	}
	return s
}
