"""``medlint lsp``: findings in the editor as you type, with quick fixes (Language Server
Protocol over stdio).

Needs the ``lsp`` extra (``pip install 'medlint[lsp]'``: pygls 2 and lsprotocol). This
package's modules that need neither (``positions``, ``configs``, ``actions``) import
without them; ``server`` is the pygls face. Set-up for editors: ``docs/editors.md``.
"""
from __future__ import annotations

__all__ = ["main", "MISSING_EXTRA"]

MISSING_EXTRA = ("medlint lsp needs the 'lsp' extra (pygls 2 and lsprotocol): "
                 "pip install 'medlint[lsp]'")


def main() -> None:
    """Run the language server on stdin/stdout (``medlint lsp``)."""
    from .server import main as serve

    serve()
