package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"databank/importers/genomic"

	"github.com/spf13/cobra"
)

// errInspectFailed is returned by the inspect command when at least one file
// could not be read. Every file has been reported by then, so main should
// exit with status 1 and print nothing more.
var errInspectFailed = errors.New("inspect: some files could not be read")

// newInspectCmd returns the `databank inspect` command, which shows what
// Databank sees in the headers of BAM, CRAM, VCF and BCF files, without a
// database.
func newInspectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect [--json] FILE...",
		Short: "Show what Databank sees in genomic data files",
		Long: `Inspect reads the header of each BAM, CRAM, VCF or BCF file (the format is
detected from the content) and prints what Databank would record: format and
version, samples, read groups, contigs, reference assembly, programs and the
index found beside the file. Only headers are read, so large files are fast;
the end of a BAM, CRAM, BGZF VCF or BCF is checked too, as samtools
quickcheck does: a file cut short after its header is an error.

Each file gets one line, also when it cannot be read; with --json the line is
a JSON object with the keys file, format, formatVersion, samples, readGroups,
contigs, assembly, programs, index and warnings, or file and error for a file
that could not be read. Warnings (a VCF in plain gzip, which cannot be
indexed) end the text line. The exit status is 1 if any file could not be
read; warnings do not change it.`,
		Example: `  databank inspect sample.cram calls.vcf.gz
  databank inspect --json *.bam | jq .samples`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			failed, err := runInspect(cmd.OutOrStdout(), args, asJSON)
			if err != nil {
				return err
			}
			if failed {
				// Every failure is already on its line: no "Error:" and no usage.
				cmd.SilenceErrors = true
				cmd.SilenceUsage = true
				return errInspectFailed
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per file, one per line")
	return cmd
}

// inspectResult is the JSON line of a file that was read.
type inspectResult struct {
	File string `json:"file"`
	*genomic.Header
}

// inspectFailure is the JSON line of a file that could not be read.
type inspectFailure struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// runInspect reports every path on w and tells whether any failed. The
// returned error is an error writing w.
func runInspect(w io.Writer, paths []string, asJSON bool) (failed bool, err error) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, path := range paths {
			h, ierr := genomic.InspectFile(path)
			if ierr != nil {
				failed = true
				err = enc.Encode(inspectFailure{File: path, Error: ierr.Error()})
			} else {
				err = enc.Encode(inspectResult{File: path, Header: h})
			}
			if err != nil {
				return failed, err
			}
		}
		return failed, nil
	}

	// Text: aligned columns, computed once every file has been read.
	rows := make([][]string, len(paths))
	for i, path := range paths {
		h, ierr := genomic.InspectFile(path)
		if ierr != nil {
			failed = true
			rows[i] = []string{path, "ERROR", problem(ierr)}
			continue
		}
		index := "no index"
		if h.Index != "" {
			index = "index " + h.Index
		}
		if len(h.Warnings) > 0 {
			index += "  warning: " + strings.Join(h.Warnings, "; ")
		}
		rows[i] = []string{path, h.Format + " " + h.FormatVersion, plural(len(h.Samples), "sample"),
			h.Assembly, plural(len(h.Contigs), "contig"), index}
	}
	var widths [5]int
	for _, row := range rows {
		for c := range min(len(row)-1, len(widths)) {
			widths[c] = max(widths[c], len(row[c]))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		b.Reset()
		for c, cell := range row[:len(row)-1] {
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", widths[c]-len(cell)+2))
		}
		b.WriteString(row[len(row)-1])
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return failed, err
		}
	}
	return failed, nil
}

// problem returns the message of an InspectFile error without the
// "genomic: PATH: " prefix, which the text line already shows.
func problem(err error) string {
	var e *genomic.Error
	if errors.As(err, &e) {
		return e.Err.Error()
	}
	return err.Error()
}

// plural formats a count: "1 sample", "3 samples".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
