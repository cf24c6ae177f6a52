package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// uploadOrphanAge is how old a temporary upload file must be to be an
// orphan: uploads are read within the server's ReadTimeout (a minute),
// and gqlgen removes a request's files when it ends, so an older file is
// one a killed server left behind.
const uploadOrphanAge = 10 * time.Minute

// removeUploadOrphans deletes the temporary files of uploads that a
// crashed or killed server left in dir (gqlgen writes them as gqlgen-*),
// and returns how many it removed.
func removeUploadOrphans(dir string, now time.Time, log *slog.Logger) int {
	matches, err := filepath.Glob(filepath.Join(dir, "gqlgen-*"))
	if err != nil {
		return 0
	}
	n := 0
	for _, path := range matches {
		fi, err := os.Lstat(path)
		if err != nil || !fi.Mode().IsRegular() || now.Sub(fi.ModTime()) < uploadOrphanAge {
			continue
		}
		if err := os.Remove(path); err != nil {
			log.Warn("cannot remove an orphaned upload file", "path", path, "err", err)
			continue
		}
		n++
	}
	if n > 0 {
		log.Info("removed upload files a previous run left behind", "files", n, "dir", dir)
	}
	return n
}
