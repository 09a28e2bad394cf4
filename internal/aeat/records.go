package aeat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"

	"facturo/internal/huella"
)

// Alta is a registration record of an invoice (RegistroAlta), with the
// schema's element names. Optional elements are left out when empty.
type Alta struct {
	XMLName                  xml.Name    `xml:"https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd RegistroAlta"`
	IDVersion                string      `xml:"IDVersion"`
	IDFactura                InvoiceID   `xml:"IDFactura"`
	RefExterna               string      `xml:"RefExterna,omitempty"`
	NombreRazonEmisor        string      `xml:"NombreRazonEmisor"`
	Subsanacion              string      `xml:"Subsanacion,omitempty"`
	RechazoPrevio            string      `xml:"RechazoPrevio,omitempty"`
	TipoFactura              string      `xml:"TipoFactura"`
	TipoRectificativa        string      `xml:"TipoRectificativa,omitempty"`
	FacturasRectificadas     *Rectified  `xml:"FacturasRectificadas,omitempty"`
	FechaOperacion           string      `xml:"FechaOperacion,omitempty"`
	DescripcionOperacion     string      `xml:"DescripcionOperacion"`
	Macrodato                string      `xml:"Macrodato,omitempty"`
	Destinatarios            *Recipients `xml:"Destinatarios,omitempty"`
	Desglose                 Breakdown   `xml:"Desglose"`
	CuotaTotal               string      `xml:"CuotaTotal"`
	ImporteTotal             string      `xml:"ImporteTotal"`
	Encadenamiento           Chain       `xml:"Encadenamiento"`
	SistemaInformatico       System      `xml:"SistemaInformatico"`
	FechaHoraHusoGenRegistro string      `xml:"FechaHoraHusoGenRegistro"`
	TipoHuella               string      `xml:"TipoHuella"`
	Huella                   string      `xml:"Huella"`
}

// Anulacion is a cancellation record (RegistroAnulacion) of an invoice
// issued by mistake.
type Anulacion struct {
	XMLName                  xml.Name    `xml:"https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd RegistroAnulacion"`
	IDVersion                string      `xml:"IDVersion"`
	IDFactura                CancelledID `xml:"IDFactura"`
	RefExterna               string      `xml:"RefExterna,omitempty"`
	SinRegistroPrevio        string      `xml:"SinRegistroPrevio,omitempty"`
	RechazoPrevio            string      `xml:"RechazoPrevio,omitempty"`
	Encadenamiento           Chain       `xml:"Encadenamiento"`
	SistemaInformatico       System      `xml:"SistemaInformatico"`
	FechaHoraHusoGenRegistro string      `xml:"FechaHoraHusoGenRegistro"`
	TipoHuella               string      `xml:"TipoHuella"`
	Huella                   string      `xml:"Huella"`
}

// InvoiceID names an invoice: its issuer's NIF, its number and its date
// (dd-mm-yyyy).
type InvoiceID struct {
	IDEmisorFactura        string `xml:"IDEmisorFactura"`
	NumSerieFactura        string `xml:"NumSerieFactura"`
	FechaExpedicionFactura string `xml:"FechaExpedicionFactura"`
}

// CancelledID names the invoice a cancellation record cancels.
type CancelledID struct {
	IDEmisorFacturaAnulada        string `xml:"IDEmisorFacturaAnulada"`
	NumSerieFacturaAnulada        string `xml:"NumSerieFacturaAnulada"`
	FechaExpedicionFacturaAnulada string `xml:"FechaExpedicionFacturaAnulada"`
}

// Rectified lists the invoices a factura rectificativa corrects.
type Rectified struct {
	IDFacturaRectificada []InvoiceID `xml:"IDFacturaRectificada"`
}

// Recipients are the invoice's customers (Destinatarios).
type Recipients struct {
	IDDestinatario []Party `xml:"IDDestinatario"`
}

// Party is a person or entity: a Spanish NIF, or another identifier.
type Party struct {
	NombreRazon string   `xml:"NombreRazon"`
	NIF         string   `xml:"NIF,omitempty"`
	IDOtro      *OtherID `xml:"IDOtro,omitempty"`
}

