"""Uploads: reading and checking files people bring (tables and boundaries), safely."""
