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
  const wants = (options) => options && typeof options === 'object' && options.path === undefined
    && options.localAddress === undefined && !net.isIPv6(String(options.host || ''));
  net.Socket.prototype.connect = function (...args) {
    if (Array.isArray(args[0])) {
      // net.connect() passes its normalized [options, callback] array (tagged with an internal symbol): keep the array.
      if (wants(args[0][0])) {
        args[0][0] = { ...args[0][0], localAddress: source };
      }
    } else if (wants(args[0])) {
      args[0] = { ...args[0], localAddress: source };
    }
    return connect.apply(this, args);
  };
}

// It also ends the service when the lab that started it is gone (LAB_PID), so a killed lab leaves no orphan holding
// the pod's address. Every second (unref'd: it never keeps the service alive): the lab's pid no longer exists, or it
// was our parent and the parent changed (a dead lab not yet reaped still has a pid; its children are re-parented at
// once). process.exit(143) (SIGTERM's 128+15), nothing written: the lab's pipes are closed.
const lab = Number(process.env.LAB_PID || 0);
if (lab > 0) {
  const parent = process.ppid === lab;
  const gone = () => {
    try {
      process.kill(lab, 0);
    } catch (e) {
      if (e.code === 'ESRCH') {
        return true;
      }
    }
    return parent && process.ppid !== lab;
  };
  setInterval(() => {
    if (gone()) {
      process.exit(143);
    }
  }, 1000).unref();
}
