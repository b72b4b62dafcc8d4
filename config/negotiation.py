"""DRF's content negotiation, short when there is nothing to choose.

In production the APIs have one renderer (JSON): DRF would still parse every request's Accept header to
pick it, and answer 406 to a client that asked for something else. Here such a client simply gets the
JSON (as most public APIs do), and DEBUG's browsable API (two renderers) negotiates as usual."""
from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation


class OneRendererNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if len(renderers) == 1 and not format_suffix:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
