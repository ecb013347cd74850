"""Operations: what keeps Gelar observable and safe in production (issue 9;
docs/deploy.md, "Security and operations").

- observe: the outermost middleware -- a request id per request (X-Request-ID), one
  access line, the request metrics.
- middleware: /healthz (liveness), /readyz (database and Redis: health) and /metrics
  (metrics), answered before host checks, sessions, CSRF and locale run.
- logs: the request id on every record, and the JSON formatter (LOG_FORMAT=json).
- metrics: Prometheus' text format (prometheus-client), request counts and durations
  by route, and the domain's figures read from the database.
- ratelimits: the limits on what a script could flood, in one table.
- media: uploads served by the app, never as pages.
"""
