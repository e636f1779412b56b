// InfluenceGen generation signal: the body of the Code nodes (JavaScript, "Run Once for Each Item")
// that write the generation pipeline's signal lines. See generation-signals.md.
//
// Each such Code node starts with one line naming its signal and the node that marked the start:
//   const SIGNAL = 'ai_api_call', STARTED_BY = 'Mark AI call start';
// followed by this file. With CODE_ENABLE_STDOUT=true, n8n writes each console.log of a Code node to
// the worker's standard output as `[Workflow "<id>"][Node "<name>"] <arguments>`; the CloudWatch
// filters read the last four space-separated fields: marker, signal, outcome, milliseconds.
const SIGNALS = ['ai_api_call', 'odoo_callback', 'generation_finished'];
if (!SIGNALS.includes(SIGNAL)) throw new Error(`unknown signal ${SIGNAL}; expected one of ${SIGNALS}`);

const startedAt = Number($(STARTED_BY).item.json.signal_started_at);
if (!Number.isFinite(startedAt)) throw new Error(`${STARTED_BY} did not set signal_started_at`);

// An HTTP Request node set to "On Error: Continue" passes the failure on as `error`; one that
// returns the full response carries `statusCode`.
const failed = $json.error !== undefined || Number($json.statusCode) >= 400;
const outcome = failed ? 'error' : 'ok';
const elapsedMs = Math.max(0, Math.round(Date.now() - startedAt));

// Strings and a number as separate arguments: a number is printed bare whether the Code node runs in
// n8n's own sandbox or in a task runner (which quotes string arguments), so it stays extractable.
console.log('influencegen_signal', SIGNAL, outcome, elapsedMs);

return $input.item;
