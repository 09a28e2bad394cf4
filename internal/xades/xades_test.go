package xades_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"facturo/internal/certificate/certtest"
	"facturo/internal/toolcheck"
	"facturo/internal/xades"
	"facturo/internal/xmltree"
)

// document is a small document with text that canonicalisation escapes.
func document() *xmltree.Element {
	root := xmltree.New("fe:Facturae").Declare("fe", "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml")
	root.Add("FileHeader").AddText("SchemaVersion", "3.2.2")
	root.AddText("Note", "Catálogo & <muestras> \"A\"\nsegunda línea")
	return root
}

// verify runs xmlsec1 on a signed document with ca as the only trusted root.
func verify(t *testing.T, signed []byte, ca *x509.Certificate) (bool, string) {
	t.Helper()
	tool := toolcheck.Require(t, "xmlsec1", "xmlsec1")
	dir := t.TempDir()
	file, caFile := filepath.Join(dir, "signed.xml"), filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(file, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "--verify", "--trusted-pem", caFile, file).CombinedOutput()
	return err == nil, string(out)
}

// TestXMLSecAcceptsTheSignatureAndRefusesAChangedByte signs with an RSA
// certificate of a test CA: xmlsec1 verifies all three references against
// that CA; a byte changed in the signed content, in the signed properties,
// or a CA that is not the issuer's makes it fail.
func TestXMLSecAcceptsTheSignatureAndRefusesAChangedByte(t *testing.T) {
	ca := certtest.NewCA(t)
	cert, key := ca.Issue(t, certtest.Representative(), time.Now().AddDate(1, 0, 0))
	root := document()
	if err := xades.Sign(root, xades.Signer{Leaf: cert, Chain: []*x509.Certificate{ca.Cert}, Key: key, Role: "emisor"},
		xades.FacturaePolicy, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	signed := xmltree.Document(root)
	if ok, out := verify(t, signed, ca.Cert); !ok || !strings.Contains(out, "References (ok/all): 3/3") {
		t.Fatalf("xmlsec1 refused the signature:\n%s", out)
	}
	for _, change := range []struct{ name, from, to string }{
		{"content", "<SchemaVersion>3.2.2", "<SchemaVersion>3.2.3"},
		{"signing time", "2026-03-02T10:00:00Z", "2026-03-02T10:00:01Z"},
		{"policy", "Ohixl6upD6av8N7pEvDABhEL6hM=", "Ohixl6upD6av8N7pEvDABhEL6hN="},
	} {
		changed := bytes.Replace(signed, []byte(change.from), []byte(change.to), 1)
		if bytes.Equal(changed, signed) {
			t.Fatalf("%s: %q is not in the signed document", change.name, change.from)
		}
		if ok, out := verify(t, changed, ca.Cert); ok {
			t.Errorf("a changed byte in the %s was accepted:\n%s", change.name, out)
		}
	}
	if ok, _ := verify(t, signed, certtest.NewCA(t).Cert); ok {
		t.Error("the signature verified against a CA that did not issue its certificate")
	}
	for _, want := range []string{xades.FacturaePolicy.Identifier, "<xades:ClaimedRole>emisor</xades:ClaimedRole>", "urn:oid:1.2.840.10003.5.109.10"} {
		if !bytes.Contains(signed, []byte(want)) {
			t.Errorf("the signature lacks %s", want)
		}
	}
}

// TestECDSAKeysSign checks the other kind of key a certificate may hold.
func TestECDSAKeysSign(t *testing.T) {
	ca := certtest.NewCA(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Sello"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	root := document()
	if err := xades.Sign(root, xades.Signer{Leaf: cert, Key: crypto.Signer(key)}, xades.FacturaePolicy, time.Now()); err != nil {
		t.Fatal(err)
	}
	if ok, out := verify(t, xmltree.Document(root), ca.Cert); !ok {
		t.Fatalf("xmlsec1 refused the ECDSA signature:\n%s", out)
	}
}
