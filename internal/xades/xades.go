// Package xades signs an XML document with an enveloped XAdES-EPES
// signature: XML-DSig over the whole document, the signing certificate
// and the signed properties, which name the signature policy. Facturae
// invoices are signed this way under the Facturae signature policy v3.1.
//
// Canonicalisation is inclusive Canonical XML 1.0; the document is built as
// an xmltree, which writes exactly that form, so each digest is taken over
// the bytes the signed file holds.
package xades

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"facturo/internal/xmltree"
)

// Namespaces and algorithms.
const (
	nsDS    = "http://www.w3.org/2000/09/xmldsig#"
	nsXAdES = "http://uri.etsi.org/01903/v1.3.2#"

	algC14N      = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	algEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	algSHA256    = "http://www.w3.org/2001/04/xmlenc#sha256"
	algSHA1      = "http://www.w3.org/2000/09/xmldsig#sha1"
	algRSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	algECDSA256  = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
)

// Policy is a signature policy, named by its identifier and the digest of
// its document (XAdES-EPES).
type Policy struct {
	Identifier  string
	Description string
	// DigestSHA1 is the base64 SHA-1 digest of the policy document, as the
	// policy's publisher gives it.
	DigestSHA1 string
}

// FacturaePolicy is the Facturae signature policy v3.1, the one FACe and
// the Facturae validators require.
var FacturaePolicy = Policy{
	Identifier:  "http://www.facturae.es/politica_de_firma_formato_facturae/politica_de_firma_formato_facturae_v3_1.pdf",
	Description: "Política de Firma FacturaE v3.1",
	DigestSHA1:  "Ohixl6upD6av8N7pEvDABhEL6hM=",
}

// Signer is what signs: a certificate, its chain and its key.
type Signer struct {
	Leaf  *x509.Certificate
	Chain []*x509.Certificate
	Key   crypto.Signer
	// Role is the signer's claimed role ("emisor" for the seller).
	Role string
}

