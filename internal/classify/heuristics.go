package classify

import (
	"strings"
)

// Reading bounces that do not follow RFC 3464: Exim, qmail, old Sendmail,
// Exchange and Notes, webmail providers and filters each write their own
// prose. They share enough to be read without a parser per system: who
// sends them, what their subjects say, the phrases of their first
// paragraph, and a recipient address followed by the server's reply.

// bounceSubjects are subject phrases (lower case) of failure notices.
var bounceSubjects = []string{
	"undeliverable", "undelivered", "undeliverable mail", "not delivered",
	"delivery status notification (failure)", "delivery failure", "delivery failed",
	"delivery has failed", "mail delivery failed", "failure notice", "failure delivery",
	"returned mail", "returned to sender", "return to sender", "non-delivery", "nondelivery",
	"non delivery", "could not be delivered", "couldn't be delivered", "mail system error",
	"delivery notification", "delivery status", "delivery report", "error sending your mail",
	"mail could not be delivered", "message not delivered", "email delivery failure",
	"mail delivery failure", "delivery problem", "postmaster notify", "bounce notification",
	"bounced mail", "message you sent blocked", "failed delivery", "rejected:", "user unknown",
	"not member", "not a member",
	// Other languages.
	"unzustellbar", "nicht zustellbar", "non remis", "non distribuable", "échec de la remise",
	"no se puede entregar", "no entregado", "no se pudo entregar", "entrega fallida",
	"não entregue", "não foi possível entregar", "falha na entrega", "non recapitabile",
	"mancata consegna", "onbestelbaar", "niet afgeleverd", "olevererbart",
	"メールエラー", "エラー", "未達", "не доставлено", "недоставленное", "не удалось доставить",
}

// delaySubjects are subject phrases of warnings about delayed mail.
var delaySubjects = []string{
	"delivery status notification (delay)", "delayed mail", "delivery delayed",
	"warning: could not send", "message delayed", "delivery delay notification",
	"warning: message", "delayed",
	"still being retried", "retrasado", "verzögert", "retardé",
}

// bouncePhrases are phrases (lower case) of the prose of failure notices.
var bouncePhrases = []string{
	"could not be delivered", "couldn't be delivered", "was not delivered", "wasn't delivered",
	"has not been delivered", "not been delivered", "could not deliver", "couldn't deliver",
	"unable to deliver", "failed to deliver", "delivery has failed", "delivery failed",
	"delivery to the following recipient", "did not reach the following recipient",
	"following address(es) failed", "following address failed", "following addresses failed",
	"following addresses had", "following recipients", "permanent error", "permanent fatal error",
	"fatal error", "failed permanently", "this is the qmail-send program",
	"i'm sorry to have to inform you", "mail delivery software", "message not delivered",
	"error delivering", "delivery problem", "returned to sender", "non-delivery", "nondelivery",
	"undeliverable", "undelivered", "was rejected", "were rejected", "has been rejected",
	"smtp error", "transcript of session", "mail delivery system", "delivery failure",
	"message you sent", "not be delivered", "rejected your message", "unable to be delivered",
	"delivery status notification", "reject reason",
	"could not be sent", "error message below", "invalid user address", "not a member of",
	"nicht zugestellt", "no se ha podido entregar", "n'a pas pu être remis", "não pôde ser entregue",
	"non è stato possibile recapitare", "届きません", "送信できません", "配送できません", "宛先不明",
	"не может быть доставлено", "не было доставлено", "не доставлено",
}

// delayPhrases say that delivery is still being tried: a warning, not a
// failure.
var delayPhrases = []string{
	"this is a warning only", "warning only", "will be retried", "still being retried",
	"will continue trying", "will keep trying", "will retry", "has been delayed",
	"delivery has been delayed", "delivery delayed", "not yet been delivered",
	"delivery attempts will continue", "is delayed", "temporarily deferred",
}

// finalPhrases say that the sender gave up: they overrule delay wording
// that a failure notice may quote.
var finalPhrases = []string{
	"permanent", "giving up", "gave up", "has been returned", "could not be delivered",
	"was not delivered", "failed permanently", "will not try", "will not retry",
	"cannot send message for", "too long", "expired",
}

