package synthetic

// ICD-10 diagnosis codes used for diagnoses and disease-specific consents,
// as CURIEs.
var icd10Codes = []string{
	"ICD10:E11.9", "ICD10:E10.9", "ICD10:E11", "ICD10:C50.9", "ICD10:C50.1",
	"ICD10:C18.9", "ICD10:C61", "ICD10:I10", "ICD10:I21.9", "ICD10:I25",
	"ICD10:F32.9", "ICD10:F20", "ICD10:J45.9", "ICD10:G30.9", "ICD10:G35",
	"ICD10:J44", "ICD10:G20", "ICD10:E78",
}

// Data Use Ontology permissions (consent primary categories).
const (
	duoGRU  = "DUO:0000042" // general research use
	duoHMB  = "DUO:0000006" // health or medical or biomedical research
	duoDS   = "DUO:0000007" // disease specific research
	duoNRES = "DUO:0000004" // no restriction
	duoPOA  = "DUO:0000011" // population origins or ancestry research only
)

// duoPermissions weights the permissions as seen in biobank consents:
// HMB and GRU dominate.
var duoPermissions = newWeighted(
	choice[string]{duoHMB, 40},
	choice[string]{duoGRU, 32},
	choice[string]{duoDS, 15},
	choice[string]{duoNRES, 8},
	choice[string]{duoPOA, 5},
)

// duoNPOA is the "no population or ancestry research" modifier, which
// contradicts the POA permission.
const duoNPOA = "DUO:0000044"

// duoModifiers are the Data Use Ontology modifiers a consent may add.
var duoModifiers = []string{
	"DUO:0000018", // NPUNCU: not-for-profit, non-commercial use only
	"DUO:0000046", // NCU: non-commercial use only
	"DUO:0000015", // NMDS: no general methods research
	duoNPOA,       // NPOA: no population or ancestry research
	"DUO:0000021", // IRB: ethics approval required
	"DUO:0000019", // PUB: publication required
	"DUO:0000029", // RTN: return to database or resource
	"DUO:0000016", // GSO: genetic studies only
}

// modifierCounts weights how many modifiers a consent carries (0–3).
var modifierCounts = newWeighted(
	choice[int]{0, 35},
	choice[int]{1, 35},
	choice[int]{2, 20},
	choice[int]{3, 10},
)

// Storage temperatures.
const (
	tempDeepFreezer = "TEMP:MINUS60TO85"
	tempLN          = "TEMP:LN"
	tempFreezer     = "TEMP:MINUS18TO35"
	tempFridge      = "TEMP:2TO10"
	tempRoom        = "TEMP:RT"
)

// Anatomical sites.
const (
	siteBlood  = "UBERON:0000178"
	siteSaliva = "UBERON:0001836"
	siteUrine  = "UBERON:0001088"
	siteBreast = "UBERON:0000310"
	siteColon  = "UBERON:0001155"
	siteLiver  = "UBERON:0002107"
)

// Quantity units.
const (
	unitML = "mL"
	unitUG = "ug"
	unitMG = "mg"
)

// material describes one MIABIS material type: its unit, plausible
// initial quantities and storage temperatures.
type material struct {
	code     string
	unit     string
	min, max milli // initial quantity range; unused for blood fractions
	step     milli // initial quantities are multiples of step
	temps    weighted[string]
}