// OtherID is an identifier that is not a Spanish NIF: IDType 02 is an EU
// VAT number (NIF-IVA), 03 a passport, 04 an identifier of the country of
// residence, 05 a certificate of residence, 06 another document, 07 not in
// the census.
type OtherID struct {
	CodigoPais string `xml:"CodigoPais,omitempty"`
	IDType     string `xml:"IDType"`
	ID         string `xml:"ID"`
}

// Breakdown is the invoice's tax breakdown (Desglose): at most 12 details.
type Breakdown struct {
	DetalleDesglose []Detail `xml:"DetalleDesglose"`
}

// MaxDetails is the most details a breakdown holds.
const MaxDetails = 12

// Detail is one line of the breakdown: a tax, a regime, how the operation
// is taxed (CalificacionOperacion S1, S2, N1, N2) or why it is exempt
// (OperacionExenta E1…E6), the rate, the base and the quotas.
type Detail struct {
	Impuesto                      string `xml:"Impuesto,omitempty"`
	ClaveRegimen                  string `xml:"ClaveRegimen,omitempty"`
	CalificacionOperacion         string `xml:"CalificacionOperacion,omitempty"`
	OperacionExenta               string `xml:"OperacionExenta,omitempty"`
	TipoImpositivo                string `xml:"TipoImpositivo,omitempty"`
	BaseImponibleOimporteNoSujeto string `xml:"BaseImponibleOimporteNoSujeto"`
	CuotaRepercutida              string `xml:"CuotaRepercutida,omitempty"`
	TipoRecargoEquivalencia       string `xml:"TipoRecargoEquivalencia,omitempty"`
	CuotaRecargoEquivalencia      string `xml:"CuotaRecargoEquivalencia,omitempty"`
}

// Chain links a record to the one before it in its issuer's chain, or
// marks it the first (PrimerRegistro S).
type Chain struct {
	PrimerRegistro   string    `xml:"PrimerRegistro,omitempty"`
	RegistroAnterior *Previous `xml:"RegistroAnterior,omitempty"`
}

// Previous is the record a record follows: the invoice it was about and its
// huella.
type Previous struct {
	IDEmisorFactura        string `xml:"IDEmisorFactura"`
	NumSerieFactura        string `xml:"NumSerieFactura"`
	FechaExpedicionFactura string `xml:"FechaExpedicionFactura"`
	Huella                 string `xml:"Huella"`
}

// Link is how a record chains: after prev, or first when prev is nil.
func Link(prev *Previous) Chain {
	if prev == nil {
		return Chain{PrimerRegistro: "S"}
	}
	return Chain{RegistroAnterior: prev}
}

// PrevHash is the huella a record chains to: "" for the first.
func (c Chain) PrevHash() string {
	if c.RegistroAnterior == nil {
		return ""
	}
	return c.RegistroAnterior.Huella
}

// System is the invoicing system that made the record (SistemaInformatico):
// its producer, name, id, version and installation, and how it may be used.
type System struct {
	NombreRazon                 string `xml:"NombreRazon"`
	NIF                         string `xml:"NIF"`
	NombreSistemaInformatico    string `xml:"NombreSistemaInformatico"`
	IdSistemaInformatico        string `xml:"IdSistemaInformatico"`
	Version                     string `xml:"Version"`
	NumeroInstalacion           string `xml:"NumeroInstalacion"`
	TipoUsoPosibleSoloVerifactu string `xml:"TipoUsoPosibleSoloVerifactu"`
	TipoUsoPosibleMultiOT       string `xml:"TipoUsoPosibleMultiOT"`
	IndicadorMultiplesOT        string `xml:"IndicadorMultiplesOT"`
}

// TipoHuella01 is SHA-256, the only kind of huella.
const TipoHuella01 = "01"

// Fields are the record's fields that enter its huella, as written.
func (a *Alta) Fields() huella.AltaFields {
	return huella.AltaFields{
		IssuerTaxID: a.IDFactura.IDEmisorFactura, Number: a.IDFactura.NumSerieFactura,
		IssueDate: a.IDFactura.FechaExpedicionFactura, Type: a.TipoFactura, TaxTotal: a.CuotaTotal,
		Total: a.ImporteTotal, PrevHash: a.Encadenamiento.PrevHash(), GeneratedAt: a.FechaHoraHusoGenRegistro,
	}
}

