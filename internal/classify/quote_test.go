package classify

import (
	"strings"
	"testing"
)

// A quote case is the history a mail program puts under a reply: its
// header (an attribution, a header block, a rule) and what it quotes.
type quoteCase struct {
	client, history string
}

// checkQuotes puts each history under the reply, after a blank line and
// right after its last line, and checks that the reply comes out exactly
// and nothing of the history does. The reply of each language holds lines
// that look like headers and are not: a date, a time, a colon at the end,
// a verb of writing.
func checkQuotes(t *testing.T, reply string, cases []quoteCase) {
	t.Helper()
	if strings.Contains(reply, "\n\n\n") || reply != strings.TrimSpace(reply) {
		t.Fatal("the reply must be as the product keeps text: trimmed, one blank line at most")
	}
	for _, tc := range cases {
		for _, gap := range []string{"\n\n", "\n"} {
			in := reply + gap + tc.history
			if got := stripQuoted(in); got != reply {
				t.Errorf("%s (gap %q):\n got %q\nwant %q", tc.client, gap, got, reply)
				break
			}
			// The same message with Windows line ends, as some clients send.
			if got := stripQuoted(strings.ReplaceAll(in, "\n", "\r\n")); got != reply {
				t.Errorf("%s with CRLF (gap %q):\n got %q\nwant %q", tc.client, gap, got, reply)
				break
			}
		}
	}
}

// The quoted invoice email, as each language's history quotes it: with ">"
// under attributions, bare under Outlook's header blocks.
func quoted(lines ...string) string {
	return "\n> " + strings.Join(lines, "\n> ") + "\n"
}

func bare(lines ...string) string {
	return "\n\n" + strings.Join(lines, "\n") + "\n"
}

func TestQuoteHeadersSpanish(t *testing.T) {
	reply := "Hola:\n\nAdjunto el justificante del pago de 1.210,00 € hecho el 4/12/26 a las 15:00.\n" +
		"Una pregunta: ¿la factura incluye el pedido nº 7?\n" +
		"El pedido 7 se pidió el 2/12, tal como escribió Juan:\n" +
		"«Enviadlo todo junto».\n\n" +
		"Un saludo,\nAna Pérez · Tel. 600 123 456"
	q := quoted("Le enviamos la factura A-2026-000123.", "Un saludo")
	b := bare("Le enviamos la factura A-2026-000123.", "Un saludo")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail", "El vie, 4 dic 2026 a las 15:09, ACME Facturación (<facturas@acme.example>) escribió:" + q},
		{"Gmail, wrapped inside the address", "El vie, 4 dic 2026 a las 15:09, ACME Facturación Servicios Integrales (<\nfacturas@acme.example>) escribió:" + q},
		{"Gmail for Android", "El vie., 4 de dic. de 2026 15:09, ACME Facturación <facturas@acme.example> escribió:" + q},
		{"Apple Mail and iOS", "El 4 dic 2026, a las 15:09, ACME Facturación <facturas@acme.example> escribió:" + q},
		{"Thunderbird", "El 4/12/26 a las 15:09, ACME Facturación escribió:" + q},
		{"Thunderbird, nothing quoted after", "El 4/12/26 a las 15:09, ACME Facturación escribió:" + b},
		{"Thunderbird, name only", "ACME Facturación escribió:" + q},
		{"Yahoo", "El viernes, 4 de diciembre de 2026, 15:09:12 CET, ACME Facturación <facturas@acme.example> escribió:" + q},
		{"Outlook", "________________________________\nDe: ACME Facturación <facturas@acme.example>\nEnviado el: viernes, 4 de diciembre de 2026 15:09\n" +
			"Para: Ana Pérez <ana@cliente.example>\nCC: Compras <compras@cliente.example>\nAsunto: Factura A-2026-000123" + b},
		{"Outlook on the web", "________________________________\nDe: ACME Facturación <facturas@acme.example>\nEnviado: viernes, 4 de diciembre de 2026 15:09\n" +
			"Para: Ana Pérez <ana@cliente.example>\nAsunto: Factura A-2026-000123" + b},
		{"Outlook, older", "-----Mensaje original-----\nDe: ACME Facturación [mailto:facturas@acme.example]\nEnviado el: viernes, 4 de diciembre de 2026 15:09\n" +
			"Para: Ana Pérez\nAsunto: Factura A-2026-000123" + b},
		{"Outlook for Mac and iOS", "De: ACME Facturación <facturas@acme.example>\nFecha: viernes, 4 de diciembre de 2026, 15:09\n" +
			"Para: Ana Pérez <ana@cliente.example>\nAsunto: Factura A-2026-000123" + b},
		{"Outlook in bold, read as text", "*De:* ACME Facturación <facturas@acme.example>\n*Enviado el:* viernes, 4 de diciembre de 2026 15:09\n" +
			"*Para:* Ana Pérez\n*Asunto:* Factura A-2026-000123" + b},
		{"Samsung and Android", "-------- Mensaje original --------\nDe: ACME Facturación <facturas@acme.example> \nFecha: 4/12/26 15:09 (GMT+01:00) \n" +
			"Para: ana@cliente.example \nAsunto: Factura A-2026-000123 " + b},
		{"GMX", "Enviado: viernes, 04 de diciembre de 2026 a las 15:09\nDe: \"ACME Facturación\" <facturas@acme.example>\nPara: ana@cliente.example\n" +
			"Asunto: Factura A-2026-000123" + b},
		{"Gmail, forwarded", "---------- Mensaje reenviado ---------\nDe: ACME Facturación <facturas@acme.example>\nDate: vie, 4 dic 2026 a las 15:09\n" +
			"Subject: Factura A-2026-000123\nTo: <ana@cliente.example>" + b},
		{"Apple Mail, forwarded", "Inicio del mensaje reenviado:\n\nDe: ACME Facturación <facturas@acme.example>\nAsunto: Factura A-2026-000123\n" +
			"Fecha: 4 de diciembre de 2026, 15:09:12 CET\nPara: ana@cliente.example" + b},
	})
}

