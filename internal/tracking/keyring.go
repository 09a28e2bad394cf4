package tracking

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"sort"
	"sync"
	"time"
)

// MinKeySize is the shortest key a Keyring accepts: the SHA-256 output
// size, below which RFC 2104 §3 says HMAC keys are weaker than they need be.
const MinKeySize = 32

// macContext is written before every payload so that a key shared by
// mistake with another use of HMAC-SHA256 can never sign a valid token.
var macContext = []byte("facturo mail tracking\x00")

// Keyring holds the keys that sign and verify tokens, by key id.
//
// It signs with the current key and verifies with any key it holds, so a
// key is rotated in two steps: add a new key and make it current, then
// drop the old one once every token it signed has expired, that is the
// longest lifetime after the last mail it signed. Dropping it sooner turns
// its links into ErrUnknownKey. A Keyring never changes
// after NewKeyring and is safe for concurrent use.
type Keyring struct {
	current string
	keys    map[string]*macKey
}

// macKey is one key with a pool of HMAC states keyed with it: building an
// HMAC hashes the key into both pads, which costs as much as the payload.
type macKey struct {
	pool sync.Pool
}

// appendTag appends the truncated tag of payload to b.
func (k *macKey) appendTag(b, payload []byte) []byte {
	h := k.pool.Get().(hash.Hash)
	h.Write(macContext)
	h.Write(payload)
	var sum [sha256.Size]byte
	b = append(b, h.Sum(sum[:0])[:tagLen]...)
	h.Reset()
	k.pool.Put(h)
	return b
}

// NewKeyring returns a keyring that signs with keys[currentID] and
// verifies with every key in keys. Key ids are 1 to 8 characters of
// [a-z0-9]; keys are at least MinKeySize bytes. The keys are copied.
func NewKeyring(currentID string, keys map[string][]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("tracking: keyring has no keys")
	}
	if _, ok := keys[currentID]; !ok {
		return nil, fmt.Errorf("tracking: current key id %q is not among the keys", currentID)
	}
	// Sorted so that the error for several bad keys does not change from
	// run to run.
	ids := make([]string, 0, len(keys))
	for id := range keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	kr := &Keyring{current: currentID, keys: make(map[string]*macKey, len(keys))}
	for _, id := range ids {
		key := keys[id]
		if !isKeyID(id) {
			return nil, fmt.Errorf("tracking: key id %q is not 1 to %d characters of [a-z0-9]", id, maxKeyID)
		}
		if len(key) < MinKeySize {
			return nil, fmt.Errorf("tracking: key %q is %d bytes, want at least %d", id, len(key), MinKeySize)
		}
		key = append([]byte(nil), key...)
		kr.keys[id] = &macKey{pool: sync.Pool{New: func() any {
			return hmac.New(sha256.New, key)
		}}}
	}
	return kr, nil
}

// CurrentID returns the id of the key that Sign uses.
func (k *Keyring) CurrentID() string {
	return k.current
}

// Sign returns a token for c signed with the current key. Expires is kept
// to the second, rounded down.
func (k *Keyring) Sign(c Claims) (string, error) {
	if err := c.check(); err != nil {
		return "", err
	}
	var buf [maxPayload]byte
	b := appendPayload(buf[:0], k.current, c)
	b = k.keys[k.current].appendTag(b, b)
	return encoding.EncodeToString(b), nil
}

// Verify returns the claims of token if it is a token of kind want,
// signed by a key in the keyring and unexpired at now. It checks the
// signature before it reads any claim, so a refused token tells nothing of
// its content. The errors are ErrMalformed, ErrUnknownKey,
// ErrBadSignature, ErrWrongKind and ErrExpired, in the order checked.
func (k *Keyring) Verify(token string, want Kind, now time.Time) (Claims, error) {
	raw, err := splitToken(token)
	if err != nil {
		return Claims{}, err
	}
	key, ok := k.keys[string(raw.keyID)]
	if !ok {
		return Claims{}, ErrUnknownKey
	}
	var buf [sha256.Size]byte
	if !hmac.Equal(key.appendTag(buf[:0], raw.signed), raw.tag) {
		return Claims{}, ErrBadSignature
	}
	c, err := parseClaims(raw.signed)
	if err != nil {
		return Claims{}, err
	}
	if c.Kind != want {
		return Claims{}, ErrWrongKind
	}
	// The token is good up to, not including, its expiry second.
	if !now.Before(c.Expires) {
		return Claims{}, ErrExpired
	}
	return c, nil
}