// returnedMarkers start the copy of the original message in the body of
// a failure notice; the notice proper ends there.
var returnedMarkers = []string{
	"this is a copy of the message", "below this line is a copy of the message",
	"original message follows", "original message headers", "message headers follow",
	"header of the original message", "----- original message -----", "original message --",
	"unsent message below", "your message reads", "returned message follows",
	"copy of the original message", "undelivered message headers", "--- original message",
	"here is the original message", "headers of the original message", "bounced e-mail:",
	"bounced email:", "the original message was:", "original message:",
}

// daemonLocals are local parts of the senders of failure notices.
var daemonLocals = map[string]bool{
	"mailer-daemon": true, "mailerdaemon": true, "mailer_daemon": true, "mail-daemon": true,
	"maildaemon": true, "postmaster": true, "post_master": true, "mdaemon": true,
	"mail.daemon": true, "mailer": true, "bounce": true, "bounces": true, "nobody": true,
	"mail-delivery-system": true, "daemon": true, "mailadmin": true, "mail-admin": true,
}

// daemonNames are display-name phrases of the senders of failure notices.
var daemonNames = []string{
	"mail delivery", "mailer-daemon", "mailer daemon", "postmaster", "mail administrator",
	"system administrator", "mail system", "content-filter", "mail delivery subsystem",
	"microsoft outlook", "delivery status notification",
}

// bounceEvidence collects what makes a message a failure notice.
type bounceEvidence struct {
	failedRecipients bool // X-Failed-Recipients is present
	sender           bool // sent by a mailer daemon or postmaster
	subject          bool // a failure subject
	delaySubject     bool // a delay warning subject
	prose            bool // failure phrases in the notice
	delay            bool // the notice says it keeps trying
	final            bool // the notice says it gave up
	listRobot        bool // a mailing list robot or a no-reply robot wrote it
	returnsOriginal  bool // the original message, or its header, comes back attached
	answer           bool // the subject answers or forwards ("Re:", "Fwd:")
}

// isBounce weighs the evidence: an explicit header settles it; otherwise
// two independent signs are needed, so that a customer's reply that
// quotes "undeliverable" or a postmaster writing by hand is not taken for
// a failure notice.
func (e bounceEvidence) isBounce() bool {
	if e.failedRecipients {
		return true
	}
	if e.answer && !e.sender {
		// A person answering or forwarding, whatever the text quotes.
		return false
	}
	from := e.sender || e.listRobot
	subject := e.subject || e.delaySubject
	if !from && !subject {
		// What the text says is not enough: anyone can write it.
		return false
	}
	signs := 0
	for _, s := range []bool{from, subject, e.prose, e.returnsOriginal} {
		if s {
			signs++
		}
	}
	return signs >= 2
}

// gatherEvidence looks at the headers and the notice text of a message;
// returnsOriginal tells whether the original comes back with it.
func gatherEvidence(top header, subject, notice string, returnsOriginal bool) bounceEvidence {
	var e bounceEvidence
	e.failedRecipients = strings.TrimSpace(top.get("X-Failed-Recipients")) != ""
	e.sender = isDaemonSender(top)
	ls := strings.ToLower(subject)
	e.subject = containsAny(ls, bounceSubjects)
	e.delaySubject = containsAny(ls, delaySubjects)
	ln := strings.ToLower(notice)
	e.prose = containsAny(ln, bouncePhrases) || reasonOf(ln) != "" && findReplyCode(ln)/100 == 5
	e.delay = e.delaySubject || containsAny(ln, delayPhrases)
	e.final = containsAny(ln, finalPhrases) || containsAny(ls, []string{"failure", "failed", "undeliver"})
	from := firstAddress(top.get("From"))
	local := localPart(from)
	e.returnsOriginal = returnsOriginal
	e.answer = hasReplyPrefix(subject)
	e.listRobot = strings.HasSuffix(local, "-admin") || strings.HasSuffix(local, "-owner") ||
		strings.HasSuffix(local, "-request") || strings.HasSuffix(local, "-bounces") ||
		local == "no-reply" || local == "noreply" || local == "do-not-reply" || local == "donotreply"
	return e
}

