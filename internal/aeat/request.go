package aeat

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
)

// Header is the Cabecera of a request: whose records it carries, and
// whether they are sent late because of an incident (an outage of the
// AEAT's service or of the firm's connection): Incidencia S.
type Header struct {
	IssuerName  string
	IssuerTaxID string
	Incidencia  bool
}

// envelopeHead and envelopeTail wrap a SOAP 1.1 body.
const (
	envelopeHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<soapenv:Envelope xmlns:soapenv="` + NSSOAP + `"><soapenv:Header/><soapenv:Body>`
	envelopeTail = `</soapenv:Body></soapenv:Envelope>`
)

// Request is the SOAP request RegFactuSistemaFacturacion that sends
// records, each the stored XML of one RegistroAlta or RegistroAnulacion,
// put in as it is.
func Request(h Header, records [][]byte) ([]byte, error) {
	if len(records) == 0 || len(records) > MaxRecords {
		return nil, fmt.Errorf("a request carries 1 to %d records, not %d", MaxRecords, len(records))
	}
	size := len(envelopeHead) + len(envelopeTail) + 600
	for _, r := range records {
		size += len(r) + 40
	}
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(envelopeHead)
	b.WriteString(`<RegFactuSistemaFacturacion xmlns="` + NSSuministroLR + `"><Cabecera>`)
	writeParty(&b, "ObligadoEmision", h.IssuerName, h.IssuerTaxID)
	if h.Incidencia {
		b.WriteString(`<RemisionVoluntaria xmlns="` + NSSuministroInformacion + `"><Incidencia>S</Incidencia></RemisionVoluntaria>`)
	}
	b.WriteString(`</Cabecera>`)
	for _, r := range records {
		b.WriteString(`<RegistroFactura>`)
		b.Write(r)
		b.WriteString(`</RegistroFactura>`)
	}
	b.WriteString(`</RegFactuSistemaFacturacion>`)
	b.WriteString(envelopeTail)
	return b.Bytes(), nil
}

// writeParty writes a Spanish party (PersonaFisicaJuridicaESType) in the
// namespace of SuministroInformacion.xsd.
func writeParty(b *bytes.Buffer, element, name, nif string) {
	b.WriteString(`<` + element + ` xmlns="` + NSSuministroInformacion + `"><NombreRazon>`)
	escape(b, Text(name, 120))
	b.WriteString(`</NombreRazon><NIF>`)
	escape(b, nif)
	b.WriteString(`</NIF></` + element + `>`)
}

func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s))
}

// Query asks the AEAT which records it holds of an issuer's invoices of one
// month (PeriodoImputacion: the year and month of their issue date),
// optionally of one invoice number, a page at a time: Page is the
// ClavePaginacion of the previous answer.
type Query struct {
	IssuerName  string
	IssuerTaxID string
	Year        int
	Month       int
	Number      string
	Page        *InvoiceID
}

// QueryRequest is the SOAP request ConsultaFactuSistemaFacturacion of q.
func QueryRequest(q Query) []byte {
	var b bytes.Buffer
	b.WriteString(envelopeHead)
	b.WriteString(`<ConsultaFactuSistemaFacturacion xmlns="` + NSConsultaLR + `"><Cabecera>`)
	b.WriteString(`<IDVersion xmlns="` + NSSuministroInformacion + `">` + Version + `</IDVersion>`)
	writeParty(&b, "ObligadoEmision", q.IssuerName, q.IssuerTaxID)
	b.WriteString(`</Cabecera><FiltroConsulta><PeriodoImputacion>`)
	b.WriteString(`<Ejercicio xmlns="` + NSSuministroInformacion + `">` + strconv.Itoa(q.Year) + `</Ejercicio>`)
	b.WriteString(`<Periodo xmlns="` + NSSuministroInformacion + `">` + fmt.Sprintf("%02d", q.Month) + `</Periodo>`)
	b.WriteString(`</PeriodoImputacion>`)
	if q.Number != "" {
		b.WriteString(`<NumSerieFactura>`)
		escape(&b, q.Number)
		b.WriteString(`</NumSerieFactura>`)
	}
	if p := q.Page; p != nil {
		b.WriteString(`<ClavePaginacion>`)
		for _, f := range [][2]string{{"IDEmisorFactura", p.IDEmisorFactura}, {"NumSerieFactura", p.NumSerieFactura}, {"FechaExpedicionFactura", p.FechaExpedicionFactura}} {
			b.WriteString(`<` + f[0] + ` xmlns="` + NSSuministroInformacion + `">`)
			escape(&b, f[1])
			b.WriteString(`</` + f[0] + `>`)
		}
		b.WriteString(`</ClavePaginacion>`)
	}
	b.WriteString(`</FiltroConsulta></ConsultaFactuSistemaFacturacion>`)
	b.WriteString(envelopeTail)
	return b.Bytes()
}
