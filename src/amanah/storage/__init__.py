"""Storage: SQLAlchemy Core tables, Alembic migrations, the SQL and in-memory stores."""
