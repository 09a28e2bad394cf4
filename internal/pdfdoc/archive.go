package pdfdoc

import (
	"bytes"
	"crypto/md5"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"time"
)

// srgbProfile is the sRGB ICC profile (ICC v2, 6,922 bytes) of Debian's
// icc-profiles-free package (/usr/share/color/icc/sRGB.icc, by Kai-Uwe
// Behrmann, Marti Maria and others, zlib licence): the output intent of an
// archival document, which PDF/A needs for its device RGB colours.
//
//go:embed srgb.icc
var srgbProfile []byte

// packedProfile is the profile compressed once for every document.
var packedProfile = sync.OnceValue(func() []byte { return deflateBest(srgbProfile) })

// Attachment is a file embedded in a document as an associated file
// (PDF/A-3): in the catalog's /AF array and its embedded files, with its
// relationship to the document.
type Attachment struct {
	Name         string // the file's name, such as "factur-x.xml"
	MIMEType     string // such as "text/xml"
	Description  string
	Relationship string // Source, Data, Alternative, Supplement or Unspecified
	Data         []byte
}

// Archive makes the document PDF/A-3b: a PDF 1.7 header, XMP metadata
// declaring the conformance (with extraXMP, whole rdf:Description elements,
// added to it), the Info dictionary in step with the XMP, and an sRGB
// output intent. Every font is embedded already.
func (d *Document) Archive(extraXMP string) {
	d.archival = true
	d.extraXMP = extraXMP
}

// Attach embeds a file as an associated file of the document.
func (d *Document) Attach(a Attachment) {
	d.attachments = append(d.attachments, a)
}

// producer is the application that writes the PDF, in Info and XMP alike.
const producer = "facturo pdfdoc"

// xmp is the document's XMP metadata packet. Its values repeat the Info
// dictionary's, as PDF/A requires.
func (d *Document) xmp() []byte {
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">`)
	b.WriteString(`<dc:format>application/pdf</dc:format>`)
	if d.info.Title != "" {
		fmt.Fprintf(&b, `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt></dc:title>`, xmlText(d.info.Title))
	}
	if d.info.Author != "" {
		fmt.Fprintf(&b, `<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>`, xmlText(d.info.Author))
	}
	b.WriteString("</rdf:Description>\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">`)
	if d.info.Creator != "" {
		fmt.Fprintf(&b, `<xmp:CreatorTool>%s</xmp:CreatorTool>`, xmlText(d.info.Creator))
	}
	if !d.info.Date.IsZero() {
		date := d.info.Date.UTC().Format(time.RFC3339)
		fmt.Fprintf(&b, `<xmp:CreateDate>%s</xmp:CreateDate><xmp:ModifyDate>%s</xmp:ModifyDate>`, date, date)
	}
	b.WriteString("</rdf:Description>\n")
	fmt.Fprintf(&b, `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>%s</pdf:Producer></rdf:Description>`+"\n", producer)
	b.WriteString(d.extraXMP)
	b.WriteString("</rdf:RDF></x:xmpmeta>\n")
	// Room for an editor to grow the packet in place, as XMP suggests.
	b.WriteString(strings.Repeat(strings.Repeat(" ", 99)+"\n", 20))
	b.WriteString(`<?xpacket end="w"?>`)
	return b.Bytes()
}

// xmlText escapes text for XML.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// writeArchival writes the objects of an archival document and its
// attachments from obj on: the metadata, the output intent and its
// profile, then each attachment's file specification and stream.
func (d *Document) writeArchival(w *writer, l layout) {
	if d.archival {
		w.streamObj(l.metadata, " /Type /Metadata /Subtype /XML", d.xmp())
		w.dictObj(l.metadata+1, fmt.Appendf(nil, "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>", l.metadata+2))
		w.streamObj(l.metadata+2, " /N 3 /Filter /FlateDecode", packedProfile())
	}
	var packed bytes.Buffer
	for i, a := range d.attachments {
		obj := l.attachments[i]
		b := []byte("<< /Type /Filespec /F ")
		b = appendText(b, a.Name)
		b = append(b, " /UF "...)
		b = appendText(b, a.Name)
		if a.Description != "" {
			b = append(b, " /Desc "...)
			b = appendText(b, a.Description)
		}
		b = append(b, " /AFRelationship /"...)
		b = appendName(b, a.Relationship)
		w.dictObj(obj, fmt.Appendf(b, " /EF << /F %d 0 R /UF %d 0 R >> >>", obj+1, obj+1))
		packed.Reset()
		deflateFast(&packed, a.Data)
		dict := []byte(" /Type /EmbeddedFile /Subtype /")
		dict = appendName(dict, a.MIMEType)
		dict = fmt.Appendf(dict, " /Params << /Size %d /CheckSum <%x>", len(a.Data), md5.Sum(a.Data))
		if !d.info.Date.IsZero() {
			dict = append(dict, d.info.Date.UTC().Format(" /ModDate (D:20060102150405Z)")...)
		}
		dict = append(dict, " >> /Filter /FlateDecode"...)
		w.streamObj(obj+1, string(dict), packed.Bytes())
	}
}

// catalogExtras are the catalog's entries for an archival document and its
// attachments.
func (d *Document) catalogExtras(b []byte, l layout) []byte {
	if d.archival {
		b = fmt.Appendf(b, " /Metadata %d 0 R /OutputIntents [%d 0 R]", l.metadata, l.metadata+1)
	}
	if len(d.attachments) == 0 {
		return b
	}
	b = append(b, " /AF ["...)
	for i := range d.attachments {
		if i > 0 {
			b = append(b, ' ')
		}
		b = fmt.Appendf(b, "%d 0 R", l.attachments[i])
	}
	// The embedded files' name tree lists them by name, in sorted order.
	b = append(b, "] /Names << /EmbeddedFiles << /Names ["...)
	order := make([]int, len(d.attachments))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && d.attachments[order[j]].Name < d.attachments[order[j-1]].Name; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for n, i := range order {
		if n > 0 {
			b = append(b, ' ')
		}
		b = appendText(b, d.attachments[i].Name)
		b = fmt.Appendf(b, " %d 0 R", l.attachments[i])
	}
	return append(b, "] >> >> /PageMode /UseAttachments"...)
}
