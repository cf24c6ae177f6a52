package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportFiles,
		columns: []column{
			{name: "biobank", help: "code of the biobank whose samples and withdrawal the file refers to"},
			{name: "file_id", help: "file id, unique, e.g. an EGAF accession"},
			{name: "dataset_id", help: "dataset(s) the file belongs to, separated by ;"},
			{name: "study_id", help: "study that produced the file"},
			{name: "withdrawal_id", help: "withdrawal of material the file was made from"},
			{name: "location", formerly: "uri", help: "where the file lives: absolute path or s3://, gs://, drs://, ega://, https://, file:// URI"},
			{name: "format", help: "file format (FORMAT:CRAM, VCF, BAM)"},
			{name: "assay", help: "assay (ASSAY:WES, whole genome sequencing; default ASSAY:OTHER)"},
			{name: "assembly", help: "reference assembly (GRCh38, hg19), empty or unknown when none"},
			{name: "size", help: "size in bytes"},
			{name: "md5", help: "MD5 checksum, 32 hexadecimal digits"},
			{name: "sha256", help: "SHA-256 checksum, 64 hexadecimal digits; the same content registered again updates the record"},
			{name: "sample_ids", help: "samples the file holds, separated by ;"},
			{name: "sample_aliases", formerly: "file_sample_names", help: "names of those samples inside the file (VCF column, read group SM), same order, separated by ;"},
			{name: "software", help: "software or pipeline that produced the file (bwa-mem2 2.2.1); empty keeps what is recorded", optional: true},
		},
		fields: map[string]string{"fileId": "file_id", "samples": "sample_ids"},
		parse: func(p *rowParser, row *domain.ImportRow) {
			f := &row.File
			f.ExternalID = p.str("file_id")
			ids, names := p.list("sample_ids"), p.list("sample_aliases")
			row.Ref.Withdrawal = p.ref("withdrawal_id", false)
			row.Ref.Biobank = p.biobank(len(ids) > 0 || row.Ref.Withdrawal != "")
			row.Ref.Study = p.ref("study_id", false)
			row.Ref.Datasets = p.list("dataset_id")
			f.Location = p.str("location")
			f.Format, f.Assay, f.Assembly = p.str("format"), p.str("assay"), p.str("assembly")
			f.Size = p.int64("size")
			f.MD5, f.SHA256 = p.str("md5"), p.str("sha256")
			f.Software = p.str("software")
			if len(names) > 0 && len(names) != len(ids) {
				p.fail("sample_aliases", p.str("sample_aliases"), "has %d names for %d sample_ids: give one name per sample, in the same order", len(names), len(ids))
			}
			f.Samples = make([]domain.FileSample, len(ids))
			for i, id := range ids {
				f.Samples[i].SampleID = id
				if i < len(names) {
					f.Samples[i].Alias = names[i]
				}
			}
			v := p.newValidation()
			f.Validate(v, p.vocab)
			p.validation(v)
			for _, id := range ids {
				if !domain.IsExternalID(id) {
					p.fail("sample_ids", id, "%s", domain.ExternalIDShape)
				}
			}
			for _, id := range row.Ref.Datasets {
				if !domain.IsExternalID(id) {
					p.fail("dataset_id", id, "%s", domain.ExternalIDShape)
				}
			}
		},
		example: []string{"DNB", "EGAF00001000001", "EGAD00001000001", "ST0001", "W0001", "s3://dnb-returns/ST0001/DNB-000001.cram",
			"FORMAT:CRAM", "ASSAY:WES", "GRCh38", "6378409845", "95be9418903c693831a21e96e1b80ccb",
			"1579f2683580d8711a0f7ad42cef412d67a2adb06d7314c6078ef523e2f0a4ed", "DNB-000001", "S1", "bwa-mem2 2.2.1"},
	})
}
