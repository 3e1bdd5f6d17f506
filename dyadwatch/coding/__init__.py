"""The event coder (public API assembled once all parts exist)."""
