package demo

import (
	"facturo/internal/money"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/clock"
	"facturo/internal/taxes"
)

type contactSeed struct {
	name, email, role string
}

type itemSeed struct {
	description          string
	price                string
	vat, surcharge, irpf string
	exemption            string
	minQty, maxQty       int
}

type customerSeed struct {
	name, taxID, email, language    string
	address, city, postal, province string
	country                         string
	terms                           int
	perMonth                        float64 // chance of an invoice in a given month
	contacts                        []contactSeed
	items                           []itemSeed
}

// The demo firm: a graphic designer and printer working as an autónomo (self-
// employed), so that her invoices show IRPF withheld by business customers,
// recargo de equivalencia for retailers, and the usual VAT rates.
var issuerSeed = map[string]any{
	"legal_name":        "Lucía Martín Ortega",
	"trade_name":        "Estudio Martín · Diseño e Imprenta",
	"tax_id":            "12345678Z",
	"address":           "Calle de la Imprenta 12, bajo",
	"city":              "Valladolid",
	"postal_code":       "47001",
	"province":          "Valladolid",
	"country":           "ES",
	"iban":              "ES91 2100 0418 4502 0005 1332",
	"bic":               "CAIXESBBXXX",
	"phone":             "+34 983 000 123",
	"default_series":    "A",
	"rectifying_series": "R",
	"default_language":  "es",
	"email_from":        "facturas@estudiomartin.example",
	"email_reply_to":    "administracion@estudiomartin.example",
}