// Sign appends an enveloped XAdES-EPES signature to root, the document's
// element, made at the moment at, under policy. The signature's ids derive
// from the document's digest, so equal documents get equal ids.
func Sign(root *xmltree.Element, s Signer, policy Policy, at time.Time) error {
	if s.Leaf == nil || s.Key == nil {
		return errors.New("xades: no certificate or key to sign with")
	}
	method := algRSASHA256
	switch s.Key.Public().(type) {
	case *rsa.PublicKey:
	case *ecdsa.PublicKey:
		method = algECDSA256
	default:
		return fmt.Errorf("xades: keys of type %T cannot sign", s.Key.Public())
	}
	docDigest := digest(root.Canonical(nil))
	id := "Signature-" + hex.EncodeToString(docDigest[:8])
	rootNS := root.Namespaces()
	dsNS := append(append([]xmltree.Attr{}, rootNS...), xmltree.Attr{Name: "ds", Value: nsDS})

	sig := xmltree.New("ds:Signature").Declare("ds", nsDS).Set("Id", id)
	signedInfo := sig.Add("ds:SignedInfo").Set("Id", id+"-SignedInfo")
	signedInfo.Add("ds:CanonicalizationMethod").Set("Algorithm", algC14N)
	signedInfo.Add("ds:SignatureMethod").Set("Algorithm", method)
	docRef := signedInfo.Add("ds:Reference").Set("Id", id+"-Reference").Set("Type", "http://www.w3.org/2000/09/xmldsig#Object").Set("URI", "")
	docRef.Add("ds:Transforms").Add("ds:Transform").Set("Algorithm", algEnveloped)
	digestOf(docRef, docDigest)
	certRef := signedInfo.Add("ds:Reference").Set("URI", "#"+id+"-Certificate")
	propsRef := signedInfo.Add("ds:Reference").Set("Type", "http://uri.etsi.org/01903#SignedProperties").Set("URI", "#"+id+"-SignedProperties")
	signatureValue := sig.Add("ds:SignatureValue").Set("Id", id+"-SignatureValue")

	keyInfo := sig.Add("ds:KeyInfo").Set("Id", id+"-Certificate")
	x509Data := keyInfo.Add("ds:X509Data")
	for _, c := range append([]*x509.Certificate{s.Leaf}, s.Chain...) {
		x509Data.AddText("ds:X509Certificate", base64.StdEncoding.EncodeToString(c.Raw))
	}

	qualifying := sig.Add("ds:Object").Add("xades:QualifyingProperties").Declare("xades", nsXAdES).
		Set("Id", id+"-QualifyingProperties").Set("Target", "#"+id)
	props := qualifying.Add("xades:SignedProperties").Set("Id", id+"-SignedProperties")
	signature := props.Add("xades:SignedSignatureProperties")
	signature.AddText("xades:SigningTime", at.Format(time.RFC3339))
	cert := signature.Add("xades:SigningCertificate").Add("xades:Cert")
	digestOf(cert.Add("xades:CertDigest"), digest(s.Leaf.Raw))
	serial := cert.Add("xades:IssuerSerial")
	serial.AddText("ds:X509IssuerName", s.Leaf.Issuer.String())
	serial.AddText("ds:X509SerialNumber", s.Leaf.SerialNumber.String())
	policyID := signature.Add("xades:SignaturePolicyIdentifier").Add("xades:SignaturePolicyId")
	sigPolicy := policyID.Add("xades:SigPolicyId")
	sigPolicy.AddText("xades:Identifier", policy.Identifier)
	sigPolicy.AddOptional("xades:Description", policy.Description)
	policyHash := policyID.Add("xades:SigPolicyHash")
	policyHash.Add("ds:DigestMethod").Set("Algorithm", algSHA1)
	policyHash.AddText("ds:DigestValue", policy.DigestSHA1)
	if s.Role != "" {
		signature.Add("xades:SignerRole").Add("xades:ClaimedRoles").AddText("xades:ClaimedRole", s.Role)
	}
	format := props.Add("xades:SignedDataObjectProperties").Add("xades:DataObjectFormat").Set("ObjectReference", "#"+id+"-Reference")
	format.AddText("xades:Description", "Factura electrónica")
	format.Add("xades:ObjectIdentifier").AddText("xades:Identifier", "urn:oid:1.2.840.10003.5.109.10").Set("Qualifier", "OIDAsURN")
	format.AddText("xades:MimeType", "text/xml")

	// Each subset is canonicalised with the namespaces its ancestors
	// declare, as inclusive canonicalisation renders them on its apex.
	digestOf(certRef, digest(keyInfo.Canonical(dsNS)))
	digestOf(propsRef, digest(props.Canonical(append(dsNS, xmltree.Attr{Name: "xades", Value: nsXAdES}))))

	sum := sha256.Sum256(signedInfo.Canonical(dsNS))
	value, err := s.Key.Sign(rand.Reader, sum[:], crypto.SHA256)
	if err != nil {
		return fmt.Errorf("xades: signing: %w", err)
	}
	if method == algECDSA256 {
		// XML-DSig wants r and s side by side, not the DER sequence.
		if value, err = rawECDSA(value, s.Key.Public().(*ecdsa.PublicKey)); err != nil {
			return err
		}
	}
	signatureValue.SetText(base64.StdEncoding.EncodeToString(value))
	root.AppendChild(sig)
	return nil
}

func digest(b []byte) []byte {
	sum := sha256.Sum256(b)
	return sum[:]
}

func digestOf(parent *xmltree.Element, sum []byte) {
	parent.Add("ds:DigestMethod").Set("Algorithm", algSHA256)
	parent.AddText("ds:DigestValue", base64.StdEncoding.EncodeToString(sum))
}

func rawECDSA(der []byte, pub *ecdsa.PublicKey) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		return nil, fmt.Errorf("xades: the ECDSA signature: %w", err)
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}