// isDaemonSender tells whether a message comes from a mail system rather
// than a person: a mailer-daemon or postmaster address or name, or no
// sender at all.
func isDaemonSender(h header) bool {
	from := decodeHeader(h.get("From"))
	addr := firstAddress(from)
	if strings.TrimSpace(strings.Trim(from, "<>\" ")) == "" || addr == "" && strings.Contains(from, "<>") {
		return true
	}
	if daemonLocals[localPart(addr)] || addr == "" && daemonLocals[strings.ToLower(strings.TrimSpace(from))] {
		return true
	}
	return containsAny(strings.ToLower(from), daemonNames)
}

// containsAny tells whether s contains one of the phrases.
func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// cutReturned returns the notice proper: the text before the copy of the
// original message that many notices append to their own words.
func cutReturned(text string) string {
	lower := lowerASCII(text)
	cut := len(text)
	for _, m := range returnedMarkers {
		if i := strings.Index(lower, m); i >= 0 && i < cut {
			// Cut at the start of the marker's line.
			cut = strings.LastIndexByte(lower[:i], '\n') + 1
		}
	}
	// Without a marker, the original's header starts with its trace
	// fields at the start of a line.
	for _, m := range []string{"\nreceived: from ", "\nreturn-path: <", "\nreceived-spf: "} {
		if i := strings.Index(lower[:cut], m); i >= 0 {
			cut = i + 1
		}
	}
	return text[:cut]
}

