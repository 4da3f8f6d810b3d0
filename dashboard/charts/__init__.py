"""Plotly chart builders: each takes a metric frame and returns a figure (no Streamlit here)."""