func TestQuoteHeadersEnglish(t *testing.T) {
	reply := "Hi,\n\nWe paid 1,210.00 EUR on 12/4/26 at 3:00 PM.\n" +
		"On Friday we also sent the purchase order:\n" +
		"PO 7, as Juan wrote on the 2nd.\n\n" +
		"Best,\nAnn Smith, +44 20 7946 0000"
	q := quoted("Please find attached invoice A-2026-000123.", "Kind regards")
	b := bare("Please find attached invoice A-2026-000123.", "Kind regards")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail", "On Fri, Dec 4, 2026 at 3:09\u202fPM ACME Billing <billing@acme.example> wrote:" + q},
		{"Gmail, wrapped inside the address", "On Fri, Dec 4, 2026 at 3:09 PM ACME Billing Department <\nbilling@acme.example> wrote:" + q},
		{"Gmail, wrapped before the verb", "On Fri, Dec 4, 2026 at 3:09 PM ACME Billing <billing@acme.example>\nwrote:" + q},
		{"Apple Mail", "On Dec 4, 2026, at 15:09, ACME Billing <billing@acme.example> wrote:" + q},
		{"iOS, British English", "On 4 Dec 2026, at 15:09, ACME Billing <billing@acme.example> wrote:" + q},
		{"Thunderbird", "On 12/4/26 15:09, ACME Billing wrote:" + q},
		{"Thunderbird, nothing quoted after", "On 12/4/26 15:09, ACME Billing wrote:" + b},
		{"Thunderbird, name only", "ACME Billing wrote:" + q},
		{"Yahoo", "On Friday, December 4, 2026, 03:09:12 PM GMT+1, ACME Billing <billing@acme.example> wrote:" + q},
		{"Outlook", "________________________________\nFrom: ACME Billing <billing@acme.example>\nSent: Friday, December 4, 2026 3:09 PM\n" +
			"To: Ann Smith <ann@client.example>\nCc: Purchasing <po@client.example>\nSubject: Invoice A-2026-000123" + b},
		{"Outlook, older", "-----Original Message-----\nFrom: ACME Billing [mailto:billing@acme.example]\nSent: Friday, December 4, 2026 3:09 PM\n" +
			"To: Ann Smith\nSubject: Invoice A-2026-000123" + b},
		{"Outlook for Android", "________________________________\nFrom: ACME Billing <billing@acme.example>\n" +
			"Sent: Friday, December 4, 2026 3:09:12 PM\nTo: ann@client.example <ann@client.example>\nSubject: Invoice A-2026-000123" + b},
		{"Outlook for Mac", "From: ACME Billing <billing@acme.example>\nDate: Friday, 4 December 2026 at 15:09\nTo: Ann Smith <ann@client.example>\n" +
			"Subject: Invoice A-2026-000123" + b},
		{"Samsung", "-------- Original message --------\nFrom: ACME Billing <billing@acme.example> \nDate: 04/12/2026 15:09 (GMT+01:00) \n" +
			"To: ann@client.example \nSubject: Invoice A-2026-000123 " + b},
		{"Gmail, forwarded", "---------- Forwarded message ---------\nFrom: ACME Billing <billing@acme.example>\nDate: Fri, Dec 4, 2026 at 3:09 PM\n" +
			"Subject: Invoice A-2026-000123\nTo: <ann@client.example>" + b},
		{"Apple Mail, forwarded", "Begin forwarded message:\n\nFrom: ACME Billing <billing@acme.example>\nSubject: Invoice A-2026-000123\n" +
			"Date: 4 December 2026 at 15:09:12 CET\nTo: ann@client.example" + b},
	})
}