// The materials, each with realistic storage. Plasma and serum volumes
// are a share of their blood sample's.
var (
	matWholeBlood = &material{"MIABIS:WHOLE_BLOOD", unitML, 2000, 10000, 100,
		newWeighted(choice[string]{tempDeepFreezer, 85}, choice[string]{tempFridge, 15})}
	matPlasma = &material{"MIABIS:PLASMA", unitML, 0, 0, 1,
		newWeighted(choice[string]{tempDeepFreezer, 85}, choice[string]{tempLN, 15})}
	matPlasmaAliquot = &material{"MIABIS:PLASMA", unitML, 250, 1000, 50,
		newWeighted(choice[string]{tempDeepFreezer, 90}, choice[string]{tempLN, 10})}
	matSerum = &material{"MIABIS:SERUM", unitML, 0, 0, 1,
		newWeighted(choice[string]{tempDeepFreezer, 90}, choice[string]{tempLN, 10})}
	matBuffyCoat = &material{"MIABIS:BUFFY_COAT", unitML, 300, 1000, 10,
		newWeighted(choice[string]{tempDeepFreezer, 70}, choice[string]{tempLN, 30})}
	matDNA = &material{"MIABIS:DNA", unitUG, 5000, 60000, 1,
		newWeighted(choice[string]{tempFreezer, 55}, choice[string]{tempDeepFreezer, 30}, choice[string]{tempFridge, 15})}
	matSaliva = &material{"MIABIS:SALIVA", unitML, 1000, 4000, 100,
		newWeighted(choice[string]{tempDeepFreezer, 60}, choice[string]{tempRoom, 40})}
	matUrine = &material{"MIABIS:URINE", unitML, 10000, 50000, 1000,
		newWeighted(choice[string]{tempDeepFreezer, 100})}
	matTissueFrozen = &material{"MIABIS:TISSUE_FROZEN", unitMG, 5000, 200000, 100,
		newWeighted(choice[string]{tempLN, 60}, choice[string]{tempDeepFreezer, 40})}
	matTissueFFPE = &material{"MIABIS:TISSUE_PARAFFIN_EMBEDDED", unitMG, 10000, 500000, 1000,
		newWeighted(choice[string]{tempRoom, 100})}
)

// tissueSites weights the organs tissue samples come from.
var tissueSites = newWeighted(
	choice[string]{siteBreast, 40},
	choice[string]{siteColon, 35},
	choice[string]{siteLiver, 25},
)

// Donor attributes.
var (
	sexes = newWeighted(
		choice[string]{"female", 505},
		choice[string]{"male", 465},
		choice[string]{"unknown", 25},
		choice[string]{"other", 5},
	)
	vitalStatuses = newWeighted(
		choice[string]{"alive", 84},
		choice[string]{"deceased", 11},
		choice[string]{"unknown", 5},
	)
)

// Genomic file vocabulary.
const (
	formatCRAM = "FORMAT:CRAM"
	formatVCF  = "FORMAT:VCF"

	assayWGS   = "ASSAY:WGS"
	assayWES   = "ASSAY:WES"
	assayArray = "ASSAY:GENOTYPING_ARRAY"

	assemblyGRCh38 = "ASSEMBLY:GRCh38"
	assemblyGRCh37 = "ASSEMBLY:GRCh37"
)

// recipients are fictional labs that receive sample withdrawals.
var recipients = []string{
	"Aurora Genomics Laboratory",
	"Fjord Sequencing Centre",
	"Baltic Omics Institute",
	"Tundra Proteomics Core",
	"Midgard Clinical Chemistry Unit",
	"Saga Genotyping Facility",
	"Nordlys Metabolomics Lab",
	"Lakeland Biomarker Institute",
}

// Fictional researcher names for principal investigators.
var (
	firstNames = []string{
		"Ingrid", "Lars", "Aino", "Mikko", "Sigrid", "Erik", "Kadri", "Mart",
		"Astrid", "Jonas", "Freja", "Henrik", "Liisa", "Olav", "Maren", "Tõnu",
	}
	lastNames = []string{
		"Halvorsen", "Lindqvist", "Virtanen", "Kask", "Nørgaard", "Berglund",
		"Mäkinen", "Tamm", "Sørensen", "Ekström", "Laine", "Rebane",
		"Haugland", "Dahl", "Koskinen", "Vestergaard",
	}
)

// Study title parts.
var (
	studyDesigns = []string{
		"Genome-wide association study of", "Exome sequencing in",
		"Whole-genome sequencing of", "Polygenic risk of", "Longitudinal cohort study of",
		"Pharmacogenomics of", "Rare variant analysis of", "Multi-omics profiling of",
	}
	studyTopics = []string{
		"type 2 diabetes", "type 1 diabetes", "breast cancer", "colorectal cancer",
		"prostate cancer", "hypertension", "coronary artery disease", "depression",
		"schizophrenia", "asthma", "Alzheimer disease", "multiple sclerosis",
		"Crohn disease", "rheumatoid arthritis", "chronic kidney disease", "healthy ageing",
	}
	studyPopulations = []string{
		"Nordic biobank donors", "a Baltic population cohort", "a Scandinavian hospital cohort",
		"a Finnish founder population", "a Danish registry cohort", "Northern European adults",
	}
)
