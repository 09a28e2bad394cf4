package inbox

import (
	"github.com/pocketbase/pocketbase/core"
)

// Register keeps the mailbox rows one per account and folder, and starts
// the mailbox poller with the server and stops it with it.
func Register(app core.App) {
	app.OnRecordCreate(InboxMailboxes).BindFunc(normalizeMailbox)
	app.OnRecordUpdate(InboxMailboxes).BindFunc(normalizeMailbox)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if err := se.Next(); err != nil {
			return err
		}
		if se.Server == nil {
			return nil // a test router, not a listening server
		}
		poller := StartPoller(se.App)
		se.App.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
			poller.Stop()
			return te.Next()
		})
		return nil
	})
}
