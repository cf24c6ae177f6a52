package store

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
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
	return s.listen(ctx, OntologyChannel, ListenerApplicationName, "ontology releases", listening, saved)
}

// listen listens on channel on a connection of its own, named appName,
// outside the pool; see ListenOntologies. what names what is listened for
// in errors.
func (s *Store) listen(ctx context.Context, channel, appName, what string, listening func(), notified func(payload string)) error {
	cfg := s.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = appName
	cfg.Tracer = nil // a long wait is not a statement to trace
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
	for {
		n, err := conn.WaitForNotification(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			return fmt.Errorf("store: listen for %s: %w", what, err)
		case n.Channel == channel:
			notified(n.Payload)
		}
	}
}
