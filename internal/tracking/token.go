package tracking

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Token format, version 1.
//
// A token is the unpadded base64url encoding of these bytes:
//
//	offset   size  field
//	0        1     version, 1
//	1        1     length n of the key id, 1..8
//	2        n     key id, [a-z0-9]
//	2+n      1     kind: 'p' pixel, 'v' view
//	3+n      5     expiry, unix seconds, big-endian unsigned
//	8+n      15    message id, [a-z0-9]
//	23+n     m     recipient address, UTF-8, 1..254 bytes
//	23+n+m   16    tag: HMAC-SHA256 over everything before it, truncated
//
// Everything but the tag is covered by the tag, the version and key id
// included, so no byte can change unnoticed. The version comes first and
// fixes the rest of the layout: a later version may change every field
// after it, and this one's reader refuses any version it does not know.
//
// The recipient is carried in full rather than as a hash. The route has to
// record who opened or viewed the message, and a message may go to several
// addresses (to, cc), each with its own token; with the address in the
// token the route needs no lookup and trusts nothing unsigned. The cost is
// length and that anyone who sees the URL can read the address — which
// they could already, since it is the mail's own To or Cc. A token is 39
// bytes plus the key id and the address: for a 22-character address and a
// 2-character key id, 63 bytes, 84 characters; it stays under 120
// characters for addresses up to 48 bytes.
//
// The expiry takes 5 bytes, not 4, so that it does not run out in 2106; the
// message id needs no length since PocketBase ids are always 15 characters;
// the recipient needs none since the tag has a fixed size and ends the
// token.
const (
	version1   = 1
	maxKeyID   = 8
	expiryLen  = 5
	messageLen = 15
	// maxRecipient is the longest address SMTP can carry (RFC 5321 §4.5.3.1.3:
	// a path of 256 octets, less its angle brackets).
	maxRecipient = 254
	// tagLen is the HMAC-SHA256 tag cut to 128 bits, which RFC 2104 §5
	// allows (at least half the hash and at least 80 bits) and which keeps
	// the URL short.
	tagLen = 16

	minPayload = 1 + 1 + 1 + 1 + expiryLen + messageLen + 1 + tagLen
	maxPayload = 1 + 1 + maxKeyID + 1 + expiryLen + messageLen + maxRecipient + tagLen
	// maxToken is the longest token a valid payload encodes to; anything
	// longer is refused before decoding.
	maxToken = (maxPayload*8 + 5) / 6
	// maxExpiry is the largest unix time that fits the 5-byte field.
	maxExpiry = 1<<(8*expiryLen) - 1
)

// encoding is strict so that each payload has exactly one encoding: a
// loose decoder accepts non-zero trailing bits, which would let a changed
// last character still verify.
var encoding = base64.RawURLEncoding.Strict()

// Errors that Verify returns; each names one reason a token is refused.
var (
	// ErrMalformed means the token is not a token of a known version.
	ErrMalformed = errors.New("tracking: malformed token")
	// ErrUnknownKey means the token names a key id the keyring does not hold.
	ErrUnknownKey = errors.New("tracking: token signed with an unknown key")
	// ErrBadSignature means the token was changed or signed with another key.
	ErrBadSignature = errors.New("tracking: bad token signature")
	// ErrWrongKind means a pixel token was offered as a view token or the reverse.
	ErrWrongKind = errors.New("tracking: token of the wrong kind")
	// ErrExpired means the token's expiry has passed.
	ErrExpired = errors.New("tracking: token expired")
)

// Kind says which route a token opens.
type Kind string

// The two kinds of token.
const (
	// KindPixel is the tracking pixel's token, for GET /t/{token}.
	KindPixel Kind = "pixel"
	// KindView is the view link's token, for GET /v/{token}.
	KindView Kind = "view"
)

// kindByte is the kind's one-byte code in the token.
func (k Kind) kindByte() (byte, bool) {
	switch k {
	case KindPixel:
		return 'p', true
	case KindView:
		return 'v', true
	}
	return 0, false
}

// kindOf is the inverse of kindByte.
func kindOf(b byte) (Kind, bool) {
	switch b {
	case 'p':
		return KindPixel, true
	case 'v':
		return KindView, true
	}
	return "", false
}

// Claims is what a token says.
type Claims struct {
	// Kind is the route the token opens.
	Kind Kind
	// MessageID is the id of the sent message's record.
	MessageID string
	// Recipient is the address the message went to, as it was sent.
	Recipient string
	// Expires is when the token stops verifying; tokens keep whole seconds.
	Expires time.Time
}

// Default lifetimes of the two kinds of token.
const (
	// DefaultPixelLifetime keeps late opens countable for a year.
	DefaultPixelLifetime = 365 * 24 * time.Hour
	// DefaultViewLifetime keeps the view link working for about six months,
	// longer than any usual payment term.
	DefaultViewLifetime = 180 * 24 * time.Hour
)

// Lifetimes holds how long each kind of token stays valid, as set in the
// product's settings; a zero field means that kind's default.
type Lifetimes struct {
	// Pixel is the lifetime of pixel tokens.
	Pixel time.Duration
	// View is the lifetime of view tokens.
	View time.Duration
}

