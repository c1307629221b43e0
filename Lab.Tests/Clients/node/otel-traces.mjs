// Sends a small trace with the OpenTelemetry JS SDK's OTLP/HTTP protobuf exporter and prints the outcome as JSON:
// {"code":0|1,"httpStatus":<n|null>,"error":<string|null>,"traceId":"<32 hex>","spans":<n>}.
// Usage: node otel-traces.mjs <traces url> <Authorization header value> <service.name>
import { trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

const [url, authorization, service] = process.argv.slice(2);
const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': service ?? 'ledger' }),
  spanProcessors: [new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('otel-lab-tests');
const parent = tracer.startSpan('POST /ledger/entries', { attributes: { 'http.request.method': 'POST' } });
const child = tracer.startSpan('INSERT ledger_entries', {}, trace.setSpan(ROOT_CONTEXT, parent));
child.end();
parent.end();
await provider.forceFlush();

const exporter = new OTLPTraceExporter({ url, headers: authorization ? { Authorization: authorization } : {} });
const spans = memory.getFinishedSpans();
const result = await new Promise((resolve) => exporter.export(spans, resolve));
await exporter.shutdown();
console.log(JSON.stringify({
  code: result.code,
  httpStatus: result.error?.code ?? null,
  error: result.error ? String(result.error.message ?? result.error) : null,
  traceId: parent.spanContext().traceId,
  spans: spans.length,
}));
