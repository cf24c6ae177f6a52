package store

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// OntologyChannel is the PostgreSQL notification channel on which
// SaveOntology announces a release; the payload is the system's name.
const OntologyChannel = "databank_ontology"

// ListenerApplicationName is the application_name of the connections
// ListenOntologies opens, so that an operator can tell them apart in
// pg_stat_activity.
const ListenerApplicationName = "databank ontology listener"

// OntologyVersion identifies the operators' releases stored in the
// database: it changes whenever SaveOntology stores a new one, and is ""
// when there is none. It is one small query, for a periodic check that
// does not rely on notifications.
func (s *Store) OntologyVersion(ctx context.Context) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT coalesce(md5(string_agg(name || ':' || digest, ',' ORDER BY name)), '')
		FROM ontology_system WHERE NOT builtin`).Scan(&v)
	if err != nil {
		return "", translate(err, "ontology version")
	}
	return v, nil
}

// ListenOntologies listens on OntologyChannel on a connection of its own,
// outside the pool. Once it listens it calls listening: a release saved
// before then was not announced to it, so the caller reads the stored
// releases at that point. It then calls saved with the system of every
// release announced, in order, from this goroutine. It returns nil when
// ctx ends, and the error when the connection fails or cannot be made;
// the caller reconnects.
func (s *Store) ListenOntologies(ctx context.Context, listening func(), saved func(system string)) error {
	return s.listen(ctx, OntologyChannel, ListenerApplicationName, "ontology releases", 0, listening, saved, nil)
}

// listenPingTimeout bounds a listener's heartbeat round trip.
const listenPingTimeout = 5 * time.Second

// listen listens on channel on a connection of its own, named appName,
// outside the pool; see ListenOntologies. what names what is listened for
// in errors. With a heartbeat, the connection is also checked with a
// round trip at least that often, and alive is told after each check
// that every notification signalled to this connection before the time
// it gives has been passed on (an idle backend sends the notifications
// pending for it before it answers): the caller can tell a connection
// that answers from one that silently stopped.
func (s *Store) listen(ctx context.Context, channel, appName, what string, heartbeat time.Duration, listening func(),
	notified func(payload string), alive func(upTo time.Time)) error {
	cfg := s.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = appName
	cfg.Tracer = nil // a long wait is not a statement to trace
	// A wait that ends for a heartbeat only sets a deadline on the
	// socket, instead of pgx's default cancel request to the server (a
	// connection of its own each time).
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	// The connection mostly waits: a peer or a middlebox gone without a
	// word is found by keepalive probes within about half a minute, not
	// the system's default of hours, so that the listener connects again
	// (and the count index is not trusted meanwhile).
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 15 * time.Second, Interval: 5 * time.Second, Count: 3}}
	cfg.DialFunc = dialer.DialContext
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("store: listen for %s: connect: %w", what, err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("store: listen for %s: %w", what, err)
	}
	listening()
	next := time.Now().Add(heartbeat) // the next check
	for {
		wait, stop := ctx, context.CancelFunc(func() {})
		if heartbeat > 0 {
			wait, stop = context.WithDeadline(ctx, next)
		}
		n, err := conn.WaitForNotification(wait)
		due := heartbeat > 0 && wait.Err() == context.DeadlineExceeded
		stop()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && !due:
			return fmt.Errorf("store: listen for %s: %w", what, err)
		case err == nil && n.Channel == channel:
			notified(n.Payload)
		}
		if due || (heartbeat > 0 && !time.Now().Before(next)) {
			sent := time.Now()
			ping, cancel := context.WithTimeout(ctx, listenPingTimeout)
			_, err := conn.Exec(ping, "SELECT 1")
			cancel()
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return fmt.Errorf("store: listen for %s: heartbeat: %w", what, err)
			}
			passQueued(conn, channel, notified) // those the answer brought, before the check counts
			next = time.Now().Add(heartbeat)    // a slow check is not followed by another at once
			if alive != nil {
				alive(sent)
			}
		}
	}
}

// passQueued passes on the notifications conn received while it ran a
// statement (pgx keeps them for WaitForNotification), without reading
// from the connection.
func passQueued(conn *pgx.Conn, channel string, notified func(payload string)) {
	done, cancel := context.WithCancel(context.Background())
	cancel() // a done context: pgx returns what it holds, then stops before reading
	for {
		n, err := conn.WaitForNotification(done)
		if err != nil {
			return
		}
		if n.Channel == channel {
			notified(n.Payload)
		}
	}
}
