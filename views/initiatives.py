"""Initiatives and partners: who is working where, on what, with whom."""

import streamlit as st

st.title("Initiatives and partners", anchor=False)
