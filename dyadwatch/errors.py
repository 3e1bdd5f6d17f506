"""The one error tree of dyadwatch.

Every exception the library raises derives from :class:`DyadwatchError`, and every
message says what to do about it (the file, the line, the setting, the fix).
The CLI turns these into exit codes; the web app turns them into HTTP errors.

    DyadwatchError
    ├── ConfigError            a setting is missing or invalid
    ├── OntologyError          an unknown PLOVER type, front or code table problem
    ├── StoreError             the DuckDB store cannot be opened, migrated or queried
    ├── SourceError            a whole input file cannot be read
    │   ├── EmptyFileError         the file holds no rows
    │   ├── CorruptFileError       a truncated or unreadable archive, binary bytes
    │   └── UnrecognizedFormatError the file is not the format it was given as
    │       └── SchemaChangedError     a downloaded file lacks a column or key its parser
    │                                  needs (the source changed its format)
    ├── FetchError             a download failed after its retries
    │   ├── ChecksumError          a download's size or MD5 differs from the file list
    │   ├── RemoteNotFoundError    the server has no such file (HTTP 404 or 410)
    │   └── SizeLimitError         a download is larger than DYADWATCH_UPDATE_MAX_BYTES
    ├── ScenarioError          a what-if scenario cannot be run (unknown series or stakeholder,
    │   │                      too short a sample, a bad shock)
    │   └── ScenarioFileError      a scenario YAML file is missing or invalid
    ├── ForecastError          a forecast target, model or backtest cannot be built
    └── AppDbError             the app database (accounts, briefs, comments) cannot be
        │                      opened, migrated or queried
        ├── InvalidInputError      a username, email, password, comment or brief is invalid
        ├── DuplicateError         the username, email or period is already taken
        ├── LoginError             wrong username or password
        ├── RateLimitError         too many failed logins; carries ``retry_after`` seconds
        ├── AlreadyReactedError    the user already reacted to this brief
        ├── NotFoundError          no such user, brief or comment
        └── PermissionDeniedError  the user's role does not allow this
"""

from __future__ import annotations


class DyadwatchError(Exception):
    """Base class of every error dyadwatch raises."""


class ConfigError(DyadwatchError):
    """A setting is missing or has an invalid value."""


class OntologyError(DyadwatchError):
    """An unknown PLOVER type, front key, or a broken bundled code table."""


class StoreError(DyadwatchError):
    """The event store cannot be opened, migrated or queried."""


class SourceError(DyadwatchError):
    """A whole input file cannot be ingested; the store is left untouched."""

    def __init__(self, path: object, problem: str, fix: str) -> None:
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        super().__init__(f"{self.path}: {problem}. {fix}")


class EmptyFileError(SourceError):
    """The input file holds no rows."""


class CorruptFileError(SourceError):
    """The input is a truncated or unreadable archive, or binary bytes."""


class UnrecognizedFormatError(SourceError):
    """The input is not in the format it was given as."""


class SchemaChangedError(UnrecognizedFormatError):
    """A downloaded file no longer has a column or key its parser needs: the source changed
    its format. ``path`` is the source's name (``cbp-encounters``), and the message names
    the missing or changed field and what was found instead."""


class FetchError(DyadwatchError):
    """A download failed after all its retries."""


class ChecksumError(FetchError):
    """A downloaded file's size or MD5 differs from what the file list promised."""


class RemoteNotFoundError(FetchError):
    """The server answered 404 or 410: it has no such file (yet)."""


class SizeLimitError(FetchError):
    """A download is larger than the size limit (announced or counted while streaming)."""


class ScenarioError(DyadwatchError):
    """A what-if scenario cannot be run: an unknown series or stakeholder, a bad shock, or
    too short a sample for the model."""


class ScenarioFileError(ScenarioError):
    """A scenario file is missing, is not YAML, or a field in it is invalid."""


class ForecastError(DyadwatchError):
    """A forecast target, model or backtest cannot be built from what the store holds."""


class AppDbError(DyadwatchError):
    """The app database cannot be opened, migrated or queried (check ``DYADWATCH_APP_DB``)."""


class InvalidInputError(AppDbError):
    """A username, email, password, comment or brief field is invalid; the message says why."""


class DuplicateError(AppDbError):
    """The username, email or brief period is already taken."""


class LoginError(AppDbError):
    """The username or the password is wrong (the message does not say which)."""


class RateLimitError(AppDbError):
    """Too many failed logins for this username or address; try again after ``retry_after``."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class AlreadyReactedError(AppDbError):
    """The user already reacted to this brief (one reaction per user per brief)."""


class NotFoundError(AppDbError):
    """No such user, brief or comment."""


class PermissionDeniedError(AppDbError):
    """The user's role (or authorship) does not allow this action."""
