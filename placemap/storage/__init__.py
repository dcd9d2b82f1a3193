"""Storage: the database (SQLAlchemy + Alembic) and what is saved in it."""
