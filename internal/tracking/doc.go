// Package tracking makes and checks the tokens of the tracking pixel
// (GET /t/{token}) and the view link (GET /v/{token}) that invoice emails
// carry, and tells automated fetches of them from people.
//
// A token is signed, not encrypted: it names the message and the recipient
// so that the route can record who opened or viewed what without a lookup,
// and the signature stops anyone from forging or editing one. Keys live in
// a Keyring so that they can be rotated without breaking links already
// sent. Classify exists because most pixel fetches are not people: privacy
// proxies and link scanners fetch everything the moment mail arrives, and
// a timeline that shows those as opens would not tell the truth.
//
// The package is pure: no database, no network, no clock of its own.
package tracking