func TestQuoteHeadersCatalan(t *testing.T) {
	reply := "Bon dia:\n\nUs adjunto el justificant del pagament d'1.210,00 € fet el 4/12/26 a les 15:00.\n" +
		"El pagament es va fer el 4/12 a les 15:00:\n" +
		"transferència des del compte de sempre.\n\n" +
		"Salutacions,\nAnna Puig · Tel. 600 123 456"
	q := quoted("Us enviem la factura A-2026-000123.", "Salutacions")
	b := bare("Us enviem la factura A-2026-000123.", "Salutacions")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail", "El dv., 4 de des. 2026 a les 15:09, ACME Facturació (<factures@acme.example>) va escriure:" + q},
		{"Gmail, wrapped inside the address", "El dv., 4 de des. 2026 a les 15:09, ACME Facturació Serveis Integrals (<\nfactures@acme.example>) va escriure:" + q},
		{"Apple Mail and iOS", "El 4 de des. 2026, a les 15:09, ACME Facturació <factures@acme.example> va escriure:" + q},
		{"Thunderbird", "El 4/12/26 a les 15:09, ACME Facturació ha escrit:" + q},
		{"Thunderbird, nothing quoted after", "El 4/12/26 a les 15:09, ACME Facturació ha escrit:" + b},
		{"KMail", "A Divendres, 4 de desembre de 2026, ACME Facturació va escriure:" + q},
		{"KMail, with the address", "Divendres 4 Desembre 2026 15:09, en/na ACME Facturació (<factures@acme.example>) va escriure:" + q},
		{"Outlook", "________________________________\nDe: ACME Facturació <factures@acme.example>\nEnviat el: divendres, 4 de desembre de 2026 15:09\n" +
			"Per a: Anna Puig <anna@client.example>\nA/c: Compres <compres@client.example>\nTema: Factura A-2026-000123" + b},
		{"Outlook on the web", "________________________________\nDe: ACME Facturació <factures@acme.example>\nEnviat: divendres, 4 de desembre de 2026 15:09\n" +
			"Per a: Anna Puig <anna@client.example>\nAssumpte: Factura A-2026-000123" + b},
		{"Outlook, older", "-----Missatge original-----\nDe: ACME Facturació [mailto:factures@acme.example]\nEnviat el: divendres, 4 de desembre de 2026 15:09\n" +
			"Per a: Anna Puig\nTema: Factura A-2026-000123" + b},
		{"Samsung", "-------- Missatge original --------\nDe: ACME Facturació <factures@acme.example> \nData: 04/12/26 15:09 (GMT+01:00) \n" +
			"A: anna@client.example \nAssumpte: Factura A-2026-000123 " + b},
		{"Gmail, forwarded", "---------- Missatge reenviat ---------\nDe: ACME Facturació <factures@acme.example>\nDate: dv., 4 de des. 2026 a les 15:09\n" +
			"Subject: Factura A-2026-000123\nTo: <anna@client.example>" + b},
		{"Apple Mail, forwarded", "Inici del missatge reenviat:\n\nDe: ACME Facturació <factures@acme.example>\nAssumpte: Factura A-2026-000123\n" +
			"Data: 4 de desembre de 2026, 15:09:12 CET\nPer a: anna@client.example" + b},
	})
}

func TestQuoteHeadersFrench(t *testing.T) {
	reply := "Bonjour,\n\nLe paiement de 1 210,00 € a été fait le 4/12/26 à 15h00.\n" +
		"Le bon de commande suit, comme Jean l'a écrit le 2/12 :\n" +
		"« tout ensemble ».\n\n" +
		"Cordialement,\nAnne Martin, tél. 01 23 45 67 89"
	q := quoted("Veuillez trouver ci-joint la facture A-2026-000123.", "Cordialement")
	b := bare("Veuillez trouver ci-joint la facture A-2026-000123.", "Cordialement")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail", "Le ven. 4 déc. 2026 à 15:09, ACME Facturation <factures@acme.example> a écrit\u00a0:" + q},
		{"Gmail, wrapped inside the address", "Le ven. 4 déc. 2026 à 15:09, ACME Facturation Services Intégrés <\nfactures@acme.example> a écrit :" + q},
		{"Apple Mail and iOS", "Le 4 déc. 2026 à 15:09, ACME Facturation <factures@acme.example> a écrit :" + q},
		{"Thunderbird", "Le 04/12/2026 à 15:09, ACME Facturation a écrit :" + q},
		{"Thunderbird, nothing quoted after", "Le 04/12/2026 à 15:09, ACME Facturation a écrit :" + b},
		{"Yahoo", "Le vendredi 4 décembre 2026 à 15:09:12 UTC+1, ACME Facturation <factures@acme.example> a écrit :" + q},
		{"Outlook", "________________________________\nDe : ACME Facturation <factures@acme.example>\nEnvoyé : vendredi 4 décembre 2026 15:09\n" +
			"À : Anne Martin <anne@client.example>\nCc : Achats <achats@client.example>\nObjet : Facture A-2026-000123" + b},
		{"Outlook, older", "-----Message d'origine-----\nDe : ACME Facturation [mailto:factures@acme.example]\nEnvoyé : vendredi 4 décembre 2026 15:09\n" +
			"À : Anne Martin\nObjet : Facture A-2026-000123" + b},
		{"Outlook in bold, read as text", "*De :* ACME Facturation <factures@acme.example>\n*Envoyé :* vendredi 4 décembre 2026 15:09\n" +
			"*À :* Anne Martin\n*Objet :* Facture A-2026-000123" + b},
		{"Samsung", "-------- Message d'origine --------\nDe : ACME Facturation <factures@acme.example> \nDate : 04/12/2026 15:09 (GMT+01:00) \n" +
			"À : anne@client.example \nObjet : Facture A-2026-000123 " + b},
		{"Orange", "Message du 04/12/26 15:09\nDe : \"ACME Facturation\" <factures@acme.example>\nA : anne@client.example\nCopie à : \n" +
			"Objet : Facture A-2026-000123" + b},
		{"GMX", "Envoyé: vendredi 04 décembre 2026 à 15:09\nDe: \"ACME Facturation\" <factures@acme.example>\nÀ: anne@client.example\n" +
			"Objet: Facture A-2026-000123" + b},
		{"Gmail, forwarded", "---------- Message transféré ---------\nDe : ACME Facturation <factures@acme.example>\nDate: ven. 4 déc. 2026 à 15:09\n" +
			"Subject: Facture A-2026-000123\nTo: <anne@client.example>" + b},
		{"Apple Mail, forwarded", "Début du message réexpédié :\n\nDe: ACME Facturation <factures@acme.example>\nObjet: Facture A-2026-000123\n" +
			"Date: 4 décembre 2026 à 15:09:12 UTC+1\nÀ: anne@client.example" + b},
	})
}

