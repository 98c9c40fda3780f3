"""The one exception a user can cause: its message is the whole error line the CLI prints."""


class LabError(Exception):
    """A problem with what the user asked for (bad name, missing tool): say it and what to do."""
