package pb_migrations

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// The default reminder texts of the higher levels spoke of "our previous
// reminders" even when a run after downtime sent them first, the lower
// levels skipped and never sent. They now say so only when earlier
// reminders were sent ({{.EarlierNotices}}), and plainly that the notice is
// the first otherwise. Texts staff rewrote are left as they are.
var earlierNotices = [][2]string{
	{"Pese a nuestros avisos anteriores, no nos consta",
		"{{if .EarlierNotices}}Pese a nuestros avisos anteriores, no{{else}}Es la primera vez que le escribimos sobre ello, pero no{{end}} nos consta"},
	{"A pesar de nuestros avisos anteriores, {{if .Several}}",
		"{{if .EarlierNotices}}A pesar de nuestros avisos anteriores, {{else}}Es nuestro primer aviso, pero {{end}}{{if .Several}}"},
	{"Despite our previous reminders, we have not received",
		"{{if .EarlierNotices}}Despite our previous reminders, we{{else}}This is the first time we write to you about it, but we{{end}} have not received"},
	{"Despite our previous reminders, {{if .Several}}",
		"{{if .EarlierNotices}}Despite our previous reminders, {{else}}This is our first notice, but {{end}}{{if .Several}}"},
}

func init() {
	rewrite := func(app core.App, forward bool) error {
		levels, err := app.FindAllRecords("reminder_levels")
		if err != nil {
			return err
		}
		for _, l := range levels {
			changed := false
			for _, field := range []string{"body_es", "body_en"} {
				text := l.GetString(field)
				for _, r := range earlierNotices {
					from, to := r[0], r[1]
					if !forward {
						from, to = to, from
					}
					if strings.Contains(text, from) && !(forward && strings.Contains(text, to)) {
						text = strings.ReplaceAll(text, from, to)
						changed = true
					}
				}
				l.Set(field, text)
			}
			if changed {
				if err := app.Save(l); err != nil {
					return err
				}
			}
		}
		return nil
	}
	register(func(app core.App) error { return rewrite(app, true) }, func(app core.App) error { return rewrite(app, false) })
}
