"""Data: the indicator catalogue, loaders of the bundled files, lookups and joins. No Streamlit."""
