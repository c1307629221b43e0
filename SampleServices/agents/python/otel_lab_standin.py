"""OTel Lab stand-in for the OpenTelemetry Python auto-instrumentation (standard library only).

Honours the env the operator's webhook sets: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_ENDPOINT,
OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL (http/protobuf, the webhook's Python default, or http/json),
OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER(_ARG), OTEL_TRACES_EXPORTER=none, OTEL_PROPAGATORS=tracecontext.
Instruments http.server.BaseHTTPRequestHandler (SERVER spans) and urllib.request (CLIENT spans, traceparent injected).
Spans are batched and exported every OTEL_BSP_SCHEDULE_DELAY ms (spec default 5000) by a daemon thread and at exit. Never raises into the application.
"""
import atexit
import contextvars
import http.client
import http.server
import json
import os
import random
import struct
import sys
import threading
import time
import urllib.parse
import urllib.request

_current = contextvars.ContextVar("otel_lab_current_span", default=None)
_SERVER, _CLIENT = 2, 3
_STATUS_ERROR = 2
_SCOPE = ("otel-lab-python-standin", "0.1.0")


class SpanContext:
    __slots__ = ("trace_id", "span_id", "sampled")

    def __init__(self, trace_id, span_id, sampled):
        self.trace_id, self.span_id, self.sampled = trace_id, span_id, sampled

    def traceparent(self):
        return "00-%s-%s-%s" % (self.trace_id, self.span_id, "01" if self.sampled else "00")


def parse_traceparent(header):
    """W3C traceparent -> SpanContext, or None when absent/invalid (the span is then a root)."""
    if not header:
        return None
    parts = header.strip().lower().split("-")
    if len(parts) < 4 or len(parts[1]) != 32 or len(parts[2]) != 16 or len(parts[3]) != 2 or parts[0] == "ff":
        return None
    try:
        int(parts[1], 16), int(parts[2], 16)
        flags = int(parts[3], 16)
    except ValueError:
        return None
    if parts[1] == "0" * 32 or parts[2] == "0" * 16:
        return None
    return SpanContext(parts[1], parts[2], bool(flags & 1))


class Sampler:
    """always_on, always_off, traceidratio and parentbased_* (default parentbased_always_on)."""

    def __init__(self, name, arg):
        name = (name or "parentbased_always_on").strip().lower()
        self.parent_based = name.startswith("parentbased_")
        root = name[len("parentbased_"):] if self.parent_based else name
        self.ratio = 0.0 if root == "always_off" else 1.0
        if root == "traceidratio":
            try:
                ratio = float(arg)
                self.ratio = ratio if 0.0 <= ratio <= 1.0 else 1.0
            except (TypeError, ValueError):
                self.ratio = 1.0

    def should_sample(self, parent, trace_id):
        if self.parent_based and parent is not None:
            return parent.sampled
        # upstream opentelemetry-python TraceIdRatioBased: low 64 bits of the trace id < ratio * 2^64
        return int(trace_id[16:], 16) < round(self.ratio * (1 << 64))


class Span:
    def __init__(self, tracer, context, parent_span_id, name, kind):
        self.tracer, self.context, self.parent_span_id = tracer, context, parent_span_id
        self.name, self.kind = name, kind
        self.attributes = {}
        self.start_ns, self.end_ns = time.time_ns(), 0
        self.status_code, self.status_message = 0, ""
        self._ended = False

    def end(self):
        if self._ended:
            return
        self._ended = True
        self.end_ns = time.time_ns()
        if self.context.sampled:
            self.tracer.exporter.enqueue(self)


class Tracer:
    def __init__(self, sampler, exporter):
        self.sampler, self.exporter = sampler, exporter

    def start(self, parent, name, kind):
        trace_id = parent.trace_id if parent else "%032x" % random.getrandbits(128)
        sampled = self.sampler.should_sample(parent, trace_id)
        context = SpanContext(trace_id, "%016x" % random.getrandbits(64), sampled)
        return Span(self, context, parent.span_id if parent else "", name, kind)


# ---- OTLP encoding (opentelemetry-proto collector/trace/v1 ExportTraceServiceRequest) ----

def _varint(value):
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _len_field(field, payload):
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def _str_field(field, text):
    return _len_field(field, text.encode("utf-8"))


