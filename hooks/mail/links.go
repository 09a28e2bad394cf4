package mail

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/tracking"
)

// keyring reads the keys that sign tracking tokens from the mail settings.
func keyring(s Settings) (*tracking.Keyring, error) {
	var stored struct {
		Current string            `json:"current"`
		Keys    map[string]string `json:"keys"`
	}
	if err := json.Unmarshal([]byte(s.record.GetString("tracking_keys")), &stored); err != nil {
		return nil, fmt.Errorf("mail_settings.tracking_keys: %w", err)
	}
	keys := map[string][]byte{}
	for id, b64 := range stored.Keys {
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("mail_settings.tracking_keys: key %s is not base64: %w", id, err)
		}
		keys[id] = key
	}
	return tracking.NewKeyring(stored.Current, keys)
}

// lifetimes are how long tracking links work.
func lifetimes(s Settings) tracking.Lifetimes {
	return tracking.Lifetimes{View: time.Duration(s.record.GetInt("view_link_days")) * 24 * time.Hour}
}

// trackingLinks are the pixel and view-link URLs of one email to one
// recipient.
func trackingLinks(app core.App, s Settings, messageID, recipient string, now time.Time) (pixel, view string, err error) {
	ring, err := keyring(s)
	if err != nil {
		return "", "", err
	}
	base := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	life := lifetimes(s)
	sign := func(kind tracking.Kind) (string, error) {
		return ring.Sign(tracking.Claims{Kind: kind, MessageID: messageID, Recipient: recipient, Expires: life.Expires(kind, now)})
	}
	p, err := sign(tracking.KindPixel)
	if err != nil {
		return "", "", err
	}
	v, err := sign(tracking.KindView)
	if err != nil {
		return "", "", err
	}
	return base + "/t/" + p, base + "/v/" + v, nil
}
