"""The weekly (or monthly) digest: the dashboard's figures for one period, as one
self-contained HTML page (inline SVG charts, no scripts), JSON, or PDF via Chromium."""
