package genomic

import (
	"bytes"
	"io"
)

// readBAM reads a decompressed BAM header from r: the magic "BAM\1", l_text,
// the SAM header text, n_ref and the reference list.
//
// The contigs are those of the binary reference list, which is what htslib
// uses; the @SQ lines of the text are used only when the list is empty.
func readBAM(r io.Reader) (*Header, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, readErr("BAM magic", err)
	}
	if !bytes.Equal(magic[:], magicBAM) {
		return nil, unknownContent(magic[:], "")
	}
	lText, err := readInt32(r, "BAM header length")
	if err != nil {
		return nil, err
	}
	text, err := readBytes(r, int64(lText), "BAM header text")
	if err != nil {
		return nil, err
	}
	nRef, err := readInt32(r, "BAM reference count")
	if err != nil {
		return nil, err
	}
	if nRef < 0 {
		return nil, corrupt("BAM reference count is negative (%d)", nRef)
	}
	refs := make([]Contig, 0, min(int(nRef), 1<<12))
	for i := range int(nRef) {
		lName, err := readInt32(r, "BAM reference list")
		if err != nil {
			return nil, err
		}
		if lName <= 0 || lName > maxNameLen {
			return nil, corrupt("BAM reference %d has a name of length %d", i, lName)
		}
		name, err := readBytes(r, int64(lName), "BAM reference list")
		if err != nil {
			return nil, err
		}
		lRef, err := readInt32(r, "BAM reference list")
		if err != nil {
			return nil, err
		}
		if lRef < 0 {
			return nil, corrupt("BAM reference %q has negative length %d", cString(name), lRef)
		}
		refs = append(refs, Contig{Name: string(cString(name)), Length: int64(lRef)})
	}

	h := newHeader(FormatBAM, "1")
	sh := parseSAMHeader(text)
	sh.fill(h)
	if len(refs) > 0 {
		h.Contigs = refs
		h.Assembly = detectAssembly(h.Contigs, sh.assemblies, nil)
	}
	return h, nil
}
