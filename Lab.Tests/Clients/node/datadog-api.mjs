// Drives the official @datadog/datadog-api-client against a mock: validates the API key, then submits one v2 series.
// Prints {"validate":{"status":n,"valid":bool|null},"submit":{"status":n}} (status = HTTP status, 0 if no response).
// Usage: node datadog-api.mjs <base url, e.g. http://127.0.0.1:5000> <api key> <metric name>
import { client, v1, v2 } from '@datadog/datadog-api-client';

const [baseUrl, apiKey, metric] = process.argv.slice(2);
// The client's servers are https://{subdomain}.{site}; a BaseServerConfiguration replaces them all
// (datadog-api-client-common/configuration.js: getServer returns baseServer when set).
const configuration = client.createConfiguration({
  authMethods: { apiKeyAuth: apiKey },
  baseServer: new client.BaseServerConfiguration(baseUrl, {}),
  enableRetry: false,
});

const outcome = {};
try {
  const response = await new v1.AuthenticationApi(configuration).validate();
  outcome.validate = { status: 200, valid: response.valid ?? null };
} catch (e) {
  outcome.validate = { status: e.code ?? 0, valid: null };
}

try {
  await new v2.MetricsApi(configuration).submitMetrics({
    body: {
      series: [{
        metric,
        type: 3, // MetricIntakeType GAUGE
        points: [{ timestamp: Math.floor(Date.now() / 1000), value: 42.5 }],
        resources: [{ name: 'lab-node-1', type: 'host' }],
        tags: ['service:ledger', 'env:lab'],
      }],
    },
    contentEncoding: 'deflate',
  });
  outcome.submit = { status: 202 };
} catch (e) {
  outcome.submit = { status: e.code ?? 0, error: String(e.message ?? e).slice(0, 200) };
}

console.log(JSON.stringify(outcome));
