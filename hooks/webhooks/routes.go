package webhooks

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// handleTest queues a ping to the webhook and answers with the delivery;
// its outcome shows in the delivery log.
func handleTest(e *core.RequestEvent) error {
	d, err := QueuePing(e.App, e.Request.PathValue("id"))
	if err != nil {
		return notFoundOr(err, "No webhook has this id.")
	}
	return e.JSON(http.StatusAccepted, d)
}

// handleRetry makes a delivery due now and answers with it.
func handleRetry(e *core.RequestEvent) error {
	d, err := SendAgain(e.App, e.Request.PathValue("id"))
	if err != nil {
		return notFoundOr(err, "No webhook delivery has this id.")
	}
	return e.JSON(http.StatusAccepted, d)
}

func notFoundOr(err error, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apis.NewNotFoundError(message, nil)
	}
	return err
}
