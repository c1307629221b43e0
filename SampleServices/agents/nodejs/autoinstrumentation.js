'use strict';
// The REAL OpenTelemetry Node.js SDK and auto-instrumentations, laid out like the operator's
// autoinstrumentation-nodejs image: this folder (with node_modules) is what the init container copies to
// /otel-auto-instrumentation-nodejs, and the webhook sets NODE_OPTIONS=--require .../autoinstrumentation.js.
//
// Mirrors upstream open-telemetry/opentelemetry-operator autoinstrumentation/nodejs/src/autoinstrumentation.ts
// (NodeSDK, getNodeAutoInstrumentations(), OTLP trace exporter, metric reader chosen by OTEL_METRICS_EXPORTER,
// standard resource detectors). Differences, on purpose:
// - upstream always uses the gRPC trace exporter; here OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL picks grpc (the
//   upstream default), http/protobuf or http/json, so the lab's OTLP/HTTP receivers can be used;
// - the cloud detectors (alibaba, aws, gcp) are left out: they probe link-local metadata addresses and the lab
//   connects only to loopback;
// - no textMapPropagator is forced, so OTEL_PROPAGATORS (set by the webhook) is honoured.
// Like upstream, it registers no SIGTERM handler (below).
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { containerDetector } = require('@opentelemetry/resource-detector-container');
const { envDetector, hostDetector, osDetector, processDetector } = require('@opentelemetry/resources');
const { diag } = require('@opentelemetry/api');

function protocol(signal) {
  return process.env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] || process.env.OTEL_EXPORTER_OTLP_PROTOCOL || 'grpc';
}

function getTraceExporter() {
  switch (protocol('TRACES')) {
    case 'http/protobuf':
      return new (require('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter)();
    case 'http/json':
      return new (require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter)();
    default:
      return new (require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter)();
  }
}

function getMetricReader() {
  switch (process.env.OTEL_METRICS_EXPORTER) {
    case undefined:
    case '':
    case 'otlp': {
      diag.info('using otel metrics exporter');
      const { OTLPMetricExporter } = protocol('METRICS') === 'grpc'
        ? require('@opentelemetry/exporter-metrics-otlp-grpc')
        : require('@opentelemetry/exporter-metrics-otlp-proto');
      return new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() });
    }
    case 'none':
      diag.info('disabling metrics reader');
      return undefined;
    default:
      throw Error(`no valid option for OTEL_METRICS_EXPORTER: ${process.env.OTEL_METRICS_EXPORTER}`);
  }
}

const sdk = new NodeSDK({
  autoDetectResources: true,
  instrumentations: [getNodeAutoInstrumentations()],
  traceExporter: getTraceExporter(),
  metricReader: getMetricReader(),
  resourceDetectors: [containerDetector, envDetector, hostDetector, osDetector, processDetector],
});

sdk.start();

// No SIGTERM handler, as upstream's autoinstrumentation.ts registers none: Node's default action ends the process at
// once when the kubelet stops the pod, and what the batch span processor still holds is not exported. (A handler that
// awaited sdk.shutdown() would hold the pod until its grace period whenever the node's agent stops beside it: the
// exporter retries an agent that is gone.)
