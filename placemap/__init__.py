"""Placemap: data loaders, classification, map builders and helpers for the Streamlit app."""