var customerSeeds = []customerSeed{
	{
		name: "Ferretería Hermanos López S.L.", taxID: "B12345674", email: "facturas@ferreteria-lopez.example", language: "es",
		address: "Avenida de Burgos 41", city: "Valladolid", postal: "47009", province: "Valladolid", country: "ES", terms: 30, perMonth: 0.8,
		contacts: []contactSeed{{"Marta López", ContactEmail, "approver"}, {"Julián López", "julian@ferreteria-lopez.example", "viewer"}},
		items: []itemSeed{
			{description: "Catálogo de temporada, 24 páginas, tirada de 500", price: "1.85", vat: "21", surcharge: "5.2", minQty: 300, maxQty: 1000},
			{description: "Carteles A2 para escaparate", price: "6.40", vat: "21", surcharge: "5.2", minQty: 5, maxQty: 40},
			{description: "Etiquetas adhesivas de precio (rollo de 1.000)", price: "12.90", vat: "21", surcharge: "5.2", minQty: 2, maxQty: 12},
		},
	},
	{
		name: "Clínica Dental Sonrisa S.L.P.", taxID: "B87654323", email: "administracion@clinicasonrisa.example", language: "es",
		address: "Plaza Mayor 3, 2º", city: "Palencia", postal: "34001", province: "Palencia", country: "ES", terms: 30, perMonth: 0.5,
		contacts: []contactSeed{{"Dra. Elena Ruiz", "elena.ruiz@clinicasonrisa.example", "approver"}},
		items: []itemSeed{
			{description: "Diseño de identidad corporativa: logotipo y manual de marca", price: "850", vat: "21", irpf: "15", minQty: 1, maxQty: 1},
			{description: "Tarjetas de cita, 1.000 unidades", price: "0.09", vat: "21", minQty: 1000, maxQty: 3000},
			{description: "Horas de maquetación de folletos informativos", price: "38", vat: "21", irpf: "15", minQty: 2, maxQty: 10},
		},
	},
	{
		name: "Hotel Mar Azul S.A.", taxID: "A28391043", email: "proveedores@hotelmarazul.example", language: "es",
		address: "Paseo Marítimo 88", city: "Santander", postal: "39005", province: "Cantabria", country: "ES", terms: 60, perMonth: 0.6,
		contacts: []contactSeed{{"Íñigo Sáenz", "isaenz@hotelmarazul.example", "approver"}, {"Recepción", "recepcion@hotelmarazul.example", "viewer"}},
		items: []itemSeed{
			{description: "Cartas de restaurante plastificadas", price: "14.50", vat: "21", minQty: 20, maxQty: 80},
			{description: "Dirección de arte de la campaña de verano", price: "1200", vat: "21", irpf: "15", minQty: 1, maxQty: 1},
			{description: "Folletos trípticos, papel estucado 150 g", price: "0.21", vat: "21", minQty: 2000, maxQty: 8000},
		},
	},
	{
		name: "Librería La Página", taxID: "B24681355", email: "pedidos@lapagina.example", language: "es",
		address: "Calle Santiago 5", city: "Valladolid", postal: "47001", province: "Valladolid", country: "ES", terms: 30, perMonth: 0.55,
		contacts: []contactSeed{{"Carmen Ibáñez", "carmen@lapagina.example", "approver"}},
		items: []itemSeed{
			{description: "Edición de poemario «Voces del Pisuerga», 200 ejemplares", price: "6.75", vat: "4", surcharge: "0.5", minQty: 100, maxQty: 300},
			{description: "Marcapáginas ilustrados", price: "0.18", vat: "21", surcharge: "5.2", minQty: 500, maxQty: 2000},
		},
	},
	{
		name: "Northwind Trading Ltd", taxID: "GB123456789", email: "accounts@northwind.example", language: "en",
		address: "14 Harbour Street", city: "Bristol", postal: "BS1 4RN", province: "", country: "GB", terms: 45, perMonth: 0.35,
		contacts: []contactSeed{{"Oliver Grant", "oliver.grant@northwind.example", "approver"}},
		items: []itemSeed{
			{description: "Packaging design for the Iberian product range", price: "1450", vat: "0", exemption: "Operación no sujeta: art. 69 Ley 37/1992 (servicio a empresario establecido fuera de la UE)", minQty: 1, maxQty: 1},
			{description: "Illustration rights, per artwork", price: "220", vat: "0", exemption: "Operación no sujeta: art. 69 Ley 37/1992 (servicio a empresario establecido fuera de la UE)", minQty: 1, maxQty: 6},
		},
	},
	{
		name: "Bodegas Ribera del Duero S.A.", taxID: "A91827360", email: "compras@bodegasribera.example", language: "es",
		address: "Carretera de Soria km 3", city: "Peñafiel", postal: "47300", province: "Valladolid", country: "ES", terms: 30, perMonth: 0.45,
		contacts: []contactSeed{{"Álvaro Peña", "alvaro@bodegasribera.example", "approver"}},
		items: []itemSeed{
			{description: "Etiquetas de vino con estampación en oro, millar", price: "145", vat: "21", minQty: 2, maxQty: 20},
			{description: "Diseño de etiqueta de la cosecha", price: "600", vat: "21", irpf: "15", minQty: 1, maxQty: 1},
			{description: "Cajas de regalo serigrafiadas", price: "3.20", vat: "21", minQty: 100, maxQty: 600},
		},
	},
	{
		name: "Asociación Cultural Aurora", taxID: "G33445560", email: "tesoreria@asociacionaurora.example", language: "es",
		address: "Calle Real 20", city: "Zamora", postal: "49001", province: "Zamora", country: "ES", terms: 15, perMonth: 0.3,
		contacts: []contactSeed{{"Pilar Gómez", "pilar@asociacionaurora.example", "approver"}},
		items: []itemSeed{
			{description: "Programas de mano del festival", price: "0.35", vat: "21", minQty: 500, maxQty: 1500},
			{description: "Revista trimestral, 32 páginas", price: "2.10", vat: "4", minQty: 200, maxQty: 600},
		},
	},
}

// Seed loads the demo firm, its customers, their contacts and two years of
// invoices (issued in date order, so numbering and the huella chain are as
// real ones), with deliveries, views, answers and payments. It does nothing
// and returns false when customers already exist. The demo staff account and
// contact password are (re)set either way.
func Seed(app core.App) (bool, error) {
	return SeedAt(app, clock.Now().UTC())
}

