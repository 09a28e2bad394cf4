package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	reminderSettingsID = "pbc_reminder_settings"
	reminderLevelsID   = "pbc_reminder_levels"
	remindersSentID    = "pbc_reminders_sent"
)

// reminderTemplateHelp names what the reminder texts may print; the README
// (Reminders) lists every field.
const reminderTemplateHelp = "Go text template: {{.Number}} {{.Numbers}} {{.Owed}} {{.DueDate}} {{.DaysLate}} {{.DaysToDue}} " +
	"{{.Interest}} {{.Compensation}} {{.Link}} {{.FirmName}} {{.CustomerName}} {{.IBAN}} {{range .Invoices}}…{{end}}; see the README"

// Reminders and collection follow-up: the policy (one settings row and the
// levels, both edited in the admin dashboard), each customer's choice, and
// the record of every level sent or skipped, so that none is sent twice.
// Messages gain what a reminder attaches: the PDFs of the invoices it is
// about, and files such as a statement.
func init() {
	register(func(app core.App) error {
		settings := core.NewBaseCollection("reminder_settings", reminderSettingsID)
		settings.Fields.Add(
			&core.BoolField{Name: "enabled", Help: "Send reminders by themselves every day"},
			&core.NumberField{Name: "run_hour", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(23.0), Help: "Hour of the day (Europe/Madrid) of the daily run; 0 is midnight"},
			&core.BoolField{Name: "group_per_customer", Help: "One email per customer with every invoice due for a reminder that day"},
			&core.TextField{Name: "last_run_on", Max: 10, Help: "Day (YYYY-MM-DD, Madrid) of the last daily run; set by the system"},
			&core.TextField{Name: "status", Max: 2000, Help: "What the last run did; set by the system"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := app.Save(settings); err != nil {
			return err
		}
		row := core.NewRecord(settings)
		row.Load(map[string]any{"enabled": true, "run_hour": 8, "group_per_customer": false})
		if err := app.Save(row); err != nil {
			return err
		}

		levels := core.NewBaseCollection("reminder_levels", reminderLevelsID)
		levels.Fields.Add(
			&core.NumberField{Name: "days", OnlyInt: true, Min: types.Pointer(-60.0), Max: types.Pointer(365.0), Help: "Days after the due date (negative: before it)"},
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "subject_es", Required: true, Max: 500, Help: reminderTemplateHelp},
			&core.TextField{Name: "body_es", Required: true, Max: 10000, Help: reminderTemplateHelp},
			&core.TextField{Name: "subject_en", Required: true, Max: 500, Help: reminderTemplateHelp},
			&core.TextField{Name: "body_en", Required: true, Max: 10000, Help: reminderTemplateHelp},
			&core.BoolField{Name: "attach_pdf", Help: "Attach the invoices' PDFs"},
			&core.BoolField{Name: "attach_statement", Help: "Attach the customer's statement of account"},
			&core.BoolField{Name: "active", Help: "Send this level"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		levels.AddIndex("idx_reminder_levels_days", true, "days", "")
		if err := app.Save(levels); err != nil {
			return err
		}
		for _, l := range defaultReminderLevels {
			r := core.NewRecord(levels)
			r.Load(l)
			r.Set("active", true)
			if err := app.Save(r); err != nil {
				return err
			}
		}

		sent := core.NewBaseCollection("reminders_sent", remindersSentID)
		sent.Fields.Add(
			relation("invoice", invoiceID, true),
			relation("customer", customerID, false),
			&core.NumberField{Name: "level", OnlyInt: true, Help: "The level's days after the due date"},
			&core.SelectField{Name: "status", Values: []string{"sent", "skipped"}, MaxSelect: 1, Required: true,
				Help: "skipped: a higher level was due when this one would have been sent (after downtime); it is never sent later"},
			relation("message", messageID, false),
			&core.NumberField{Name: "interest", Help: "Late-payment interest when it was sent"},
			&core.DateField{Name: "sent_at"},
		)
		sent.AddIndex("idx_reminders_sent_invoice_level", true, "invoice, level", "")
		if err := app.Save(sent); err != nil {
			return err
		}

		customers, err := app.FindCollectionByNameOrId(customerID)
		if err != nil {
			return err
		}
		customers.Fields.Add(
			&core.SelectField{Name: "reminders", Values: []string{"default", "off", "custom"}, MaxSelect: 1,
				Help: "default (or empty): the active levels; off: no reminders; custom: the days of reminder_days"},
			&core.JSONField{Name: "reminder_days", MaxSize: 1000,
				Help: "With custom: days after the due date, e.g. [7, 30]; each uses the texts of the nearest level at or before it"},
		)
		if err := app.Save(customers); err != nil {
			return err
		}

		messages, err := app.FindCollectionByNameOrId(messageID)
		if err != nil {
			return err
		}
		messages.Fields.Add(
			&core.JSONField{Name: "attach_invoices", MaxSize: 1 << 16, Help: "Invoices whose PDFs a reminder attaches"},
			&core.FileField{Name: "attachments", MaxSelect: 5, MaxSize: 20 << 20, Protected: true, Help: "More files a reminder attaches, such as a statement"},
		)
		return app.Save(messages)
	}, func(app core.App) error {
		if err := deleteCollections(app, remindersSentID, reminderLevelsID, reminderSettingsID); err != nil {
			return err
		}
		if err := removeFields(app, customerID, "reminders", "reminder_days"); err != nil {
			return err
		}
		return removeFields(app, messageID, "attach_invoices", "attachments")
	})
}

// defaultReminderLevels: a friendly note before the due date, then firmer
// ones, and a final notice that cites Ley 3/2004 (late-payment interest,
// arts. 5 and 7, and the 40 € compensation for collection costs, art. 8).
var defaultReminderLevels = []map[string]any{
	{
		"days": -3, "name": "Aviso de vencimiento", "attach_pdf": true,
		"subject_es": `Recordatorio: {{if .Several}}facturas {{.Numbers}}{{else}}factura {{.Number}}{{end}} con vencimiento el {{.DueDate}}`,
		"body_es": `Hola{{with .CustomerName}}, {{.}}{{end}}:

Les escribimos solo para recordarles, por si les resulta útil, que {{if .Several}}las facturas siguientes vencen{{else}}la factura {{.Number}} vence{{end}} en los próximos días:
{{range .Invoices}}
- Factura {{.Number}} del {{.IssueDate}}: {{.Owed}}, vence el {{.DueDate}}{{end}}

{{with .IBAN}}Pueden pagar por transferencia a la cuenta {{.}}, indicando el número de factura como concepto. {{end}}Si ya han ordenado el pago, no tengan en cuenta este mensaje, y muchas gracias.

Pueden ver la factura aquí: {{.Link}}

Un saludo cordial,
{{.FirmName}}`,
		"subject_en": `Reminder: {{if .Several}}invoices {{.Numbers}}{{else}}invoice {{.Number}}{{end}} due on {{.DueDate}}`,
		"body_en": `Hello{{with .CustomerName}} {{.}}{{end}},

Just a friendly reminder, in case it helps with your planning, that {{if .Several}}the following invoices are{{else}}invoice {{.Number}} is{{end}} due in the next few days:
{{range .Invoices}}
- Invoice {{.Number}} of {{.IssueDate}}: {{.Owed}}, due on {{.DueDate}}{{end}}

{{with .IBAN}}You can pay by bank transfer to {{.}}, quoting the invoice number as the reference. {{end}}If you have already arranged the payment, please disregard this message, and thank you.

You can view the invoice here: {{.Link}}

Kind regards,
{{.FirmName}}`,
	},
	{
		"days": 1, "name": "Factura vencida",
		"subject_es": `{{if .Several}}Facturas {{.Numbers}} pendientes{{else}}Factura {{.Number}} pendiente{{end}} de pago`,
		"body_es": `Hola{{with .CustomerName}}, {{.}}{{end}}:

Según nuestros registros, {{if .Several}}las facturas siguientes han vencido y siguen{{else}}la factura {{.Number}} venció el {{.DueDate}} y sigue{{end}} pendiente{{if .Several}}s{{end}} de pago:
{{range .Invoices}}
- Factura {{.Number}}: {{.Owed}}, vencida el {{.DueDate}}{{end}}

Es posible que su pago se haya cruzado con este mensaje; en ese caso, les rogamos que no lo tengan en cuenta. Si no es así, les agradeceremos que lo realicen cuando puedan{{with .IBAN}} mediante transferencia a la cuenta {{.}}{{end}}.

Factura: {{.Link}}

Un saludo,
{{.FirmName}}`,
		"subject_en": `{{if .Several}}Invoices {{.Numbers}} are{{else}}Invoice {{.Number}} is{{end}} now due`,
		"body_en": `Hello{{with .CustomerName}} {{.}}{{end}},

According to our records, {{if .Several}}the following invoices are past their due date and still unpaid{{else}}invoice {{.Number}} was due on {{.DueDate}} and is still unpaid{{end}}:
{{range .Invoices}}
- Invoice {{.Number}}: {{.Owed}}, due on {{.DueDate}}{{end}}

If your payment has crossed with this message, please disregard it. Otherwise we would be grateful if you could settle it at your earliest convenience{{with .IBAN}} by bank transfer to {{.}}{{end}}.

Invoice: {{.Link}}

Kind regards,
{{.FirmName}}`,
	},
	{
		"days": 7, "name": "Segundo aviso", "attach_pdf": true,
		"subject_es": `Segundo aviso: {{if .Several}}facturas {{.Numbers}}{{else}}factura {{.Number}}{{end}} vencida{{if .Several}}s{{end}}`,
		"body_es": `Hola{{with .CustomerName}}, {{.}}{{end}}:

{{if .Several}}Las facturas siguientes siguen{{else}}La factura {{.Number}} sigue{{end}} pendiente{{if .Several}}s{{end}} de pago {{.DaysLate}} días después de su vencimiento:
{{range .Invoices}}
- Factura {{.Number}}: {{.Owed}}, vencida el {{.DueDate}}{{end}}

Les adjuntamos {{if .Several}}las facturas{{else}}la factura{{end}} y les rogamos que realicen el pago a la mayor brevedad{{with .IBAN}} mediante transferencia a la cuenta {{.}}{{end}}. Si hay algún problema con {{if .Several}}ellas{{else}}ella{{end}}, respondan a este mensaje y lo revisaremos enseguida.

Factura: {{.Link}}

Un saludo,
{{.FirmName}}`,
		"subject_en": `Second reminder: {{if .Several}}invoices {{.Numbers}} are{{else}}invoice {{.Number}} is{{end}} overdue`,
		"body_en": `Hello{{with .CustomerName}} {{.}}{{end}},

{{if .Several}}The following invoices are{{else}}Invoice {{.Number}} is{{end}} still unpaid {{.DaysLate}} days after the due date:
{{range .Invoices}}
- Invoice {{.Number}}: {{.Owed}}, due on {{.DueDate}}{{end}}

Please find {{if .Several}}them{{else}}it{{end}} attached, and settle the payment as soon as possible{{with .IBAN}} by bank transfer to {{.}}{{end}}. If there is any problem with {{if .Several}}them{{else}}it{{end}}, reply to this message and we will look into it at once.

Invoice: {{.Link}}

Kind regards,
{{.FirmName}}`,
	},
	{
		"days": 15, "name": "Tercer aviso", "attach_pdf": true,
		"subject_es": `Tercer aviso: pago pendiente de {{if .Several}}las facturas {{.Numbers}}{{else}}la factura {{.Number}}{{end}}`,
		"body_es": `Estimados señores{{with .CustomerName}} de {{.}}{{end}}:

Pese a nuestros avisos anteriores, no nos consta el pago de {{if .Several}}las facturas siguientes{{else}}la factura {{.Number}}, vencida hace {{.DaysLate}} días{{end}}:
{{range .Invoices}}
- Factura {{.Number}}: {{.Owed}}, vencida el {{.DueDate}}{{end}}

Importe pendiente: {{.Owed}}.

Les pedimos que regularicen el pago en un plazo de siete días{{with .IBAN}} mediante transferencia a la cuenta {{.}}{{end}}. Les recordamos que el retraso en el pago devenga intereses de demora desde la fecha de vencimiento. Si existe algún motivo por el que no puedan pagar, o no están conformes con {{if .Several}}las facturas{{else}}la factura{{end}}, respondan a este mensaje para que podamos resolverlo.

Factura: {{.Link}}

Atentamente,
{{.FirmName}}`,
		"subject_en": `Third reminder: payment of {{if .Several}}invoices {{.Numbers}}{{else}}invoice {{.Number}}{{end}} is overdue`,
		"body_en": `Dear {{with .CustomerName}}{{.}}{{else}}customer{{end}},

Despite our previous reminders, we have not received payment of {{if .Several}}the following invoices{{else}}invoice {{.Number}}, {{.DaysLate}} days overdue{{end}}:
{{range .Invoices}}
- Invoice {{.Number}}: {{.Owed}}, due on {{.DueDate}}{{end}}

Amount outstanding: {{.Owed}}.

Please settle the payment within seven days{{with .IBAN}} by bank transfer to {{.}}{{end}}. Late payment accrues interest from the due date. If there is a reason you cannot pay, or you disagree with {{if .Several}}the invoices{{else}}the invoice{{end}}, reply to this message so that we can resolve it.

Invoice: {{.Link}}

Yours sincerely,
{{.FirmName}}`,
	},
	{
		"days": 30, "name": "Último aviso", "attach_pdf": true, "attach_statement": true,
		"subject_es": `Último aviso antes de reclamar: {{if .Several}}facturas {{.Numbers}}{{else}}factura {{.Number}}{{end}}`,
		"body_es": `Estimados señores{{with .CustomerName}} de {{.}}{{end}}:

A pesar de nuestros avisos anteriores, {{if .Several}}las facturas siguientes siguen{{else}}la factura {{.Number}}, vencida el {{.DueDate}}, sigue{{end}} sin pagar:
{{range .Invoices}}
- Factura {{.Number}}: {{.Owed}}, vencida el {{.DueDate}} ({{.DaysLate}} días){{end}}

Por la presente les requerimos el pago de {{.Owed}} en un plazo de diez días desde la recepción de este mensaje{{with .IBAN}}, mediante transferencia a la cuenta {{.}}{{end}}.

Les recordamos que, conforme a la Ley 3/2004, de 29 de diciembre, por la que se establecen medidas de lucha contra la morosidad en las operaciones comerciales, el deudor incurre en mora por el mero incumplimiento del plazo de pago, sin necesidad de aviso (art. 5), y debe pagar intereses de demora al tipo legal, el del Banco Central Europeo más ocho puntos (art. 7), además de una indemnización de 40 € por factura por los costes de cobro (art. 8).{{if .HasInterest}} A fecha de hoy, los intereses devengados ascienden a {{.Interest}} y la indemnización a {{.Compensation}}.{{end}}

Si no recibimos el pago ni noticias suyas en ese plazo, iniciaremos las acciones oportunas para su cobro, con los intereses y costes que correspondan. Si ya han pagado o existe alguna discrepancia, respondan a este mensaje y lo revisaremos de inmediato.

Adjuntamos {{if .Several}}las facturas{{else}}la factura{{end}}{{if .HasStatement}} y el extracto de su cuenta{{end}}.

Factura: {{.Link}}

Atentamente,
{{.FirmName}}`,
		"subject_en": `Final notice: {{if .Several}}invoices {{.Numbers}}{{else}}invoice {{.Number}}{{end}}`,
		"body_en": `Dear {{with .CustomerName}}{{.}}{{else}}customer{{end}},

Despite our previous reminders, {{if .Several}}the following invoices remain{{else}}invoice {{.Number}}, due on {{.DueDate}}, remains{{end}} unpaid:
{{range .Invoices}}
- Invoice {{.Number}}: {{.Owed}}, due on {{.DueDate}} ({{.DaysLate}} days){{end}}

We hereby request payment of {{.Owed}} within ten days of receiving this message{{with .IBAN}}, by bank transfer to {{.}}{{end}}.

Under Spanish Law 3/2004 of 29 December on combating late payment in commercial transactions, a debtor is in default by the mere expiry of the payment term, without notice (art. 5), and owes late-payment interest at the statutory rate, the European Central Bank's rate plus eight points (art. 7), and a compensation of 40 € per invoice for recovery costs (art. 8).{{if .HasInterest}} As of today, the interest accrued is {{.Interest}} and the compensation {{.Compensation}}.{{end}}

If we receive neither payment nor word from you within that time, we will take the steps needed to recover the debt, with the interest and costs due. If you have already paid or disagree with any amount, reply to this message and we will look into it at once.

Attached: {{if .Several}}the invoices{{else}}the invoice{{end}}{{if .HasStatement}} and a statement of your account{{end}}.

Invoice: {{.Link}}

Yours sincerely,
{{.FirmName}}`,
	},
}
