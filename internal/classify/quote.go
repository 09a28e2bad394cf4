package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A reply's own words come before the history its mail program quotes, and
// every program opens that history with a line or block of its own, in the
// writer's language: Gmail's and Apple Mail's "On <date>, <name> <address>
// wrote:", Thunderbird's "El 4/12/26 a las 15:09, Ana escribió:", Outlook's
// "From: … Sent: … To: … Subject:" block, GMX's "Gesendet: … Von: …",
// Samsung's and Libero's "-------- Original message --------" rule. The
// tables below hold what those lines say in English, Spanish, Catalan,
// French, German, Italian, Portuguese and Polish, with a few neighbours
// (Dutch, the Nordic languages, Czech) that cost nothing. Words are matched
// with boundaries that know every alphabet: a regular expression's \b
// knows only ASCII letters, so "escribió:" and "napisał:" never end a word
// for it.

// attributionVerbs are what the one-line attributions say the person did
// (lower case). The longest are listed first where one contains another.
var attributionVerbs = []string{
	// Apple Mail in Polish: "Wiadomość napisana przez Ana <ana@x> w dniu …:".
	"wiadomość napisana przez",
	// English.
	"wrote", "writes",
	// Spanish.
	"escribió", "escribio",
	// Catalan: Gmail and Apple Mail "va escriure", Thunderbird "ha escrit".
	"va escriure", "ha escrit",
	// French.
	"a écrit", "a ecrit",
	// German: Yahoo writes "hat Ana <…> Folgendes geschrieben:".
	"schrieb", "geschrieben",
	// Italian.
	"ha scritto", "scrisse",
	// Portuguese.
	"escreveu",
	// Polish: Gmail "napisał(a):", Thunderbird "pisze:".
	"napisał", "napisała", "napisal", "pisze",
	// Dutch, Swedish/Danish/Norwegian, Czech.
	"schreef", "skrev", "napsal", "napsala",
}

// attributionOpeners are the words a dated attribution starts with (lower
// case, each followed by a space): "On", "El", "Le", "Am", "Em", "Il (giorno)",
// "In data", "W dniu", "Dnia", Thunderbird's Portuguese "Às", KMail's
// Catalan "A", and their neighbours.
var attributionOpeners = []string{
	"on ", "el ", "le ", "am ", "em ", "il ", "in data ", "w dniu ", "dnia ", "às ", "a ", "à ",
	"op ", "den ", "på ", "dne ",
}

// Kinds of the fields of a quoted header block.
const (
	fieldNone = iota
	fieldFrom
	fieldDate
	fieldTo
	fieldCc
	fieldSubject
)

