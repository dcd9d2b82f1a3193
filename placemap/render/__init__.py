"""Rendering: folium maps, legends, colours, Altair charts, static maps, reports and file exports. Never reads files."""