def _pb_attributes(field, attributes):
    out = b""
    for key, value in attributes.items():
        if isinstance(value, bool):
            any_value = _varint(2 << 3) + _varint(1 if value else 0)
        elif isinstance(value, int):
            any_value = _varint(3 << 3) + _varint(value & 0xFFFFFFFFFFFFFFFF)
        else:
            any_value = _str_field(1, str(value))
        out += _len_field(field, _str_field(1, key) + _len_field(2, any_value))
    return out


def _pb_span(span):
    out = _len_field(1, bytes.fromhex(span.context.trace_id)) + _len_field(2, bytes.fromhex(span.context.span_id))
    if span.parent_span_id:
        out += _len_field(4, bytes.fromhex(span.parent_span_id))
    out += _str_field(5, span.name) + _varint(6 << 3) + _varint(span.kind)
    out += _varint(7 << 3 | 1) + struct.pack("<Q", span.start_ns) + _varint(8 << 3 | 1) + struct.pack("<Q", span.end_ns)
    out += _pb_attributes(9, span.attributes)
    if span.status_code:
        status = (_str_field(2, span.status_message) if span.status_message else b"") + _varint(3 << 3) + _varint(span.status_code)
        out += _len_field(15, status)
    return out


def encode_protobuf(resource, spans):
    scope = _str_field(1, _SCOPE[0]) + _str_field(2, _SCOPE[1])
    scope_spans = _len_field(1, scope) + b"".join(_len_field(2, _pb_span(s)) for s in spans)
    resource_spans = _len_field(1, _pb_attributes(1, resource)) + _len_field(2, scope_spans)
    return _len_field(1, resource_spans)


def _json_attributes(attributes):
    def value(v):
        if isinstance(v, bool):
            return {"boolValue": v}
        if isinstance(v, int):
            return {"intValue": str(v)}
        return {"stringValue": str(v)}
    return [{"key": k, "value": value(v)} for k, v in attributes.items()]


def encode_json(resource, spans):
    """OTLP/JSON: hex ids, integer enums, 64-bit integers as strings."""
    def span_json(s):
        d = {"traceId": s.context.trace_id, "spanId": s.context.span_id, "name": s.name, "kind": s.kind,
             "startTimeUnixNano": str(s.start_ns), "endTimeUnixNano": str(s.end_ns),
             "attributes": _json_attributes(s.attributes)}
        if s.parent_span_id:
            d["parentSpanId"] = s.parent_span_id
        if s.status_code:
            d["status"] = {"code": s.status_code, "message": s.status_message}
        return d
    body = {"resourceSpans": [{"resource": {"attributes": _json_attributes(resource)},
                               "scopeSpans": [{"scope": {"name": _SCOPE[0], "version": _SCOPE[1]},
                                               "spans": [span_json(s) for s in spans]}]}]}
    return json.dumps(body).encode("utf-8")


