"""The one exception a user can cause: its message is the whole error line the CLI prints."""


class LabError(Exception):
    """A problem with what the user asked for (bad name, missing tool): say it and what to do."""


class DataError(LabError):
    """A hand-edited data file (lab/data/*.toml) that says something the lab cannot use.

    The message starts with ``file:line:`` so an editor can jump to the mistake.
    """