func TestQuoteHeadersGerman(t *testing.T) {
	reply := "Guten Tag,\n\ndie Zahlung über 1.210,00 € ist am 4.12.26 um 15:00 Uhr erfolgt.\n" +
		"Wie Herr Müller schrieb, folgt die Bestellung am 5.12.:\n" +
		"Bestellnummer 7.\n\n" +
		"Mit freundlichen Grüßen\nAnna Schmidt, Tel. 030 1234567"
	q := quoted("anbei die Rechnung A-2026-000123.", "Mit freundlichen Grüßen")
	b := bare("anbei die Rechnung A-2026-000123.", "Mit freundlichen Grüßen")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail", "Am Fr., 4. Dez. 2026 um 15:09 Uhr schrieb ACME Buchhaltung <rechnung@acme.example>:" + q},
		{"Gmail, wrapped before the address", "Am Fr., 4. Dez. 2026 um 15:09 Uhr schrieb ACME Buchhaltung\n<rechnung@acme.example>:" + q},
		{"Gmail for Android", "ACME Buchhaltung <rechnung@acme.example> schrieb am Fr., 4. Dez. 2026, 15:09:" + q},
		{"Apple Mail and iOS", "Am 04.12.2026 um 15:09 schrieb ACME Buchhaltung <rechnung@acme.example>:" + q},
		{"Thunderbird", "Am 04.12.26 um 15:09 schrieb ACME Buchhaltung:" + q},
		{"Thunderbird, nothing quoted after", "Am 04.12.26 um 15:09 schrieb ACME Buchhaltung:" + b},
		{"Yahoo", "Am Freitag, 4. Dezember 2026, 15:09:12 MEZ hat ACME Buchhaltung <rechnung@acme.example> Folgendes geschrieben:" + q},
		{"Outlook", "________________________________\nVon: ACME Buchhaltung <rechnung@acme.example>\nGesendet: Freitag, 4. Dezember 2026 15:09\n" +
			"An: Anna Schmidt <anna@kunde.example>\nCc: Einkauf <einkauf@kunde.example>\nBetreff: Rechnung A-2026-000123" + b},
		{"Outlook, older", "-----Ursprüngliche Nachricht-----\nVon: ACME Buchhaltung [mailto:rechnung@acme.example]\nGesendet: Freitag, 4. Dezember 2026 15:09\n" +
			"An: Anna Schmidt\nBetreff: Rechnung A-2026-000123" + b},
		{"Outlook, on behalf of", "________________________________________\nVon: rechnung-bounces@acme.example [rechnung-bounces@acme.example] im Auftrag von ACME Buchhaltung\n" +
			"Gesendet: Freitag, 4. Dezember 2026 15:09\nAn: Anna Schmidt\nBetreff: Rechnung A-2026-000123" + b},
		{"Outlook, date last", "-----Ursprüngliche Nachricht-----\nVon: ACME Buchhaltung <rechnung@acme.example>\nAn: Anna Schmidt <anna@kunde.example>\n" +
			"Betreff: Rechnung A-2026-000123\nDatum: 04.12.2026 15:09" + b},
		{"GMX and Web.de", "Gesendet: Freitag, 04. Dezember 2026 um 15:09 Uhr\nVon: \"ACME Buchhaltung\" <rechnung@acme.example>\n" +
			"An: anna@kunde.example\nBetreff: Rechnung A-2026-000123" + b},
		{"Samsung", "-------- Ursprüngliche Nachricht --------\nVon: ACME Buchhaltung <rechnung@acme.example> \nDatum: 04.12.26 15:09 (GMT+01:00) \n" +
			"An: anna@kunde.example \nBetreff: Rechnung A-2026-000123 " + b},
		{"Gmail, forwarded", "---------- Weitergeleitete Nachricht ---------\nVon: ACME Buchhaltung <rechnung@acme.example>\nDate: Fr., 4. Dez. 2026 um 15:09 Uhr\n" +
			"Subject: Rechnung A-2026-000123\nTo: <anna@kunde.example>" + b},
		{"Apple Mail, forwarded", "Anfang der weitergeleiteten Nachricht:\n\nVon: ACME Buchhaltung <rechnung@acme.example>\nBetreff: Rechnung A-2026-000123\n" +
			"Datum: 4. Dezember 2026 um 15:09:12 MEZ\nAn: anna@kunde.example" + b},
	})
}

