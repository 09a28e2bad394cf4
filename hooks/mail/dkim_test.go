package mail_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
)

// TestDKIMSignatureVerifies signs invoice emails with an RSA and an Ed25519
// key and verifies what arrived against the public keys a DNS TXT record
// would publish.
func TestDKIMSignatureVerifies(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	for _, tc := range []struct {
		name   string
		key    any
		keyTag string
		pub    []byte
	}{
		{"rsa", rsaKey, "rsa", mustMarshalPKIX(t, &rsaKey.PublicKey)},
		{"ed25519", edKey, "ed25519", edPub},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app, server := setup(t)
			der, err := x509.MarshalPKCS8PrivateKey(tc.key)
			must(t, err)
			settings := mailSettings(t, app)
			settings.Set("dkim_selector", "inv2026")
			settings.Set("dkim_private_key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
			must(t, app.Save(settings))

			inv := issueA(t, app)
			msg := queue(t, app, inv.Id)
			startWorker(t, app)
			waitForStatus(t, app, msg.Id, "sent")

			record := "v=DKIM1; k=" + tc.keyTag + "; p=" + base64.StdEncoding.EncodeToString(tc.pub)
			verifications, err := dkim.VerifyWithOptions(bytes.NewReader(server.Received()[0].Data), &dkim.VerifyOptions{
				LookupTXT: func(domain string) ([]string, error) {
					if domain != "inv2026._domainkey.firm.example" {
						t.Errorf("looked up %s", domain)
					}
					return []string{record}, nil
				},
			})
			must(t, err)
			if len(verifications) != 1 || verifications[0].Err != nil || verifications[0].Domain != "firm.example" {
				t.Fatalf("DKIM verification: %+v", verifications)
			}
		})
	}
}

func mustMarshalPKIX(t *testing.T, pub any) []byte {
	t.Helper()
	b, err := x509.MarshalPKIXPublicKey(pub)
	must(t, err)
	return b
}
