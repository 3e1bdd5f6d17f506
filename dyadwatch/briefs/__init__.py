"""Briefs (layer 6): one typed context object per page, built from the analysis, forecast
and scenario layers, and rendered as HTML, as JSON and in the terminal by the edges."""
