// A stand-in for LocalEGA's subgraph: the archive knows datasets and files
// by EGA accession, with what only the archive has (archived size, release
// status). Its data comes from the LOCALEGA_DATA environment variable (JSON:
// {datasets: [{accession, releaseStatus, files: [accession]}], files:
// [{accession, archivedSize}]}), written by the Go test.
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';

export const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  scalar Long

  type Dataset @key(fields: "accession") {
    accession: String!
    """Null for a dataset the archive does not hold (Databank's datasets
    without an EGAD accession have a null key)."""
    releaseStatus: String
    archivedFiles: [DataFile!]!
  }

  type DataFile @key(fields: "accession") {
    accession: String!
    archivedSize: Long
  }

  type Query {
    archivedDatasets: [Dataset!]!
    archivedFile(accession: String!): DataFile
  }
`);

export function schema(data) {
  const datasets = new Map(data.datasets.map((d) => [d.accession, d]));
  const files = new Map(data.files.map((f) => [f.accession, f]));
  const dataset = (d) => d && { ...d, archivedFiles: d.files.map((a) => files.get(a)) };
  return buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        archivedDatasets: () => data.datasets.map(dataset),
        archivedFile: (_, { accession }) => files.get(accession) ?? null,
      },
      // an accession the archive does not hold: the key, and nothing else
      Dataset: {
        __resolveReference: (ref) =>
          ref.accession == null ? null : dataset(datasets.get(ref.accession) ?? { accession: ref.accession, releaseStatus: null, files: [] }),
      },
      DataFile: {
        __resolveReference: (ref) => (ref.accession == null ? null : (files.get(ref.accession) ?? { accession: ref.accession, archivedSize: null })),
      },
    },
  });
}
