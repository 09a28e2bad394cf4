package einvoice

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/clock"
	"facturo/internal/einvoice"
	"facturo/internal/einvoice/cii"
	"facturo/internal/einvoice/facturae"
	"facturo/internal/einvoice/ubl"
	"facturo/internal/xades"
	"facturo/internal/xmltree"
)

// XMLFormats are the structured formats served as XML files.
var XMLFormats = []string{einvoice.FormatUBL, einvoice.FormatCII, einvoice.FormatFacturae}

// File is a structured invoice ready to download or attach.
type File struct {
	Name        string // ASCII, like the PDF's: "Factura-A-2026-000001.ubl.xml"
	ContentType string
	Data        []byte
	Signed      bool // a Facturae signed with the firm's certificate
}

// MissingError is an invoice that cannot be written in a format, and what
// it lacks.
type MissingError struct {
	Format   string
	Problems []einvoice.Problem
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("the invoice cannot be written as %s: %d things are missing", e.Format, len(e.Problems))
}

// FileName is the name of an invoice's file in a format.
func FileName(inv *core.Record, format string) string {
	return "Factura-" + inv.GetString("number") + "." + format + ".xml"
}

// Write gives an issued invoice in an XML format. A Facturae is signed
// when the firm has loaded its certificate (the one VERI*FACTU uses), and
// left unsigned when it has not. An invoice the format cannot express is a
// *MissingError.
func Write(app core.App, inv *core.Record, format string) (*File, error) {
	if inv.GetString("status") != invoicing.StatusIssued && inv.GetString("status") != invoicing.StatusRectified {
		return nil, errNotIssued
	}
	d, err := Document(app, inv)
	if err != nil {
		return nil, err
	}
	if problems := einvoice.Missing(d, format); len(problems) > 0 {
		return nil, &MissingError{Format: format, Problems: problems}
	}
	f := &File{Name: FileName(inv, format), ContentType: "application/xml"}
	switch format {
	case einvoice.FormatUBL:
		f.Data = ubl.Write(d)
	case einvoice.FormatCII:
		f.Data = cii.Write(d)
	case einvoice.FormatFacturae:
		root := facturae.Build(d)
		cert, err := verifactu.Certificate(app)
		switch {
		case errors.Is(err, verifactu.ErrNoCertificate):
		case err != nil:
			return nil, fmt.Errorf("the firm's certificate: %w", err)
		default:
			signer := xades.Signer{Leaf: cert.Leaf, Chain: cert.Chain, Key: cert.Key, Role: "emisor"}
			if err := xades.Sign(root, signer, xades.FacturaePolicy, clock.Now()); err != nil {
				return nil, err
			}
			f.Signed = true
		}
		f.Data = xmltree.Document(root)
	default:
		return nil, fmt.Errorf("no XML format %q", format)
	}
	return f, nil
}

// Attachment is the file an invoice e-mail attaches besides the PDF, by
// the customer's preferred format: the UBL or the Facturae, or nil for
// pdf and facturx (whose XML travels inside the attached PDF).
func Attachment(app core.App, inv *core.Record) (*File, error) {
	format, err := PreferredFormat(app, inv.GetString("customer"))
	if err != nil {
		return nil, err
	}
	if format != einvoice.FormatUBL && format != einvoice.FormatFacturae {
		return nil, nil
	}
	return Write(app, inv, format)
}
