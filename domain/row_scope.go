package domain

// RowScope is what a reader confined to part of the registry may see row
// by row. An approved researcher: the samples linked to a current file of
// one of DatasetIDs, the samples SampleIDs, the files of both, and those
// samples' donors. Staff of some biobanks only: the donors and samples of
// BiobankIDs and the files holding those samples.
type RowScope struct {
	DatasetIDs []string
	SampleIDs  []string
	BiobankIDs []string
}

// Empty reports whether the scope holds nothing.
func (s *RowScope) Empty() bool {
	return s == nil || len(s.DatasetIDs) == 0 && len(s.SampleIDs) == 0 && len(s.BiobankIDs) == 0
}
