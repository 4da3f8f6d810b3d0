"""The only Streamlit-aware helpers: warehouse location, cached metric calls, the demo on
first start, the shared sidebar, table presentation and Plotly chart builders."""
