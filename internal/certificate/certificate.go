// Package certificate reads the firm's electronic certificate: a PKCS#12
// file (.p12 or .pfx) holding a private key and its certificate chain, as the
// FNMT and the other Spanish certification authorities issue them to a
// person (persona física), to a company's representative (representante de
// persona jurídica) or to the company itself (sello de entidad). The
// VERI*FACTU sender authenticates to the AEAT with it (mutual TLS), and
// Facturae invoices are signed with it.
package certificate

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// MaxFileSize bounds the PKCS#12 file a firm uploads; real ones are a few
// kilobytes.
const MaxFileSize = 64 << 10

// Certificate is a decoded PKCS#12 file.
type Certificate struct {
	Leaf  *x509.Certificate   // the firm's certificate
	Chain []*x509.Certificate // the intermediates that came with it, if any
	Key   crypto.Signer       // its private key

	Holder       string // the subject's common name
	TaxID        string // the NIF the certificate names (the person's, or the entity's for a seal)
	Organization string // the entity, for a representative's certificate or a seal
	EntitySeal   bool   // a certificate of the entity itself, not of a person
	NotAfter     time.Time
}

// Object identifiers of the subject attributes that tell who a certificate
// is for (X.520 and ETSI EN 319 412-1).
var (
	oidSerialNumber   = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidGivenName      = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname        = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidOrganizationID = asn1.ObjectIdentifier{2, 5, 4, 97}
)

// ErrPassword is a password that does not open the file.
var ErrPassword = errors.New("the password does not open the certificate file")

// Load decodes a PKCS#12 file with its password.
func Load(pfx []byte, password string) (*Certificate, error) {
	if len(pfx) == 0 {
		return nil, errors.New("the certificate file is empty")
	}
	if len(pfx) > MaxFileSize {
		return nil, fmt.Errorf("the certificate file is %d bytes; a PKCS#12 file is at most %d", len(pfx), MaxFileSize)
	}
	key, leaf, chain, err := pkcs12.DecodeChain(pfx, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, ErrPassword
		}
		return nil, fmt.Errorf("not a readable PKCS#12 certificate file (.p12, .pfx): %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, errors.New("the certificate file's private key cannot sign")
	}
	if !publicKeysMatch(signer.Public(), leaf.PublicKey) {
		return nil, errors.New("the certificate file's private key is not the certificate's")
	}
	c := &Certificate{Leaf: leaf, Chain: chain, Key: signer, Holder: leaf.Subject.CommonName, NotAfter: leaf.NotAfter}
	if len(leaf.Subject.Organization) > 0 {
		c.Organization = leaf.Subject.Organization[0]
	}
	person := false
	var serial, orgID string
	for _, name := range leaf.Subject.Names {
		value, _ := name.Value.(string)
		switch {
		case name.Type.Equal(oidGivenName), name.Type.Equal(oidSurname):
			person = true
		case name.Type.Equal(oidSerialNumber):
			serial = value
		case name.Type.Equal(oidOrganizationID):
			orgID = value
		}
	}
	c.EntitySeal = !person && orgID != ""
	if c.EntitySeal {
		c.TaxID = taxIDOf(orgID)
	} else {
		c.TaxID = taxIDOf(serial)
	}
	return c, nil
}

// taxIDPrefix is what comes before the NIF in a subject's serialNumber
// ("IDCES-12345678Z") or organizationIdentifier ("VATES-B12345674").
var taxIDPrefix = regexp.MustCompile(`^(IDC|PAS|VAT|NTR)[A-Z]{2}-`)

func taxIDOf(value string) string {
	return strings.ToUpper(taxIDPrefix.ReplaceAllString(strings.TrimSpace(value), ""))
}

func publicKeysMatch(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := a.(equaler); ok {
		return e.Equal(b)
	}
	return false
}

// TLS is the certificate for a TLS client: the leaf, its chain and its key.
func (c *Certificate) TLS() tls.Certificate {
	chain := [][]byte{c.Leaf.Raw}
	for _, ca := range c.Chain {
		chain = append(chain, ca.Raw)
	}
	return tls.Certificate{Certificate: chain, PrivateKey: c.Key, Leaf: c.Leaf}
}

// ExpiresWithin tells whether the certificate is no longer valid d from now.
func (c *Certificate) ExpiresWithin(now time.Time, d time.Duration) bool {
	return !now.Add(d).Before(c.NotAfter)
}
