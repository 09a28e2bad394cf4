// Package ui holds everything the product shows to people that is not Go
// logic: translations, templates and static assets, embedded in the binary.
package ui

import "embed"

// Files is the embedded tree: i18n/ (one JSON file per language),
// templates/ and static/.
//
//go:embed all:i18n all:templates all:static
var Files embed.FS