func TestQuoteHeadersItalian(t *testing.T) {
	reply := "Buongiorno,\n\nil pagamento di 1.210,00 € è stato fatto il 4/12/26 alle 15:00.\n" +
		"Il giorno 2/12 Giovanni ha scritto che l'ordine è il numero 7:\n" +
		"confermate?\n\n" +
		"Cordiali saluti,\nAnna Rossi, tel. 06 1234567"
	q := quoted("In allegato la fattura A-2026-000123.", "Cordiali saluti")
	b := bare("In allegato la fattura A-2026-000123.", "Cordiali saluti")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail", "Il giorno ven 4 dic 2026 alle ore 15:09 ACME Fatturazione <fatture@acme.example> ha scritto:" + q},
		{"Gmail, wrapped inside the address", "Il giorno ven 4 dic 2026 alle ore 15:09 ACME Fatturazione Servizi Integrati <\nfatture@acme.example> ha scritto:" + q},
		{"Gmail for Android", "Il ven 4 dic 2026, 15:09 ACME Fatturazione <fatture@acme.example> ha scritto:" + q},
		{"Apple Mail and iOS", "Il giorno 4 dic 2026, alle ore 15:09, ACME Fatturazione <fatture@acme.example> ha scritto:" + q},
		{"Thunderbird", "Il 04/12/26 15:09, ACME Fatturazione ha scritto:" + q},
		{"Thunderbird, nothing quoted after", "Il 04/12/26 15:09, ACME Fatturazione ha scritto:" + b},
		{"Yahoo", "Il venerdì 4 dicembre 2026, 15:09:12 CET, ACME Fatturazione <fatture@acme.example> ha scritto:" + q},
		{"Android mail", "In data 4 dicembre 2026 15:09:12 \"ACME Fatturazione\" <fatture@acme.example> ha scritto:" + b},
		{"Libero", "Il 04/12/2026 15:09 ACME Fatturazione <fatture@acme.example> ha scritto:" + q},
		{"Libero, older", "----Messaggio originale----\nDa: fatture@acme.example\nData: 4-dic-2026 15.09\nA: <anna@cliente.example>\n" +
			"Ogg: Fattura A-2026-000123" + b},
		{"Outlook", "________________________________\nDa: ACME Fatturazione <fatture@acme.example>\nInviato: venerdì 4 dicembre 2026 15:09\n" +
			"A: Anna Rossi <anna@cliente.example>\nCc: Acquisti <acquisti@cliente.example>\nOggetto: Fattura A-2026-000123" + b},
		{"Outlook, older", "-----Messaggio originale-----\nDa: ACME Fatturazione [mailto:fatture@acme.example]\nInviato: venerdì 4 dicembre 2026 15:09\n" +
			"A: Anna Rossi\nOggetto: Fattura A-2026-000123" + b},
		{"Samsung", "-------- Messaggio originale --------\nDa: ACME Fatturazione <fatture@acme.example> \nData: 04/12/26 15:09 (GMT+01:00) \n" +
			"A: anna@cliente.example \nOggetto: Fattura A-2026-000123 " + b},
		{"Gmail, forwarded", "---------- Messaggio inoltrato ---------\nDa: ACME Fatturazione <fatture@acme.example>\nDate: ven 4 dic 2026 alle ore 15:09\n" +
			"Subject: Fattura A-2026-000123\nTo: <anna@cliente.example>" + b},
		{"Apple Mail, forwarded", "Inizio messaggio inoltrato:\n\nDa: ACME Fatturazione <fatture@acme.example>\nOggetto: Fattura A-2026-000123\n" +
			"Data: 4 dicembre 2026, 15:09:12 CET\nA: anna@cliente.example" + b},
	})
}