// Expires returns when a token of kind k made at sentAt should expire.
func (l Lifetimes) Expires(k Kind, sentAt time.Time) time.Time {
	d := l.View
	if k == KindPixel {
		d = l.Pixel
		if d <= 0 {
			d = DefaultPixelLifetime
		}
	} else if d <= 0 {
		d = DefaultViewLifetime
	}
	return sentAt.Add(d)
}

// check reports why c cannot be put in a token, or nil.
func (c Claims) check() error {
	if _, ok := c.Kind.kindByte(); !ok {
		return fmt.Errorf("tracking: unknown token kind %q", c.Kind)
	}
	if !isMessageID(c.MessageID) {
		return fmt.Errorf("tracking: message id %q is not 15 characters of [a-z0-9]", c.MessageID)
	}
	if err := checkRecipient(c.Recipient); err != nil {
		return err
	}
	if c.Expires.IsZero() {
		return errors.New("tracking: token has no expiry")
	}
	if s := c.Expires.Unix(); s <= 0 || s > maxExpiry {
		return fmt.Errorf("tracking: expiry %v out of range", c.Expires)
	}
	return nil
}

// checkRecipient reports why addr cannot be a token's recipient, or nil. It
// does not validate addresses — the mailer has done that — but it refuses
// what would make a token ambiguous or unprintable, and catches a message
// id passed where the address belongs.
func checkRecipient(addr string) error {
	switch {
	case addr == "":
		return errors.New("tracking: empty recipient")
	case len(addr) > maxRecipient:
		return fmt.Errorf("tracking: recipient longer than %d bytes", maxRecipient)
	case !utf8.ValidString(addr):
		return errors.New("tracking: recipient is not valid UTF-8")
	case !strings.Contains(addr, "@"):
		return fmt.Errorf("tracking: recipient %q has no @", addr)
	}
	for i := 0; i < len(addr); i++ {
		if addr[i] < 0x20 || addr[i] == 0x7f {
			return errors.New("tracking: recipient has a control character")
		}
	}
	return nil
}

// isMessageID reports whether s has the shape of a PocketBase record id.
func isMessageID(s string) bool {
	return len(s) == messageLen && isLowerAlnum(s)
}

// isKeyID reports whether s may name a key.
func isKeyID(s string) bool {
	return len(s) >= 1 && len(s) <= maxKeyID && isLowerAlnum(s)
}

// isLowerAlnum reports whether every byte of s is in [a-z0-9].
func isLowerAlnum[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// appendPayload appends the signed part of a version 1 token, all but the
// tag. The claims must have passed check.
func appendPayload(b []byte, keyID string, c Claims) []byte {
	kb, _ := c.Kind.kindByte()
	exp := uint64(c.Expires.Unix())
	b = append(b, version1, byte(len(keyID)))
	b = append(b, keyID...)
	b = append(b, kb,
		byte(exp>>32), byte(exp>>24), byte(exp>>16), byte(exp>>8), byte(exp))
	b = append(b, c.MessageID...)
	return append(b, c.Recipient...)
}

// rawToken is a decoded token split into its parts; only header is read
// before the tag is checked.
type rawToken struct {
	keyID  []byte
	signed []byte // everything the tag covers
	tag    []byte
}

// splitToken decodes token and splits off the key id and tag, refusing
// anything that cannot be a version 1 token. It reads nothing the tag
// covers except what is needed to find the key.
func splitToken(token string) (rawToken, error) {
	if len(token) < (minPayload*8+5)/6 || len(token) > maxToken || !isBase64URL(token) {
		return rawToken{}, ErrMalformed
	}
	b, err := encoding.DecodeString(token)
	if err != nil || len(b) < minPayload || b[0] != version1 {
		return rawToken{}, ErrMalformed
	}
	n := int(b[1])
	if n < 1 || n > maxKeyID || len(b) < minPayload-1+n {
		return rawToken{}, ErrMalformed
	}
	id := b[2 : 2+n]
	if !isLowerAlnum(id) {
		return rawToken{}, ErrMalformed
	}
	cut := len(b) - tagLen
	return rawToken{keyID: id, signed: b[:cut], tag: b[cut:]}, nil
}

// parseClaims reads the claims of a version 1 token whose tag has been
// checked.
func parseClaims(signed []byte) (Claims, error) {
	p := signed[2+int(signed[1]):]
	// The kind, expiry and message id are fixed; the rest is the recipient.
	if len(p) < 1+expiryLen+messageLen+1 {
		return Claims{}, ErrMalformed
	}
	kind, ok := kindOf(p[0])
	if !ok {
		return Claims{}, ErrMalformed
	}
	var exp int64
	for _, c := range p[1 : 1+expiryLen] {
		exp = exp<<8 | int64(c)
	}
	msg := p[1+expiryLen : 1+expiryLen+messageLen]
	rcpt := string(p[1+expiryLen+messageLen:])
	if exp == 0 || !isLowerAlnum(msg) || checkRecipient(rcpt) != nil {
		return Claims{}, ErrMalformed
	}
	return Claims{
		Kind:      kind,
		MessageID: string(msg),
		Recipient: rcpt,
		Expires:   time.Unix(exp, 0).UTC(),
	}, nil
}

// isBase64URL reports whether s uses only the base64url alphabet. The
// decoder alone is not enough: it skips CR and LF, so a token with a line
// break inserted would decode to the same bytes.
func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