// SeedAt is Seed as if today were the given moment: the history ends then.
func SeedAt(app core.App, now time.Time) (bool, error) {
	if err := upsertStaff(app); err != nil {
		return false, err
	}
	n, err := app.CountRecords(invoicing.Customers)
	if err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if err := fillIssuer(app); err != nil {
		return false, err
	}
	if err := mail.DeliverToFolder(app); err != nil {
		return false, err
	}
	h := &history{app: app, rng: rand.New(rand.NewPCG(2026, 11)), today: now.UTC()}
	if err := h.createCustomers(); err != nil {
		return false, err
	}
	if err := h.issueTwoYears(); err != nil {
		return false, err
	}
	if err := h.voidADuplicate(); err != nil {
		return false, err
	}
	if err := h.quoteLives(); err != nil {
		return false, err
	}
	return true, nil
}

// voidADuplicate issues the last invoice of the history again, by mistake,
// two hours ago, and voids it an hour later: a duplicate the customer never
// owed.
func (h *history) voidADuplicate() error {
	last, err := h.app.FindRecordsByFilter(invoicing.Invoices, "status = 'issued' && rectifies = ''", "-chain_seq", 1, 0)
	if err != nil || len(last) == 0 {
		return err
	}
	col, err := h.app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return err
	}
	at := h.today.Add(-2 * time.Hour)
	draft := core.NewRecord(col)
	draft.Set("customer", last[0].GetString("customer"))
	draft.Set("lines", last[0].GetString("lines"))
	draft.Set("issue_date", time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC))
	if err := h.app.Save(draft); err != nil {
		return err
	}
	if _, err := h.issueAt(draft.Id, at); err != nil {
		return err
	}
	defer clock.Set(func() time.Time { return at.Add(time.Hour) })()
	_, err = invoicing.Void(h.app, draft.Id, "Emitida por duplicado de la factura "+last[0].GetString("number")+".",
		invoicing.Actor{Email: StaffEmail, IP: "127.0.0.1", Staff: true})
	return err
}

func upsertStaff(app core.App) error {
	col, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	su, err := app.FindAuthRecordByEmail(col, StaffEmail)
	if err != nil {
		su = core.NewRecord(col)
		su.SetEmail(StaffEmail)
	}
	su.SetPassword(StaffPassword)
	return app.Save(su)
}

func fillIssuer(app core.App) error {
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return err
	}
	for k, v := range issuerSeed {
		issuer.Set(k, v)
	}
	return app.Save(issuer)
}

// history builds the demo's past, one invoice at a time, with the invoicing
// clock set to the moment each thing happens.
type history struct {
	app       core.App
	rng       *rand.Rand
	today     time.Time
	customers []*core.Record
	approvers map[string]*core.Record // customer id → approving contact

	bounceIndex, partialIndex int // the invoices of the stories that must be over by today
}

func (h *history) createCustomers() error {
	customers, err := h.app.FindCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		return err
	}
	contacts, err := h.app.FindCollectionByNameOrId(invoicing.Contacts)
	if err != nil {
		return err
	}
	h.approvers = map[string]*core.Record{}
	for _, s := range customerSeeds {
		c := core.NewRecord(customers)
		c.Set("name", s.name)
		c.Set("tax_id", s.taxID)
		c.Set("email", s.email)
		c.Set("language", s.language)
		c.Set("address", s.address)
		c.Set("city", s.city)
		c.Set("postal_code", s.postal)
		c.Set("province", s.province)
		c.Set("country", s.country)
		c.Set("payment_terms_days", s.terms)
		if err := h.app.Save(c); err != nil {
			return fmt.Errorf("customer %s: %w", s.name, err)
		}
		h.customers = append(h.customers, c)
		for _, cs := range s.contacts {
			p := core.NewRecord(contacts)
			p.Set("name", cs.name)
			p.SetEmail(cs.email)
			p.SetVerified(true)
			p.Set("customer", c.Id)
			p.Set("role", cs.role)
			p.SetPassword(ContactPassword)
			if err := h.app.Save(p); err != nil {
				return fmt.Errorf("contact %s: %w", cs.email, err)
			}
			if cs.role == "approver" && h.approvers[c.Id] == nil {
				h.approvers[c.Id] = p
			}
		}
	}
	return nil
}

