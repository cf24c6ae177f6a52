// Starts the stand-in LocalEGA subgraph and an Apollo Gateway that composes
// it with Databank through IntrospectAndCompose, then prints one JSON line,
// {"gateway": URL, "localega": URL}, and serves until stdin closes.
//   DATABANK_URL    Databank's /graphql
//   DATABANK_TOKEN  bearer token the gateway sends to Databank
//   LOCALEGA_DATA   the archive's data (see localega.mjs)
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { schema } from './localega.mjs';

const localega = new ApolloServer({
  schema: schema(JSON.parse(process.env.LOCALEGA_DATA)),
  plugins: [ApolloServerPluginInlineTraceDisabled()],
});
const { url: localegaURL } = await startStandaloneServer(localega, { listen: { host: '127.0.0.1', port: 0 } });

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: 'databank', url: process.env.DATABANK_URL },
      { name: 'localega', url: localegaURL },
    ],
  }),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        if (name === 'databank') request.http.headers.set('authorization', `Bearer ${process.env.DATABANK_TOKEN}`);
      },
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
console.log(JSON.stringify({ gateway: url, localega: localegaURL }));

process.stdin.resume();
process.stdin.on('end', async () => {
  await server.stop();
  await localega.stop();
  process.exit(0);
});