// headerFields maps the labels of a quoted header block (lower case,
// without the colon) to what they hold: Outlook's in each language
// ("De:/Enviado el:/Para:/Asunto:", "Von:/Gesendet:/An:/Betreff:",
// "Od:/Wysłano:/Do:/DW:/Temat:", …), and those of Outlook for Mac,
// Samsung, GMX and Web.de, Libero, Seznam and Thunderbird's forwards.
var headerFields = map[string]int{
	// From.
	"from": fieldFrom, "de": fieldFrom, "von": fieldFrom, "da": fieldFrom, "od": fieldFrom,
	"van": fieldFrom, "från": fieldFrom, "fra": fieldFrom, "remitente": fieldFrom, "expéditeur": fieldFrom,
	// When it was sent.
	"sent": fieldDate, "date": fieldDate, "sent at": fieldDate,
	"enviado": fieldDate, "enviado el": fieldDate, "fecha": fieldDate,
	"enviat": fieldDate, "enviat el": fieldDate, "data": fieldDate,
	"envoyé": fieldDate, "envoye": fieldDate, "envoyé le": fieldDate,
	"gesendet": fieldDate, "datum": fieldDate,
	"inviato": fieldDate, "inviata": fieldDate,
	"enviada": fieldDate, "enviada em": fieldDate, "enviado em": fieldDate, "data de envio": fieldDate,
	"wysłano": fieldDate, "wysłane": fieldDate, "wyslano": fieldDate,
	"verzonden": fieldDate, "skickat": fieldDate, "sendt": fieldDate,
	// To.
	"to": fieldTo, "para": fieldTo, "per a": fieldTo, "a": fieldTo, "à": fieldTo, "pour": fieldTo,
	"an": fieldTo, "do": fieldTo, "adresat": fieldTo, "aan": fieldTo, "till": fieldTo, "til": fieldTo, "komu": fieldTo,
	// Copies.
	"cc": fieldCc, "cco": fieldCc, "bcc": fieldCc, "a/c": fieldCc, "copie à": fieldCc, "copie": fieldCc,
	"kopie": fieldCc, "kopia": fieldCc, "dw": fieldCc, "copia": fieldCc, "kopi": fieldCc,
	// Subject.
	"subject": fieldSubject, "asunto": fieldSubject, "assumpte": fieldSubject, "tema": fieldSubject,
	"objet": fieldSubject, "sujet": fieldSubject, "betreff": fieldSubject, "oggetto": fieldSubject, "ogg": fieldSubject,
	"assunto": fieldSubject, "temat": fieldSubject, "onderwerp": fieldSubject, "ämne": fieldSubject, "emne": fieldSubject,
	"předmět": fieldSubject,
}

// separatorPhrases are the rules that open quoted or forwarded mail when
// set between dashes or underscores ("-----Mensaje original-----",
// "-------- Oryginalna wiadomość --------", "---------- Forwarded message
// ---------"), lower case.
var separatorPhrases = map[string]bool{
	"original message": true, "reply message": true, "forwarded message": true,
	"mensaje original": true, "mensaje reenviado": true,
	"missatge original": true, "missatge reenviat": true,
	"message d'origine": true, "message original": true, "message transféré": true, "message transfere": true,
	"ursprüngliche nachricht": true, "originalnachricht": true, "weitergeleitete nachricht": true,
	"messaggio originale": true, "messaggio inoltrato": true,
	"mensagem original": true, "mensagem encaminhada": true, "mensagem reencaminhada": true,
	"oryginalna wiadomość": true, "wiadomość oryginalna": true, "przekazana wiadomość": true,
	"wiadomość przekazana dalej": true,
	"oorspronkelijk bericht":     true, "doorgestuurd bericht": true,
	"původní e-mail": true, "původní zpráva": true, "přeposlaná zpráva": true,
}

// forwardOpeners are Apple Mail's lines above a forwarded message, which
// end in a colon: "Begin forwarded message:", "Inicio del mensaje
// reenviado:", … (lower case, without the colon).
var forwardOpeners = map[string]bool{
	"begin forwarded message":                true,
	"inicio del mensaje reenviado":           true,
	"inici del missatge reenviat":            true,
	"début du message réexpédié":             true,
	"début du message transféré":             true,
	"anfang der weitergeleiteten nachricht":  true,
	"anfang der weitergeleiteten e-mail":     true,
	"inizio messaggio inoltrato":             true,
	"início da mensagem reencaminhada":       true,
	"início da mensagem encaminhada":         true,
	"começo da mensagem encaminhada":         true,
	"początek przekazywanej wiadomości":      true,
	"początek przekazanej wiadomości":        true,
	"doorgestuurd bericht begint hier":       true,
	"inicio del mensaje reenviado siguiente": true,
}

// maxAttributionBytes bounds an attribution: a longer line is prose.
const maxAttributionBytes = 400

