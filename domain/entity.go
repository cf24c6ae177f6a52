package domain

// IsEntity marks the types a federation gateway resolves by key (the
// GraphQL _Entity union, docs/federation.md): gqlgen's generated code
// holds them as values of an interface with this one method.
func (Dataset) IsEntity() {}

// IsEntity marks DataFile as a federation entity.
func (DataFile) IsEntity() {}

// IsEntity marks Study as a federation entity.
func (Study) IsEntity() {}

// IsEntity marks Sample as a federation entity.
func (Sample) IsEntity() {}

// IsEntity marks Biobank as a federation entity.
func (Biobank) IsEntity() {}
