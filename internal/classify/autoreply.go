package classify

import (
	"strings"
)

// autoReplySubjects are subject phrases (lower case) of vacation and
// out-of-office answers in the languages of the firm's customers.
var autoReplySubjects = []string{
	// English
	"out of office", "out-of-office", "out of the office", "automatic reply", "auto reply",
	"auto-reply", "autoreply", "auto response", "auto-response", "autoresponse",
	"automatic response", "away from the office", "away from my desk", "away until",
	"on vacation", "on holiday", "on leave", "vacation reply", "absence notice",
	// Spanish
	"fuera de la oficina", "fuera de oficina", "respuesta automática", "respuesta automatica",
	"ausente", "ausencia", "de vacaciones",
	// French
	"réponse automatique", "reponse automatique", "absence", "absent du bureau",
	"hors du bureau", "en congé", "en conge", "en vacances",
	// German
	"abwesenheitsnotiz", "automatische antwort", "abwesend", "außer haus", "ausser haus",
	"nicht im büro", "im urlaub", "urlaubsbedingt",
	// Portuguese
	"resposta automática", "resposta automatica", "fora do escritório", "fora do escritorio",
	"ausência", "de férias", "de ferias",
	// Italian
	"risposta automatica", "fuori sede", "fuori ufficio", "assente", "in ferie",
	// Catalan and Dutch, common among the same customers
	"resposta automàtica", "fora de l'oficina", "automatisch antwoord", "afwezig",
}

// autoReplyPrecedence are Precedence values that only automatic mail uses.
var autoReplyPrecedence = map[string]bool{"auto_reply": true, "bulk": true, "junk": true}

// isAutoReply tells whether a message was sent by a program answering on
// someone's behalf (RFC 3834 and the vendor headers that predate it), or
// says so in its subject.
func isAutoReply(h header, subject string) bool {
	if v := strings.ToLower(strings.TrimSpace(h.get("Auto-Submitted"))); v != "" && !strings.HasPrefix(v, "no") {
		return true
	}
	for _, name := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Response-Suppress"} {
		if h.has(name) {
			return true
		}
	}
	if autoReplyPrecedence[strings.ToLower(strings.TrimSpace(h.get("Precedence")))] {
		return true
	}
	return isAutoReplySubject(subject)
}

// isAutoReplySubject tells whether a subject announces an automatic answer.
func isAutoReplySubject(subject string) bool {
	s := strings.ToLower(subject)
	for _, p := range autoReplySubjects {
		if containsWord(s, p) {
			return true
		}
	}
	return false
}