// Fields are the record's fields that enter its huella, as written.
func (c *Anulacion) Fields() huella.CancellationFields {
	return huella.CancellationFields{
		IssuerTaxID: c.IDFactura.IDEmisorFacturaAnulada, Number: c.IDFactura.NumSerieFacturaAnulada,
		IssueDate: c.IDFactura.FechaExpedicionFacturaAnulada, PrevHash: c.Encadenamiento.PrevHash(),
		GeneratedAt: c.FechaHoraHusoGenRegistro,
	}
}

// Seal sets the record's huella from its own fields.
func (a *Alta) Seal() {
	a.TipoHuella = TipoHuella01
	a.Huella = a.Fields().Hash()
}

// Seal sets the record's huella from its own fields.
func (c *Anulacion) Seal() {
	c.TipoHuella = TipoHuella01
	c.Huella = c.Fields().Hash()
}

// Marshal writes the record as the self-contained XML element it is stored
// and sent as: what xml.Marshal writes of it, written directly, since a
// record is made in every issuing transaction.
func (a *Alta) Marshal() ([]byte, error) {
	if n := len(a.Desglose.DetalleDesglose); n == 0 || n > MaxDetails {
		return nil, fmt.Errorf("a record's breakdown has 1 to %d details, not %d", MaxDetails, n)
	}
	w := &writer{}
	w.buf.Grow(2048)
	w.buf.WriteString(`<RegistroAlta xmlns="` + NSSuministroInformacion + `">`)
	w.el("IDVersion", a.IDVersion)
	w.invoiceID("IDFactura", a.IDFactura)
	w.opt("RefExterna", a.RefExterna)
	w.el("NombreRazonEmisor", a.NombreRazonEmisor)
	w.opt("Subsanacion", a.Subsanacion)
	w.opt("RechazoPrevio", a.RechazoPrevio)
	w.el("TipoFactura", a.TipoFactura)
	w.opt("TipoRectificativa", a.TipoRectificativa)
	if r := a.FacturasRectificadas; r != nil {
		w.open("FacturasRectificadas")
		for _, id := range r.IDFacturaRectificada {
			w.invoiceID("IDFacturaRectificada", id)
		}
		w.close("FacturasRectificadas")
	}
	w.opt("FechaOperacion", a.FechaOperacion)
	w.el("DescripcionOperacion", a.DescripcionOperacion)
	w.opt("Macrodato", a.Macrodato)
	if d := a.Destinatarios; d != nil {
		w.open("Destinatarios")
		for _, p := range d.IDDestinatario {
			w.open("IDDestinatario")
			w.el("NombreRazon", p.NombreRazon)
			w.opt("NIF", p.NIF)
			if o := p.IDOtro; o != nil {
				w.open("IDOtro")
				w.opt("CodigoPais", o.CodigoPais)
				w.el("IDType", o.IDType)
				w.el("ID", o.ID)
				w.close("IDOtro")
			}
			w.close("IDDestinatario")
		}
		w.close("Destinatarios")
	}
	w.open("Desglose")
	for _, d := range a.Desglose.DetalleDesglose {
		w.open("DetalleDesglose")
		w.opt("Impuesto", d.Impuesto)
		w.opt("ClaveRegimen", d.ClaveRegimen)
		w.opt("CalificacionOperacion", d.CalificacionOperacion)
		w.opt("OperacionExenta", d.OperacionExenta)
		w.opt("TipoImpositivo", d.TipoImpositivo)
		w.el("BaseImponibleOimporteNoSujeto", d.BaseImponibleOimporteNoSujeto)
		w.opt("CuotaRepercutida", d.CuotaRepercutida)
		w.opt("TipoRecargoEquivalencia", d.TipoRecargoEquivalencia)
		w.opt("CuotaRecargoEquivalencia", d.CuotaRecargoEquivalencia)
		w.close("DetalleDesglose")
	}
	w.close("Desglose")
	w.el("CuotaTotal", a.CuotaTotal)
	w.el("ImporteTotal", a.ImporteTotal)
	w.chain(a.Encadenamiento)
	w.system(a.SistemaInformatico)
	w.el("FechaHoraHusoGenRegistro", a.FechaHoraHusoGenRegistro)
	w.el("TipoHuella", a.TipoHuella)
	w.el("Huella", a.Huella)
	w.buf.WriteString("</RegistroAlta>")
	return w.buf.Bytes(), nil
}