// stripQuoted keeps the new words of a reply: everything from the first
// line that opens quoted history (an attribution, a header block, a
// separator rule, a forwarded message) or from the signature delimiter
// "-- " on is cut, and lines quoted with ">" are dropped.
func stripQuoted(text string) string {
	// A reply's own words come first; a longer text is history.
	text = truncateText(text, maxTextBytes)
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if lines[i] == "-- " || lines[i] == "--" || lines[i] == "-- \r" || lines[i] == "--\r" {
			cut = i
			break
		}
		if l == "" || l[0] == '>' {
			continue
		}
		if found, _ := attributionAt(lines, i, 2); found || isSeparator(l) || isForwardOpener(l) {
			cut = i
			break
		}
		if headerBlockAt(lines, i) {
			cut = i
			// A rule of underscores or dashes often stands above the block.
			for cut > 0 && (strings.TrimSpace(lines[cut-1]) == "" || strings.Trim(strings.TrimSpace(lines[cut-1]), "_-") == "") {
				cut--
			}
			break
		}
	}
	var b strings.Builder
	for _, l := range lines[:cut] {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			continue
		}
		b.WriteString(strings.TrimRight(l, " \t\r"))
		b.WriteByte('\n')
	}
	return tidyLines(b.String())
}

// attributionAt tells whether an attribution starts at line i, on that
// line alone or wrapped over up to three (Gmail wraps long ones anywhere,
// even inside the address), and whether it is a strong one: dated or with
// an address, and whole. depth bounds the look at the lines after.
//
// A wrapped attribution is taken from line i only if no strong one starts
// on a later line: "Pozdrawiam, Jan" above "Jan <jan@x> napisał(a):" stays
// the reply's, while "On Fri, … Ana <ana@x>" above "wrote:" opens the quote.
func attributionAt(lines []string, i, depth int) (found, strong bool) {
	if i >= len(lines) {
		return false, false
	}
	l := strings.TrimSpace(lines[i])
	if l == "" || l[0] == '>' {
		return false, false
	}
	found, strong = isAttribution(l, quotedAfter(lines, i+1))
	if strong || depth == 0 || strings.HasSuffix(l, ":") || !mayOpenAttribution(l) {
		return found, strong
	}
	if later, laterStrong := attributionAt(lines, i+1, depth-1); later && laterStrong {
		return found, strong
	}
	joined := l
	for k := 1; k <= 2 && i+k < len(lines); k++ {
		next := strings.TrimSpace(lines[i+k])
		if next == "" || next[0] == '>' || len(joined)+len(next) > maxAttributionBytes {
			break
		}
		joined += " " + next
		if strings.HasSuffix(joined, ":") {
			// Mail programs wrap only attributions that carry an address
			// or start like one; a short line that says someone wrote,
			// under a line of the reply, is not the end of a longer one.
			ok, _ := isAttribution(joined, quotedAfter(lines, i+k+1))
			if ok && (strings.Contains(joined, "@") || hasOpener(l)) {
				return true, true
			}
			break
		}
	}
	return found, strong
}

// isAttribution tells whether one line is an attribution: it ends in a
// colon, says someone wrote, and either carries an address, or a date with
// the verb in its place, or stands right above quoted lines.
// It is strong when it does not rest on the quoted lines alone and its
// brackets are balanced (a piece of a wrapped one has a lone ">" or ")").
func isAttribution(line string, quotedNext bool) (ok, strong bool) {
	if len(line) > maxAttributionBytes || !strings.HasSuffix(line, ":") {
		return false, false
	}
	s := strings.ToLower(normalizeSpaces(line))
	verb, at := findVerb(s)
	if at < 0 {
		return false, false
	}
	after := strings.TrimSpace(strings.TrimSuffix(s[at+len(verb):], ":"))
	after = strings.TrimSpace(strings.TrimPrefix(after, "(a)"))
	// Without an address, a date counts with the verb at the end ("El
	// 4/12/26 a las 15:09, Ana escribió:"), or, in German and Dutch, with the
	// name after the verb and the opener before ("Am 04.12.26 um 15:09
	// schrieb Ana:"). A verb with other words after it is a sentence: "…
	// tal como escribió Juan:", "comme Jean l'a écrit le 2/12 :". The forms
	// that put the date after the verb ("schrieb am …", "escreveu no dia …")
	// come from Gmail, with the address.
	nameAfter := (verb == "schrieb" || verb == "schreef" || verb == "skrev") && hasOpener(s)
	dated := hasDigit(s) && (after == "" || nameAfter)
	evidence := strings.Contains(s, "@") || dated
	balanced := strings.Count(s, "<") == strings.Count(s, ">") && strings.Count(s, "(") == strings.Count(s, ")")
	return evidence || quotedNext, evidence && balanced
}

