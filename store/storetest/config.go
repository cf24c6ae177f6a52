package storetest

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/peterldowns/pgtestdb"
)

// parseURL turns a postgres:// URL into the pgtestdb.Config whose URL()
// reproduces it. pgtestdb pastes the fields into
// postgres://user:password@host:port/database?options unescaped, so they are
// kept escaped here; a socket URL (postgres://u@/db?host=/dir) leaves host and
// port empty, which pgx reads from the options.
func parseURL(raw string) (pgtestdb.Config, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return pgtestdb.Config{}, fmt.Errorf("storetest: %s must be a postgres:// URL", EnvURL)
	}
	c := pgtestdb.Config{
		Host:     u.Hostname(),
		Port:     u.Port(),
		Database: strings.TrimPrefix(u.EscapedPath(), "/"),
		Options:  u.RawQuery,
	}
	if strings.Contains(c.Host, ":") {
		c.Host = "[" + c.Host + "]" // IPv6
	}
	if c.Host != "" && c.Port == "" {
		c.Port = "5432"
	}
	if c.Database == "" {
		c.Database = "postgres"
	}
	if u.User != nil {
		c.User, c.Password, _ = strings.Cut(u.User.String(), ":")
	}
	return c, nil
}
