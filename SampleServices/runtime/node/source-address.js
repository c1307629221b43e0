'use strict';
// Lab-only preload (node --require, part of the image's command in SampleServices/images.json, not of the pod's env):
// outgoing TCP connections leave from the pod's address (LAB_SOURCE_ADDRESS) as they would from a pod's network
// namespace, so the agent collector's k8sattributes sees the pod IP as the connection's source. Node lets a client
// pick its source with `localAddress` (net.connect / http.Agent options); defaulting it here covers http, http2 and
// @grpc/grpc-js, which all connect through net.Socket.prototype.connect.
const net = require('net');

const source = process.env.LAB_SOURCE_ADDRESS;
if (source) {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    const options = args[0];
    if (options && typeof options === 'object' && !Array.isArray(options) && options.path === undefined
        && options.localAddress === undefined && !net.isIPv6(String(options.host || ''))) {
      args[0] = { ...options, localAddress: source };
    }
    return connect.apply(this, args);
  };
}
