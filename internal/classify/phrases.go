package classify

import (
	"strings"
)

// Reasons a delivery failed, as short words. The hard ones mean the address
// is bad for good; every other reason may pass with time or a change on
// either side, so the address is kept.
const (
	ReasonUserUnknown  = "userunknown"   // no such mailbox at the domain
	ReasonHostUnknown  = "hostunknown"   // no such domain, or it takes no mail
	ReasonHasMoved     = "hasmoved"      // the mailbox moved and forwards nowhere
	ReasonDisabled     = "disabled"      // the mailbox or account was closed
	ReasonSuspend      = "suspend"       // the account is suspended for a while
	ReasonMailboxFull  = "mailboxfull"   // over quota
	ReasonMesgTooBig   = "mesgtoobig"    // the message exceeds a size limit
	ReasonSpam         = "spam"          // judged to be spam
	ReasonVirus        = "virus"         // judged to carry malware
	ReasonFiltered     = "filtered"      // dropped by the recipient's filter
	ReasonPolicy       = "policy"        // refused by a site policy
	ReasonBlocked      = "blocked"       // the sending host or IP is refused
	ReasonAuthFailure  = "authfailure"   // SPF, DKIM or DMARC failed
	ReasonSecurity     = "securityerror" // authentication or TLS required
	ReasonRejected     = "rejected"      // the sender address is refused
	ReasonNoRelaying   = "norelaying"    // relaying denied
	ReasonTooManyConn  = "toomanyconn"   // rate limits, greylisting
	ReasonNetworkError = "networkerror"  // DNS, connection or routing trouble
	ReasonExpired      = "expired"       // given up after retrying too long
	ReasonSystemError  = "systemerror"   // a fault of the remote system
	ReasonContentError = "contenterror"  // the message itself is malformed
	ReasonSyntaxError  = "syntaxerror"   // an SMTP protocol error
	ReasonMailerError  = "mailererror"   // a local delivery program failed
	ReasonFeedback     = "feedback"      // a complaint through a feedback loop
)

// hardReasons are the reasons that make an address bad for good.
var hardReasons = map[string]bool{
	ReasonUserUnknown: true,
	ReasonHostUnknown: true,
	ReasonHasMoved:    true,
	ReasonDisabled:    true,
}