func TestQuoteHeadersPortuguese(t *testing.T) {
	reply := "Bom dia,\n\nO pagamento de 1.210,00 € foi feito em 4/12/26 às 15:00.\n" +
		"Em anexo, o comprovativo, como o João escreveu no dia 2/12:\n" +
		"tudo junto.\n\n" +
		"Cumprimentos,\nAna Silva, tel. 21 123 4567"
	q := quoted("Enviamos em anexo a fatura A-2026-000123.", "Cumprimentos")
	b := bare("Enviamos em anexo a fatura A-2026-000123.", "Cumprimentos")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail, Brazil", "Em sex., 4 de dez. de 2026 às 15:09, ACME Faturação <faturas@acme.example> escreveu:" + q},
		{"Gmail, Portugal", "ACME Faturação <faturas@acme.example> escreveu no dia sexta, 4/12/2026 à(s) 15:09:" + q},
		{"Gmail, Portugal, wrapped", "ACME Faturação <faturas@acme.example> escreveu no dia sexta,\n4/12/2026 à(s) 15:09:" + q},
		{"Gmail, Portugal, newer", "ACME Faturação <faturas@acme.example> escreveu (sexta, 4/12/2026 à(s) 15:09):" + q},
		{"Gmail, wrapped inside the address", "Em 4 de dezembro de 2026 às 15:09:35, ACME Faturação (\nfaturas@acme.example) escreveu:" + b},
		{"Apple Mail and iOS", "Em 4 de dez. de 2026, à(s) 15:09, ACME Faturação <faturas@acme.example> escreveu:" + q},
		{"Thunderbird, Portugal", "Às 15:09 de 04/12/2026, ACME Faturação escreveu:" + q},
		{"Thunderbird, Brazil", "Em 04/12/2026 15:09, ACME Faturação escreveu:" + q},
		{"Thunderbird, nothing quoted after", "Em 04/12/2026 15:09, ACME Faturação escreveu:" + b},
		{"Yahoo", "Em sexta-feira, 4 de dezembro de 2026 15:09:12 BRT, ACME Faturação <faturas@acme.example> escreveu:" + q},
		{"Outlook on the web", "________________________________\nDe: ACME Faturação <faturas@acme.example>\nEnviado: sexta-feira, 4 de dezembro de 2026 15:09\n" +
			"Para: Ana Silva <ana@cliente.example>\nAssunto: Fatura A-2026-000123" + b},
		{"Outlook, Brazil", "De: ACME Faturação <faturas@acme.example>\nEnviada em: sexta-feira, 4 de dezembro de 2026 15:09\n" +
			"Para: Ana Silva <ana@cliente.example>\nCc: Compras <compras@cliente.example>\nAssunto: Fatura A-2026-000123" + b},
		{"Outlook, older", "-----Mensagem original-----\nDe: ACME Faturação [mailto:faturas@acme.example]\nEnviada em: sexta-feira, 4 de dezembro de 2026 15:09\n" +
			"Para: Ana Silva\nAssunto: Fatura A-2026-000123" + b},
		{"Samsung", "-------- Mensagem original --------\nDe: ACME Faturação <faturas@acme.example> \nData: 04/12/2026 15:09 (GMT+00:00) \n" +
			"Para: ana@cliente.example \nAssunto: Fatura A-2026-000123 " + b},
		{"Gmail, forwarded", "---------- Mensagem encaminhada ---------\nDe: ACME Faturação <faturas@acme.example>\nDate: sex., 4 de dez. de 2026 às 15:09\n" +
			"Subject: Fatura A-2026-000123\nTo: <ana@cliente.example>" + b},
		{"Gmail, forwarded, Portugal", "---------- Mensagem reencaminhada ---------\nDe: ACME Faturação <faturas@acme.example>\nDate: sexta, 4/12/2026 à(s) 15:09\n" +
			"Subject: Fatura A-2026-000123\nTo: <ana@cliente.example>" + b},
		{"Apple Mail, forwarded", "Início da mensagem reencaminhada:\n\nDe: ACME Faturação <faturas@acme.example>\nAssunto: Fatura A-2026-000123\n" +
			"Data: 4 de dezembro de 2026, 15:09:12 WET\nPara: ana@cliente.example" + b},
	})
}

