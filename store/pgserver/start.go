package pgserver

import (
	"context"
	"fmt"
)

// start runs the cluster once we own it: it adopts a server left running by
// an owner that exited, or recovers stale locks, initialises the cluster if
// needed and starts it.
func (c *cluster) start(ctx context.Context, opt Options, bins []binDir) (*Server, error) {
	var err error
	if c.bin, err = pickBinaries(bins, c.dataDir); err != nil {
		return nil, err
	}
	pf, running, err := c.running(ctx)
	if err != nil {
		return nil, err
	}
	if running {
		c.log.Warn("pgserver: adopting the cluster a databank process that exited left running; stopping it on exit",
			"dir", c.dataDir, "pid", pf.pid)
		s := &Server{c: c, sockDir: pf.sockDir, port: pf.port, database: opt.Database, owned: true, pid: pf.pid,
			private: isPrivateSocketDir(pf.sockDir)}
		return s, s.ensureDatabase(ctx)
	}
	if pf.pid != 0 {
		if err := c.clearStale(ctx, pf); err != nil {
			return nil, err
		}
	}
	if !c.initialised() {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	}
	s := &Server{c: c, port: port, database: opt.Database, owned: true}
	if s.sockDir, s.private, err = c.socketDir(); err != nil {
		return nil, err
	}
	if err := removeStaleSocketLock(s.sockDir, port, c.dataDir); err != nil {
		return nil, err
	}
	if err := c.writeConf(s.sockDir, opt.Fast); err != nil {
		return nil, err
	}
	logFile, err := c.logFile()
	if err != nil {
		return nil, err
	}
	err = c.run(ctx, "pg_ctl", "start", "-D", c.dataDir, "-l", logFile, "-w", "-t", pgCtlTimeout, "-s")
	if err != nil {
		return nil, fmt.Errorf("%w\n%s (last lines):\n%s", err, logFile, tail(logFile, 15))
	}
	if pf, err := readPidFile(c.dataDir); err == nil {
		s.pid = pf.pid
	}
	if err := s.ensureDatabase(ctx); err != nil {
		_ = s.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}
