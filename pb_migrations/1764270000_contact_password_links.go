package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The link to choose a password, in an invitation and in a forgotten-
// password email, leads to the portal's own page (in the contact's
// language) instead of the admin dashboard's, and lasts three days: an
// invitation is often opened the next day, not within PocketBase's default
// half hour.
func init() {
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(contactID)
		if err != nil {
			return err
		}
		c.PasswordResetToken.Duration = 3 * 24 * 3600
		c.ResetPasswordTemplate.Subject = "{APP_NAME}: elija su contraseña · choose your password"
		c.ResetPasswordTemplate.Body = `<p>Hola / Hello,</p>
<p>Para elegir una contraseña nueva para el portal de facturas, abra este enlace (caduca en 3 días):<br/>
To choose a new password for the invoice portal, open this link (it expires in 3 days):</p>
<p><a class="btn" href="{APP_URL}/portal/password?token={TOKEN}" target="_blank" rel="noopener">{APP_URL}/portal/password?token={TOKEN}</a></p>
<p><i>Si no lo ha pedido, ignore este correo. / If you did not ask for it, ignore this email.</i></p>
<p>{APP_NAME}</p>`
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(contactID)
		if err != nil {
			return err
		}
		c.PasswordResetToken.Duration = 1800
		c.ResetPasswordTemplate = core.NewAuthCollection("defaults").ResetPasswordTemplate
		return app.Save(c)
	})
}
