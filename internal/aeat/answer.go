package aeat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The states of a request as a whole (EstadoEnvio) and of each record in it
// (EstadoRegistro).
const (
	SentCorrect          = "Correcto"
	SentPartly           = "ParcialmenteCorrecto"
	SentIncorrect        = "Incorrecto"
	RecordCorrect        = "Correcto"
	RecordWithErrors     = "AceptadoConErrores"
	RecordIncorrect      = "Incorrecto"
	CodeDuplicate        = "3000"
	DuplicateCorrect     = "Correcta"
	DuplicateWithErrors  = "AceptadaConErrores"
	DuplicateCancelled   = "Anulada"
	StoredCorrect        = "Correcto"
	StoredWithErrors     = "AceptadoConErrores"
	StoredCancelled      = "Anulado"
	OperationAlta        = "Alta"
	OperationCancelation = "Anulacion"
)

// Answer is the AEAT's answer to a RegFactuSistemaFacturacion request
// (RespuestaSuministro.xsd).
type Answer struct {
	CSV               string       `xml:"CSV"`
	TiempoEsperaEnvio int          `xml:"TiempoEsperaEnvio"` // seconds to wait before the next request
	EstadoEnvio       string       `xml:"EstadoEnvio"`
	Lines             []Line       `xml:"RespuestaLinea"`
	Presented         Presentation `xml:"DatosPresentacion"`
}

// Presentation is who presented the request and when, as the AEAT saw it.
type Presentation struct {
	NIFPresentador        string `xml:"NIFPresentador"`
	TimestampPresentacion string `xml:"TimestampPresentacion"`
}

// Line is the answer about one record (RespuestaLinea).
type Line struct {
	IDFactura                InvoiceID  `xml:"IDFactura"`
	Operacion                Operation  `xml:"Operacion"`
	RefExterna               string     `xml:"RefExterna"`
	EstadoRegistro           string     `xml:"EstadoRegistro"`
	CodigoErrorRegistro      string     `xml:"CodigoErrorRegistro"`
	DescripcionErrorRegistro string     `xml:"DescripcionErrorRegistro"`
	RegistroDuplicado        *Duplicate `xml:"RegistroDuplicado"`
}

// Operation is what a line's record was: an Alta or an Anulacion, and its
// flags.
type Operation struct {
	TipoOperacion     string `xml:"TipoOperacion"`
	Subsanacion       string `xml:"Subsanacion"`
	RechazoPrevio     string `xml:"RechazoPrevio"`
	SinRegistroPrevio string `xml:"SinRegistroPrevio"`
}

// Duplicate is what the AEAT already holds for a record it refused as a
// duplicate (code 3000).
type Duplicate struct {
	IdPeticionRegistroDuplicado string `xml:"IdPeticionRegistroDuplicado"`
	EstadoRegistroDuplicado     string `xml:"EstadoRegistroDuplicado"`
	CodigoErrorRegistro         string `xml:"CodigoErrorRegistro"`
	DescripcionErrorRegistro    string `xml:"DescripcionErrorRegistro"`
}

// Fault is a SOAP fault: the AEAT refused the request as a whole (its
// envelope, its schema, its certificate) without answering about its
// records.
type Fault struct {
	Code   string
	String string
}

func (f *Fault) Error() string {
	return "the AEAT answered with a SOAP fault: " + strings.TrimSpace(f.Code+" "+f.String)
}

// ParseAnswer reads the answer to a RegFactuSistemaFacturacion request. A
// fault comes back as a *Fault.
func ParseAnswer(body []byte) (*Answer, error) {
	a := &Answer{}
	if err := decodeBody(body, "RespuestaRegFactuSistemaFacturacion", a); err != nil {
		return nil, err
	}
	if a.EstadoEnvio == "" {
		return nil, errors.New("the answer has no EstadoEnvio")
	}
	return a, nil
}

// QueryAnswer is the AEAT's answer to a ConsultaFactuSistemaFacturacion
// request (RespuestaConsultaLR.xsd).
type QueryAnswer struct {
	IndicadorPaginacion string        `xml:"IndicadorPaginacion"` // S: there is another page
	ResultadoConsulta   string        `xml:"ResultadoConsulta"`   // ConDatos or SinDatos
	Records             []QueryRecord `xml:"RegistroRespuestaConsultaFactuSistemaFacturacion"`
	ClavePaginacion     *InvoiceID    `xml:"ClavePaginacion"`
}

// QueryRecord is what the AEAT holds of one invoice.
type QueryRecord struct {
	IDFactura InvoiceID `xml:"IDFactura"`
	Datos     struct {
		TipoFactura  string `xml:"TipoFactura"`
		Subsanacion  string `xml:"Subsanacion"`
		ImporteTotal string `xml:"ImporteTotal"`
		Huella       string `xml:"Huella"`
		Incidencia   string `xml:"Incidencia"`
	} `xml:"DatosRegistroFacturacion"`
	Estado struct {
		EstadoRegistro           string `xml:"EstadoRegistro"` // Correcto, AceptadoConErrores or Anulado
		CodigoErrorRegistro      string `xml:"CodigoErrorRegistro"`
		DescripcionErrorRegistro string `xml:"DescripcionErrorRegistro"`
	} `xml:"EstadoRegistro"`
}

// More tells whether another page follows.
func (q *QueryAnswer) More() bool { return q.IndicadorPaginacion == "S" && q.ClavePaginacion != nil }

// ParseQueryAnswer reads the answer to a query. A fault comes back as a
// *Fault.
func ParseQueryAnswer(body []byte) (*QueryAnswer, error) {
	q := &QueryAnswer{}
	if err := decodeBody(body, "RespuestaConsultaFactuSistemaFacturacion", q); err != nil {
		return nil, err
	}
	return q, nil
}

// decodeBody decodes the element of a SOAP envelope's body named want into
// v, by local names whatever the prefixes; a Fault becomes a *Fault.
func decodeBody(body []byte, want string, v any) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	inBody := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return errors.New("the answer has no " + want)
		}
		if err != nil {
			return fmt.Errorf("the answer is not XML: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Local == "Body":
			inBody = true
		case !inBody:
		case start.Name.Local == "Fault":
			var f struct {
				Code   string `xml:"faultcode"`
				String string `xml:"faultstring"`
			}
			if err := d.DecodeElement(&f, &start); err != nil {
				return err
			}
			return &Fault{Code: strings.TrimSpace(f.Code), String: strings.TrimSpace(f.String)}
		case start.Name.Local == want:
			return d.DecodeElement(v, &start)
		default:
			return errors.New("the answer holds " + start.Name.Local + ", not " + want)
		}
	}
}

// Wait is the answer's TiempoEsperaEnvio in seconds, at least zero.
func (a *Answer) Wait() int { return max(a.TiempoEsperaEnvio, 0) }

// CodeText writes an error code as the AEAT lists it ("1100"), or "" for
// none.
func CodeText(code string) string {
	code = strings.TrimSpace(code)
	if n, err := strconv.Atoi(code); err == nil {
		return strconv.Itoa(n)
	}
	return code
}
