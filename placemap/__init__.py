"""Placemap: a shared picture of place-based change in England.

Subpackages by concern (docs/architecture.md): ``data`` (catalogue, loaders, lookups),
``analysis`` (pure statistics of each page), ``render`` (maps, charts, exports), ``community``
(workshops, notes, initiatives), ``storage`` (the database), ``uploads`` (reading files people
bring) and ``ui`` (the Streamlit layer, the only code that imports streamlit).
"""
