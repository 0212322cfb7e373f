"""The exceptions medlint raises. A CMS catches :class:`MedlintError`; bad TEXT never raises."""
from __future__ import annotations


class MedlintError(Exception):
    """Base class: a problem with configuration or rules, never with the text being linted."""


class RuleError(MedlintError):
    """A rule file, rule or fact table is invalid. The message names the file and rule."""


class ConfigError(MedlintError):
    """A configuration file or option is invalid. The message names the file and key."""
