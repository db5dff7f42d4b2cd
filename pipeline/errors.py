"""Errors that name what went wrong in one readable line (shown to users, stored with articles)."""


class VnfactsError(Exception):
    """Base class: a problem a user can act on; never shown as a traceback."""


class ArticleError(VnfactsError):
    """An article that cannot be processed (kept with status and error; the run goes on)."""


class ConfigError(VnfactsError):
    """A sources file, setting or argument is wrong."""
