package pdf

import (
	"strings"

	"facturo/internal/pdfdoc"
)

// Factur-X 1.0 (ZUGFeRD 2.x): the name and conformance level of the XML a
// Factur-X PDF carries, and the XMP namespace that declares them.
const (
	FacturXFileName = "factur-x.xml"
	facturXLevel    = "EN 16931"
	facturXNS       = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
)

// facturXProperties are the Factur-X XMP properties and what each says, as
// the PDF/A extension schema that declares them describes them.
var facturXProperties = [][2]string{
	{"DocumentFileName", "The name of the embedded XML document"},
	{"DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"},
	{"Version", "The actual version of the standard applying to the embedded XML document"},
	{"ConformanceLevel", "The conformance level of the embedded XML document"},
}

// facturXMP is the XMP that makes a PDF/A-3 a Factur-X file: the Factur-X
// properties, and the extension schema that PDF/A requires for them.
func facturXMP() string {
	var b strings.Builder
	b.WriteString(`<rdf:Description rdf:about="" xmlns:fx="` + facturXNS + `">`)
	b.WriteString(`<fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>` + FacturXFileName + `</fx:DocumentFileName>`)
	b.WriteString(`<fx:Version>1.0</fx:Version><fx:ConformanceLevel>` + facturXLevel + `</fx:ConformanceLevel></rdf:Description>` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">`)
	b.WriteString(`<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">`)
	b.WriteString(`<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>` + facturXNS + `</pdfaSchema:namespaceURI>`)
	b.WriteString(`<pdfaSchema:prefix>fx</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>`)
	for _, p := range facturXProperties {
		b.WriteString(`<rdf:li rdf:parseType="Resource"><pdfaProperty:name>` + p[0] + `</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>`)
		b.WriteString(`<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>` + p[1] + `</pdfaProperty:description></rdf:li>`)
	}
	b.WriteString(`</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>` + "\n")
	return b.String()
}

// makeFacturX turns the document being drawn into a Factur-X file: PDF/A-3b
// with the CII XML as its alternative representation.
func makeFacturX(doc *pdfdoc.Document, xml []byte) {
	doc.Archive(facturXMP())
	doc.Attach(pdfdoc.Attachment{
		Name: FacturXFileName, MIMEType: "text/xml", Description: "Factur-X invoice (EN 16931)",
		Relationship: "Alternative", Data: xml,
	})
}