// planned is an invoice of the demo's past, before it is issued.
type planned struct {
	customer int
	date     time.Time
}

func (h *history) issueTwoYears() error {
	start := time.Date(h.today.Year()-2, h.today.Month(), 1, 0, 0, 0, 0, time.UTC)
	var plan []planned
	for month := start; !month.After(h.today); month = month.AddDate(0, 1, 0) {
		for i, s := range customerSeeds {
			if h.rng.Float64() >= s.perMonth {
				continue
			}
			day := month.AddDate(0, 0, h.rng.IntN(27))
			if day.After(h.today) {
				continue
			}
			plan = append(plan, planned{customer: i, date: day})
		}
	}
	sort.SliceStable(plan, func(a, b int) bool { return plan[a].date.Before(plan[b].date) })
	h.pickSpecialStories(plan)

	for n, p := range plan {
		inv, err := h.issue(p)
		if err != nil {
			return err
		}
		if err := h.liveThrough(inv, n); err != nil {
			return err
		}
	}
	return nil
}

// pickSpecialStories chooses, by date rather than by position, the invoices
// whose stories must be over whatever day the demo is loaded: a recent
// bounce (a week old, to a customer other than the portal's) and a payment still half made (three months old).
func (h *history) pickSpecialStories(plan []planned) {
	h.bounceIndex, h.partialIndex = -1, -1
	for i := len(plan) - 1; i >= 0; i-- {
		age := h.today.Sub(plan[i].date)
		// Not the portal's customer: its quotes' e-mails are read.
		if h.bounceIndex < 0 && age >= 7*24*time.Hour && plan[i].customer != 0 {
			h.bounceIndex = i
		}
		if ordinary := i%23 != 5 && i%23 != 11 && i%23 != 17; h.partialIndex < 0 && ordinary && age >= 90*24*time.Hour {
			h.partialIndex = i
		}
	}
}

// issue creates and issues one invoice at 9:00 on its date.
func (h *history) issue(p planned) (*core.Record, error) {
	s := customerSeeds[p.customer]
	customer := h.customers[p.customer]
	var lines []map[string]any
	for _, item := range s.items {
		if len(lines) > 0 && h.rng.IntN(3) == 0 {
			continue
		}
		qty := item.minQty + h.rng.IntN(item.maxQty-item.minQty+1)
		line := map[string]any{"description": item.description, "quantity": qty, "unit_price": item.price, "vat": item.vat}
		for k, v := range map[string]string{"surcharge": item.surcharge, "withholding": item.irpf, "vat_exemption": item.exemption} {
			if v != "" {
				line[k] = v
			}
		}
		if h.rng.IntN(5) == 0 {
			line["discount"] = 5
		}
		lines = append(lines, line)
	}
	col, err := h.app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return nil, err
	}
	draft := core.NewRecord(col)
	draft.Set("customer", customer.Id)
	draft.Set("issue_date", p.date)
	draft.Set("lines", lines)
	if h.rng.IntN(4) == 0 {
		draft.Set("notes", "Pedido n.º "+fmt.Sprint(4000+h.rng.IntN(900)))
	}
	draft.Set("external_id", fmt.Sprintf("ERP-%s-%04d", p.date.Format("200601"), h.rng.IntN(10000)))
	if err := h.app.Save(draft); err != nil {
		return nil, fmt.Errorf("draft for %s: %w", s.name, err)
	}
	return h.issueAt(draft.Id, p.date.Add(9*time.Hour))
}

func (h *history) issueAt(id string, at time.Time) (*core.Record, error) {
	defer clock.Set(func() time.Time { return at })()
	return invoicing.Issue(h.app, id, invoicing.Actor{Email: StaffEmail, IP: "127.0.0.1"})
}