// diagnosticPhrases maps phrases of diagnostics (lower case, matched as
// whole words) to reasons. The first phrase found wins, so the table runs
// from the most telling to the most generic: "relay access denied" must be
// seen before "access denied", "mailbox size limit" before "size limit",
// "sender address rejected" before "address rejected".
var diagnosticPhrases = []struct{ phrase, reason string }{
	// A local delivery program that failed speaks of its own trouble,
	// whatever words it uses.
	{"procmail", ReasonMailerError},
	{"maildrop", ReasonMailerError},
	{"command died with status", ReasonMailerError},
	{"command output", ReasonMailerError},

	// Expired after retries: said by the sending side, whatever the last
	// error was.
	{"retry timeout exceeded", ReasonExpired},
	{"retry time not reached for any host", ReasonExpired},
	{"delivery time expired", ReasonExpired},
	{"message expired", ReasonExpired},
	{"has expired", ReasonExpired},
	{"too long in queue", ReasonExpired},
	{"cannot send message for", ReasonExpired},
	{"aborted after", ReasonExpired},
	{"could not be delivered within", ReasonExpired},
	{"unable to deliver for", ReasonExpired},

	// Postfix's word for a destination it cannot reach for now.
	{"delivery temporarily suspended", ReasonNetworkError},

	// The sender side is refused, not the recipient: "your account is
	// disabled" from a relay speaks of the sender's account.
	{"your account", ReasonRejected},
	{"sender account", ReasonRejected},
	{"sender address rejected", ReasonRejected},
	{"sender rejected", ReasonRejected},
	{"sender denied", ReasonRejected},
	{"sender verify failed", ReasonRejected},
	{"domain of sender address", ReasonRejected},
	{"invalid sender", ReasonRejected},
	{"sender is not allowed", ReasonRejected},
	{"not a member of this", ReasonRejected},
	{"are not member", ReasonRejected},
	{"permission to post", ReasonRejected},
	{"not allowed to post", ReasonRejected},
	{"please use the smtp server of your isp", ReasonBlocked},

	// Relaying.
	{"relay access denied", ReasonNoRelaying},
	{"relaying denied", ReasonNoRelaying},
	{"relay not permitted", ReasonNoRelaying},
	{"not permitted to relay", ReasonNoRelaying},
	{"unable to relay", ReasonNoRelaying},
	{"relaying not allowed", ReasonNoRelaying},
	{"we do not relay", ReasonNoRelaying},
	{"list of allowed rcpthosts", ReasonNoRelaying},

	// Size of the mailbox before size of the message.
	{"mailbox size limit", ReasonMailboxFull},
	{"mailbox full", ReasonMailboxFull},
	{"mailbox is full", ReasonMailboxFull},
	{"mailbox has exceeded", ReasonMailboxFull},
	{"mailbox exceeds", ReasonMailboxFull},
	{"mailfolder is full", ReasonMailboxFull},
	{"inbox is full", ReasonMailboxFull},
	{"full mailbox", ReasonMailboxFull},
	{"over quota", ReasonMailboxFull},
	{"overquota", ReasonMailboxFull},
	{"quota exceeded", ReasonMailboxFull},
	{"exceeded quota", ReasonMailboxFull},
	{"its quota", ReasonMailboxFull},
	{"buzón lleno", ReasonMailboxFull},
	{"buzón está lleno", ReasonMailboxFull},
	{"boîte pleine", ReasonMailboxFull},
	{"boîte aux lettres pleine", ReasonMailboxFull},
	{"postfach voll", ReasonMailboxFull},
	{"postfach ist voll", ReasonMailboxFull},
	{"caixa cheia", ReasonMailboxFull},
	{"caixa postal cheia", ReasonMailboxFull},
	{"casella piena", ReasonMailboxFull},
	{"exceeded storage allocation", ReasonMailboxFull},
	{"exceeds quota", ReasonMailboxFull},
	{"exceeded the local limit", ReasonMailboxFull},
	{"quotaexceeded", ReasonMailboxFull},
	{"insufficient storage", ReasonMailboxFull},
	{"not enough storage", ReasonMailboxFull},
	{"disk quota", ReasonMailboxFull},
	{"storage limit", ReasonMailboxFull},
	{"user is over", ReasonMailboxFull},
	{"mailbox is over", ReasonMailboxFull},
	{"over the allowed quota", ReasonMailboxFull},
	{"too many messages in", ReasonMailboxFull},

	{"message too large", ReasonMesgTooBig},
	{"message too big", ReasonMesgTooBig},
	{"message is too large", ReasonMesgTooBig},
	{"message is too big", ReasonMesgTooBig},
	{"message size exceeds", ReasonMesgTooBig},
	{"message exceeds", ReasonMesgTooBig},
	{"exceeds the maximum size", ReasonMesgTooBig},
	{"exceeded maximum message size", ReasonMesgTooBig},
	{"exceeds size limit", ReasonMesgTooBig},
	{"size limit exceeded", ReasonMesgTooBig},
	{"message size limit", ReasonMesgTooBig},
	{"maximum message size", ReasonMesgTooBig},

	// Closed or suspended accounts. "Deleted", "closed" and "no longer"
	// mean the mailbox is gone; "suspended" and "disabled" may be lifted
	// (RFC 3463 X.2.1: the mailbox exists but is not accepting messages).
	{"temporarily disabled", ReasonSuspend},
	{"temporarily suspended", ReasonSuspend},
	{"account is suspended", ReasonSuspend},
	{"account has been suspended", ReasonSuspend},
	{"mailbox is suspended", ReasonSuspend},
	{"mailbox is frozen", ReasonSuspend},
	{"account is frozen", ReasonSuspend},
	{"suspended", ReasonSuspend},
	{"account is disabled", ReasonSuspend},
	{"account has been disabled", ReasonSuspend},
	{"account disabled", ReasonSuspend},
	{"account is inactive", ReasonDisabled},
	{"mailbox is disabled", ReasonSuspend},
	{"mailbox disabled", ReasonSuspend},
	{"mailbox has been disabled", ReasonSuspend},
	{"is disabled", ReasonSuspend},
	{"deactivated", ReasonDisabled},
	{"account has been deleted", ReasonDisabled},
	{"mailbox has been deleted", ReasonDisabled},
	{"account closed", ReasonDisabled},
	{"mailbox closed", ReasonDisabled},
	{"no longer in use", ReasonDisabled},
	{"no longer active", ReasonDisabled},
	{"no longer valid", ReasonDisabled},
	{"no longer exists", ReasonDisabled},
	{"no longer available", ReasonDisabled},
	{"has moved", ReasonHasMoved},
	{"address has changed", ReasonHasMoved},

	// Unknown domains.
	{"host unknown", ReasonHostUnknown},
	{"unknown host", ReasonHostUnknown},
	{"host not found", ReasonHostUnknown},
	{"host or domain name not found", ReasonHostUnknown},
	{"domain not found", ReasonHostUnknown},
	{"domain name not found", ReasonHostUnknown},
	{"no such domain", ReasonHostUnknown},
	{"unknown domain", ReasonHostUnknown},
	{"domain unknown", ReasonHostUnknown},
	{"domain does not exist", ReasonHostUnknown},
	{"domain doesn't exist", ReasonHostUnknown},
	{"unrouteable mail domain", ReasonHostUnknown},
	{"name or service not known", ReasonHostUnknown},
	{"illegal host/domain name", ReasonHostUnknown},
	{"null mx", ReasonHostUnknown},
	{"nxdomain", ReasonHostUnknown},
	{"no mx record", ReasonHostUnknown},

	// Unknown users.
	{"user unknown", ReasonUserUnknown},
	{"unknown user", ReasonUserUnknown},
	{"no such user", ReasonUserUnknown},
	{"no such mailbox", ReasonUserUnknown},
	{"no such recipient", ReasonUserUnknown},
	{"no such address", ReasonUserUnknown},
	{"no such account", ReasonUserUnknown},
	{"no such local user", ReasonUserUnknown},
	{"no such person", ReasonUserUnknown},
	{"no mailbox here by that name", ReasonUserUnknown},
	{"unknown recipient", ReasonUserUnknown},
	{"recipient unknown", ReasonUserUnknown},
	{"unknown mailbox", ReasonUserUnknown},
	{"unknown address", ReasonUserUnknown},
	{"unknown local part", ReasonUserUnknown},
	{"unknown or illegal alias", ReasonUserUnknown},
	{"addressee unknown", ReasonUserUnknown},
	{"address unknown", ReasonUserUnknown},
	{"invalid recipient", ReasonUserUnknown},
	{"invalid mailbox", ReasonUserUnknown},
	{"invalid user", ReasonUserUnknown},
	{"invalid address", ReasonUserUnknown},
	{"not a valid user", ReasonUserUnknown},
	{"not a valid mailbox", ReasonUserUnknown},
	{"user not found", ReasonUserUnknown},
	{"mailbox not found", ReasonUserUnknown},
	{"recipient not found", ReasonUserUnknown},
	{"address not found", ReasonUserUnknown},
	{"recipnotfound", ReasonUserUnknown},
	{"recipient name is not recognized", ReasonUserUnknown},
	{"address was not found", ReasonUserUnknown},
	{"not listed in domino directory", ReasonUserUnknown},
	{"not listed in public name", ReasonUserUnknown},
	{"bad destination mailbox", ReasonUserUnknown},
	{"unrouteable address", ReasonUserUnknown},
	{"mailbox does not exist", ReasonUserUnknown},
	{"mailbox doesn't exist", ReasonUserUnknown},
	{"user does not exist", ReasonUserUnknown},
	{"user doesn't exist", ReasonUserUnknown},
	{"recipient does not exist", ReasonUserUnknown},
	{"account does not exist", ReasonUserUnknown},
	{"address does not exist", ReasonUserUnknown},
	{"no valid recipient", ReasonUserUnknown},
	{"no valid recipients", ReasonUserUnknown},
	// Exchange Online refuses unknown recipients so (directory-based edge
	// blocking).
	{"recipient address rejected: access denied", ReasonUserUnknown},
	{"does not exist", ReasonUserUnknown},
	{"doesn't exist", ReasonUserUnknown},
	{"doesn't have a", ReasonUserUnknown},
	{"non-existent", ReasonUserUnknown},
	{"nonexistent", ReasonUserUnknown},
	{"no mailbox", ReasonUserUnknown},
	{"not our customer", ReasonUserUnknown},
	{"mailbox unavailable", ReasonUserUnknown},
	{"mailbox is unavailable", ReasonUserUnknown},
	{"unknown in virtual", ReasonUserUnknown},
	{"unknown in local recipient table", ReasonUserUnknown},
	{"usuario desconocido", ReasonUserUnknown},
	{"usuario no existe", ReasonUserUnknown},
	{"destinatario desconocido", ReasonUserUnknown},
	{"utilisateur inconnu", ReasonUserUnknown},
	{"destinataire inconnu", ReasonUserUnknown},
	{"destinataire invalide", ReasonUserUnknown},
	{"benutzer unbekannt", ReasonUserUnknown},
	{"empfänger unbekannt", ReasonUserUnknown},
	{"usuário desconhecido", ReasonUserUnknown},
	{"utente sconosciuto", ReasonUserUnknown},
	{"utente inesistente", ReasonUserUnknown},

	// Content judged bad.
	{"virus", ReasonVirus},
	{"malware", ReasonVirus},
	{"infected", ReasonVirus},
	{"spam", ReasonSpam},
	{"ube", ReasonSpam},
	{"bulk email", ReasonSpam},
	{"bulk mail", ReasonSpam},
	{"junk mail", ReasonSpam},
	{"unsolicited", ReasonSpam},

	// Authentication of the sending domain.
	{"dmarc", ReasonAuthFailure},
	{"dkim", ReasonAuthFailure},
	{"spf", ReasonAuthFailure},
	{"unauthenticated", ReasonAuthFailure},
	{"authentication required", ReasonSecurity},
	{"must issue a starttls", ReasonSecurity},
	{"tls required", ReasonSecurity},
	{"encryption required", ReasonSecurity},
	{"does not advertise auth", ReasonSecurity},
	{"authentication failed", ReasonSecurity},

	// Rate limits and greylisting.
	{"frequency limited", ReasonTooManyConn},
	{"too many connections", ReasonTooManyConn},
	{"too many concurrent", ReasonTooManyConn},
	{"too many recipients", ReasonTooManyConn},
	{"rate limit", ReasonTooManyConn},
	{"rate that is limited", ReasonTooManyConn},
	{"unusual rate", ReasonTooManyConn},
	{"greylisted", ReasonTooManyConn},
	{"greylisting", ReasonTooManyConn},
	{"graylisted", ReasonTooManyConn},
	{"try again later", ReasonTooManyConn},
	{"temporarily deferred", ReasonTooManyConn},

	// The sending host is refused.
	{"blacklisted", ReasonBlocked},
	{"blacklist", ReasonBlocked},
	{"blocklisted", ReasonBlocked},
	{"blocklist", ReasonBlocked},
	{"blocked", ReasonBlocked},
	{"listed on", ReasonBlocked},
	{"rbl", ReasonBlocked},
	{"spamhaus", ReasonBlocked},
	{"reputation", ReasonBlocked},
	{"client host rejected", ReasonBlocked},
	{"access denied", ReasonBlocked},
	{"connection refused by", ReasonBlocked},

	// Filters and policies of the recipient.
	{"rejected by the domain filter", ReasonFiltered},
	{"domain filter", ReasonFiltered},
	{"content filter", ReasonFiltered},
	{"filtered", ReasonFiltered},
	{"message content rejected", ReasonFiltered},
	{"refused by", ReasonFiltered},
	{"rejected by recipient", ReasonFiltered},
	{"not accepted", ReasonPolicy},
	{"policy", ReasonPolicy},
	{"prohibited", ReasonPolicy},
	{"not authorized", ReasonPolicy},
	{"not permitted", ReasonPolicy},

	// Network and routing.
	{"connection refused", ReasonNetworkError},
	{"connection timed out", ReasonNetworkError},
	{"timed out", ReasonNetworkError},
	{"network is unreachable", ReasonNetworkError},
	{"no route to host", ReasonNetworkError},
	{"lost connection", ReasonNetworkError},
	{"could not connect", ReasonNetworkError},
	{"could not find a gateway", ReasonNetworkError},
	{"loops back to myself", ReasonNetworkError},
	{"mail loop", ReasonNetworkError},
	{"routing loop", ReasonNetworkError},
	{"too many hops", ReasonNetworkError},
	{"hop count exceeded", ReasonNetworkError},
	{"dns", ReasonNetworkError},

	// Faults of the remote side.
	{"mailer error", ReasonMailerError},
	{"command died", ReasonMailerError},
	{"syntax error", ReasonSyntaxError},
	{"command unrecognized", ReasonSyntaxError},
	{"system error", ReasonSystemError},
	{"internal error", ReasonSystemError},
	{"local error", ReasonSystemError},
	{"server error", ReasonSystemError},
	{"temporary failure", ReasonSystemError},
	{"i/o error", ReasonSystemError},
	{"not accepting messages", ReasonSystemError},
}

