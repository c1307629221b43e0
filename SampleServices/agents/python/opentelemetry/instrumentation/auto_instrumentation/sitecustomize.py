# OTel Lab STAND-IN for the operator's autoinstrumentation-python image. Upstream, this file
# (opentelemetry/instrumentation/auto_instrumentation/sitecustomize.py from opentelemetry-python-contrib) runs
# opentelemetry-instrument's initialize(); the webhook puts this folder first on PYTHONPATH so Python imports it at
# start-up. Here it installs the lab's small stdlib-only tracer from the image root (second PYTHONPATH entry).
import otel_lab_standin

otel_lab_standin.install()
