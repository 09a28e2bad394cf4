package web

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"facturo/ui"
)

// TooMany is the answer to a request over its limit: 429 in PocketBase's
// error shape, with Retry-After in whole seconds.
func TooMany(e *core.RequestEvent, wait time.Duration) error {
	SetRetryAfter(e, wait)
	return apis.NewTooManyRequestsError(ui.T(e.Request.Header.Get("Accept-Language"), "api.signin.too_many"), nil)
}

// SetRetryAfter tells the client, in whole seconds, when to try again.
func SetRetryAfter(e *core.RequestEvent, wait time.Duration) {
	e.Response.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
}

// authRoutes is the pattern PocketBase registers its auth routes under.
const authRoutes = "POST /api/collections/{collection}/"

// restSignIn is what a request to one of PocketBase's auth routes may send.
type restSignIn struct {
	Identity string `json:"identity" form:"identity"`
	Email    string `json:"email" form:"email"`
	NewEmail string `json:"newEmail" form:"newEmail"`
	OTPID    string `json:"otpId" form:"otpId"`
	Token    string `json:"token" form:"token"`
}

// LimitREST is a router middleware that puts PocketBase's REST sign-in
// routes of the area's collection under the same limits as its forms:
// auth-with-password, auth-with-otp and the confirm-* routes count failed
// attempts per address of origin and per account (not successes); the
// routes that send an email (request-otp, request-password-reset,
// request-verification, request-email-change) count every request per
// address of origin and per address written to. A wrong emailed code
// counts against the code too, which dies at its CodeTries-th.
//
// It is a middleware rather than PocketBase's request hooks because
// auth-with-otp checks the code before its hook runs: a wrong code never
// reaches the hook.
func (a Area) LimitREST() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "facturo.web.limit." + a.Collection,
		// After PocketBase's own middlewares: the body limit and the
		// request's auth are in place.
		Priority: apis.DefaultBodyLimitMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			route, ok := strings.CutPrefix(e.Request.Pattern, authRoutes)
			if !ok {
				return e.Next()
			}
			// PocketBase finds the collection by name or id: so does this.
			collection, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
			if err != nil || collection.Name != a.Collection {
				return e.Next()
			}
			var body restSignIn
			e.BindBody(&body) // a body that does not read is PocketBase's to refuse, counted as a failure
			ip := ClientIP(e)
			switch route {
			case "auth-with-password":
				return limitGuess(e, ip, AccountKey(collection.Name, body.Identity))
			case "auth-with-otp":
				return limitCode(e, ip, collection, body.OTPID)
			case "confirm-password-reset", "confirm-verification":
				return limitGuess(e, ip, "")
			case "confirm-email-change":
				account := ""
				if r, err := e.App.FindAuthRecordByToken(body.Token, core.TokenTypeEmailChange); err == nil {
					account = AccountKey(r.Collection().Name, r.Email())
				}
				return limitGuess(e, ip, account)
			case "request-otp", "request-password-reset", "request-verification":
				return limitMail(e, ip, AccountKey(collection.Name, body.Email))
			case "request-email-change":
				return limitMail(e, ip, AccountKey(collection.Name, body.NewEmail))
			}
			return e.Next()
		},
	}
}

// limitGuess runs the route as an attempt on account: refused when over
// the limit, counted unless it succeeds.
func limitGuess(e *core.RequestEvent, ip, account string) error {
	g, wait := BeginGuess(e.App, ip, account)
	if wait > 0 {
		return TooMany(e, wait)
	}
	err := e.Next()
	// ErrMFA: the password was right, and a second factor is asked for.
	if err == nil || errors.Is(err, apis.ErrMFA) {
		g.Succeeded()
	}
	return err
}

// limitCode runs auth-with-otp as an attempt on the code's account; a
// wrong code counts against the code, which is deleted at its last try.
func limitCode(e *core.RequestEvent, ip string, collection *core.Collection, otpID string) error {
	account := ""
	otp, err := e.App.FindOTPById(otpID)
	if err == nil && otp.CollectionRef() == collection.Id {
		if r, err := e.App.FindRecordById(collection, otp.RecordRef()); err == nil {
			account = AccountKey(collection.Name, r.Email())
		}
	} else {
		otp = nil
	}
	g, wait := BeginGuess(e.App, ip, account)
	if wait > 0 {
		return TooMany(e, wait)
	}
	if otp != nil && CodeExhausted(e.App, otp.Id) {
		KillCode(e.App, otp)
		return e.Next() // the code is gone: PocketBase says it is invalid or expired
	}
	err = e.Next()
	if err == nil || errors.Is(err, apis.ErrMFA) {
		g.Succeeded()
		return err
	}
	if otp != nil && WrongCode(e.App, otp.Id) {
		KillCode(e.App, otp)
	}
	return err
}

// KillCode deletes an emailed code that had its last wrong try.
func KillCode(app core.App, otp *core.OTP) {
	if err := app.Delete(otp); err != nil {
		app.Logger().Error("web: deleting a sign-in code after its last try", "error", err, "otp", otp.Id)
	}
}

// limitMail runs a route that sends an email to address, counted whatever
// its outcome.
func limitMail(e *core.RequestEvent, ip, address string) error {
	if wait := CountMail(e.App, ip, address); wait > 0 {
		return TooMany(e, wait)
	}
	return e.Next()
}