func TestQuoteHeadersPolish(t *testing.T) {
	reply := "Dzień dobry,\n\nprzelew na 1210,00 € wysłaliśmy 4.12.2026 o 15:00.\n" +
		"W dniu 2.12 Jan napisał, że zamówienie ma numer 7:\n" +
		"proszę o potwierdzenie.\n\n" +
		"Pozdrawiam,\nAnna Nowak, tel. 22 123 45 67"
	q := quoted("W załączeniu przesyłamy fakturę A-2026-000123.", "Pozdrawiamy")
	b := bare("W załączeniu przesyłamy fakturę A-2026-000123.", "Pozdrawiamy")
	checkQuotes(t, reply, []quoteCase{
		{"Gmail", "pt., 4 gru 2026 o 15:09 ACME Fakturowanie <faktury@acme.example> napisał(a):" + q},
		{"Gmail, with W dniu", "W dniu pt., 4 gru 2026 o 15:09 ACME Fakturowanie <faktury@acme.example> napisał(a):" + q},
		{"Gmail, wrapped inside the address", "W dniu pt., 4 gru 2026 o 15:09 ACME Fakturowanie <\nfaktury@acme.example> napisał(a):" + q},
		{"Gmail, older", "W dniu 4 grudnia 2026 15:09 użytkownik ACME Fakturowanie <faktury@acme.example> napisał:" + q},
		{"Apple Mail and iOS", "Wiadomość napisana przez ACME Fakturowanie <faktury@acme.example> w dniu 4 gru 2026, o godz. 15:09:" + q},
		{"Apple Mail, wrapped", "Wiadomość napisana przez ACME Fakturowanie <faktury@acme.example> w dniu 4 gru\n2026, o godz. 15:09:" + q},
		{"Thunderbird", "W dniu 4.12.2026 o 15:09, ACME Fakturowanie pisze:" + q},
		{"Thunderbird, nothing quoted after", "W dniu 4.12.2026 o 15:09, ACME Fakturowanie pisze:" + b},
		{"Thunderbird, name only", "ACME Fakturowanie pisze:" + q},
		{"WP and Onet", "Dnia 4 grudnia 2026 15:09 ACME Fakturowanie <faktury@acme.example> napisał(a):" + q},
		{"Name and address only", "ACME Fakturowanie <faktury@acme.example> napisał(a):" + q},
		{"Outlook", "________________________________\nOd: ACME Fakturowanie <faktury@acme.example>\nWysłano: piątek, 4 grudnia 2026 15:09\n" +
			"Do: Anna Nowak <anna@klient.example>\nDW: Zakupy <zakupy@klient.example>\nTemat: Faktura A-2026-000123" + b},
		{"Outlook on the web", "________________________________\nOd: ACME Fakturowanie <faktury@acme.example>\nWysłane: piątek, 4 grudnia 2026 15:09\n" +
			"Do: Anna Nowak <anna@klient.example>\nTemat: Faktura A-2026-000123" + b},
		{"Outlook, older", "-----Oryginalna wiadomość-----\nOd: ACME Fakturowanie [mailto:faktury@acme.example]\nWysłano: piątek, 4 grudnia 2026 15:09\n" +
			"Do: Anna Nowak\nTemat: Faktura A-2026-000123" + b},
		{"Samsung", "-------- Oryginalna wiadomość --------\nOd: ACME Fakturowanie <faktury@acme.example> \nData: 04.12.2026 15:09 (GMT+01:00) \n" +
			"Do: anna@klient.example \nTemat: Faktura A-2026-000123 " + b},
		{"Thunderbird, forwarded", "-------- Przekazana wiadomość --------\nTemat: Faktura A-2026-000123\nData: Fri, 4 Dec 2026 15:09:12 +0100\n" +
			"Od: ACME Fakturowanie <faktury@acme.example>\nDo: anna@klient.example" + b},
		{"Apple Mail, forwarded", "Początek przekazywanej wiadomości:\n\nOd: ACME Fakturowanie <faktury@acme.example>\nTemat: Faktura A-2026-000123\n" +
			"Data: 4 grudnia 2026 15:09:12 CET\nDo: anna@klient.example" + b},
	})
}

// TestQuoteHeaderLookalikesStay keeps lines that share words with quote
// headers but open no history: they are the reply's own.
func TestQuoteHeaderLookalikesStay(t *testing.T) {
	for _, text := range []string{
		"De: nuestra parte, todo correcto.\nGracias.",
		"From: our side, all fine.\nSent: the remittance yesterday, see attached.",
		"Asunto: pago de la factura A-2026-000123\nLo pagamos mañana.",
		"Como escribió Ana:\nlo enviamos el lunes.",
		"On Monday we will pay.\nThanks.",
		"El 5/12 pagamos la mitad, como ya le escribió nuestro gerente:\nel resto en enero.",
		"-----\nTotal: 1.210,00 €\n-----",
		"Original message received, thanks.",
		"Le paiement est fait.\nMerci.",
	} {
		if got := stripQuoted(text); got != text {
			t.Errorf("%q became %q", text, got)
		}
	}
}

