package hooks

// DataConnections is how many connections to the SQLite database the app
// keeps open, busy or idle alike. PocketBase's default opens up to 120 but
// keeps only 15 idle, so a burst of requests opens connections that are
// closed as soon as it passes, each having filled its own page cache from
// disk: with 300 customers' contacts opening the portal at once on 2 cores
// that churn was most of the time spent (19 requests/s against 180 with 4
// connections kept). On a small server a few connections, each with a warm
// cache, serve reads faster than many cold ones; SQLite writes one at a
// time whatever the number.
const DataConnections = 4