// heuristicRecipients finds the failed recipients of a notice: those in
// X-Failed-Recipients, else the addresses the notice names other than the
// sender's own, else the recipients of the original: in the To lines of
// the text after the notice (rest), or in the header of the attached one.
func heuristicRecipients(top header, notice, rest string, returned []header, own map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		if a != "" && !seen[a] && !own[a] && len(out) < maxRecipients {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, v := range top.all("X-Failed-Recipients") {
		for _, a := range headerAddresses(v) {
			add(a)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, line := range strings.Split(notice, "\n") {
		if senderLine(line) {
			continue
		}
		for _, h := range scanAddresses(line) {
			if h.start > 0 && (line[h.start-1] == '=' || line[h.start-1] == '/') {
				continue // part of a URL
			}
			add(h.addr)
		}
	}
	if len(out) > 0 {
		return withoutHelpAddresses(out)
	}
	// The original quoted as text after the notice: its To lines.
	for _, line := range strings.Split(rest, "\n") {
		t := strings.TrimLeft(line, " \t>")
		if len(t) > 3 && strings.EqualFold(t[:3], "to:") {
			for _, a := range headerAddresses(t[3:]) {
				add(a)
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, h := range returned {
		for _, name := range []string{"To", "Cc"} {
			for _, a := range headerAddresses(h.get(name)) {
				add(a)
			}
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

// withoutHelpAddresses drops the postmaster and mailer-daemon addresses
// that notices give for help, unless they are all the notice names (a
// postmaster address can be the recipient that failed).
func withoutHelpAddresses(addrs []string) []string {
	var kept []string
	for _, a := range addrs {
		if !daemonLocals[localPart(a)] {
			kept = append(kept, a)
		}
	}
	if len(kept) == 0 {
		return addrs
	}
	return kept
}

// maxRecipients bounds the recipients reported for one message.
const maxRecipients = 100

// senderLine tells whether a line of a notice names the sender rather than
// a recipient: "From:", "MAIL FROM:", "Sender:", "envelope-from" and the
// like, as quoted by notices that describe the original message.
func senderLine(line string) bool {
	l := strings.ToLower(strings.TrimSpace(line))
	l = strings.TrimLeft(l, ">*- \t")
	for _, p := range []string{"from:", "sender:", "reply-to:", "return-path:", "message-id:", "in-reply-to:", "references:", "mail from", "envelope-from", "envelope sender", "x-postfix-sender", "original-mail-from", "sent by", "cc:"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return strings.Contains(l, "mail from:") || strings.Contains(l, "(envelope-from")
}

// aroundAddress returns the informative lines of a notice about one
// recipient: those of its raw region (see rawRegion); when that says
// nothing, those following later mentions of the address (a transcript,
// say); and finally those of the whole notice.
func aroundAddress(notice, addr string) string {
	if addr == "" {
		return informativeLines(notice, 6)
	}
	if region := informativeLines(rawRegion(notice, addr), 6); region != "" {
		return region
	}
	lines := strings.Split(notice, "\n")
	seen := false
	for i, l := range lines {
		if !strings.Contains(strings.ToLower(l), addr) {
			continue
		}
		if !seen {
			seen = true // the first mention is the raw region's
			continue
		}
		if s := informativeLines(strings.Join(lines[i:min(i+3, len(lines))], "\n"), 3); s != "" {
			return s
		}
	}
	return informativeLines(notice, 6)
}

// rawRegion returns the lines of a notice that speak of one recipient:
// from where the address first appears (what precedes it on its line is
// dropped) to where a line starts with another address, at most a dozen
// non-blank lines. It is "" when the notice does not name the address.
func rawRegion(notice, addr string) string {
	if addr == "" || notice == "" {
		return ""
	}
	at := strings.Index(lowerASCII(notice), addr)
	if at < 0 {
		return ""
	}
	var b strings.Builder
	taken := 0
	for i, l := range strings.Split(notice[at+len(addr):], "\n") {
		if i > 0 && startsWithOtherAddress(strings.ToLower(l), addr) {
			break
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		b.WriteString(l)
		b.WriteByte('\n')
		if taken++; taken == 12 {
			break
		}
	}
	return b.String()
}

// startsWithOtherAddress tells whether a line begins a new recipient
// entry: its first word is an address other than addr.
func startsWithOtherAddress(line, addr string) bool {
	t := strings.TrimLeft(line, " \t<\"'>*-")
	hits := scanAddresses(t)
	if len(hits) == 0 || hits[0].start > 2 {
		return false
	}
	return hits[0].addr != addr
}

// informativeLines keeps, in order, up to n lines that carry an SMTP reply
// code or an enhanced status code, and when there are none, up to n lines
// with a known diagnostic phrase.
func informativeLines(text string, n int) string {
	var replied, coded, worded []string
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || senderLine(t) {
			continue
		}
		switch {
		case findReplyCode(t)/100 >= 4:
			if len(replied) < n {
				replied = append(replied, t)
			}
		case findStatus(t, "45") != "":
			if len(coded) < n {
				coded = append(coded, t)
			}
		case reasonOf(t) != "" || phraseReason(t, genericPhrases) != "":
			if len(worded) < n {
				worded = append(worded, t)
			}
		}
	}
	// A server's reply is the best evidence, then a code without a reply,
	// then the words of the notice.
	switch {
	case len(replied) > 0:
		return strings.Join(replied, "\n")
	case len(coded) > 0:
		return strings.Join(coded, "\n")
	}
	return strings.Join(worded, "\n")
}

// diagnosticLine makes the one-line diagnostic of a region.
func diagnosticLine(region string) string {
	return oneLine(strings.TrimLeft(strings.TrimSpace(region), ":>< \t"))
}

// heuristicRecipient builds the verdict on one recipient of a notice.
func heuristicRecipient(addr, notice string, delayed bool) Recipient {
	region := aroundAddress(notice, addr)
	rc := Recipient{Address: addr, Action: "failed", Diagnostic: diagnosticLine(region)}
	if rc.Diagnostic == "" {
		// Nothing coded nor known: the notice's own sentence about the
		// address is still the best account of what happened.
		rc.Diagnostic = addressLine(notice, addr)
	}
	raw := rawRegion(notice, addr)
	rc.Status = serverStatus(region, "45")
	if rc.Status == "" {
		rc.Status = serverStatus(raw, "45")
	}
	rc.ReplyCode = findReplyCode(region)
	if rc.ReplyCode/100 < 4 {
		rc.ReplyCode = 0
	}
	if rc.Status == "" && rc.ReplyCode == 0 {
		// The notice may give the code away from the address.
		rc.Status = findStatus(notice, "45")
	}
	stage := answeredStage(raw)
	if delayed {
		rc.Action = "delayed"
		rc.Reason, _ = failureVerdict(region, notice, rc.Status, rc.ReplyCode, false, stage)
		return rc
	}
	rc.Reason, rc.Hard = failureVerdict(region, notice, rc.Status, rc.ReplyCode, true, stage)
	return rc
}

// addressLine returns the line of a notice that names an address, on one
// line, or "".
func addressLine(notice, addr string) string {
	for _, l := range strings.Split(notice, "\n") {
		if strings.Contains(lowerASCII(l), addr) {
			return oneLine(l)
		}
	}
	return ""
}
