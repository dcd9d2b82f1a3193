"""The Streamlit layer: cached loads, link state and widgets. The only code that imports streamlit."""