// liveThrough plays what happened to an invoice after it was issued: it was
// sent and delivered, mostly viewed and accepted, and paid around its due date
// (some late, some not yet). A few tell other stories: a bounce, a rejection
// corrected by a factura rectificativa, a question.
func (h *history) liveThrough(inv *core.Record, n int) error {
	issuedAt := inv.GetDateTime("issued_at").Time()
	due := inv.GetDateTime("due_date").Time()
	customer := inv.GetString("customer")
	approver := h.approvers[customer]
	contactActor := invoicing.Actor{Contact: approver, Email: approver.Email(), IP: "83.44.12.7", UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"}
	system := invoicing.Actor{}
	id := inv.Id

	step := func(at time.Time, fn func() error) error {
		if at.After(h.today) {
			return nil
		}
		defer clock.Set(func() time.Time { return at })()
		return fn()
	}
	sent := issuedAt.Add(2 * time.Minute)
	if err := step(sent, func() error {
		msg, err := mail.RecordSent(h.app, id, sent)
		if err != nil {
			return err
		}
		_, err = invoicing.SetDelivery(h.app, id, "sent", system, map[string]any{"smtp": "250 2.0.0 Ok: queued", "message": msg.Id})
		return err
	}); err != nil {
		return err
	}

	story := n % 23
	if n == h.bounceIndex {
		// The customer's mail server refused the address for good: the
		// customer is flagged as the inbox flags a hard bounce, so that its
		// pages say so and reminders skip it until staff fix the address.
		return step(sent.Add(40*time.Second), func() error {
			address := h.customerEmail(customer)
			diagnostic := "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"
			if _, err := invoicing.SetDelivery(h.app, id, "bounced", system, map[string]any{
				"bounce": "hard", "hard": true, "recipient": address, "status": "5.1.1", "diagnostic": diagnostic,
			}); err != nil {
				return err
			}
			_, err := invoicing.FlagBouncing(h.app, customer, address+": 5.1.1 "+diagnostic)
			return err
		})
	}
	for _, s := range []struct {
		at time.Time
		fn func() error
	}{
		{sent.Add(30 * time.Second), func() error {
			_, err := invoicing.SetDelivery(h.app, id, "delivered", system, map[string]any{"status": "2.0.0"})
			return err
		}},
		{sent.Add(3 * time.Hour), func() error {
			_, err := invoicing.MarkOpened(h.app, id, invoicing.Actor{IP: contactActor.IP, UserAgent: contactActor.UserAgent, Email: h.customerEmail(customer)}, map[string]any{"weak": true})
			return err
		}},
		{sent.Add(3*time.Hour + 2*time.Minute), func() error {
			_, err := invoicing.MarkViewed(h.app, id, contactActor, map[string]any{"via": "portal"})
			return err
		}},
	} {
		if err := step(s.at, s.fn); err != nil {
			return err
		}
	}

	answered := sent.Add(26 * time.Hour)
	switch {
	case story == 11:
		return h.rejectAndRectify(inv, answered, contactActor)
	case story == 5:
		return step(answered, func() error {
			_, err := invoicing.Respond(h.app, id, invoicing.Response{Action: "query", Note: "¿Podéis indicar el número de pedido en la factura? Lo necesitamos para tramitar el pago."}, contactActor)
			return err
		})
	default:
		if err := step(answered, func() error {
			_, err := invoicing.Respond(h.app, id, invoicing.Response{Action: "accept"}, contactActor)
			return err
		}); err != nil {
			return err
		}
	}
	if n == h.partialIndex {
		return h.payHalf(inv, due)
	}
	return h.pay(inv, due, story)
}

// payHalf pays half an invoice on its due date: the rest is still owed.
func (h *history) payHalf(inv *core.Record, due time.Time) error {
	half := taxes.RoundCents(money.FromStored(inv.GetFloat("total")).Div(decimal.NewFromInt(2)))
	defer clock.Set(func() time.Time { return due.Add(11 * time.Hour) })()
	_, err := invoicing.RecordPayment(h.app, inv.Id, invoicing.Payment{
		Amount: half, PaidOn: due, Method: "transfer", Reference: "Pago a cuenta " + inv.GetString("number"),
	}, invoicing.Actor{Email: StaffEmail})
	return err
}

// pay settles an invoice the way customers do: mostly around the due date,
// some late, a few in two instalments, the most recent ones not yet.
func (h *history) pay(inv *core.Record, due time.Time, story int) error {
	total := money.FromStored(inv.GetFloat("total"))
	if !total.IsPositive() {
		return nil
	}
	lateDays := h.rng.IntN(12) - 6
	if story%6 == 0 {
		lateDays = 20 + h.rng.IntN(70)
	}
	if story == 17 {
		return nil // never paid: shows as overdue
	}
	paidOn := due.AddDate(0, 0, lateDays)
	pay := func(on time.Time, amount decimal.Decimal) error {
		if on.After(h.today) {
			return nil
		}
		defer clock.Set(func() time.Time { return on.Add(11 * time.Hour) })()
		_, err := invoicing.RecordPayment(h.app, inv.Id, invoicing.Payment{
			Amount: amount, PaidOn: on, Method: "transfer", Reference: "Transferencia " + inv.GetString("number"),
		}, invoicing.Actor{Email: StaffEmail})
		return err
	}
	if story%9 == 4 {
		// In two instalments.
		half := taxes.RoundCents(total.Div(decimal.NewFromInt(2)))
		if err := pay(paidOn.AddDate(0, 0, -10), half); err != nil {
			return err
		}
		return pay(paidOn.AddDate(0, 0, 25), total.Sub(half))
	}
	return pay(paidOn, total)
}

// rejectAndRectify plays a rejection for a wrong price, answered by a
// factura rectificativa that cancels the invoice.
func (h *history) rejectAndRectify(inv *core.Record, at time.Time, actor invoicing.Actor) error {
	if at.After(h.today) {
		return nil
	}
	restore := clock.Set(func() time.Time { return at })
	_, err := invoicing.Respond(h.app, inv.Id, invoicing.Response{
		Action: "reject", Reason: "PRI", Correction: "CNF",
		Note: "El precio unitario no es el acordado en el presupuesto.",
	}, actor)
	restore()
	if err != nil {
		return err
	}
	fixAt := at.Add(48 * time.Hour)
	if fixAt.After(h.today) {
		return nil
	}
	draft, err := invoicing.Rectify(h.app, inv.Id, "R1", "Precio unitario erróneo; se anula la factura y se emite otra con el precio acordado.")
	if err != nil {
		return err
	}
	day := time.Date(fixAt.Year(), fixAt.Month(), fixAt.Day(), 0, 0, 0, 0, time.UTC)
	draft.Set("issue_date", day)
	if err := h.app.Save(draft); err != nil {
		return err
	}
	if _, err := h.issueAt(draft.Id, fixAt); err != nil {
		return err
	}
	// The correction is e-mailed like any other invoice, and arrives.
	sent := fixAt.Add(2 * time.Minute)
	for _, s := range []struct {
		at time.Time
		fn func() error
	}{
		{sent, func() error {
			msg, err := mail.RecordSent(h.app, draft.Id, sent)
			if err != nil {
				return err
			}
			_, err = invoicing.SetDelivery(h.app, draft.Id, "sent", invoicing.Actor{}, map[string]any{"smtp": "250 2.0.0 Ok: queued", "message": msg.Id})
			return err
		}},
		{sent.Add(30 * time.Second), func() error {
			_, err := invoicing.SetDelivery(h.app, draft.Id, "delivered", invoicing.Actor{}, map[string]any{"status": "2.0.0"})
			return err
		}},
	} {
		if s.at.After(h.today) {
			return nil
		}
		restore := clock.Set(func() time.Time { return s.at })
		err := s.fn()
		restore()
		if err != nil {
			return err
		}
	}
	return nil
}

func (h *history) customerEmail(id string) string {
	for _, c := range h.customers {
		if c.Id == id {
			return strings.ToLower(c.GetString("email"))
		}
	}
	return ""
}
