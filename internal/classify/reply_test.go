package classify

import (
	"bytes"
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
)

// msg joins header and body lines with CRLF, as messages come from IMAP.
func msg(lines ...string) []byte {
	return []byte(strings.Join(lines, "\r\n"))
}

func TestReplyPlainWithQuoteSignatureAndAttachment(t *testing.T) {
	pdf := []byte("%PDF-1.4 fake purchase order\n")
	raw := msg(
		"From: Ana Pérez <Ana@Client.example>",
		"To: ACME Billing <ar+k3j2h4g5f6d7s8a@billing.example.test>",
		"Subject: =?UTF-8?Q?Re:_Factura_A-2026-000123_=E2=80=94_pedido?=",
		"In-Reply-To: <k3j2h4g5f6d7s8a.a-2026-000123@billing.example.test>",
		"References: <older@client.example> <k3j2h4g5f6d7s8a.a-2026-000123@billing.example.test>",
		"Message-ID: <reply-1@client.example>",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="outer"`,
		"",
		"--outer",
		`Content-Type: multipart/alternative; boundary="alt"`,
		"",
		"--alt",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"Hola, adjunto el pedido. La direcci=C3=B3n de env=C3=ADo ha cambiado.",
		"",
		"-- ",
		"Ana P=C3=A9rez",
		"Compras",
		"",
		"El vie, 27 nov 2026 a las 10:00, ACME Billing <billing@billing.example.test> escribi=C3=B3:",
		"> Adjuntamos la factura A-2026-000123.",
		"--alt",
		"Content-Type: text/html; charset=utf-8",
		"",
		"<p>Hola, adjunto el pedido.</p>",
		"--alt--",
		"--outer",
		`Content-Type: application/pdf; name="pedido.pdf"`,
		`Content-Disposition: attachment; filename*=UTF-8''pedido%20n%C2%BA%207.pdf`,
		"Content-Transfer-Encoding: base64",
		"",
		base64.StdEncoding.EncodeToString(pdf),
		"--outer--",
		"",
	)
	res, err := Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != KindReply {
		t.Fatalf("kind %s, want reply", res.Kind)
	}
	if want := "Hola, adjunto el pedido. La dirección de envío ha cambiado."; res.Text != want {
		t.Errorf("text %q, want %q", res.Text, want)
	}
	if res.Subject != "Re: Factura A-2026-000123 — pedido" || res.From != "ana@client.example" {
		t.Errorf("subject %q from %q", res.Subject, res.From)
	}
	if len(res.Attachments) != 1 {
		t.Fatalf("attachments %+v", res.Attachments)
	}
	a := res.Attachments[0]
	if a.Name != "pedido nº 7.pdf" || a.ContentType != "application/pdf" || a.Size != len(pdf) || !bytes.Equal(a.Data, pdf) {
		t.Errorf("attachment %+v", a)
	}
	want := Match{
		MessageIDs:     []string{"k3j2h4g5f6d7s8a.a-2026-000123@billing.example.test", "older@client.example"},
		InvoiceIDs:     []string{"k3j2h4g5f6d7s8a"},
		InvoiceNumbers: []string{"A-2026-000123"},
	}
	if !reflect.DeepEqual(res.Match, want) {
		t.Errorf("match\n got %+v\nwant %+v", res.Match, want)
	}
}

func TestReplyHTMLOnlyIsConvertedSafely(t *testing.T) {
	raw := msg(
		"From: billing@customer.example",
		"To: facturas@firm.example",
		"Subject: RE: Invoice R-2025-000007",
		"Content-Type: text/html; charset=windows-1252",
		"",
		"<html><head><title>x</title><style>p{color:red}</style></head><body>",
		"<script>alert('x')</script>",
		"<p>We paid it &amp; sent the <b>remittance</b>&nbsp;today.</p><p>Thanks &lt;3</p>",
		"<div id=\"divRplyFwdMsg\"><hr><b>From:</b> ACME Billing<br><b>Sent:</b> Friday<br><b>Subject:</b> Invoice</div>",
		"<p>Old text</p><blockquote>quoted</blockquote>",
		"</body></html>",
	)
	res, err := Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != KindReply {
		t.Fatalf("kind %s, want reply (subject answers and names an invoice)", res.Kind)
	}
	if want := "We paid it & sent the remittance today.\n\nThanks <3"; res.Text != want {
		t.Errorf("text %q, want %q", res.Text, want)
	}
	if !reflect.DeepEqual(res.Match.InvoiceNumbers, []string{"R-2025-000007"}) {
		t.Errorf("invoice numbers %v", res.Match.InvoiceNumbers)
	}
}

func TestStripQuoted(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"english", "Paid.\n\nOn Fri, Nov 27, 2026 at 10:00 AM ACME <b@x.example> wrote:\n> Invoice attached", "Paid."},
		{"english wrapped", "Paid.\nOn Fri, Nov 27, 2026 at 10:00 AM ACME Billing <billing@x.example>\nwrote:\n> x", "Paid."},
		{"spanish", "Pagado.\nEl vie, 27 nov 2026, 10:00, ACME <b@x.example> escribió:\n> Factura", "Pagado."},
		{"french", "Payé.\nLe ven. 27 nov. 2026 à 10:00, ACME <b@x.example> a écrit :\n> Facture", "Payé."},
		{"german", "Bezahlt.\nAm Fr., 27. Nov. 2026 um 10:00 Uhr schrieb ACME <b@x.example>:\n> Rechnung", "Bezahlt."},
		{"portuguese", "Pago.\nEm sex., 27 de nov. de 2026 às 10:00, ACME <b@x.example> escreveu:\n> Fatura", "Pago."},
		{"italian", "Pagato.\nIl giorno ven 27 nov 2026 alle ore 10:00 ACME <b@x.example> ha scritto:\n> Fattura", "Pagato."},
		{"outlook separator", "Paid.\n\n-----Original Message-----\nFrom: ACME\nSent: Friday\n\nInvoice", "Paid."},
		{"outlook spanish separator", "Pagado.\n-----Mensaje original-----\nDe: ACME", "Pagado."},
		{"outlook block", "Paid.\n________________________________\nFrom: ACME Billing <b@x.example>\nSent: Friday, November 27, 2026 10:00\nTo: Ana\nSubject: Invoice\n\nInvoice text", "Paid."},
		{"outlook block spanish", "Pagado.\n\nDe: ACME Billing <b@x.example>\nEnviado el: viernes, 27 de noviembre de 2026 10:00\nPara: Ana\n\nTexto", "Pagado."},
		{"outlook block portuguese", "Pago.\n\nDe: ACME Billing <b@x.example>\nEnviada em: sexta-feira, 27 de novembro de 2026 10:00\nPara: Ana\n\nTexto", "Pago."},
		{"outlook block german", "Bezahlt.\n\nVon: ACME Billing <b@x.example>\nGesendet: Freitag, 27. November 2026 10:00\nAn: Ana\n\nText", "Bezahlt."},
		{"signature", "Paid.\n-- \nAna\nAccounts", "Paid."},
		{"interleaved quotes", "> question one\nAnswer one.\n> question two\nAnswer two.", "Answer one.\nAnswer two."},
		{"forward", "See below.\n\n---------- Forwarded message ---------\nFrom: X", "See below."},
	} {
		if got := stripQuoted(tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestReplyDetection(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  Kind
	}{
		{"our Message-ID shape", []string{"From: a@c.example", "To: facturas@firm.example", "Subject: pregunta", "In-Reply-To: <k3j2h4g5f6d7s8a.a-2026-000123@firm.example>", "", "¿Cuándo vence?"}, KindReply},
		{"reply address", []string{"From: a@c.example", "To: AR <ar+k3j2h4g5f6d7s8a@firm.example>", "Subject: hello", "", "hi"}, KindReply},
		{"answer naming an invoice", []string{"From: a@c.example", "To: facturas@firm.example", "Subject: AW: Rechnung A-2026-000123", "", "Danke"}, KindReply},
		{"forward naming an invoice", []string{"From: a@c.example", "To: facturas@firm.example", "Subject: Fwd: Invoice A-2026-000123", "", "fyi"}, KindReply},
		{"answer to something else", []string{"From: a@c.example", "To: facturas@firm.example", "Subject: Re: lunch", "In-Reply-To: <abc@c.example>", "", "ok"}, KindOther},
		{"newsletter", []string{"From: news@shop.example", "To: facturas@firm.example", "Subject: Offers", "", "Buy now"}, KindOther},
	} {
		res, err := Classify(msg(tc.lines...))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.Kind != tc.want {
			t.Errorf("%s: kind %s, want %s", tc.name, res.Kind, tc.want)
		}
	}
}

func TestHasReplyPrefix(t *testing.T) {
	for s, want := range map[string]bool{
		"Re: x": true, "RE: x": true, "AW: x": true, "RV: x": true, "Fwd: x": true, "FW: x": true,
		"Re[2]: x": true, "RE : x": true, "TR: x": true, "Invoice": false, "Reminder: x": false, "": false,
	} {
		if got := hasReplyPrefix(s); got != want {
			t.Errorf("hasReplyPrefix(%q) = %v", s, got)
		}
	}
}