// genericPhrases are refusals that say nothing of why; they count only
// when neither a telling phrase nor a status code does.
var genericPhrases = []struct{ phrase, reason string }{
	{"rejected", ReasonRejected},
	{"refused", ReasonRejected},
	{"denied", ReasonRejected},
}

// reasonOf returns the reason that a diagnostic text states, or "".
func reasonOf(text string) string {
	return phraseReason(text, diagnosticPhrases)
}

// phraseReason returns the reason of the first phrase of table in text.
func phraseReason(text string, table []struct{ phrase, reason string }) string {
	if text == "" {
		return ""
	}
	lower := strings.ToLower(text)
	for _, p := range table {
		if containsWord(lower, p.phrase) {
			return p.reason
		}
	}
	return ""
}

// containsWord tells whether phrase occurs in s with no letter or digit
// right before or after it, so "ube" is not found in "youtube".
func containsWord(s, phrase string) bool {
	from := 0
	for {
		i := strings.Index(s[from:], phrase)
		if i < 0 {
			return false
		}
		at := from + i
		end := at + len(phrase)
		if (at == 0 || !isWordByte(s[at-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		from = at + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
}

// statusReason reads a reason from an enhanced status code alone (RFC 3463),
// for diagnostics whose words say nothing known.
func statusReason(status string) string {
	if len(status) < 5 {
		return ""
	}
	rest := status[2:]
	switch rest {
	case "1.1", "1.3", "1.0":
		return ReasonUserUnknown
	case "1.2", "1.10":
		return ReasonHostUnknown
	case "1.6":
		return ReasonHasMoved
	case "1.7", "1.8":
		return ReasonRejected
	case "2.1":
		return ReasonSuspend
	case "2.2", "2.0":
		return ReasonMailboxFull
	case "2.3", "3.4":
		return ReasonMesgTooBig
	case "4.7":
		return ReasonExpired
	case "7.1", "7.0":
		return ReasonPolicy
	case "7.23", "7.24", "7.25", "7.26", "7.27", "7.7", "7.8", "7.9":
		return ReasonAuthFailure
	}
	switch rest[0] {
	case '3':
		return ReasonSystemError
	case '4':
		return ReasonNetworkError
	case '5':
		return ReasonSyntaxError
	case '6':
		return ReasonContentError
	case '7':
		return ReasonPolicy
	}
	return ""
}

// replyReason reads a reason from an SMTP reply code alone, the weakest
// evidence: only the codes that mean one thing are mapped.
func replyReason(code int) string {
	switch code {
	case 552:
		return ReasonMailboxFull
	case 553:
		return ReasonUserUnknown
	case 421:
		return ReasonTooManyConn
	case 452:
		return ReasonMailboxFull
	}
	return ""
}

// failureVerdict decides the reason and hardness of a failure from what the
// report or the text gave. The evidence is weighed from the most to the
// least telling: the server's own words (after its reply code), the whole
// diagnostic, the status code, the reply code, the text around it, and
// last the generic refusals. A final failure with a 4.x.x status, or with
// only a 4xx reply, means the sender gave up retrying: it expired,
// whatever the last attempt said. The SMTP command that the failure
// answered (stage), when the notice states it, weighs on an "unknown
// user": answered to DATA, after the server had accepted the address, and
// without an address status (5.1.x) to back it, it is a content filter in
// disguise (mobile carriers answer so) and not taken as a bad address;
// answered to RCPT TO, it is a refusal of the address itself.
func failureVerdict(diag, context, status string, reply int, final bool, stage smtpStage) (reason string, hard bool) {
	if final && (statusClass(status) == '4' || status == "" && reply/100 == 4) {
		return ReasonExpired, false
	}
	if _, at := replyCodeAt(diag); at > 0 {
		reason = reasonOf(diag[at:])
	}
	for _, r := range []func() string{
		func() string { return reasonOf(diag) },
		func() string { return statusReason(status) },
		func() string { return replyReason(reply) },
		func() string { return reasonOf(context) },
		func() string { return phraseReason(diag, genericPhrases) },
		func() string { return phraseReason(context, genericPhrases) },
	} {
		if reason != "" {
			break
		}
		reason = r()
	}
	if reason == ReasonUserUnknown && stage == stageData && !strings.HasPrefix(status, "5.1.") {
		reason = ReasonFiltered
	}
	// X.2.1 says the mailbox exists but is disabled, whatever words the
	// server adds ("User Unknown" is common): it may come back, so the
	// address is not condemned.
	// An unknown user refused in answer to RCPT TO is a bad address, whatever X.2.1 says.
	if status == "5.2.1" && !(reason == ReasonUserUnknown && stage == stageRcpt) && (reason == "" || reason == ReasonUserUnknown || reason == ReasonDisabled) {
		reason = ReasonSuspend
	}
	return reason, hardReasons[reason]
}

// smtpStage is the SMTP command that a failure answered, as far as a
// notice states it.
type smtpStage uint8

const (
	stageUnknown smtpStage = iota // the notice does not say
	stageRcpt                     // RCPT TO: the server refused the address
	stageData                     // DATA or end of data: the address had been accepted
)

// answeredStage tells which SMTP command a text says the failure answered.
// A statement about RCPT TO is about the recipient's address and wins over
// DATA, which a transcript may show after it.
func answeredStage(s string) smtpStage {
	switch {
	case answeredToRcpt(s):
		return stageRcpt
	case answeredToData(s):
		return stageData
	}
	return stageUnknown
}

// rcptPhrases are how mail systems say that a failure answered RCPT TO
// (lower case, white space collapsed): Postfix, Exim and qmail.
var rcptPhrases = []string{"in reply to rcpt to command", "after rcpt to:", "after rcpt command", "does not like recipient"}

// answeredToRcpt tells whether a text says the failure came in answer to
// the RCPT TO command: in words (Postfix, Exim, qmail), or in a Sendmail
// transcript where a ">>> RCPT TO" is answered by a failure ("<<< 5..").
func answeredToRcpt(s string) bool {
	l := strings.ToLower(s)
	if !strings.Contains(l, "rcpt") && !strings.Contains(l, "recipient") {
		return false
	}
	if containsAny(strings.Join(strings.Fields(l), " "), rcptPhrases) {
		return true
	}
	rcpt := false
	for _, line := range strings.Split(l, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
		case strings.HasPrefix(t, ">>> rcpt to"):
			rcpt = true
		case rcpt && (strings.HasPrefix(t, "<<< 5") || strings.HasPrefix(t, "<<< 4")):
			return true
		default:
			rcpt = false
		}
	}
	return false
}

// answeredToData tells whether a text says the failure came in answer to
// the DATA command, after the recipient had been accepted. A transcript
// that shows ">>> DATA" but then an address status (5.1.x) is Sendmail
// showing pipelined answers to RCPT after DATA: those were about the
// address.
func answeredToData(s string) bool {
	l := strings.ToLower(s)
	for from := 0; ; {
		code, at := statusAt(l, "5", from)
		if code == "" {
			break
		}
		if strings.HasPrefix(code, "5.1.") {
			return false
		}
		from = at + len(code)
	}
	if strings.Contains(l, "end of data") || strings.Contains(l, "after data") || strings.Contains(l, "final data") {
		return true
	}
	for _, line := range strings.Split(l, "\n") {
		t := strings.TrimSpace(line)
		if t == ">>> data" || t == "data" {
			return true
		}
	}
	return false
}