// writer writes XML elements as xml.Marshal does: text escaped, optional
// elements left out when empty.
type writer struct{ buf bytes.Buffer }

func (w *writer) open(name string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

func (w *writer) close(name string) {
	w.buf.WriteString("</")
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

func (w *writer) el(name, value string) {
	w.open(name)
	if plain(value) {
		w.buf.WriteString(value)
	} else {
		_ = xml.EscapeText(&w.buf, []byte(value))
	}
	w.close(name)
}

// plain tells whether s is written as it is: no character XML escapes.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c < 0x20 || c >= 0x80:
			return false
		}
	}
	return true
}

func (w *writer) opt(name, value string) {
	if value != "" {
		w.el(name, value)
	}
}

func (w *writer) invoiceID(name string, id InvoiceID) {
	w.open(name)
	w.el("IDEmisorFactura", id.IDEmisorFactura)
	w.el("NumSerieFactura", id.NumSerieFactura)
	w.el("FechaExpedicionFactura", id.FechaExpedicionFactura)
	w.close(name)
}

func (w *writer) chain(c Chain) {
	w.open("Encadenamiento")
	w.opt("PrimerRegistro", c.PrimerRegistro)
	if p := c.RegistroAnterior; p != nil {
		w.open("RegistroAnterior")
		w.el("IDEmisorFactura", p.IDEmisorFactura)
		w.el("NumSerieFactura", p.NumSerieFactura)
		w.el("FechaExpedicionFactura", p.FechaExpedicionFactura)
		w.el("Huella", p.Huella)
		w.close("RegistroAnterior")
	}
	w.close("Encadenamiento")
}

func (w *writer) system(s System) {
	w.open("SistemaInformatico")
	w.el("NombreRazon", s.NombreRazon)
	w.el("NIF", s.NIF)
	w.el("NombreSistemaInformatico", s.NombreSistemaInformatico)
	w.el("IdSistemaInformatico", s.IdSistemaInformatico)
	w.el("Version", s.Version)
	w.el("NumeroInstalacion", s.NumeroInstalacion)
	w.el("TipoUsoPosibleSoloVerifactu", s.TipoUsoPosibleSoloVerifactu)
	w.el("TipoUsoPosibleMultiOT", s.TipoUsoPosibleMultiOT)
	w.el("IndicadorMultiplesOT", s.IndicadorMultiplesOT)
	w.close("SistemaInformatico")
}

// Marshal writes the record as the self-contained XML element it is stored
// and sent as.
func (c *Anulacion) Marshal() ([]byte, error) { return xml.Marshal(c) }

// Record is a stored record read back: one of Alta and Anulacion is set.
type Record struct {
	Alta      *Alta
	Anulacion *Anulacion
}

// ParseRecord reads a stored record.
func ParseRecord(data []byte) (Record, error) {
	var probe struct{ XMLName xml.Name }
	if err := xml.Unmarshal(data, &probe); err != nil {
		return Record{}, fmt.Errorf("the record is not XML: %w", err)
	}
	switch probe.XMLName.Local {
	case "RegistroAlta":
		a := &Alta{}
		if err := xml.Unmarshal(data, a); err != nil {
			return Record{}, err
		}
		return Record{Alta: a}, nil
	case "RegistroAnulacion":
		c := &Anulacion{}
		if err := xml.Unmarshal(data, c); err != nil {
			return Record{}, err
		}
		return Record{Anulacion: c}, nil
	}
	return Record{}, errors.New("not a RegistroAlta or a RegistroAnulacion: " + probe.XMLName.Local)
}

// Huella is the huella the record states.
func (r Record) Huella() string {
	if r.Alta != nil {
		return r.Alta.Huella
	}
	return r.Anulacion.Huella
}

// Recomputed is the huella of the record's own fields.
func (r Record) Recomputed() string {
	if r.Alta != nil {
		return r.Alta.Fields().Hash()
	}
	return r.Anulacion.Fields().Hash()
}

// Chain is how the record chains.
func (r Record) Chain() Chain {
	if r.Alta != nil {
		return r.Alta.Encadenamiento
	}
	return r.Anulacion.Encadenamiento
}

// RefExterna is the reference the record carries.
func (r Record) RefExterna() string {
	if r.Alta != nil {
		return r.Alta.RefExterna
	}
	return r.Anulacion.RefExterna
}
