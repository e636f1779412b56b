/**
 * Stands in for @smithy/core/event-streams in the Lambda bundles (an esbuild alias,
 * lib/constructs/bundling.ts). The SDK's protocols import it lazily, for the operations that stream
 * events (Lambda's InvokeWithResponseStream, Bedrock's and Transcribe's streams), and a bundle
 * inlines what a dynamic import names: about 18 KiB of codecs in every function, none of whose
 * operations streams events. A client that does (it imports this module itself) is refused by the
 * bundles' test; an operation that does fails here, saying why.
 */
const NOT_BUNDLED =
  'event streams are not bundled in the control plane Lambda functions (lambdas/aws/no-event-streams.ts); ' +
  'remove the @smithy/core/event-streams alias in lib/constructs/bundling.ts to use them';

function refuse(): never {
  throw new Error(NOT_BUNDLED);
}

export class EventStreamSerde {
  constructor() {
    refuse();
  }
}

export const eventStreamSerdeProvider = (): never => refuse();

export const resolveEventStreamSerdeConfig = (): never => refuse();
