package portal

import (
	"facturo/hooks/invoicing"
	"facturo/internal/web"
)

// site is the portal: contacts signed in by cookies scoped to /portal.
var site = web.Area{
	Path: "/portal", Collection: invoicing.Contacts,
	SessionCookie: "facturo_session", CSRFCookie: "facturo_csrf", Templates: "portal",
}