// mayOpenAttribution tells whether a line that does not end in a colon may
// be the first piece of a wrapped attribution: it opens like one, or holds
// an address or a date.
func mayOpenAttribution(l string) bool {
	if len(l) > maxAttributionBytes {
		return false
	}
	return strings.ContainsAny(l, "@<") || hasDigit(l) || hasOpener(l)
}

// findVerb returns the last attribution verb in s (lower case) with its
// position, or -1: the verb of an attribution is near its end, after a
// name that might hold another.
func findVerb(s string) (string, int) {
	best, at := "", -1
	for _, v := range attributionVerbs {
		if i := lastWord(s, v); i > at {
			best, at = v, i
		}
	}
	return best, at
}

// lastWord returns where the last whole-word occurrence of w in s starts,
// or -1. A word's edges are where no letter or digit of any alphabet
// touches it.
func lastWord(s, w string) int {
	for end := len(s); end > 0; {
		i := strings.LastIndex(s[:end], w)
		if i < 0 {
			return -1
		}
		if wordEdge(s, i, i+len(w)) {
			return i
		}
		end = i + len(w) - 1
	}
	return -1
}

// wordEdge tells whether s[from:to] has no letter or digit on either side.
func wordEdge(s string, from, to int) bool {
	if from > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:from])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if to < len(s) {
		r, _ := utf8.DecodeRuneInString(s[to:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// hasOpener tells whether s starts with an attribution's opening word, in
// any case.
func hasOpener(s string) bool {
	for _, o := range attributionOpeners {
		if len(s) >= len(o) && strings.EqualFold(s[:len(o)], o) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

// normalizeSpaces turns the no-break spaces mail programs put in dates
// ("3:09\u202fPM") and before French colons into plain ones.
func normalizeSpaces(s string) string {
	if !strings.ContainsAny(s, "\u00a0\u202f\u2007\u2009") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u202f', '\u2007', '\u2009':
			return ' '
		}
		return r
	}, s)
}

// quotedAfter tells whether the first non-blank line from i on is quoted
// with ">".
func quotedAfter(lines []string, i int) bool {
	for ; i < len(lines) && i < 4096; i++ {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l[0] == '>'
		}
	}
	return false
}

// isSeparator tells whether a line is a rule that opens quoted or
// forwarded mail: "-----Original Message-----", "-------- Mensaje
// original --------", "---------- Forwarded message ---------".
func isSeparator(l string) bool {
	if l[0] != '-' && l[0] != '_' && l[0] != '=' || len(l) > 120 {
		return false
	}
	inner := strings.TrimSpace(strings.Trim(l, "-_=* \t"))
	return inner != "" && separatorPhrases[strings.ToLower(normalizeSpaces(inner))]
}

// isForwardOpener tells whether a line is Apple Mail's "Begin forwarded
// message:" in one of its languages.
func isForwardOpener(l string) bool {
	if len(l) > 80 || !strings.HasSuffix(l, ":") {
		return false
	}
	return forwardOpeners[strings.TrimSpace(strings.ToLower(normalizeSpaces(strings.TrimSuffix(l, ":"))))]
}

// headerBlockAt tells whether a quoted header block starts at line i: a
// "From:" or "Sent:" field with, on the next few lines, fields that make a
// message's header (who sent it, and when or about what). Outlook writes
// "From/Sent/To/Subject", GMX and Web.de "Gesendet/Von/An/Betreff"; Orange's webmail opens its block with
// "Message du 04/12/26 15:09". Blank lines between fields are allowed, as
// HTML turned into text leaves them.
func headerBlockAt(lines []string, i int) bool {
	l := strings.TrimSpace(lines[i])
	if isOrangeOpener(l) {
		for j := i + 1; j < len(lines) && j <= i+2; j++ {
			if kind, _ := headerField(strings.TrimSpace(lines[j])); kind == fieldFrom {
				return true
			}
		}
		return false
	}
	kind, value := headerField(l)
	if kind != fieldFrom && kind != fieldDate || value == "" {
		return false
	}
	seen := map[int]bool{kind: true}
	values := map[int]string{kind: value}
	fields := 1
	for j := i + 1; j < len(lines) && j <= i+6; j++ {
		next := strings.TrimSpace(lines[j])
		if next == "" {
			continue
		}
		k, v := headerField(next)
		if k == fieldNone {
			break
		}
		seen[k] = true
		if _, ok := values[k]; !ok {
			values[k] = v
		}
		fields++
	}
	// A header names its sender and either the message's subject, or a
	// date, or the sender's address: "From: our side, all fine. / Sent:
	// the remittance yesterday" is a reply's own text.
	return fields >= 2 && seen[fieldFrom] && (seen[fieldSubject] ||
		seen[fieldDate] && (hasDigit(values[fieldDate]) || strings.ContainsAny(values[fieldFrom], "@<[")))
}

// headerField reads a line as a field of a quoted header block, "From:
// Ana <ana@x>", "*De :* Ana", "Enviado el: viernes…", returning its kind
// and value, or fieldNone.
func headerField(l string) (int, string) {
	if l == "" {
		return fieldNone, ""
	}
	colon := strings.IndexByte(l, ':')
	if colon <= 0 || colon > 24 {
		return fieldNone, ""
	}
	label := strings.TrimSpace(strings.Trim(normalizeSpaces(l[:colon]), "* \t"))
	kind, ok := headerFields[strings.ToLower(label)]
	if !ok {
		return fieldNone, ""
	}
	value := strings.TrimSpace(strings.TrimLeft(l[colon+1:], "* \t"))
	return kind, value
}

// isOrangeOpener tells whether a line is "Message du 04/12/26 15:09", the
// line above the header block of Orange's webmail.
func isOrangeOpener(l string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(l), "message du ")
	return ok && len(rest) > 0 && isDigit(rest[0]) && len(l) < 60
}

// unflow joins the lines of a format=flowed text (RFC 3676), as Apple Mail,
// iOS and Thunderbird send by default: a line that ends in a space goes on
// in the next line of the same quote depth. With delsp=yes that space was
// added by the sender and is dropped. Space-stuffing is undone.
func unflow(s string, delSp bool) string {
	var b, para strings.Builder
	b.Grow(len(s))
	open, depth := false, 0
	emit := func() {
		if depth > 0 {
			b.WriteString(strings.Repeat(">", depth))
			b.WriteByte(' ')
		}
		b.WriteString(para.String())
		b.WriteByte('\n')
		para.Reset()
		open = false
	}
	for _, l := range strings.Split(s, "\n") {
		d := 0
		for d < len(l) && l[d] == '>' {
			d++
		}
		content := strings.TrimPrefix(l[d:], " ")
		if open && d != depth {
			emit()
		}
		depth = d
		flowed := strings.HasSuffix(content, " ") && content != "-- "
		if flowed && delSp {
			content = content[:len(content)-1]
		}
		para.WriteString(content)
		if flowed {
			open = true
			continue
		}
		emit()
	}
	if open {
		emit()
	}
	return strings.TrimSuffix(b.String(), "\n")
}
