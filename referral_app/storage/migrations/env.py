"""Alembic's entry point: runs on the connection the app hands it, never on a URL."""

from alembic import context

from referral_app.storage.db import is_search_table
from referral_app.storage.models import Base


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # The search index is made by migration SQL, not by a model: autogenerate leaves it be.
    return not (type_ == "table" and name is not None and is_search_table(name))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=_include_name,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