// TestWrappedAttributionKeepsTheLineAbove checks that a wrapped
// attribution is cut where it starts, not a line above, whatever that line
// holds.
func TestWrappedAttributionKeepsTheLineAbove(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Pozdrawiam, Jan\nJan Kowalski <jan@example.com> napisał(a):\n> cytat", "Pozdrawiam, Jan"},
		{"Le paiement est fait.\nACME <f@acme.example> a écrit :\n> Facture", "Le paiement est fait."},
		{"Pagaremos el día 5.\nEl vie, 4 dic 2026 a las 15:09, ACME Facturación (<\nfacturas@acme.example>) escribió:\n> Factura", "Pagaremos el día 5."},
		{"Total: 1.210,00 EUR\nEl 4/12/26 a las 15:09, ACME escribió:\n> Factura", "Total: 1.210,00 EUR"},
		{"Paid on 4/12.\nOn Fri, Dec 4, 2026 at 3:09 PM ACME <b@acme.example>\nwrote:\n> Invoice", "Paid on 4/12."},
	} {
		if got := stripQuoted(tc.in); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLRepliesStopAtTheQuote reads HTML-only replies of the programs
// that put their quoted history outside a blockquote, or the attribution
// above it.
func TestHTMLRepliesStopAtTheQuote(t *testing.T) {
	own := "<div dir=\"ltr\">Pagado el 4/12.<div>Un saludo,</div><div>Ana</div></div>"
	want := "Pagado el 4/12.\nUn saludo,\nAna"
	for client, history := range map[string]string{
		"Gmail":           `<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">El vie, 4 dic 2026 a las 15:09, ACME Facturación (&lt;<a href="mailto:facturas@acme.example">facturas@acme.example</a>&gt;) escribió:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Le enviamos la factura.</blockquote></div>`,
		"Outlook":         `<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>De:</b> ACME Facturación &lt;facturas@acme.example&gt;<br><b>Enviado:</b> viernes, 4 de diciembre de 2026 15:09<br><b>Para:</b> Ana<br><b>Asunto:</b> Factura</font><div>&nbsp;</div></div><div>Le enviamos la factura.</div>`,
		"Outlook desktop": `<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>De:</b> ACME Facturación &lt;facturas@acme.example&gt;<br><b>Enviado el:</b> viernes, 4 de diciembre de 2026 15:09<br><b>Para:</b> Ana<br><b>Asunto:</b> Factura<o:p></o:p></p></div></div><p class="MsoNormal">Le enviamos la factura.</p>`,
		"Thunderbird":     `<div class="moz-cite-prefix">El 4/12/26 a las 15:09, ACME Facturación escribió:<br></div><blockquote type="cite">Le enviamos la factura.</blockquote>`,
		"Yahoo":           `<div class="yahoo_quoted" id="yahoo_quoted_123"><div>El viernes, 4 de diciembre de 2026, 15:09:12 CET, ACME Facturación &lt;facturas@acme.example&gt; escribió:</div><div>Le enviamos la factura.</div></div>`,
		"GMX":             `<div name="quote" style="margin:10px 5px 5px 10px"><div><b>Enviado:</b> viernes, 04 de diciembre de 2026 a las 15:09<br><b>De:</b> ACME</div><div>Le enviamos la factura.</div></div>`,
		"Apple Mail":      `<div><br><blockquote type="cite"><div>El 4 dic 2026, a las 15:09, ACME Facturación &lt;facturas@acme.example&gt; escribió:</div><br><div>Le enviamos la factura.</div></blockquote></div>`,
	} {
		raw := msg(
			"From: Ana <ana@cliente.example>",
			"To: ar+k3j2h4g5f6d7s8a@billing.example.test",
			"Subject: RE: Factura A-2026-000123",
			"Content-Type: text/html; charset=utf-8",
			"",
			"<html><body>"+own+history+"</body></html>",
		)
		res, err := Classify(raw)
		if err != nil {
			t.Fatalf("%s: %v", client, err)
		}
		if res.Text != want {
			t.Errorf("%s: text %q, want %q", client, res.Text, want)
		}
	}
}

// TestFlowedReplyReadsAsWritten reads a Thunderbird reply sent as
// format=flowed in quoted-printable (its first line is wrapped after "a "),
// whose attribution names no address: the line the product kept before
// ("El 4/12/26 a las 15:09, … escribió:").
func TestFlowedReplyReadsAsWritten(t *testing.T) {
	raw := msg(
		"From: Ana <ana@cliente.example>",
		"To: ar+k3j2h4g5f6d7s8a@billing.example.test",
		"Subject: Re: Factura A-2026-000123",
		"User-Agent: Mozilla Thunderbird",
		"Content-Type: text/plain; charset=UTF-8; format=flowed",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"Hola, adjunto el justificante del pago de 1.210,00 =E2=82=AC hecho el 4/12/26 a=20",
		"las 15:00. =C2=BFIncluye el pedido n=C2=BA 7?",
		"",
		"El 4/12/26 a las 15:09, ACME Facturaci=C3=B3n escribi=C3=B3:",
		"> Le enviamos la factura A-2026-000123, que vence el 3/1/27. Quedamos a su=20",
		"> disposici=C3=B3n.",
		"",
	)
	res, err := Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := "Hola, adjunto el justificante del pago de 1.210,00 € hecho el 4/12/26 a las 15:00. ¿Incluye el pedido nº 7?"
	if res.Kind != KindReply || res.Text != want {
		t.Errorf("kind %s text %q, want reply %q", res.Kind, res.Text, want)
	}
}

func TestUnflow(t *testing.T) {
	for _, tc := range []struct {
		in    string
		delSp bool
		want  string
	}{
		{"one \ntwo\nthree", false, "one two\nthree"},
		{"one\ntwo", false, "one\ntwo"},
		{"ab \ncd", true, "abcd"},
		{"> quoted \n> on\nnot", false, "> quoted on\nnot"},
		{"> a \nb", false, "> a \nb"},
		{" >stuffed", false, ">stuffed"},
		{"text\n-- \nsig", false, "text\n-- \nsig"},
	} {
		if got := unflow(tc.in, tc.delSp); got != tc.want {
			t.Errorf("unflow(%q, %v) = %q, want %q", tc.in, tc.delSp, got, tc.want)
		}
	}
}
