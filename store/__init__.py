"""The fact store: SQLAlchemy models, Alembic migrations, and the functions that read and write it."""
