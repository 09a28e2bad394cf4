// Package aeat speaks to the AEAT's VERI*FACTU web service
// (SistemaFacturacion.wsdl, SOAP 1.1 over mutual TLS): the registration
// records as the schemas SuministroLR.xsd and SuministroInformacion.xsd
// write them, the requests that carry them (RegFactuSistemaFacturacion)
// and the queries of what the AEAT holds (ConsultaFactuSistemaFacturacion),
// their answers, and a client that authenticates with the firm's
// certificate. It binds nothing to PocketBase.
//
// Elements are written in the schemas' namespaces as default namespaces
// (<RegistroAlta xmlns="…SuministroInformacion.xsd">), so that each record
// is a self-contained piece of XML: it is stored as generated and put into
// a request byte for byte.
package aeat

import (
	"strings"
	"unicode/utf8"
)

// The schemas' namespaces.
const (
	base                    = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/"
	NSSuministroInformacion = base + "SuministroInformacion.xsd"
	NSSuministroLR          = base + "SuministroLR.xsd"
	NSRespuestaSuministro   = base + "RespuestaSuministro.xsd"
	NSConsultaLR            = base + "ConsultaLR.xsd"
	NSRespuestaConsultaLR   = base + "RespuestaConsultaLR.xsd"
	NSSOAP                  = "http://schemas.xmlsoap.org/soap/envelope/"
)

// Version is the IDVersion of the records and queries this package writes.
const Version = "1.0"

// MaxRecords is the most records one request may carry (SuministroLR.xsd).
const MaxRecords = 1000

// Environments of the AEAT's service.
const (
	Test       = "test"
	Production = "production"
)

// Endpoint is the URL of the VERI*FACTU service (SistemaFacturacion.wsdl,
// service sfVerifactu) in an environment: an entity seal authenticates at
// the hosts for seals (www10, prewww10), a person's certificate, a
// representative's included, at the others. The query service answers at
// the same URL.
func Endpoint(environment string, entitySeal bool) string {
	host := "www1.agenciatributaria.gob.es"
	switch {
	case environment == Test && entitySeal:
		host = "prewww10.aeat.es"
	case environment == Test:
		host = "prewww1.aeat.es"
	case entitySeal:
		host = "www10.agenciatributaria.gob.es"
	}
	return "https://" + host + "/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP"
}

// Text makes free text fit a field of the records: the characters the AEAT
// refuses in them (<, >, ", ', =; error 1287) are replaced by look-alikes
// it takes, runs of blanks become one space, and the text is cut to max
// characters.
func Text(s string, max int) string {
	s = textReplacer.Replace(strings.Join(strings.Fields(s), " "))
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max]))
}

var textReplacer = strings.NewReplacer("<", "‹", ">", "›", `"`, "”", "'", "’", "=", "-")
