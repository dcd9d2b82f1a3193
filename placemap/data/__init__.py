"""Data: the indicator catalogue, loaders of the bundled files, lookups and joins. No Streamlit.

Arrow's buffers (the parquet readers', the cached tables') are taken from the system allocator:
Arrow's default (mimalloc) keeps the memory its readers free for reuse, about 50 MB that a
server reading each bundled table once never uses again and never gives back.
"""

import pyarrow as _pa

_pa.set_memory_pool(_pa.system_memory_pool())
