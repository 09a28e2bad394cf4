// Package certtest makes certificates for tests: a test CA, and PKCS#12
// files of certificates it issues, as the firm's qualified certificate would
// come.
package certtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Subject attribute types that say who a certificate is for.
var (
	SerialNumber   = []int{2, 5, 4, 5}
	GivenName      = []int{2, 5, 4, 42}
	Surname        = []int{2, 5, 4, 4}
	OrganizationID = []int{2, 5, 4, 97}
)

// CA is a test certification authority.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// NewCA makes a CA valid from an hour ago for two years.
func NewCA(t testing.TB) *CA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Facturo Test CA"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(2, 0, 0), KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &CA{Cert: cert, Key: key}
}

// Issue makes an RSA key and a certificate for it, valid until notAfter,
// for client authentication and signatures (and as a server for hosts:
// names, or addresses such as 127.0.0.1).
func (ca *CA) Issue(t testing.TB, subject pkix.Name, notAfter time.Time, hosts ...string) (*x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: subject, NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// PFX issues a certificate for subject from a fresh CA, valid until
// 1 March 2028, and wraps it with its key and the CA in a PKCS#12 file.
func PFX(t testing.TB, subject pkix.Name, password string) []byte {
	t.Helper()
	return NewCA(t).PFX(t, subject, time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC), password)
}

// PFX issues a certificate for subject, valid until notAfter, and wraps it
// with its key and the CA in a PKCS#12 file.
func (ca *CA) PFX(t testing.TB, subject pkix.Name, notAfter time.Time, password string) []byte {
	t.Helper()
	cert, key := ca.Issue(t, subject, notAfter)
	pfx, err := pkcs12.Modern.Encode(key, cert, []*x509.Certificate{ca.Cert}, password)
	if err != nil {
		t.Fatal(err)
	}
	return pfx
}

// Representative is the subject of a representative's certificate of the
// test world's firm (Talleres Norte S.L., B12345674).
func Representative() pkix.Name {
	return pkix.Name{CommonName: "12345678Z MARTIN GARCIA LUCIA (R: B12345674)", Organization: []string{"TALLERES NORTE SL"},
		ExtraNames: []pkix.AttributeTypeAndValue{
			{Type: asn1.ObjectIdentifier(SerialNumber), Value: "IDCES-12345678Z"}, {Type: asn1.ObjectIdentifier(GivenName), Value: "LUCIA"}, {Type: asn1.ObjectIdentifier(Surname), Value: "MARTIN GARCIA"},
			{Type: asn1.ObjectIdentifier(OrganizationID), Value: "VATES-B12345674"},
		}}
}

// Seal is the subject of the test world's firm's entity seal.
func Seal() pkix.Name {
	return pkix.Name{CommonName: "TALLERES NORTE SL", Organization: []string{"TALLERES NORTE SL"},
		ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier(OrganizationID), Value: "VATES-B12345674"}}}
}
