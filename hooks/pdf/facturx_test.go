package pdf

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"facturo/internal/toolcheck"
)

// sampleCII stands for the invoice's CII XML: pdf embeds whatever it is given.
var sampleCII = []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
	`<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"><rsm:ExchangedDocument>Catálogo 2026 &amp; más</rsm:ExchangedDocument></rsm:CrossIndustryInvoice>`)

func facturXInvoice() Invoice {
	inv := shortInvoice(10)
	inv.FacturX = sampleCII
	return inv
}

// qpdfObjects reads every object of a PDF through qpdf's JSON, stream data
// decoded.
func qpdfObjects(t *testing.T, file string) map[string]json.RawMessage {
	t.Helper()
	qpdf := toolcheck.Require(t, "qpdf", "qpdf")
	out, err := exec.Command(qpdf, "--json=2", "--json-key=qpdf", "--decode-level=generalized", "--json-stream-data=inline", file).Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	var doc struct {
		QPDF []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.QPDF) < 2 {
		t.Fatalf("qpdf's JSON: %v", err)
	}
	objects := map[string]json.RawMessage{}
	if err := json.Unmarshal(doc.QPDF[1], &objects); err != nil {
		t.Fatal(err)
	}
	return objects
}

// TestFacturXIsPDFA3bWithItsXML checks each structure Factur-X and PDF/A-3b
// need, as qpdf reads them: a PDF 1.7 header and a clean file; the catalog's
// XMP metadata (pdfaid part 3, conformance B, the Factur-X properties and
// their extension schema), its sRGB output intent with an embedded profile,
// and factur-x.xml as an associated file (/AF, /AFRelationship
// /Alternative) whose bytes are the XML given; the Info dictionary saying
// what the XMP says; every font embedded.
func TestFacturXIsPDFA3bWithItsXML(t *testing.T) {
	qpdf := toolcheck.Require(t, "qpdf", "qpdf")
	doc, err := Render(facturXInvoice())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(doc, []byte("%PDF-1.7\n")) {
		t.Errorf("header %q, want PDF 1.7", doc[:9])
	}
	file := writePDF(t, doc)
	if out, err := exec.Command(qpdf, "--check", file).CombinedOutput(); err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	if out, _ := exec.Command(qpdf, "--list-attachments", "--verbose", file).CombinedOutput(); !strings.Contains(string(out), FacturXFileName) {
		t.Errorf("qpdf lists no %s:\n%s", FacturXFileName, out)
	}
	attached, err := exec.Command(qpdf, "--show-attachment="+FacturXFileName, file).Output()
	if err != nil || !bytes.Equal(attached, sampleCII) {
		t.Errorf("the attachment is not the XML given: %v\n%s", err, attached)
	}

	objects := qpdfObjects(t, file)
	type object struct {
		Value  map[string]any `json:"value"`
		Stream struct {
			Dict map[string]any `json:"dict"`
			Data []byte         `json:"data"`
		} `json:"stream"`
	}
	get := func(ref any) object {
		var o object
		key, _ := ref.(string)
		if key != "trailer" {
			key = "obj:" + key
		}
		if err := json.Unmarshal(objects[key], &o); err != nil {
			t.Fatalf("object %v: %v", ref, err)
		}
		return o
	}
	trailer := get("trailer").Value
	catalog := get(trailer["/Root"]).Value
	info := get(trailer["/Info"]).Value

	af, _ := catalog["/AF"].([]any)
	if len(af) != 1 {
		t.Fatalf("catalog /AF = %v, want the one file", catalog["/AF"])
	}
	spec := get(af[0]).Value
	if spec["/AFRelationship"] != "/Alternative" || spec["/F"] != "u:"+FacturXFileName || spec["/UF"] != "u:"+FacturXFileName {
		t.Errorf("file specification %v", spec)
	}
	embedded := get(spec["/EF"].(map[string]any)["/F"].(string))
	if embedded.Stream.Dict["/Subtype"] != "/text#2fxml" && embedded.Stream.Dict["/Subtype"] != "/text/xml" {
		t.Errorf("embedded file subtype %v, want text/xml", embedded.Stream.Dict["/Subtype"])
	}
	if params, _ := embedded.Stream.Dict["/Params"].(map[string]any); params["/ModDate"] == nil {
		t.Errorf("embedded file without /ModDate: %v", embedded.Stream.Dict)
	}

	intents, _ := catalog["/OutputIntents"].([]any)
	if len(intents) != 1 {
		t.Fatalf("output intents %v", catalog["/OutputIntents"])
	}
	intent := get(intents[0]).Value
	profile := get(intent["/DestOutputProfile"])
	if intent["/S"] != "/GTS_PDFA1" || profile.Stream.Dict["/N"] != float64(3) || !bytes.Contains(profile.Stream.Data, []byte("sRGB")) {
		t.Errorf("output intent %v, profile %v (%d bytes)", intent, profile.Stream.Dict, len(profile.Stream.Data))
	}

	meta := get(catalog["/Metadata"])
	if meta.Stream.Dict["/Subtype"] != "/XML" || meta.Stream.Dict["/Filter"] != nil {
		t.Errorf("metadata stream %v: want uncompressed XML", meta.Stream.Dict)
	}
	xmp := readXMP(t, meta.Stream.Data)
	for prop, want := range map[string]string{
		"part": "3", "conformance": "B", "DocumentFileName": FacturXFileName, "DocumentType": "INVOICE",
		"Version": "1.0", "ConformanceLevel": "EN 16931", "Producer": "facturo pdfdoc",
	} {
		if xmp[prop] != want {
			t.Errorf("XMP %s = %q, want %q", prop, xmp[prop], want)
		}
	}
	if !bytes.Contains(meta.Stream.Data, []byte("<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>")) {
		t.Error("the XMP declares no extension schema for the Factur-X properties")
	}
	// Info and XMP say the same.
	for infoKey, xmpProp := range map[string]string{"/Title": "title", "/Author": "creator", "/Creator": "CreatorTool", "/Producer": "Producer"} {
		if got := strings.TrimPrefix(info[infoKey].(string), "u:"); got != xmp[xmpProp] || got == "" {
			t.Errorf("Info %s = %q, XMP %s = %q", infoKey, got, xmpProp, xmp[xmpProp])
		}
	}
	pdfDate := regexp.MustCompile(`^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$`)
	if m := pdfDate.FindStringSubmatch(strings.TrimPrefix(info["/CreationDate"].(string), "u:")); m == nil ||
		m[1]+"-"+m[2]+"-"+m[3]+"T"+m[4]+":"+m[5]+":"+m[6]+"Z" != xmp["CreateDate"] || xmp["CreateDate"] != xmp["ModifyDate"] {
		t.Errorf("Info date %v, XMP dates %q %q", info["/CreationDate"], xmp["CreateDate"], xmp["ModifyDate"])
	}

	fonts := 0
	for _, raw := range objects {
		var o object
		if json.Unmarshal(raw, &o) == nil && o.Value["/Type"] == "/FontDescriptor" {
			fonts++
			if o.Value["/FontFile2"] == nil {
				t.Errorf("font %v is not embedded", o.Value["/FontName"])
			}
		}
	}
	if fonts == 0 {
		t.Error("no font descriptors found")
	}
}

// readXMP collects the XMP's simple properties by local name (the first
// text of dc:title's and dc:creator's lists under their own names).
func readXMP(t *testing.T, packet []byte) map[string]string {
	t.Helper()
	props := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(packet))
	var stack []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			text := strings.TrimSpace(string(tok))
			if text == "" || len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			if name == "li" && len(stack) >= 3 {
				name = stack[len(stack)-3]
			}
			if _, seen := props[name]; !seen {
				props[name] = text
			}
		}
	}
	if len(props) == 0 {
		t.Fatal("the XMP does not parse")
	}
	return props
}

// TestAPlainInvoiceIsNotArchival keeps today's PDFs as they were: PDF 1.4,
// no attachment, no metadata.
func TestAPlainInvoiceIsNotArchival(t *testing.T) {
	doc, err := Render(shortInvoice(10))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(doc, []byte("%PDF-1.4\n")) || bytes.Contains(doc, []byte("/AF ")) || bytes.Contains(doc, []byte("/Metadata")) {
		t.Error("a PDF without Factur-X XML was written as an archival one")
	}
}

func BenchmarkRenderFacturX10Lines(b *testing.B) {
	benchmarkRender(b, facturXInvoice())
}
