package certificate

import (
	"crypto/x509/pkix"
	"errors"
	"facturo/internal/certificate/certtest"
	"testing"
	"time"
)

func TestLoadTellsWhoTheCertificateIsFor(t *testing.T) {
	representative, seal := certtest.Representative(), certtest.Seal()
	for _, tc := range []struct {
		name    string
		subject pkix.Name
		taxID   string
		seal    bool
	}{
		{"representative", representative, "12345678Z", false},
		{"entity seal", seal, "B12345674", true},
	} {
		c, err := Load(certtest.PFX(t, tc.subject, "secreto"), "secreto")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if c.TaxID != tc.taxID || c.EntitySeal != tc.seal || c.Organization != "TALLERES NORTE SL" || len(c.Chain) != 1 {
			t.Errorf("%s: %+v", tc.name, c)
		}
		if !c.ExpiresWithin(time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC), 30*24*time.Hour) || c.ExpiresWithin(time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC), 30*24*time.Hour) {
			t.Errorf("%s: expiry %v misread", tc.name, c.NotAfter)
		}
		if tls := c.TLS(); len(tls.Certificate) != 2 || tls.PrivateKey == nil {
			t.Errorf("%s: TLS certificate %d long", tc.name, len(tls.Certificate))
		}
	}
}

func TestLoadRefusesWhatIsNotACertificate(t *testing.T) {
	pfx := certtest.PFX(t, pkix.Name{CommonName: "x"}, "secreto")
	if _, err := Load(pfx, "otra"); !errors.Is(err, ErrPassword) {
		t.Errorf("a wrong password: %v", err)
	}
	for name, data := range map[string][]byte{"empty": nil, "text": []byte("not a certificate"), "truncated": pfx[:len(pfx)/2], "huge": make([]byte, MaxFileSize+1)} {
		if _, err := Load(data, "secreto"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