class Exporter:
    """Batches spans; POSTs them with http.client (not urllib, so the export itself is not traced)."""

    MAX_QUEUE = 2048

    def __init__(self, endpoint, protocol, headers, resource, schedule_delay=5.0):
        self.url = urllib.parse.urlsplit(endpoint)
        self.schedule_delay = schedule_delay
        self.json = protocol == "http/json"
        self.headers, self.resource = headers, resource
        self._queue, self._lock = [], threading.Lock()

    def enqueue(self, span):
        with self._lock:
            if len(self._queue) < self.MAX_QUEUE:
                self._queue.append(span)

    def start(self):
        def loop():
            while True:
                time.sleep(max(self.schedule_delay, 0.001))
                self.flush()
        threading.Thread(target=loop, name="otel-lab-span-exporter", daemon=True).start()
        atexit.register(self.flush)

    def flush(self):
        with self._lock:
            batch, self._queue = self._queue, []
        if not batch:
            return
        body = encode_json(self.resource, batch) if self.json else encode_protobuf(self.resource, batch)
        headers = dict(self.headers)
        headers["Content-Type"] = "application/json" if self.json else "application/x-protobuf"
        try:
            connection_class = http.client.HTTPSConnection if self.url.scheme == "https" else http.client.HTTPConnection
            connection = connection_class(self.url.hostname, self.url.port, timeout=10)
            connection.request("POST", self.url.path or "/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status >= 300:
                print("otel-lab agent: export of %d spans got HTTP %d" % (len(batch), response.status), file=sys.stderr)
        except Exception as error:  # never fail the application because of telemetry
            print("otel-lab agent: export of %d spans failed: %r" % (len(batch), error), file=sys.stderr)


def _pairs(text):
    pairs = {}
    for item in (text or "").split(","):
        key, sep, value = item.partition("=")
        if sep and key.strip():
            pairs[key.strip()] = urllib.parse.unquote(value.strip())
    return pairs


# ---- instrumentation ----

def _instrument_http_server(tracer):
    handler = http.server.BaseHTTPRequestHandler
    original_parse, original_send, original_handle = handler.parse_request, handler.send_response, handler.handle_one_request

    def parse_request(self):
        ok = original_parse(self)
        if ok:
            parent = parse_traceparent(self.headers.get("traceparent"))
            path = urllib.parse.urlsplit(self.path).path
            span = tracer.start(parent, self.command, _SERVER)  # no route template known: name is the method
            span.attributes.update({"http.request.method": self.command, "url.path": path,
                                    "server.address": (self.headers.get("Host") or "").rsplit(":", 1)[0],
                                    "server.port": self.server.server_address[1]})
            self._otel_span = span
            self._otel_token = _current.set(span.context)
        return ok

    def send_response(self, code, message=None):
        span = getattr(self, "_otel_span", None)
        if span is not None:
            span.attributes["http.response.status_code"] = int(code)
            if int(code) >= 500:  # semconv: SERVER spans are errors for 5xx only
                span.status_code = _STATUS_ERROR
        return original_send(self, code, message)

    def handle_one_request(self):
        try:
            return original_handle(self)
        finally:
            span = getattr(self, "_otel_span", None)
            if span is not None:
                self._otel_span = None
                _current.reset(self._otel_token)
                span.end()

    handler.parse_request, handler.send_response, handler.handle_one_request = parse_request, send_response, handle_one_request


def _instrument_urllib(tracer):
    handler = urllib.request.AbstractHTTPHandler
    original_do_open = handler.do_open

    def do_open(self, http_class, req, **kwargs):
        method = req.get_method()
        span = tracer.start(_current.get(), method, _CLIENT)
        url = urllib.parse.urlsplit(req.full_url)
        span.attributes.update({"http.request.method": method, "url.full": req.full_url, "url.path": url.path,
                                "server.address": url.hostname or "", "server.port": url.port or (443 if url.scheme == "https" else 80)})
        req.add_unredirected_header("Traceparent", span.context.traceparent())
        try:
            response = original_do_open(self, http_class, req, **kwargs)
        except Exception as error:
            span.status_code = _STATUS_ERROR
            span.attributes["error.type"] = type(error).__name__
            span.end()
            raise
        span.attributes["http.response.status_code"] = response.status
        if response.status >= 400:  # semconv: CLIENT spans are errors for 4xx and 5xx
            span.status_code = _STATUS_ERROR
        span.end()
        return response

    handler.do_open = do_open


def _millis(value, default):
    """A non-negative integer of milliseconds, else the default (the SDKs ignore an invalid value)."""
    try:
        parsed = int((value or "").strip())
        return parsed if parsed >= 0 else default
    except ValueError:
        return default


def install(environ=os.environ):
    if environ.get("OTEL_SDK_DISABLED", "").lower() == "true" or environ.get("OTEL_TRACES_EXPORTER", "otlp") == "none":
        return
    endpoint = environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if not endpoint:
        endpoint = (environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or "http://localhost:4318").rstrip("/") + "/v1/traces"
    protocol = environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL") or "http/protobuf"
    resource = {"telemetry.sdk.language": "python", "telemetry.sdk.name": "otel-lab-python-standin", "telemetry.sdk.version": "0.1.0"}
    resource.update(_pairs(environ.get("OTEL_RESOURCE_ATTRIBUTES")))
    if environ.get("OTEL_SERVICE_NAME"):
        resource["service.name"] = environ["OTEL_SERVICE_NAME"]  # wins over OTEL_RESOURCE_ATTRIBUTES (spec)
    resource.setdefault("service.name", "unknown_service:python")
    exporter = Exporter(endpoint, protocol, _pairs(environ.get("OTEL_EXPORTER_OTLP_HEADERS")), resource,
                        _millis(environ.get("OTEL_BSP_SCHEDULE_DELAY"), 5000) / 1000.0)
    tracer = Tracer(Sampler(environ.get("OTEL_TRACES_SAMPLER"), environ.get("OTEL_TRACES_SAMPLER_ARG")), exporter)
    _instrument_http_server(tracer)
    _instrument_urllib(tracer)
    exporter.start()
